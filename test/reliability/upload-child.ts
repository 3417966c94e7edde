/** Child process for the large-upload test: measures its own RSS while a file on disk is uploaded. */
import { SampleUploads } from "../../generated/sample-uploads/index.js";
import { fileFromPath } from "../../runtime/node.js";

const [url, path, mode] = process.argv.slice(2) as [string, string, "multipart" | "raw"];
const samples = new SampleUploads({ accessToken: "t", baseUrl: url, retries: 0 });
// Warm up (module loading, JIT, connection) before the baseline.
await samples.uploadSampleV3({ sample: new Uint8Array(16), file_name: "warm-up" });
globalThis.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const t = setInterval(() => {
  globalThis.gc?.();
  peak = Math.max(peak, process.memoryUsage().rss);
}, 25);
const file = await fileFromPath(path);
const r =
  mode === "raw"
    ? await samples.archiveUploadV1({ body: file, name: "big.zip" })
    : await samples.uploadSampleV3({ sample: file, file_name: "big.bin" });
clearInterval(t);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  JSON.stringify({
    status: r.status_code,
    received: (r.body as { received?: number }).received,
    growthMB: (peak - base) / 1024 / 1024,
  }),
);
process.exit(0);
