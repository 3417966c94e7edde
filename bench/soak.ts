/**
 * Soak: N calls (default 50,000) against the mock with 1% injected faults (resets, 503s,
 * truncated bodies, 429s, hangs), 32 at a time, through one Hosts client with the default
 * retry policy and a 1 s read timeout. Reports outcomes, unhandled rejections (must be 0)
 * and the client process's RSS / heap at the start (after warm-up) and at the end, after GC.
 *
 *   npm run bench:soak                       (SOAK_CALLS, SOAK_CONCURRENCY, SOAK_FAULT_RATE)
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Hosts } from "../generated/hosts/index.js";

const CALLS = Number(process.env.SOAK_CALLS ?? 50_000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 32);

let unhandled = 0;
process.on("unhandledRejection", (reason) => {
  unhandled++;
  process.stderr.write(`unhandled rejection: ${String(reason)}\n`);
});

const server = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./soak-mock.ts", import.meta.url))], {
  stdio: ["pipe", "pipe", "inherit"],
  env: process.env,
});
const [url] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
function memory(): { rssMB: number; heapMB: number } {
  gc?.();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapMB: mb(m.heapUsed) };
}

const hosts = new Hosts({
  clientId: "mock-client-id",
  clientSecret: "mock-client-secret",
  baseUrl: url,
  timeout: { read: 1 },
});
const outcomes = new Map<string, number>();
const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);

async function one(i: number): Promise<void> {
  // a GET, a read-only POST (replayable) and a writing POST (never replayed)
  const kind = i % 10;
  try {
    const r =
      kind < 7
        ? await hosts.queryDevicesByFilterScroll({ limit: 10 })
        : kind < 9
          ? await hosts.postDeviceDetailsV2({ ids: ["a", "b"] })
          : await hosts.performActionV2({ action_name: "contain", ids: ["a"] });
    count(String(r.status_code));
  } catch (err) {
    count(`threw ${(err as Error).name}`);
  }
}

async function run(n: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) await one(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - t0;
}

await run(2000); // warm-up: login, JIT, pool
outcomes.clear();
const start = memory();
const cpu0 = process.cpuUsage();
const ms = await run(CALLS);
const cpu = process.cpuUsage(cpu0);
await new Promise((r) => setTimeout(r, 100));
const end = memory();
server.stdin!.end();
await once(server, "exit");

const report = {
  calls: CALLS,
  concurrency: CONCURRENCY,
  seconds: Math.round(ms / 100) / 10,
  callsPerSecond: Math.round((CALLS * 1000) / ms),
  cpuUsPerCall: Math.round((cpu.user + cpu.system) / CALLS),
  outcomes: Object.fromEntries([...outcomes].sort()),
  unhandledRejections: unhandled,
  start,
  end,
  gcExposed: gc !== undefined,
};
console.log(JSON.stringify(report, null, 2));
process.exitCode = unhandled === 0 ? 0 : 1;
