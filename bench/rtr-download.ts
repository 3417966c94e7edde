/**
 * RTR get + saveTo of a large file (default 50 MiB): the client's memory while the file streams
 * to disk, against collecting the same download whole (a dict-mode call). Samples RSS and
 * ArrayBuffer memory every 5 ms; reports the peak above the baseline taken just before.
 *
 *   node --expose-gc --import tsx bench/rtr-download.ts          (RTR_BENCH_MB=50)
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { RealTimeResponse } from "../generated/real-time-response/index.js";

const server = spawn(
  process.execPath,
  ["--import", "tsx", fileURLToPath(new URL("./rtr-download-mock.ts", import.meta.url))],
  { stdio: ["pipe", "pipe", "inherit"], env: process.env },
);
const [url] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 1024 * 1024;

async function peakDuring<T>(
  work: () => Promise<T>,
): Promise<{ value: T; rss: number; arrayBuffers: number; ms: number }> {
  gc?.();
  const base = process.memoryUsage();
  let rss = 0;
  let ab = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss - base.rss);
    ab = Math.max(ab, m.arrayBuffers - base.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  try {
    const value = await work();
    sample();
    return { value, rss: rss / MiB, arrayBuffers: ab / MiB, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

const dir = await mkdtemp(join(tmpdir(), "falconts-bench-"));
try {
  const rtr = new RealTimeResponse({ clientId: "mock-client-id", clientSecret: "mock-client-secret", baseUrl: url });
  const session = await rtr.session("a".repeat(32));
  const file = await session.get("C:\\big.bin", { interval: 0.01 });
  const target = join(dir, "big.7z");
  const streamed = await peakDuring(() => file.saveTo(target));
  const size = (await stat(target)).size;
  const collected = await peakDuring(() =>
    rtr.rtrGetExtractedFileContents({ session_id: file.sessionId, sha256: file.sha256 }),
  );
  await session.close();
  const row = (name: string, r: { rss: number; arrayBuffers: number; ms: number }) =>
    `${name.padEnd(28)} peak RSS +${r.rss.toFixed(1).padStart(6)} MiB   ArrayBuffers +${r.arrayBuffers.toFixed(1).padStart(6)} MiB   ${(size / MiB / (r.ms / 1000)).toFixed(0)} MiB/s`;
  console.log(`file: ${(size / MiB).toFixed(1)} MiB (${size} bytes), node ${process.version}`);
  console.log(row("get + saveTo (streamed)", streamed));
  console.log(row("same download, collected", collected));
} finally {
  await rm(dir, { recursive: true, force: true });
  server.stdin!.end();
}
