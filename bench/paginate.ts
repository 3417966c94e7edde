/**
 * Pagination benchmark (a benchmark, not a test): 25,000 hosts (PAGINATE_HOSTS) through the
 * scroll paginator and through `.details()`, each scenario in a fresh client process, against
 * the mock in its own process. Reports the requests per operation (expected: ceil(n / page
 * size) scroll pages, ceil(n / 5,000) PostDeviceDetailsV2 calls) and the client's peak RSS
 * growth over its warmed-up baseline, streaming the items and holding them all, and the heap
 * still reachable at the end after a GC (peak RSS also counts garbage not yet collected).
 *
 *   npm run bench:paginate
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Hosts } from "../generated/hosts/index.js";

const SCENARIOS = {
  "ids, streamed (page 10,000)": { details: false, hold: false, limit: undefined },
  "ids, held (.all(), page 10,000)": { details: false, hold: true, limit: undefined },
  "ids, streamed (page 1,000)": { details: false, hold: false, limit: 1000 },
  "details, streamed": { details: true, hold: false, limit: undefined },
  "details, held": { details: true, hold: true, limit: undefined },
} as const;
type Scenario = keyof typeof SCENARIOS;

const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;

async function child(name: Scenario, url: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const { details, hold, limit } = SCENARIOS[name];
  const hosts = new Hosts({ clientId: "mock-client-id", clientSecret: "mock-client-secret", baseUrl: url });
  // warm-up: login, modules, one page and one details call, then the baseline
  await hosts.paginate.queryDevicesByFilterScroll({ limit: 10 }, { maxItems: 10 }).details().next();
  gc();
  const base = process.memoryUsage().rss;
  const baseHeap = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const held: unknown[] = [];
  let n = 0;
  const started = performance.now();
  const paginator = hosts.paginate.queryDevicesByFilterScroll(limit ? { limit } : {}, { onPage: sample });
  const items: AsyncIterable<unknown> = details ? paginator.details() : paginator;
  for await (const item of items) {
    n++;
    if (hold) held.push(item);
    if (n % 1000 === 0) sample();
  }
  sample();
  const ms = Math.round(performance.now() - started);
  // what is still reachable at the end (peak RSS also counts garbage V8 had not collected yet)
  gc();
  const retainedMB = mb(process.memoryUsage().heapUsed - baseHeap);
  process.stdout.write(
    `${JSON.stringify({ items: n, held: held.length, peakGrowthMB: mb(peak - base), retainedMB, baseMB: mb(base), ms })}\n`,
  );
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const server = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./paginate-mock.ts", import.meta.url))],
    { stdio: ["pipe", "pipe", "inherit"], env: process.env },
  );
  const out = createInterface({ input: server.stdout! });
  const nextLine = async () => ((await once(out, "line")) as [string])[0];
  const url = await nextLine();
  const counts = async () => {
    server.stdin!.write("counts\n");
    return JSON.parse(await nextLine()) as Record<string, number>;
  };
  const rows: Record<string, unknown>[] = [];
  for (const name of Object.keys(SCENARIOS) as Scenario[]) {
    await counts();
    const proc = spawn(process.execPath, ["--expose-gc", "--import", "tsx", self, "--child", name, url], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = (await once(createInterface({ input: proc.stdout! }), "line")) as [string];
    await once(proc, "exit");
    const requests = await counts();
    // the warm-up's one page and one details call are not the scenario's
    const scroll = (requests.QueryDevicesByFilterScroll ?? 0) - 1;
    const detailsCalls = (requests.PostDeviceDetailsV2 ?? 0) - 1;
    rows.push({
      scenario: name,
      ...(JSON.parse(line) as object),
      scrollRequests: scroll,
      detailsRequests: detailsCalls,
    });
  }
  server.stdin!.end();
  console.table(rows);
}

const at = process.argv.indexOf("--child");
if (at > 0) await child(process.argv[at + 1] as Scenario, process.argv[at + 2]!);
else await main();
