/**
 * A minimal Falcon stand-in on 127.0.0.1: answers at once with canned, pre-serialised bodies, so
 * what the benchmarks measure is the client. Token: 201 with a long-lived bearer token.
 */
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";

const ids = Array.from({ length: 100 }, (_, i) => i.toString(16).padStart(32, "0"));
const device = (id) => ({
  device_id: id,
  cid: "0123456789abcdef0123456789abcdef",
  agent_version: "7.10.17706.0",
  platform_name: "Windows",
  os_version: "Windows 11",
  hostname: `host-${id.slice(-4)}`,
  local_ip: "10.0.0.7",
  mac_address: "00-11-22-33-44-55",
  first_seen: "2024-01-01T00:00:00Z",
  last_seen: "2025-01-01T00:00:00Z",
  status: "normal",
  tags: ["SensorGroupingTags/bench"],
  groups: ["a1b2c3"],
  product_type_desc: "Workstation",
  device_policies: { prevention: { policy_type: "prevention", policy_id: "p1", applied: true } },
});
const meta = { query_time: 0.001, powered_by: "bench", trace_id: "00000000-0000-0000-0000-000000000000" };
const bodies = {
  token: Buffer.from(
    JSON.stringify({ access_token: "bench-token-".padEnd(1200, "x"), token_type: "bearer", expires_in: 1799 }),
  ),
  scroll: Buffer.from(
    JSON.stringify({
      meta: { ...meta, pagination: { offset: "next", expires_at: 1, total: 100 } },
      resources: ids,
      errors: [],
    }),
  ),
  details: Buffer.from(JSON.stringify({ meta, resources: ids.map(device), errors: [] })),
  notFound: Buffer.from(JSON.stringify({ meta, resources: [], errors: [{ code: 404, message: "not found" }] })),
};
export const recordIds = ids;

const gzipped = new Map(Object.values(bodies).map((b) => [b, gzipSync(b)]));

function send(res, status, body, gzip = false) {
  const wire = gzip ? gzipped.get(body) : body;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": wire.length,
    "x-cs-region": "us-1",
    ...(gzip ? { "content-encoding": "gzip" } : {}),
  });
  res.end(wire);
}

/**
 * `compress`: answer gzip-encoded (pre-compressed, so the server's CPU stays out of the figures)
 * when the client accepts it. `server.bytesOut()`: bytes written to clients so far (headers and bodies).
 */
export function startServer({ compress = false } = {}) {
  const sockets = new Set();
  let closedBytes = 0;
  const server = createServer((req, res) => {
    // Drain the request body before answering (clients send JSON bodies on the POST).
    req.resume();
    req.on("end", () => {
      const path = req.url.split("?", 1)[0];
      const gzip = compress && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
      if (path === "/oauth2/token") return send(res, 201, bodies.token);
      if (path === "/devices/queries/devices-scroll/v1") return send(res, 200, bodies.scroll, gzip);
      if (path === "/devices/entities/devices/v2") {
        server.detailsServed++;
        return send(res, 200, bodies.details, gzip);
      }
      send(res, 404, bodies.notFound);
    });
  });
  server.detailsServed = 0;
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => {
      closedBytes += s.bytesWritten;
      sockets.delete(s);
    });
  });
  server.bytesOut = () => closedBytes + [...sockets].reduce((n, s) => n + s.bytesWritten, 0);
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port })),
  );
}
