#!/usr/bin/env node
/**
 * FalconTS benchmarks (issue 7): every figure is a median, and every ratio is taken against bare
 * `fetch` (the floor) and falconjs (npm crowdstrike-falcon 0.7.0) measured in the same run.
 *
 *   npm run bench                    # installs bench/'s own deps, builds dist/, runs everything
 *   node bench/run.mjs --only cpu,cold   # after a build: a subset (cpu, compression, cold, memory, bundle, types)
 *   BENCH_PASSES=1 node bench/run.mjs    # fewer repetitions (default 2 CPU passes, 7 cold/memory/tsc runs)
 *
 * Results: a table on stdout and bench/results.json.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { startServer } from "./lib/server.mjs";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const repo = join(here, "..");
const benchRequire = createRequire(join(here, "package.json"));
const only = (
  process.argv.find((a) => a.startsWith("--only=")) ??
  process.argv[process.argv.indexOf("--only") + 1] ??
  ""
)
  .replace("--only=", "")
  .split(",")
  .filter((s) => ["cpu", "compression", "cold", "memory", "bundle", "types"].includes(s));
const want = (s) => only.length === 0 || only.includes(s);
const PASSES = Number(process.env.BENCH_PASSES ?? 2);
const REPS = Number(process.env.BENCH_REPS ?? 7);
const N = Number(process.env.BENCH_N ?? 2000);

if (!existsSync(join(repo, "dist/esm/generated/hosts/index.js"))) {
  console.error("bench: dist/ is missing; run `npm run build` first (npm run bench does)");
  process.exit(1);
}
if (!existsSync(join(here, "node_modules/crowdstrike-falcon"))) {
  console.error("bench: bench/node_modules is missing; run `npm ci --prefix bench` (npm run bench does)");
  process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r2 = (x) => Math.round(x * 100) / 100;
const results = {
  node: process.version,
  cpus: (await import("node:os")).cpus().length,
  date: new Date().toISOString(),
  falconjs: JSON.parse(await readFile(join(here, "node_modules/crowdstrike-falcon/package.json"), "utf8")).version,
  typescript: JSON.parse(await readFile(join(here, "node_modules/typescript/package.json"), "utf8")).version,
};
const tables = [];
function table(title, head, rows) {
  tables.push({ title, head, rows });
  const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  console.log(`\n${title}\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of rows) console.log(line(r));
}

function timeChild(args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: here, stdio: ["ignore", "pipe", "pipe"], ...opts });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}: ${err.slice(0, 2000)}`));
      else resolve({ ms, out, err });
    });
  });
}

const { server, port } = await startServer();
try {
  // 1. Per-request client CPU and throughput.
  if (want("cpu")) {
    const names = ["fetch", "undici", "falconts", "falconjs"];
    const cases = [];
    for (const op of ["query", "post"]) for (const conc of [1, 16]) cases.push({ op, conc });
    const samples = {};
    for (let pass = 0; pass < PASSES; pass++) {
      for (const c of cases) {
        for (const name of pass % 2 ? [...names].reverse() : names) {
          const { out } = await timeChild(["lib/client.mjs", name, c.op, String(c.conc), String(N), "2", String(port)]);
          const key = `${c.op}/${c.conc}/${name}`;
          (samples[key] ??= []).push(...JSON.parse(out));
        }
      }
    }
    const rows = [];
    results.cpu = [];
    for (const c of cases) {
      const med = (name) => ({
        cpu: median(samples[`${c.op}/${c.conc}/${name}`].map((s) => s.cpuUsPerReq)),
        rps: median(samples[`${c.op}/${c.conc}/${name}`].map((s) => s.rps)),
      });
      const f = med("fetch");
      const j = med("falconjs");
      for (const name of names) {
        const m = med(name);
        const label = `${c.op === "query" ? "QueryDevicesByFilterScroll" : "PostDeviceDetailsV2(100)"} ${c.conc === 1 ? "seq" : "conc16"}`;
        results.cpu.push({
          case: label,
          contender: name,
          cpuUsPerReq: r2(m.cpu),
          rps: Math.round(m.rps),
          vsFetch: r2(m.cpu / f.cpu),
          vsFalconjs: r2(m.cpu / j.cpu),
        });
        rows.push([label, name, r2(m.cpu), Math.round(m.rps), `${r2(m.cpu / f.cpu)}x`, `${r2(m.cpu / j.cpu)}x`]);
      }
    }
    table(
      `1. Per-request client CPU (${N} calls x ${PASSES * 2} rounds, median; target falconts <= 1.05x fetch)`,
      ["case", "client", "CPU us/req", "req/s", "vs fetch", "vs falconjs"],
      rows,
    );
  }

  // 1b. Compression: PostDeviceDetailsV2 (100 records) from a server that answers gzip when
  // asked (falconts asks by default) against one that never compresses.
  if (want("compression")) {
    const { server: gz, port: gzPort } = await startServer({ compress: true });
    try {
      const samples = { plain: [], gzip: [] };
      const bytes = { plain: [], gzip: [] };
      for (let pass = 0; pass < PASSES; pass++) {
        for (const mode of pass % 2 ? ["gzip", "plain"] : ["plain", "gzip"]) {
          const srv = mode === "gzip" ? gz : server;
          const [b0, n0] = [srv.bytesOut(), srv.detailsServed];
          const { out } = await timeChild([
            "lib/client.mjs",
            "falconts",
            "post",
            "1",
            String(N),
            "2",
            String(mode === "gzip" ? gzPort : port),
          ]);
          samples[mode].push(...JSON.parse(out));
          bytes[mode].push((srv.bytesOut() - b0) / (srv.detailsServed - n0));
        }
      }
      results.compression = ["plain", "gzip"].map((mode) => ({
        case: "PostDeviceDetailsV2(100) seq",
        encoding: mode === "gzip" ? "gzip" : "identity",
        cpuUsPerReq: r2(median(samples[mode].map((x) => x.cpuUsPerReq))),
        rps: Math.round(median(samples[mode].map((x) => x.rps))),
        bytesPerResponse: Math.round(median(bytes[mode])),
      }));
      table(
        "1b. Compression: falconts, PostDeviceDetailsV2(100) seq (bytes: the server's writes per answer, headers included)",
        ["encoding", "CPU us/req", "req/s", "bytes on the wire/answer"],
        results.compression.map((c) => [c.encoding, c.cpuUsPerReq, c.rps, c.bytesPerResponse]),
      );
    } finally {
      gz.close();
    }
  }

  // 2. Cold start: whole-process wall time and peak RSS.
  if (want("cold")) {
    const runs = [
      ["node", "construct"],
      ["fetch", "call"],
      ["falconts", "construct"],
      ["falconts", "call"],
      ["falconjs", "construct"],
      ["falconjs", "call"],
    ];
    const samples = {};
    for (let i = 0; i < REPS; i++) {
      for (const [name, stage] of runs) {
        const { ms, out } = await timeChild(["lib/cold.mjs", name, stage, String(port)]);
        (samples[`${name}/${stage}`] ??= []).push({ ms, rss: JSON.parse(out).maxRssMB });
      }
    }
    const med = (k) => ({ ms: median(samples[k].map((s) => s.ms)), rss: median(samples[k].map((s) => s.rss)) });
    const fetchCall = med("fetch/call");
    const jsCall = med("falconjs/call");
    const jsConstruct = med("falconjs/construct");
    const nodeOnly = med("node/construct");
    results.cold = runs.map(([name, stage]) => {
      const m = med(`${name}/${stage}`);
      const ref = stage === "call" ? jsCall : jsConstruct;
      return {
        contender: name === "node" ? "node (empty script)" : name,
        stage: stage === "call" ? "import+construct+first call" : "import+construct",
        wallMs: Math.round(m.ms),
        peakRssMB: r2(m.rss),
        vsFetchProcess: r2(m.ms / fetchCall.ms),
        vsNode: r2(m.ms / nodeOnly.ms),
        vsFalconjs: r2(m.ms / ref.ms),
      };
    });
    table(
      `2. Cold start (${REPS} processes each, median; target falconts <= 1.5x the fetch-only process)`,
      ["client", "stage", "wall ms", "peak RSS MB", "vs fetch proc", "vs falconjs"],
      results.cold.map((c) => [
        c.contender,
        c.stage,
        c.wallMs,
        c.peakRssMB,
        `${c.vsFetchProcess}x`,
        `${c.vsFalconjs}x`,
      ]),
    );
  }

  // 3. Memory with every service class constructed.
  if (want("memory")) {
    const names = ["node", "fetch", "falconts-hosts", "falconts", "falconts-cjs", "falconjs"];
    const samples = {};
    for (let i = 0; i < Math.max(3, Math.ceil(REPS / 2)); i++) {
      for (const name of names) {
        const { out } = await timeChild(["--expose-gc", "lib/memory.mjs", name]);
        (samples[name] ??= []).push(JSON.parse(out));
      }
    }
    const rss = (n) => median(samples[n].map((s) => s.rssMB));
    const base = rss("node");
    const jsGrowth = rss("falconjs") - base;
    results.memory = names.map((n) => ({
      contender: n,
      classesBuilt: samples[n][0].built,
      rssMB: r2(rss(n)),
      heapMB: r2(median(samples[n].map((s) => s.heapMB))),
      growthMB: r2(rss(n) - base),
      vsFalconjsGrowth: r2((rss(n) - base) / jsGrowth),
    }));
    table(
      "3. RSS after constructing every service class, after GC (median; target falconts growth <= 0.25x falconjs's)",
      ["process", "classes", "RSS MB", "heap MB", "growth MB", "vs falconjs growth"],
      results.memory.map((m) => [m.contender, m.classesBuilt, m.rssMB, m.heapMB, m.growthMB, `${m.vsFalconjsGrowth}x`]),
    );
  }

  // Consumer projects for 4 and 5: node_modules links to this repo (resolved through its
  // package.json exports, as an installed copy would be) and to bench/'s falconjs and @types/node.
  const work = await mkdtemp(join(tmpdir(), "falconts-bench-"));
  try {
    await mkdir(join(work, "node_modules/@types"), { recursive: true });
    await symlink(repo, join(work, "node_modules/falconts"), "dir");
    await symlink(join(here, "node_modules/crowdstrike-falcon"), join(work, "node_modules/crowdstrike-falcon"), "dir");
    await symlink(join(here, "node_modules/@types/node"), join(work, "node_modules/@types/node"), "dir");
    await writeFile(join(work, "package.json"), '{ "type": "module", "private": true }');
    const programs = {
      fetch: `const base = "https://api.crowdstrike.com";
export async function main(): Promise<void> {
  const tok = await fetch(\`\${base}/oauth2/token\`, { method: "POST", body: new URLSearchParams({ client_id: process.env.FALCON_CLIENT_ID!, client_secret: process.env.FALCON_CLIENT_SECRET! }) });
  const { access_token } = (await tok.json()) as { access_token: string };
  const headers = { authorization: \`Bearer \${access_token}\`, "content-type": "application/json" };
  const r = (await (await fetch(\`\${base}/devices/queries/devices-scroll/v1?limit=100\`, { headers })).json()) as { resources?: string[] };
  const ids: string[] = r.resources ?? [];
  const d = (await (await fetch(\`\${base}/devices/entities/devices/v2\`, { method: "POST", headers, body: JSON.stringify({ ids }) })).json()) as { resources?: { device_id: string; hostname?: string }[] };
  for (const dev of d.resources ?? []) console.log(dev.device_id, dev.hostname);
}
`,
      falconts: `import { Hosts } from "falconts/hosts";

const hosts = new Hosts({ clientId: process.env.FALCON_CLIENT_ID!, clientSecret: process.env.FALCON_CLIENT_SECRET! });
export async function main(): Promise<void> {
  const r = await hosts.queryDevicesByFilterScroll({ limit: 100 });
  const ids: string[] = r.ok ? r.body.resources : [];
  const d = await hosts.postDeviceDetailsV2({ ids });
  if (d.ok) for (const dev of d.body.resources ?? []) console.log(dev.device_id, dev.hostname);
}
`,
      "falconts-root": `import { Hosts } from "falconts";

const hosts = new Hosts({ clientId: process.env.FALCON_CLIENT_ID!, clientSecret: process.env.FALCON_CLIENT_SECRET! });
export async function main(): Promise<void> {
  const r = await hosts.queryDevicesByFilterScroll({ limit: 100 });
  const ids: string[] = r.ok ? r.body.resources : [];
  const d = await hosts.postDeviceDetailsV2({ ids });
  if (d.ok) for (const dev of d.body.resources ?? []) console.log(dev.device_id, dev.hostname);
}
`,
      falconjs: `import { FalconClient } from "crowdstrike-falcon";

const client = new FalconClient({ cloud: "us-1", clientId: process.env.FALCON_CLIENT_ID!, clientSecret: process.env.FALCON_CLIENT_SECRET! });
export async function main(): Promise<void> {
  const r = await client.hosts.queryDevicesByFilterScroll(undefined, 100);
  const ids: string[] = r.resources ?? [];
  const d = await client.hosts.postDeviceDetailsV2({ ids });
  for (const dev of d.resources ?? []) console.log(dev.deviceId, dev.hostname);
}
`,
    };
    for (const [name, src] of Object.entries(programs)) await writeFile(join(work, `${name}.ts`), src);

    // 4. Bundle size of a Hosts-only program.
    if (want("bundle")) {
      const esbuild = benchRequire("esbuild");
      const rows = [];
      results.bundle = [];
      for (const name of Object.keys(programs)) {
        const outdir = join(work, "out", name);
        const res = await esbuild.build({
          entryPoints: [join(work, `${name}.ts`)],
          bundle: true,
          minify: true,
          platform: "node",
          format: "esm",
          target: "node20",
          splitting: true,
          outdir,
          metafile: true,
          write: true,
          logLevel: "error",
        });
        // What loads at start-up: the entry chunk and every chunk it imports statically;
        // chunks reached only through import() (schemas + zod, lazy tables) load on demand.
        const outs = res.metafile.outputs;
        const entryFile = Object.keys(outs).find((f) => outs[f].entryPoint?.endsWith(`${name}.ts`));
        const startup = new Set();
        const visit = (f) => {
          if (startup.has(f)) return;
          startup.add(f);
          for (const i of outs[f].imports)
            if (i.kind === "import-statement" && !i.external && outs[i.path]) visit(i.path);
        };
        visit(entryFile);
        let entry = 0;
        let entryGz = 0;
        let total = 0;
        let totalGz = 0;
        for (const file of Object.keys(outs)) {
          const bytes = await readFile(file);
          const gz = gzipSync(bytes, { level: 9 }).length;
          total += bytes.length;
          totalGz += gz;
          if (startup.has(file)) {
            entry += bytes.length;
            entryGz += gz;
          }
        }
        const loaded = {};
        for (const f of startup) {
          for (const [i, v] of Object.entries(outs[f].inputs)) {
            const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i);
            const k = m
              ? m[1]
              : i.includes("dist/esm/runtime")
                ? "falconts runtime"
                : i.includes("dist/esm/generated")
                  ? "falconts generated"
                  : "program";
            loaded[k] = (loaded[k] ?? 0) + v.bytesInOutput;
          }
        }
        const modules = Object.keys(res.metafile.inputs).length;
        const pkgs = {};
        for (const [f, info] of Object.entries(res.metafile.inputs)) {
          const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
          const k = m
            ? m[1]
            : f.includes("dist/esm/runtime")
              ? "falconts runtime"
              : f.includes("dist/esm/generated")
                ? "falconts generated"
                : "program";
          pkgs[k] = (pkgs[k] ?? 0) + info.bytes;
        }
        results.bundle.push({
          program: name,
          modules,
          entryKB: r2(entry / 1024),
          entryGzipKB: r2(entryGz / 1024),
          allChunksKB: r2(total / 1024),
          allChunksGzipKB: r2(totalGz / 1024),
          inputKBByPackage: Object.fromEntries(Object.entries(pkgs).map(([k, v]) => [k, r2(v / 1024)])),
          startupKBByPackage: Object.fromEntries(Object.entries(loaded).map(([k, v]) => [k, r2(v / 1024)])),
        });
      }
      const js = results.bundle.find((b) => b.program === "falconjs");
      for (const b of results.bundle) {
        b.vsFalconjs = r2(b.entryGzipKB / js.entryGzipKB);
        rows.push([b.program, b.modules, b.entryKB, b.entryGzipKB, b.allChunksGzipKB, `${b.vsFalconjs}x`]);
      }
      table(
        "4. Bundle (esbuild --bundle --minify --splitting, gzip -9; start-up = entry + static imports; target falconts < 30 KB gzip)",
        ["program", "modules parsed", "start-up KB", "start-up gzip KB", "all chunks gzip KB", "vs falconjs"],
        rows,
      );
    }

    // 5. Consumer type-check: tsc --noEmit, strict, skipLibCheck off.
    if (want("types")) {
      const tsc = join(here, "node_modules/typescript/bin/tsc");
      const hasTime = existsSync("/usr/bin/time");
      const samples = {};
      for (const name of Object.keys(programs)) {
        await writeFile(
          join(work, `tsconfig.${name}.json`),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              module: "nodenext",
              moduleResolution: "nodenext",
              target: "es2022",
              noEmit: true,
              skipLibCheck: false,
              types: ["node"],
            },
            files: [`${name}.ts`],
          }),
        );
      }
      const files = {};
      for (const name of Object.keys(programs)) {
        const { stdout } = await run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`, "--extendedDiagnostics"], {
          cwd: work,
        });
        files[name] = Number(/Files:\s+(\d+)/.exec(stdout)?.[1]);
      }
      for (let i = 0; i < REPS; i++) {
        for (const name of Object.keys(programs)) {
          let ms;
          let rssMB = NaN;
          if (hasTime) {
            const t0 = performance.now();
            const { stderr } = await run(
              "/usr/bin/time",
              ["-f", "%M", process.execPath, tsc, "-p", `tsconfig.${name}.json`],
              { cwd: work },
            );
            ms = performance.now() - t0;
            rssMB = Number(stderr.trim().split("\n").pop()) / 1024;
          } else {
            ms = (await timeChild([tsc, "-p", `tsconfig.${name}.json`], { cwd: work })).ms;
          }
          (samples[name] ??= []).push({ ms, rssMB });
        }
      }
      const med = (n) => ({ ms: median(samples[n].map((s) => s.ms)), rss: median(samples[n].map((s) => s.rssMB)) });
      const f = med("fetch");
      const j = med("falconjs");
      results.types = Object.keys(programs).map((n) => {
        const m = med(n);
        return {
          program: n,
          files: files[n],
          wallMs: Math.round(m.ms),
          peakRssMB: r2(m.rss),
          vsFetch: r2(m.ms / f.ms),
          vsFalconjs: r2(m.ms / j.ms),
        };
      });
      table(
        `5. Consumer type-check (tsc ${results.typescript} -p, strict, skipLibCheck false; ${REPS} runs, median; target falconts <= 1.5x fetch)`,
        ["program", "files", "wall ms", "peak RSS MB", "vs fetch", "vs falconjs"],
        results.types.map((t) => [t.program, t.files, t.wallMs, t.peakRssMB, `${t.vsFetch}x`, `${t.vsFalconjs}x`]),
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
} finally {
  server.close();
}

const outFile = join(here, "results.json");
let previous = {};
if (only.length && existsSync(outFile)) previous = JSON.parse(await readFile(outFile, "utf8"));
await writeFile(outFile, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
console.log(`\nbench: wrote ${outFile}`);
