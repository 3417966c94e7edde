/**
 * The soak's server, in its own process so the soak measures only the client's memory: the
 * spec-driven mock (hosts collection) with 1% of API requests faulted at random:
 * resets, 502/503/504, truncated bodies, 429s (RetryAfter now) and hangs.
 * Prints its URL; exits when stdin closes.
 */
import { fileURLToPath } from "node:url";
import { startMockFalcon } from "../mock/server.js";
import type { RecordedRequest } from "../mock/server.js";

const rate = Number(process.env.SOAK_FAULT_RATE ?? 0.01);
const mock = await startMockFalcon({
  spec: fileURLToPath(new URL("../generated/hosts/openapi.json", import.meta.url)),
});
// one fault per faulted request: the share of each kind in the 1%
const kinds = [
  ["reset", 0.3],
  ["status", 0.3],
  ["truncate", 0.2],
  ["rateLimit", 0.15],
  ["hang", 0.05],
] as const;
let pending: string | undefined;
let seen = 0;
const faults: Record<string, number> = {};
// decide once per request (the first matcher to look), then each switch takes its own kind
const pick = (r: RecordedRequest): string | undefined => {
  if (r.path.startsWith("/oauth2/")) return undefined;
  if (r.seq !== seen) {
    seen = r.seq;
    pending = undefined;
    if (Math.random() < rate) {
      let x = Math.random();
      for (const [k, w] of kinds) {
        if ((x -= w) < 0) {
          pending = k;
          break;
        }
      }
    }
  }
  return pending;
};
const take = (kind: string) => (r: RecordedRequest) => {
  if (pick(r) !== kind) return false;
  faults[kind] = (faults[kind] ?? 0) + 1;
  return true;
};
mock.inject({ kind: "rateLimit", retryAfter: 0 }, { match: take("rateLimit") });
mock.inject({ kind: "status", status: 503 }, { match: take("status") });
mock.inject({ kind: "hang" }, { match: take("hang") });
mock.inject({ kind: "reset" }, { match: take("reset") });
mock.inject({ kind: "truncate" }, { match: take("truncate") });
// the log would grow for the whole run: keep it short
setInterval(() => mock.clearLog(), 1000).unref();
process.stdout.write(`${mock.url}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  process.stderr.write(`${JSON.stringify({ faultsInjected: faults })}\n`);
  await mock.close();
  process.exit(0);
});
