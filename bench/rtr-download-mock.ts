/**
 * The RTR download bench's server, in its own process so the bench measures only the client:
 * the mock with the RTR world, one host holding a file of RTR_BENCH_MB (default 50) MiB.
 * Prints its URL; exits when stdin closes.
 */
import { fileURLToPath } from "node:url";
import { startMockFalcon } from "../mock/server.js";

const mb = Number(process.env.RTR_BENCH_MB ?? 50);
const bytes = new Uint8Array(mb * 1024 * 1024).map((_, i) => i & 0xff);
const spec = (tag: string) => fileURLToPath(new URL(`../generated/${tag}/openapi.json`, import.meta.url));
const mock = await startMockFalcon({ spec: [spec("real-time-response"), spec("real-time-response-admin")] });
mock.scenario("rtr", { hosts: { ["a".repeat(32)]: { files: { "C:\\big.bin": bytes } } }, filePolls: 1 });
process.stdout.write(`${mock.url}\n`);
process.stdin.resume();
process.stdin.on("end", () => void mock.close().then(() => process.exit(0)));
