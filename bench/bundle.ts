/** Bundle: the pane's first script and stylesheet (gzip) against the 150 KB goal, and the lazy workbook writer chunk. */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { kb, type Row } from "./measure.js";

const run = promisify(execFile);

export async function benchBundle(): Promise<Row[]> {
  const out = mkdtempSync(join(tmpdir(), "iw-bench-dist-"));
  try {
    await run(
      process.execPath,
      [
        "node_modules/webpack/bin/webpack.js",
        "--mode",
        "production",
        "--env",
        `outDir=${out}`,
        "--env",
        "publicUrl=https://addins.example.org/implementation-workbook/",
      ],
      { maxBuffer: 32 * 1024 * 1024 },
    );
    const html = readFileSync(join(out, "taskpane.html"), "utf8");
    const local = (pattern: RegExp) =>
      [...html.matchAll(pattern)].map((m) => m[1]!).filter((src) => !src.startsWith("http"));
    const size = (file: string) => ({
      raw: readFileSync(join(out, file)).length,
      gzip: gzipSync(readFileSync(join(out, file))).length,
    });
    const scripts = local(/<script[^>]*src="?([^" >]+)"?/g).map(size);
    const styles = local(/<link[^>]*href="?([^" >]+\.css)"?/g).map(size);
    const first = [...scripts, ...styles].reduce((a, b) => a + b.gzip, 0);
    const chunk = readdirSync(out).find((f) => /^xlsx-writer\.[0-9a-f]+\.js$/.test(f));
    const lazy = chunk ? size(chunk) : undefined;
    return [
      {
        section: "bundle",
        measure: "first script (gzip)",
        value: `${kb(scripts.reduce((a, b) => a + b.gzip, 0))} KB (${kb(scripts.reduce((a, b) => a + b.raw, 0))} KB raw)`,
      },
      { section: "bundle", measure: "stylesheet (gzip)", value: `${kb(styles.reduce((a, b) => a + b.gzip, 0))} KB` },
      {
        section: "bundle",
        measure: "first load, script + stylesheet (gzip)",
        value: `${kb(first)} KB`,
        goal: "<= 150 KB",
      },
      {
        section: "bundle",
        measure: "lazy workbook writer chunk (gzip)",
        value: lazy ? `${kb(lazy.gzip)} KB (${kb(lazy.raw)} KB raw)` : "missing",
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
