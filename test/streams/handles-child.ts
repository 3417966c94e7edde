/**
 * Run by handles.test.ts in its own process: reads streams and stops them every way (abort
 * while streaming, abort while backing off, close() while waiting for events, break, close()
 * amid session refreshes), with refresh timers pending, then closes the mock and simply ends. Anything left open would keep
 * the process alive.
 */
import { until } from "../support/until.js";
import { QUICK, streamWorld } from "./fixture.js";

const world = await streamWorld({ partitions: 2, events: 40, heartbeat: 0.05, refreshInterval: 60 });
const results: string[] = [];

// abort while streaming
const controller = new AbortController();
try {
  let n = 0;
  for await (const e of world.streams.read({ appId: "abort", ...QUICK, signal: controller.signal })) {
    void e;
    if (++n === 50) controller.abort();
  }
} catch (e) {
  results.push(`abort:${(e as Error).name}`);
}

// abort while the reader backs off after failures
world.flow.failFeed(503, { times: 1000 });
const backingOff = new AbortController();
const pending = world.streams
  .read({ appId: "backoff", idleTimeout: 5, reconnectDelay: { min: 5, max: 10 }, signal: backingOff.signal })
  [Symbol.asyncIterator]()
  .next();
// both partitions got their 503 and are backing off (5-10 s)
await until(() => world.flow.connections.filter((c) => c.status === 503).length >= 2);
backingOff.abort();
results.push(
  `backoff:${await pending.then(
    () => "done",
    (e: Error) => e.name,
  )}`,
);

const failed = world.flow.connections.filter((c) => c.status === 503).length;
world.flow.clearSwitches();
results.push(`backoff-503s:${failed >= 2}`);

// close() while the consumer waits for events that never come
const opened = world.flow.connections.length;
const idle = world.streams.read({ appId: "idle", ...QUICK, offsets: { 0: 39, 1: 39 } });
const waiting = idle[Symbol.asyncIterator]().next();
await until(() => world.flow.connections.slice(opened).filter((c) => c.status === 200).length === 2);
await idle.close();
results.push(`close:${JSON.stringify(await waiting)}`);

// break out of the loop
let m = 0;
for await (const e of world.streams.read({ appId: "break", ...QUICK })) {
  void e;
  if (++m === 10) break;
}
results.push(`break:${m}`);

// close() with session refreshes due every 0.3 s (one may be in flight)
const refreshing = await streamWorld({ partitions: 2, refreshInterval: 0.3, heartbeat: 0.05 });
const refreshed = refreshing.streams.read({ appId: "refresh", ...QUICK });
const waitingForEvents = refreshed[Symbol.asyncIterator]().next();
await until(() => refreshing.flow.refreshes.length >= 4);
await refreshed.close();
await waitingForEvents;
results.push(`refreshes:${refreshing.flow.refreshes.length >= 4}`);
await refreshing.close();

await world.close();
console.log(JSON.stringify({ results, done: Date.now() }));
