/** Child process for the 50 MB download test: measures its own RSS, away from the server. */
import { ops, Things } from "./fixtures.js";

const [url, mode, gcMode] = process.argv.slice(2) as [string, "stream" | "collect", "gc" | "nogc"];
const c = new Things({ accessToken: "t", baseUrl: url });
// Warm up (module loading, JIT, connection) before the baseline.
await c.send(ops.DownloadFile, { id: "small" });
globalThis.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
// With "gc", garbage chunks are collected as we go, so the peak shows what is really held.
const t = setInterval(() => {
  if (gcMode === "gc") globalThis.gc?.();
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
let bytes = 0;
if (mode === "stream") {
  const r = await c.send(ops.DownloadFile, { id: "big" }, { stream: true });
  const reader = (r.body as ReadableStream<Uint8Array>).getReader();
  for (let x = await reader.read(); !x.done; x = await reader.read()) bytes += x.value.byteLength;
} else {
  const r = await c.send(ops.DownloadFile, { id: "big" });
  bytes = (r.body as Uint8Array).byteLength;
}
clearInterval(t);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ bytes, growthMB: (peak - base) / 1024 / 1024 }));
process.exit(0);
