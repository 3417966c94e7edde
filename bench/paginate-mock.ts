/**
 * The pagination benchmark's server, in its own process so the benchmark measures only the
 * client: the hosts collection with PaginationFlow over PAGINATE_HOSTS hosts (default 25,000)
 * and device records of about 1 KB. Prints its URL; on a "counts" line from stdin prints the
 * API requests per operation since the last "counts" (JSON) and forgets them; exits when stdin closes.
 */
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PaginationFlow } from "../mock/flows/pagination.js";
import { startMockFalcon } from "../mock/server.js";

const hosts = Number(process.env.PAGINATE_HOSTS ?? 25_000);
const device = (id: string) => ({
  device_id: id,
  cid: "0123456789abcdef0123456789abcdef",
  hostname: `host-${id.slice(-6)}`,
  platform_name: "Windows",
  os_version: "Windows 11",
  agent_version: "7.10.17706.0",
  local_ip: "10.0.0.1",
  external_ip: "203.0.113.7",
  mac_address: "00-11-22-33-44-55",
  first_seen: "2024-01-01T00:00:00Z",
  last_seen: "2026-11-30T00:00:00Z",
  status: "normal",
  tags: ["FalconGroupingTags/Finance", "SensorGroupingTags/Prod"],
  policies: [{ policy_type: "prevention", policy_id: "a".repeat(32), applied: true, settings_hash: "b".repeat(16) }],
  device_policies: {
    prevention: { policy_id: "a".repeat(32), applied: true },
    sensor_update: { policy_id: "c".repeat(32), applied: true },
  },
  notes: "x".repeat(300),
});
const flow = new PaginationFlow(undefined, {
  count: (id) => (id.startsWith("QueryDevices") ? hosts : 25),
  details: (_op, id) => device(id),
});
const mock = await startMockFalcon({
  spec: fileURLToPath(new URL("../generated/hosts/openapi.json", import.meta.url)),
});
mock.flow(flow);
process.stdout.write(`${mock.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() !== "counts") return;
  const counts: Record<string, number> = {};
  for (const r of mock.requests)
    if (r.operationId && !r.path.startsWith("/oauth2/")) counts[r.operationId] = (counts[r.operationId] ?? 0) + 1;
  mock.clearLog();
  process.stdout.write(`${JSON.stringify(counts)}\n`);
});
lines.on("close", () => void mock.close().then(() => process.exit(0)));
