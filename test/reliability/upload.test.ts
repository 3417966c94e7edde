/** A file from disk is streamed into the multipart body, never read whole into memory. */
import { execFile } from "node:child_process";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeFalcon, type FakeFalcon } from "../support/fake-falcon.js";

const SIZE = 64 * 1024 * 1024;
let server: FakeFalcon;
let dir: string;
const run = promisify(execFile);
const child = fileURLToPath(new URL("./upload-child.ts", import.meta.url));

beforeAll(async () => {
  // the recording server keeps bodies: answer with their size and drop them
  server = await startFakeFalcon((req) => {
    const received = req.body.byteLength;
    server.requests.length = 0;
    return { body: { received, resources: [], errors: [] } };
  });
  dir = await mkdtemp(join(tmpdir(), "falconts-upload-"));
  const f = await open(join(dir, "big.bin"), "w");
  await f.truncate(SIZE); // sparse: no disk or time spent
  await f.close();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

it.each(["multipart", "raw"])(
  "uploads a 64 MB fileFromPath() file (%s) without holding it in memory",
  async (mode) => {
    const { stdout } = await run(
      process.execPath,
      ["--expose-gc", "--import", "tsx", child, server.url, join(dir, "big.bin"), mode],
      { cwd: process.cwd() },
    );
    const r = JSON.parse(stdout) as { status: number; received: number; growthMB: number };
    expect(r.status).toBe(200);
    expect(r.received).toBeGreaterThanOrEqual(SIZE);
    console.info(`[upload] streamed a 64 MB file (${mode}): peak RSS growth ${r.growthMB.toFixed(1)} MB`);
    // read whole, the file alone would be 64 MB (plus the multipart copy)
    expect(r.growthMB).toBeLessThan(48);
  },
  60_000,
);
