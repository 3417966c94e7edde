/**
 * The stream benchmark's server, in its own process so the client's CPU and RSS are its own:
 * the mock with the stream flow, STREAM_EVENTS events (default 500,000) in each of 2 partitions.
 * Prints its URL; exits when stdin closes.
 */
import { fileURLToPath } from "node:url";
import { startMockFalcon } from "../mock/server.js";

const mock = await startMockFalcon({
  spec: fileURLToPath(new URL("../generated/event-streams/openapi.json", import.meta.url)),
});
mock.scenario("event-streams", { partitions: 2, events: Number(process.env.STREAM_EVENTS ?? 500_000) });
process.stdout.write(`${mock.url}\n`);
process.stdin.resume();
process.stdin.on("end", () => void mock.close().then(() => process.exit(0)));
