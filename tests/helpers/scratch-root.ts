/**
 * Every test's temporary files go under one folder made for the run and removed after it: the tests make hundreds
 * of scratch folders (os.tmpdir() reads TMPDIR on each call, and the test processes and the soffice they start
 * inherit it), and a contributor's temp folder should not keep them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "iw-tests-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
