import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startFakeFalcon } from "../support/fake-falcon.js";
import type { FakeFalcon } from "../support/fake-falcon.js";

const SIZE = 50 * 1024 * 1024;
const CHUNK = 64 * 1024;
let server: FakeFalcon;
const run = promisify(execFile);
const child = fileURLToPath(new URL("./binary-child.ts", import.meta.url));
// each test starts two Node processes with tsx: ~1.5 s each, several times that on a loaded CI
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  server = await startFakeFalcon((req, res) => {
    if (!req.path.startsWith("/files/")) return;
    const size = req.path.endsWith("/big") ? SIZE : CHUNK;
    const chunk = Buffer.alloc(CHUNK, 7);
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        sent += CHUNK;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
});
afterAll(() => server.close());

async function measure(mode: "stream" | "collect", gc: "gc" | "nogc"): Promise<{ bytes: number; growthMB: number }> {
  const { stdout } = await run(process.execPath, ["--expose-gc", "--import", "tsx", child, server.url, mode, gc], {
    cwd: process.cwd(),
  });
  return JSON.parse(stdout) as { bytes: number; growthMB: number };
}

it("streams a 50 MB download without holding it in memory", async () => {
  const r = await measure("stream", "gc");
  const raw = await measure("stream", "nogc");
  expect(r.bytes).toBe(SIZE);
  console.info(
    `[binary] streamed 50 MB: peak RSS growth ${r.growthMB.toFixed(1)} MB live (${raw.growthMB.toFixed(1)} MB without forced GC)`,
  );
  // Less than the download itself: the body is never held whole (RSS keeps freed pages, hence no tighter bound).
  expect(r.growthMB).toBeLessThan(45);
});

it("collects a 50 MB download into one Uint8Array, held once", async () => {
  const r = await measure("collect", "gc");
  const raw = await measure("collect", "nogc");
  expect(r.bytes).toBe(SIZE);
  console.info(
    `[binary] collected 50 MB: peak RSS growth ${r.growthMB.toFixed(1)} MB live (${raw.growthMB.toFixed(1)} MB without forced GC)`,
  );
  // Held once (50 MB) plus chunks in flight; holding it twice would be >= 100 MB.
  expect(r.growthMB).toBeLessThan(85);
});
