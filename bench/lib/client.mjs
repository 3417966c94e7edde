/**
 * One contender in its own process. argv: contender op(query|post) concurrency n rounds port.
 * Warms up (login, JIT), then runs `rounds` rounds of n calls and prints per round the client's
 * CPU time per request (process.cpuUsage: user + system) and requests per second.
 */
import { contenders } from "./contenders.mjs";

const [name, op, conc, n, rounds, port] = process.argv.slice(2);
const concurrency = Number(conc);
const total = Number(n);
const client = await contenders[name](`http://127.0.0.1:${port}`);
const call = client[op];

async function batch(count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const r = await call();
      if (r === undefined) throw new Error("no result");
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const check = await call();
const body = check.body ?? check;
if (!Array.isArray(body.resources) || body.resources.length !== 100)
  throw new Error(`${name}: unexpected result ${JSON.stringify(check).slice(0, 200)}`);
await batch(Math.min(500, total));
const out = [];
for (let r = 0; r < Number(rounds); r++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await batch(total);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.push({ cpuUsPerReq: (cpu.user + cpu.system) / total, rps: (total * 1000) / ms });
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
