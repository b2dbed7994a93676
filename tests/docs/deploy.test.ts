/**
 * The deployment recipe in deploy/ and docs/rollup.md works as written: the package installs outside the
 * repository without its development dependencies and runs a roll-up; the two Kubernetes Jobs parse, retry per
 * index, and their shell steps fail with the command's own code except for "some files were skipped".
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PRODUCT_VERSION } from "../../core/version.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const DEPLOY = join(ROOT, "deploy");

interface JobManifest {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    backoffLimitPerIndex?: number;
    template: { spec: { containers: { image: string; command: string[]; args: string[] }[] } };
  };
}
const job = (file: string) => parse(readFileSync(join(DEPLOY, file), "utf8")) as JobManifest;

/** Run a Job's shell step with a stand-in command line that exits with `code`. */
async function step(script: string, code: number, env: Record<string, string> = {}): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "iw-deploy-"));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin", "implementation-workbook"), `#!/bin/sh\nexit ${code}\n`);
  chmodSync(join(dir, "bin", "implementation-workbook"), 0o755);
  try {
    await run("sh", ["-c", script], {
      cwd: dir,
      env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin`, JOB_COMPLETION_INDEX: "3", ...env },
    });
    return 0;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

describe("the Kubernetes Jobs", () => {
  it("are two files, each one Job, on this version's image; the shards retry per index", () => {
    const shards = job("rollup-shards.yaml");
    const reduce = job("rollup-reduce.yaml");
    expect([shards.kind, reduce.kind]).toEqual(["Job", "Job"]);
    expect(shards.spec.completionMode).toBe("Indexed");
    expect(shards.spec.backoffLimitPerIndex).toBeGreaterThan(0);
    const container = shards.spec.template.spec.containers[0]!;
    expect(container.args[0]).toContain(`--shard $((JOB_COMPLETION_INDEX + 1))/${shards.spec.completions}`);
    for (const j of [shards, reduce])
      expect(j.spec.template.spec.containers[0]!.image).toBe(
        `registry.example.org/implementation-workbook:${PRODUCT_VERSION}`,
      );
    expect(readFileSync(join(DEPLOY, "Dockerfile"), "utf8")).toContain(`implementation-workbook:${PRODUCT_VERSION}`);
  });

  it("a step succeeds when files were skipped (exit 1) and fails with the command's code otherwise", async () => {
    for (const file of ["rollup-shards.yaml", "rollup-reduce.yaml"]) {
      const script = job(file).spec.template.spec.containers[0]!.args[0]!;
      expect(await step(script, 0), file).toBe(0);
      expect(await step(script, 1), file).toBe(0);
      expect(await step(script, 2), file).toBe(2);
    }
  });

  it("a shard whose parts folder cannot be made fails", async () => {
    const script = job("rollup-shards.yaml").spec.template.spec.containers[0]!.args[0]!;
    // "parts" exists as a file, so mkdir -p fails with 1, which must not pass as "some files were skipped".
    expect(await step(`touch parts; ${script}`, 0)).not.toBe(0);
  });
});

describe("the package installed outside the repository", () => {
  it("installs without development dependencies and rolls a folder up", async () => {
    const bundle = join(ROOT, "build", "cli", "main.mjs");
    expect(existsSync(bundle), "the bundle is built by npm ci (prepare)").toBe(true);
    const packed = mkdtempSync(join(tmpdir(), "iw-pack-"));
    // The bundle npm ci built is packed as it is (scripts skipped, so the tree is not rebuilt under other tests).
    await run("npm", ["pack", "--ignore-scripts", "--pack-destination", packed], { cwd: ROOT });
    const tarball = readdirSync(packed).find((f) => f.endsWith(".tgz"))!;
    expect(tarball).toBe(`implementation-workbook-${PRODUCT_VERSION}.tgz`);
    const prefix = mkdtempSync(join(tmpdir(), "iw-install-"));
    writeFileSync(join(prefix, "package.json"), JSON.stringify({ name: "deploy-check", private: true }));
    await run(
      "npm",
      [
        "install",
        "--omit=dev",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        join(packed, tarball),
      ],
      { cwd: prefix, timeout: 240_000 },
    );
    const installed = readdirSync(join(prefix, "node_modules"));
    for (const dev of ["esbuild", "tsx", "vitest", "typescript", "webpack"]) expect(installed, dev).not.toContain(dev);
    const bin = join(prefix, "node_modules", ".bin", "implementation-workbook");
    const work = mkdtempSync(join(tmpdir(), "iw-installed-"));
    mkdirSync(join(work, "workbooks"));
    await run(
      bin,
      [
        "template",
        "--district",
        "North Fork Schools",
        "--school-year",
        "2026-2027",
        "--out",
        join(work, "workbooks", "north.xlsx"),
      ],
      { cwd: work },
    );
    const { stdout } = await run(bin, ["rollup", "workbooks", "--out", "summary.xlsx", "--jobs", "1"], { cwd: work });
    expect(stdout).toContain("Rolled up 1 workbook");
    expect(existsSync(join(work, "summary.xlsx"))).toBe(true);
  }, 300_000);
});
