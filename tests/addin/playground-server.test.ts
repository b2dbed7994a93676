/**
 * The playground's server answers only for its own files and only to pages on this computer: a path that climbs out
 * of its folders is not served, a malformed address is a 400 (and the server goes on), a Host that is not a name
 * of this computer (DNS rebinding) is refused.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLocalHost, playgroundHandler } from "../../addin/playground/server.js";

let base: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "iw-playground-test-"));
  const roots = { dist: join(base, "dist"), work: join(base, "work"), officeJs: join(base, "office") };
  for (const folder of Object.values(roots)) mkdirSync(folder, { recursive: true });
  mkdirSync(join(roots.work, "playground"));
  writeFileSync(join(roots.dist, "taskpane.html"), "<html><head></head><body></body></html>");
  writeFileSync(join(roots.dist, "taskpane.js"), "pane()");
  writeFileSync(join(roots.officeJs, "office.js"), "office()");
  writeFileSync(join(roots.work, "playground", "workbook.js"), "workbook()");
  // A file beside the roots, standing for /etc/passwd: it must never be served.
  writeFileSync(join(base, "secret.txt"), "secret");
  server = http.createServer(playgroundHandler(roots));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(base, { recursive: true, force: true });
});

/** A raw request: the path exactly as given (no client normalises it), and any Host. */
function get(path: string, host = `localhost:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, headers: { host } }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode!, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("the playground server", () => {
  it("serves its own files", async () => {
    expect(await get("/office-js/office.js")).toEqual({ status: 200, body: "office()" });
    expect(await get("/playground/workbook.js")).toEqual({ status: 200, body: "workbook()" });
    expect(await get("/taskpane.js")).toEqual({ status: 200, body: "pane()" });
    expect((await get("/")).body).toContain("Simulated workbook");
  });

  it("never serves a file outside its folders, however the path climbs", async () => {
    for (const path of [
      "/office-js/..%2F..%2Fsecret.txt",
      "/office-js/..%2f..%2f..%2fsecret.txt",
      "/playground/..%2F..%2Fsecret.txt",
      "/..%2Fsecret.txt",
      "/%2E%2E/secret.txt",
      "/office-js/%2Fetc%2Fpasswd",
      "/office-js/..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain("secret");
      expect(answer.body).not.toContain("root:");
    }
  });

  it("answers a malformed address with 400 and goes on serving", async () => {
    expect((await get("/%E0%A4%A")).status).toBe(400);
    expect((await get("/office-js/%00")).status).toBe(400);
    expect(await get("/office-js/office.js")).toEqual({ status: 200, body: "office()" });
  });

  it("refuses a Host that is not this computer (a page elsewhere reaching it by DNS rebinding)", async () => {
    expect((await get("/office-js/office.js", "attacker.example")).status).toBe(403);
    expect((await get("/office-js/office.js", `attacker.example:${port}`)).status).toBe(403);
    expect((await get("/office-js/office.js", `127.0.0.1:${port}`)).status).toBe(200);
    expect((await get("/office-js/office.js", `[::1]:${port}`)).status).toBe(200);
  });

  it("knows this computer's names", () => {
    expect(
      ["localhost", "localhost:3001", "LOCALHOST", "127.0.0.1:80", "[::1]:3001", "app.localhost"].map(isLocalHost),
    ).toEqual([true, true, true, true, true, true]);
    expect(["localhost.evil.com", "127.0.0.1.nip.io", "", undefined].map(isLocalHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
