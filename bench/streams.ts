/**
 * Event stream reader benchmark (on demand, not a test): 2 partitions x 500,000 events from the
 * mock's stream flow (its own process).
 *  - bare: the same feeds read with fetch, line splitting and JSON.parse, no reader (the floor);
 *  - fast: EventStreams.read() consumed at full speed: events/s, and RSS along the way;
 *  - slow: a consumer that sleeps 1 ms every 100 events (far slower than the feed): RSS must
 *    stay flat, because the reader pauses the sockets instead of buffering.
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
const server = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./streams-mock.ts", import.meta.url))], {
  stdio: ["pipe", "pipe", "inherit"],
  env: process.env,
});
const [url] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
const mb = (n: number) => Math.round(n / 1048576);
const rss = () => process.memoryUsage().rss;

async function bare(): Promise<number> {
  const tokenRes = await fetch(`${url}/oauth2/token`, { method: "POST", body: new URLSearchParams({ client_id: "mock-client-id", client_secret: "mock-client-secret" }) });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const list = (await (await fetch(`${url}/sensors/entities/datafeed/v2?appId=bench-bare`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as {
    resources: { dataFeedURL: string; sessionToken: { token: string } }[];
  };
  const started = performance.now();
  await Promise.all(
    list.resources.map(async (r) => {
      const res = await fetch(`${r.dataFeedURL}&offset=0`, { headers: { authorization: `Token ${r.sessionToken.token}` } });
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
          if (nl > start && (JSON.parse(text.slice(start, nl)) as { metadata: { offset: number } }).metadata.offset >= 0) n++;
          start = nl + 1;
        }
        tail = text.slice(start);
      }
      await reader.cancel();
    }),
  );
  return TOTAL / ((performance.now() - started) / 1000);
}

async function reader(appId: string, slow: boolean): Promise<{ perSecond: number; rss: number[] }> {
  const streams = new EventStreams({ clientId: "mock-client-id", clientSecret: "mock-client-secret", baseUrl: url });
  const samples: number[] = [];
  const started = performance.now();
  let n = 0;
  for await (const e of streams.read({ appId })) {
    void e;
    n++;
    if (slow && n % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    if (n % (TOTAL / 10) === 0) samples.push(rss());
    if (n === TOTAL) break;
  }
  return { perSecond: TOTAL / ((performance.now() - started) / 1000), rss: samples };
}

const atStart = rss();
const bareRate = await bare();
const fast = await reader("bench-fast", false);
const slow = await reader("bench-slow", true);
server.stdin!.end();
await once(server, "exit");

const line = (name: string, r: { perSecond: number; rss: number[] }) =>
  `${name}: ${Math.round(r.perSecond).toLocaleString("en")} events/s (${(r.perSecond / bareRate).toFixed(2)}x bare), RSS MB at each 10%: ${r.rss.map(mb).join(" ")}`;
console.log(`events: ${TOTAL.toLocaleString("en")} over 2 partitions; client RSS at start ${mb(atStart)} MB`);
console.log(`bare fetch + JSON.parse: ${Math.round(bareRate).toLocaleString("en")} events/s`);
console.log(line("read(), full speed", fast));
console.log(line("read(), slow consumer", slow));
const flat = slow.rss.slice(1);
console.log(`slow consumer RSS spread after the first 10%: ${mb(Math.max(...flat) - Math.min(...flat))} MB`);
console.log(JSON.stringify({ events: TOTAL, bare: Math.round(bareRate), fast: { perSecond: Math.round(fast.perSecond), rssMB: fast.rss.map(mb) }, slow: { perSecond: Math.round(slow.perSecond), rssMB: slow.rss.map(mb) } }));
