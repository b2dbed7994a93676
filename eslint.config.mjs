// Lint as Microsoft's Office-Addin-TaskPane template does (eslint-plugin-office-addins: Office.js load/sync rules and
// Prettier as a rule), over the whole tree.
import tsParser from "@typescript-eslint/parser";
import officeAddins from "eslint-plugin-office-addins";

export default [
  {
    ignores: [
      "node_modules/",
      "dist/",
      "build/",
      "test-output/",
      "coverage/",
      "tests/schemas/",
      "tests/addin/manifest-schemas/",
      "**/*.d.ts",
    ],
  },
  ...officeAddins.configs.recommended,
  {
    files: ["**/*.{js,mjs,cjs,ts,mts,cts}"],
    // The recommended config reads ECMAScript 2015; the tree is ES2022 modules.
    languageOptions: { parser: tsParser, ecmaVersion: "latest", sourceType: "module" },
  },
  {
    files: ["**/*.{ts,mts,cts}"],
    // TypeScript checks names itself (tsc --noEmit); the JavaScript rule does not know type-only globals.
    rules: {
      "no-undef": "off",
      "no-redeclare": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // Control characters are what these patterns exist for: XML escapes, terminal output, CSV and cell text.
    rules: { "no-control-regex": "off" },
  },
  {
    // Tests drive the simulator through helpers that sync; the load/sync rules cannot see those calls.
    files: ["tests/**"],
    rules: {
      "office-addins/call-sync-before-read": "off",
      "office-addins/call-sync-after-load": "off",
      "office-addins/load-object-before-read": "off",
      "office-addins/no-context-sync-in-loop": "off",
    },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      ecmaVersion: 2022,
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        __dirname: "readonly",
        require: "readonly",
        module: "writable",
      },
    },
  },
];
