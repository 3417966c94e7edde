/**
 * Run by handles.test.ts in its own process: exercises every waiting path (429 cool-down,
 * back-off, read and total timeouts, aborts during each wait), closes its server, and then
 * simply ends. If any socket or timer were left behind, this process would not exit.
 */
import { Things } from "../runtime/fixtures.js";
import { coolDownLog } from "../support/cool-down-log.js";
import { startFakeFalcon } from "../support/fake-falcon.js";
import { until } from "../support/until.js";

let n = 0;
const server = await startFakeFalcon((rec) => {
  n++;
  const q = new URLSearchParams(rec.query).get("filter");
  if (q === "hang") return new Promise(() => undefined);
  if (q === "reset") return void rec;
  if (q === "limited" && n % 2 === 1)
    return {
      status: 429,
      headers: { "X-RateLimit-RetryAfter": String(Date.now() + 300) },
      body: { errors: [], resources: [] },
    };
  if (q === "limited-long")
    return {
      status: 429,
      headers: { "X-RateLimit-RetryAfter": String(Math.floor(Date.now() / 1000) + 30) },
      body: { errors: [], resources: [] },
    };
  return { body: { resources: [1], errors: [] } };
});
server.handler = ((orig) => (rec, res) => {
  if (new URLSearchParams(rec.query).get("filter") === "reset") {
    res.socket?.destroy();
    return;
  }
  return orig!(rec, res);
})(server.handler);

const log = coolDownLog();
const c = new Things({
  clientId: "id",
  clientSecret: "secret",
  baseUrl: server.url,
  retries: { attempts: 2, baseDelay: 0.02 },
  debug: true,
  logger: log.logger,
});
const results: string[] = [];
const settle = async (name: string, p: Promise<unknown>) => {
  try {
    const r = (await p) as { status_code: number };
    results.push(`${name}:${r.status_code}`);
  } catch (e) {
    results.push(`${name}:${(e as Error).message.slice(0, 40)}`);
  }
};
await settle("limited", c.queryThings({ filter: "limited" }));
await settle("reset", c.queryThings({ filter: "reset" }));
await settle("read-timeout", c.queryThings({ filter: "hang" }, { timeout: { read: 0.2 } }));
await settle("total-timeout", c.queryThings({ filter: "hang" }, { timeout: 0.2 }));
const ac = new AbortController();
const coolDowns = log.coolDowns();
const waiting = settle("abort-in-cooldown", c.queryThings({ filter: "limited-long" }, { signal: ac.signal }));
const queued = new AbortController();
await until(() => log.coolDowns() > coolDowns); // the 30 s cool-down is on: the next call queues in it
const second = settle("abort-queued", c.queryThings({ filter: "ok" }, { signal: queued.signal }));
await new Promise((r) => setTimeout(r, 50));
ac.abort(new Error("aborted"));
queued.abort(new Error("aborted"));
await Promise.all([waiting, second]);
await server.close();
process.stdout.write(`${JSON.stringify({ results, done: Date.now() })}\n`);
