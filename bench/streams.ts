/**
 * Event stream reader benchmark (on demand, not a test): 2 partitions x 500,000 events from the
 * mock's stream flow (its own process).
 *  - bare: the same feeds read with fetch, line splitting and JSON.parse, no reader (the floor);
 *  - fast: EventStreams.read() consumed at full speed: events/s, and RSS along the way;
 *  - slow: a consumer that sleeps 1 ms every 100 events (far slower than the feed): RSS must
 *    stay flat, because the reader pauses the sockets instead of buffering.
 * Events/s is bounded by the mock (one process generating JSON) on a busy machine; the client's
 * own CPU time per event (user + system) is the figure that compares the reader with bare fetch.
 *
 *   npm run bench:streams                   (STREAM_EVENTS per partition, default 500,000)
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { EventStreams } from "../generated/event-streams/index.js";

const PER_PARTITION = Number(process.env.STREAM_EVENTS ?? 500_000);
const TOTAL = PER_PARTITION * 2;
const server = spawn(
  process.execPath,
  ["--import", "tsx", fileURLToPath(new URL("./streams-mock.ts", import.meta.url))],
  {
    stdio: ["pipe", "pipe", "inherit"],
    env: process.env,
  },
);
const [url] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
const mb = (n: number) => Math.round(n / 1048576);
const rss = () => process.memoryUsage().rss;

interface Run {
  perSecond: number;
  cpuMicrosPerEvent: number;
  rss: number[];
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function bare(): Promise<Run> {
  const tokenRes = await fetch(`${url}/oauth2/token`, {
    method: "POST",
    body: new URLSearchParams({ client_id: "mock-client-id", client_secret: "mock-client-secret" }),
  });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const list = (await (
    await fetch(`${url}/sensors/entities/datafeed/v2?appId=bench-bare`, {
      headers: { authorization: `Bearer ${access_token}` },
    })
  ).json()) as {
    resources: { dataFeedURL: string; sessionToken: { token: string } }[];
  };
  const started = performance.now();
  const cpu = cpuMicros();
  await Promise.all(
    list.resources.map(async (r) => {
      const res = await fetch(`${r.dataFeedURL}&offset=0`, {
        headers: { authorization: `Token ${r.sessionToken.token}` },
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let tail = "";
      let n = 0;
      while (n < PER_PARTITION) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = tail + decoder.decode(value, { stream: true });
        let start = 0;
        for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
          if (
            nl > start &&
            (JSON.parse(text.slice(start, nl)) as { metadata: { offset: number } }).metadata.offset >= 0
          )
            n++;
          start = nl + 1;
        }
        tail = text.slice(start);
      }
      await reader.cancel();
    }),
  );
  return {
    perSecond: TOTAL / ((performance.now() - started) / 1000),
    cpuMicrosPerEvent: (cpuMicros() - cpu) / TOTAL,
    rss: [rss()],
  };
}

async function reader(appId: string, slow: boolean): Promise<Run> {
  const streams = new EventStreams({ clientId: "mock-client-id", clientSecret: "mock-client-secret", baseUrl: url });
  const samples: number[] = [];
  const started = performance.now();
  const cpu = cpuMicros();
  let n = 0;
  for await (const e of streams.read({ appId })) {
    void e;
    n++;
    if (slow && n % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    if (n % (TOTAL / 10) === 0) samples.push(rss());
    if (n === TOTAL) break;
  }
  return {
    perSecond: TOTAL / ((performance.now() - started) / 1000),
    cpuMicrosPerEvent: (cpuMicros() - cpu) / TOTAL,
    rss: samples,
  };
}

const atStart = rss();
const bareRun = await bare();
const fast = await reader("bench-fast", false);
const slow = await reader("bench-slow", true);
server.stdin!.end();
await once(server, "exit");

const line = (name: string, r: Run) =>
  `${name}: ${Math.round(r.perSecond).toLocaleString("en")} events/s (${(r.perSecond / bareRun.perSecond).toFixed(2)}x bare), client CPU ${r.cpuMicrosPerEvent.toFixed(2)} µs/event (${(r.cpuMicrosPerEvent / bareRun.cpuMicrosPerEvent).toFixed(2)}x bare), RSS MB at each 10%: ${r.rss.map(mb).join(" ")}`;
console.log(`events: ${TOTAL.toLocaleString("en")} over 2 partitions; client RSS at start ${mb(atStart)} MB`);
console.log(
  `bare fetch + JSON.parse: ${Math.round(bareRun.perSecond).toLocaleString("en")} events/s, client CPU ${bareRun.cpuMicrosPerEvent.toFixed(2)} µs/event`,
);
console.log(line("read(), full speed", fast));
console.log(line("read(), slow consumer", slow));
const flat = slow.rss.slice(1);
console.log(`slow consumer RSS spread after the first 10%: ${mb(Math.max(...flat) - Math.min(...flat))} MB`);
const summary = (r: Run) => ({
  perSecond: Math.round(r.perSecond),
  cpuMicrosPerEvent: Number(r.cpuMicrosPerEvent.toFixed(2)),
  rssMB: r.rss.map(mb),
});
console.log(JSON.stringify({ events: TOTAL, bare: summary(bareRun), fast: summary(fast), slow: summary(slow) }));
