/**
 * The published package, as a user gets it: the tarball `npm pack` made (global-setup.ts; it
 * builds through `prepack`) installed into an empty project, then used from ESM, CommonJS and a
 * strict `tsc`.
 * The install resolves our dependencies from npm's cache (`--prefer-offline`): `npm ci` in this
 * repo has just put them there, so no network is needed in CI.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const tsc7Bin = join(repo, "node_modules/typescript7/bin/tsc"); // its exports map hides bin/
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

let dir = "";
let consumer = "";
const packed = inject("packed").main;

async function node(file: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [file], { cwd: consumer, env: { ...process.env, ...env } });
  return stdout.trim();
}

async function tsc(
  project = "tsconfig.json",
  bin = tscBin,
  args: string[] = [],
): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [bin, "-p", project, ...args], {
      cwd: consumer,
      maxBuffer: 16 << 20,
    });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, out: err.stdout };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "falconts-pack-"));
  consumer = join(dir, "consumer");
  await run("mkdir", ["-p", consumer]);
  await writeFile(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", version: "0.0.0", private: true }),
  );
  await run(
    npm,
    ["install", packed.file, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
    {
      cwd: consumer,
    },
  );
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("ships the builds and declarations only", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("dist/esm/generated/hosts/index.js");
    expect(paths).toContain("dist/esm/generated/hosts/index.d.ts");
    expect(paths).toContain("dist/cjs/generated/hosts/index.js");
    expect(paths).toContain("dist/cjs/generated/hosts/index.d.ts");
    expect(paths).toContain("dist/cjs/package.json");
    const stray = paths.filter((p) => /\.json$/.test(p) && !/(^|\/)package\.json$/.test(p));
    expect(stray).toEqual([]);
    expect(paths.filter((p) => /\.ts$/.test(p) && !p.endsWith(".d.ts"))).toEqual([]);
    expect(
      paths.filter((p) => !p.startsWith("dist/") && !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(p)),
    ).toEqual([]);
  });

  it("ships the type-only declarations (types.d.ts, args.d.ts) once, in a CommonJS-typed tree both formats share", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("dist/types/package.json");
    expect(paths).toContain("dist/types/generated/hosts/args.d.ts");
    expect(paths).toContain("dist/types/generated/hosts/types.d.ts");
    expect(paths.filter((p) => /^dist\/(esm|cjs)\/generated\/[^/]+\/(args|types)\.d\.ts$/.test(p))).toEqual([]);
    const bytes = (re: RegExp): number => packed.files.filter((f) => re.test(f.path)).reduce((n, f) => n + f.size, 0);
    const shared = bytes(/^dist\/types\/.*\.d\.ts$/);
    const esm = bytes(/^dist\/esm\/.*\.d\.ts$/);
    expect(bytes(/^dist\/cjs\/.*\.d\.ts$/)).toBe(esm);
    expect(esm).toBeLessThan(shared / 2);
    console.log(
      `npm pack: ${packed.size} B packed, ${packed.unpackedSize} B unpacked; .d.ts ${shared} B shared + ${esm} B per format`,
    );
    // Both trees with every declaration: 21.5 MB (December 2025 spec); one copy of the type-only ones: 15.7 MB;
    // with FalconPy's names as aliases (2,696), paginators and FalconPy's argument forms: 18.9 MB.
    expect(packed.unpackedSize).toBeLessThan(20_000_000);
  });
});

describe("the installed tarball", () => {
  it("imports from ESM: root and a collection subpath", async () => {
    await writeFile(
      join(consumer, "esm.mjs"),
      `import { Hosts } from "falconts/hosts";
       import * as root from "falconts";
       import { APIHarnessV2 } from "falconts/uber";
       const h = new Hosts({ clientId: "id", clientSecret: "secret" });
       console.log(JSON.stringify({
         hosts: typeof Hosts, same: h instanceof root.Hosts && new root.Hosts({}) instanceof Hosts, uber: root.APIHarnessV2 === APIHarnessV2,
         method: typeof h.queryDevicesByFilterScroll, alias: typeof h.QueryDevicesByFilterScroll,
         sdkError: typeof root.SDKError,
       }));`,
    );
    expect(JSON.parse(await node("esm.mjs"))).toEqual({
      hosts: "function",
      same: true,
      uber: true,
      method: "function",
      alias: "function",
      sdkError: "function",
    });
  });

  it("requires from CommonJS: root and a collection subpath", async () => {
    await writeFile(
      join(consumer, "cjs.cjs"),
      `const { Hosts } = require("falconts/hosts");
       const root = require("falconts");
       const h = new Hosts({ clientId: "id", clientSecret: "secret" });
       console.log(JSON.stringify({
         hosts: typeof Hosts, same: h instanceof root.Hosts && new root.Hosts({}) instanceof Hosts, method: typeof h.queryDevicesByFilterScroll,
         alias: typeof h.QueryDevicesByFilterScroll, path: require.resolve("falconts/hosts").includes("/dist/cjs/"),
       }));`,
    );
    expect(JSON.parse(await node("cjs.cjs"))).toEqual({
      hosts: "function",
      same: true,
      method: "function",
      alias: "function",
      path: true,
    });
  });

  it("the root exports the same names from ESM and CommonJS: the classes and the runtime's public API, no internals", async () => {
    await writeFile(
      join(consumer, "names.mjs"),
      `import { createRequire } from "node:module";
       const esm = Object.keys(await import("falconts")).sort();
       const cjs = Object.keys(createRequire(import.meta.url)("falconts")).filter((k) => k !== "__esModule").sort();
       console.log(JSON.stringify({ esm, cjs }));`,
    );
    const { esm, cjs } = JSON.parse(await node("names.mjs")) as { esm: string[]; cjs: string[] };
    expect(cjs).toEqual(esm);
    for (const name of ["Hosts", "APIHarnessV2", "OAuth2", "ServiceClass", "APIError", "TimeoutError", "poll"])
      expect(esm).toContain(name);
    // pipeline steps, the transport and helpers used inside the runtime stay inside
    for (const internal of ["callDeadlineStep", "retryLoop", "readBody", "firstTimeOnly", "routeRequest", "Pipeline"])
      expect(esm).not.toContain(internal);
  });

  it("falconts/node: fileFromPath from ESM and CommonJS, a File over the file on disk", async () => {
    await writeFile(join(consumer, "upload.txt"), "sample bytes");
    const script = (load: string): string =>
      `${load}
       const f = await fileFromPath("upload.txt", { type: "text/plain" });
       const bad = await fileFromPath("no-such-file").catch((e) => e.name);
       console.log(JSON.stringify({ name: f.name, size: f.size, type: f.type, text: await f.text(), bad }));`;
    await writeFile(join(consumer, "node-esm.mjs"), script(`import { fileFromPath } from "falconts/node";`));
    await writeFile(
      join(consumer, "node-cjs.cjs"),
      `(async () => { ${script(`const { fileFromPath } = require("falconts/node");`)} })();`,
    );
    const expected = {
      name: "upload.txt",
      size: 12,
      type: "text/plain",
      text: "sample bytes",
      bad: "PayloadValidationError",
    };
    expect(JSON.parse(await node("node-esm.mjs"))).toEqual(expected);
    expect(JSON.parse(await node("node-cjs.cjs"))).toEqual(expected);
  });

  it("fails with Node's own error for a subpath that does not exist", async () => {
    await writeFile(
      join(consumer, "missing.mjs"),
      `import { createRequire } from "node:module";
       const codes = [];
       for (const s of ["falconts/no-such-collection", "falconts/hosts/operations", "falconts/dist/esm/runtime/errors.js"]) {
         await import(s).then(() => codes.push("loaded"), (e) => codes.push(e.code));
         try { createRequire(import.meta.url)(s); codes.push("loaded"); } catch (e) { codes.push(e.code); }
       }
       console.log(JSON.stringify(codes));`,
    );
    const codes = JSON.parse(await node("missing.mjs")) as string[];
    for (const c of codes)
      expect(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND", "ERR_PACKAGE_PATH_NOT_EXPORTED"]).toContain(c);
  });

  async function dual(): Promise<Record<string, unknown>> {
    await writeFile(
      join(consumer, "dual.mjs"),
      `import { createRequire } from "node:module";
       import * as esm from "falconts";
       const cjs = createRequire(import.meta.url)("falconts");
       const cjsError = new cjs.InvalidCredentials("x");
       const oauth = new esm.OAuth2({ clientId: "id", clientSecret: "secret" });
       let shared;
       try { shared = new cjs.Hosts({ authObject: oauth }).auth === oauth; } catch (e) { shared = String(e); }
       console.log(JSON.stringify({
         distinct: esm.Hosts !== cjs.Hosts,
         sdkError: cjsError instanceof esm.SDKError, sub: cjsError instanceof esm.InvalidCredentials,
         notOther: cjsError instanceof esm.InvalidMethod, isSDKError: esm.SDKError.isSDKError(cjsError), shared,
       }));`,
    );
    return JSON.parse(await node("dual.mjs")) as Record<string, unknown>;
  }

  it("recognises the CommonJS copy's errors from the ESM copy (dual-package hazard)", async () => {
    expect(await dual()).toMatchObject({
      distinct: true,
      sdkError: true,
      sub: true,
      notOther: false,
      isSDKError: true,
    });
  });

  it("accepts the ESM copy's auth object in the CommonJS copy (dual-package hazard)", async () => {
    expect((await dual()).shared).toBe(true);
  });

  // The same program as an ES module and as CommonJS; every `@ts-expect-error` must find its error.
  const esmUse = `import { Hosts, type QueryDevicesByFilterScrollArgs, type paths } from "falconts/hosts";
    import { APIHarnessV2, SDKError, type PayloadKeywords } from "falconts";
    import { APIHarnessV2 as Uber } from "falconts/uber";
    import { createFalconFetchClient } from "falconts/fetch";
    import { fileFromPath } from "falconts/node";
    const hosts = new Hosts({ clientId: "id", clientSecret: "secret", baseUrl: "us2" });
    const args: QueryDevicesByFilterScrollArgs = { limit: 100, filter: "platform_name:'Windows'" };
    const keywords: PayloadKeywords = args;
    export async function main(): Promise<number> {
      const r = await hosts.queryDevicesByFilterScroll(args);
      // @ts-expect-error the success body only once success is checked
      const unchecked: string[] = r.body.resources;
      const ids: string[] = r.ok ? r.body.resources : [];
      const viaFetch = createFalconFetchClient<paths>({ authObject: hosts });
      const { data } = await viaFetch.GET("/devices/queries/devices-scroll/v1", { params: { query: { limit: 1 } } });
      const fetched: string[] = data?.resources ?? [];
      void [unchecked, fetched];
      // @ts-expect-error limit is a number
      await hosts.queryDevicesByFilterScroll({ limit: "100" });
      // @ts-expect-error no such operation
      await new APIHarnessV2().command("NoSuchOperation", {});
      // @ts-expect-error ids are strings
      await new Uber().command("GetDeviceDetailsV2", { ids: [1] });
      await new APIHarnessV2().command("GetDeviceDetailsV2", { ids });
      const sample = await fileFromPath("sample.exe", { type: "application/octet-stream" });
      await new APIHarnessV2().command("UploadSampleV3", { sample, file_name: "sample.exe" });
      // @ts-expect-error a path is not file content
      await new APIHarnessV2().command("UploadSampleV3", { sample: "sample.exe", file_name: "sample.exe" });
      return r.status_code + (new SDKError("x") instanceof Error ? 1 : 0) + (keywords.headers ? 1 : 0);
    }
`;
  const cjsUse = `import falcon = require("falconts/hosts");
    import root = require("falconts");
    import { APIHarnessV2 as Uber } from "falconts/uber";
    import node = require("falconts/node");
    const hosts = new falcon.Hosts({ clientId: "id", clientSecret: "secret" });
    const args: falcon.QueryDevicesByFilterScrollArgs = { limit: 1 };
    export async function count(): Promise<number> {
      const r = await hosts.QueryDevicesByFilterScroll(args);
      // @ts-expect-error limit is a number
      await hosts.queryDevicesByFilterScroll({ limit: "100" });
      // @ts-expect-error no such operation
      await new root.APIHarnessV2().command("NoSuchOperation", {});
      // @ts-expect-error ids are strings
      await new Uber().command("GetDeviceDetailsV2", { ids: [1] });
      const file = await node.fileFromPath("sample.exe");
      return (r.ok ? r.body.resources.length : 0) + (new root.SDKError("x") instanceof root.APIError ? 1 : 0) + file.size;
    }
`;
  const nodeFiles = ["use.mts", "use.cts", "esm/use.ts", "cjs/use.ts"];
  // [config, module, moduleResolution, files, declarations the program must use, and must not]
  const consumers: [string, string, string, string[], string[], string[]][] = [
    ["node16", "node16", "node16", nodeFiles, ["esm/generated/hosts/index.d.ts", "cjs/generated/hosts/index.d.ts"], []],
    [
      "nodenext",
      "nodenext",
      "nodenext",
      nodeFiles,
      ["esm/generated/hosts/index.d.ts", "cjs/generated/hosts/index.d.ts"],
      [],
    ],
    ["bundler", "esnext", "bundler", ["bundler/use.ts"], ["esm/generated/hosts/index.d.ts"], ["cjs/"]],
    [
      "node10",
      "commonjs",
      "node10",
      ["node10/use.ts"],
      ["cjs/generated/hosts/index.d.ts", "cjs/generated/uber.d.ts"],
      ["esm/"],
    ],
  ];
  // TS 5.9 (the build's compiler) and 7 (the repo's type-check; it has no node10). nodenext is
  // node16 plus require() of ESM, so TS 5.9 checks the stricter node16 only.
  const runs: Record<string, (5 | 7)[]> = { node16: [5, 7], nodenext: [7], bundler: [5, 7], node10: [5] };
  const typeChecks = consumers.flatMap((c) => runs[c[0]]!.map((ts) => [ts, ...c] as const));

  describe("type-checks", () => {
    beforeAll(async () => {
      for (const [name, module, moduleResolution, files] of consumers) {
        await writeFile(
          join(consumer, `tsconfig.${name}.json`),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              module,
              moduleResolution,
              target: "es2022",
              noEmit: true,
              esModuleInterop: true,
              skipLibCheck: false,
              exactOptionalPropertyTypes: true,
              noUncheckedIndexedAccess: true,
              types: ["node"],
              typeRoots: [join(repo, "node_modules/@types")],
            },
            files,
          }),
        );
      }
      for (const d of ["esm", "cjs", "bundler", "node10"]) await mkdir(join(consumer, d), { recursive: true });
      await writeFile(join(consumer, "esm/package.json"), JSON.stringify({ type: "module" }));
      await writeFile(join(consumer, "cjs/package.json"), JSON.stringify({ type: "commonjs" }));
      for (const f of ["use.mts", "esm/use.ts", "bundler/use.ts"]) await writeFile(join(consumer, f), esmUse);
      for (const f of ["use.cts", "cjs/use.ts", "node10/use.ts"]) await writeFile(join(consumer, f), cjsUse);
    });

    it.concurrent.each(typeChecks)(
      "a strict consumer with TS %i, module %s (skipLibCheck off), and rejects bad arguments",
      async (ts, name, _module, _resolution, _files, uses, avoids) => {
        const { code, out } = await tsc(`tsconfig.${name}.json`, ts === 5 ? tscBin : tsc7Bin, ["--listFiles"]);
        const lines = out
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean);
        const listed = lines
          .filter((l) => l.includes("/node_modules/falconts/dist/"))
          .map((l) => l.slice(l.indexOf("/dist/") + 6));
        expect(lines.filter((l) => /error TS\d+/.test(l) || !/\.[cm]?ts$/.test(l))).toEqual([]);
        expect(code).toBe(0);
        // The entry points say the format their JS has; the type-only declarations come from the one copy.
        for (const u of [...uses, "types/generated/hosts/args.d.ts", "types/generated/hosts/types.d.ts"])
          expect(listed).toContain(u);
        for (const a of avoids) expect(listed.filter((l) => l.startsWith(a))).toEqual([]);
        expect(listed.filter((l) => /^(esm|cjs)\/generated\/[^/]+\/(args|types)\.d\.ts$/.test(l))).toEqual([]);
      },
      120_000,
    );
  });

  it("reads the engines range a user's npm checks", async () => {
    const pkg = JSON.parse(await readFile(join(consumer, "node_modules/falconts/package.json"), "utf8")) as {
      engines: { node: string };
      sideEffects: boolean;
    };
    expect(pkg.engines.node).toMatch(/^>=20/);
    expect(pkg.sideEffects).toBe(false);
  });
});

describe("start-up cost", () => {
  async function loaded(
    mode: "esm" | "cjs",
    spec: string,
  ): Promise<{ total: number; groups: Record<string, number>; files: string[] }> {
    for (const f of ["count-modules.mjs", "count-hooks.mjs"])
      await copyFile(join(repo, "bench/lib", f), join(consumer, f));
    const { stdout } = await run(process.execPath, ["count-modules.mjs", mode, spec], {
      cwd: consumer,
      maxBuffer: 16 << 20,
    });
    return JSON.parse(stdout);
  }

  it.each(["esm", "cjs"] as const)(
    "importing falconts/hosts (%s) loads only the hosts collection, no schemas",
    async (mode) => {
      const { groups, files } = await loaded(mode, "falconts/hosts");
      const collections = Object.keys(groups).filter((g) => g.startsWith("generated/"));
      expect(collections).toEqual(["generated/hosts"]);
      expect(
        files
          .filter((f) => f.includes("/generated/hosts/"))
          .map((f) => f.replace(/.*\/generated\/hosts\//, ""))
          .sort(),
      ).toEqual(["index.js"]);
      expect(Object.keys(groups)).not.toContain("zod");
      // the runtime comes bundled (ESM: a few shared chunks; CJS: one module), not as its ~45 small files
      expect(groups.runtime ?? 0).toBeLessThanOrEqual(mode === "esm" ? 6 : 1);
    },
  );

  it("constructing service classes does no I/O and puts nothing per operation on the instance", async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.end("{}"));
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      await writeFile(
        join(consumer, "construct.mjs"),
        `import { Hosts } from "falconts/hosts";
         import { RealTimeResponseAdmin } from "falconts/real-time-response-admin";
         import { Detects } from "falconts/detects";
         const io = () => process.getActiveResourcesInfo().filter((r) => !/Timeout|Immediate/.test(r)).length;
         const before = io();
         const opts = { clientId: "id", clientSecret: "secret", baseUrl: "http://127.0.0.1:${port}" };
         const made = [new Hosts(opts), new RealTimeResponseAdmin(opts), new Detects(opts)];
         await new Promise((r) => setTimeout(r, 50));
         const keys = made.map((m) => Object.getOwnPropertyNames(m).length);
         console.log(JSON.stringify({ handles: io() - before, keys }));`,
      );
      const out = JSON.parse(await node("construct.mjs")) as { handles: number; keys: number[] };
      expect(connections).toBe(0);
      expect(out.handles).toBeLessThanOrEqual(0);
      expect(new Set(out.keys).size).toBe(1);
      expect(out.keys[0]).toBeLessThan(5);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("the root entry: one bundled module", () => {
  it.each(["esm", "cjs"] as const)(
    "importing falconts (%s) loads one generated module besides the runtime and APIHarnessV2",
    async (mode) => {
      for (const f of ["count-modules.mjs", "count-hooks.mjs"])
        await copyFile(join(repo, "bench/lib", f), join(consumer, f));
      const { stdout } = await run(process.execPath, ["count-modules.mjs", mode, "falconts"], {
        cwd: consumer,
        maxBuffer: 16 << 20,
      });
      const { groups, files } = JSON.parse(stdout) as { groups: Record<string, number>; files: string[] };
      expect(Object.keys(groups).filter((g) => g.startsWith("generated/"))).toEqual(["generated/(root)"]);
      expect(
        files
          .filter((f) => /\/generated\/[^/]+$/.test(f))
          .map((f) => f.replace(/.*\//, ""))
          .sort(),
      ).toEqual(["index.js", "uber.js"]);
      expect(Object.keys(groups)).not.toContain("zod");
    },
  );

  it("keeps class names, and instanceof holds across the root, subpath, ESM and CJS copies of a class", async () => {
    await writeFile(
      join(consumer, "copies.mjs"),
      `import { createRequire } from "node:module";
       import * as root from "falconts";
       import { Hosts } from "falconts/hosts";
       const cjs = createRequire(import.meta.url)("falconts/hosts");
       const named = Object.entries(root).filter(([, v]) => typeof v === "function" && v.prototype instanceof root.ServiceClass);
       class Mine extends Hosts { queryDevicesByFilterScroll() { return Promise.resolve("mine"); } }
       const fromRoot = new root.Hosts({}), fromSub = new Hosts({}), fromCjs = new cjs.Hosts({}), mine = new Mine({});
       console.log(JSON.stringify({
         classes: named.length, misnamed: named.filter(([k, v]) => v.name !== k).map(([k]) => k),
         across: [fromRoot instanceof Hosts, fromSub instanceof root.Hosts, fromCjs instanceof root.Hosts, fromRoot instanceof cjs.Hosts, mine instanceof root.Hosts],
         base: [fromCjs instanceof root.ServiceClass, root.Hosts.prototype instanceof root.ServiceClass],
         not: [fromRoot instanceof root.Detects, fromRoot instanceof Mine, {} instanceof root.Hosts, null instanceof root.Hosts],
         alias: [typeof fromRoot.QueryDevicesByFilterScroll, await mine.QueryDevicesByFilterScroll({})],
       }));`,
    );
    const out = JSON.parse(await node("copies.mjs")) as Record<string, unknown>;
    expect(out).toEqual({
      classes: expect.any(Number),
      misnamed: [],
      across: [true, true, true, true, true],
      base: [true, true],
      not: [false, false, false, false],
      alias: ["function", "mine"],
    });
    expect(out.classes).toBeGreaterThan(100);
  });

  it("lets a bundler keep only the classes a program uses from the root entry", async () => {
    await writeFile(
      join(consumer, "only-hosts.mjs"),
      `import { Hosts } from "falconts";\nconsole.log(new Hosts({}).QueryDevicesByFilterScroll);\n`,
    );
    const { build } = (await import("esbuild")) as typeof import("esbuild");
    const result = await build({
      entryPoints: [join(consumer, "only-hosts.mjs")],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      write: false,
      external: ["undici", "zod"],
      logLevel: "silent",
      splitting: true,
      outdir: join(consumer, "out"),
    });
    // What runs at start-up: the entry and the chunks it imports statically. (esbuild still
    // writes a chunk for every dynamic import() it saw, e.g. APIHarnessV2's collections; none loads.)
    const byName = new Map(result.outputFiles.map((f) => [f.path.replace(/.*\//, ""), f.text]));
    const entry = byName.get("only-hosts.js")!;
    const startup = [
      entry,
      ...[...entry.matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)].map((m) => byName.get(m[1]!)!),
    ].join("\n");
    expect(startup).toContain("queryDevicesByFilterScroll");
    expect(startup).toContain("falconts needs Node.js"); // the engine guard survives tree shaking
    for (const other of ["queryDetects(", "RTR_ExecuteAdminCommand", "getSensorInstallersEntities"])
      expect(startup).not.toContain(other);
    expect(startup.length).toBeLessThan(120_000);
  });
});

describe("the first call", () => {
  it("loads undici's Agent and request() only: not its fetch stack, not Node's bundled undici", async () => {
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/oauth2/token")) {
        res.statusCode = 201;
        res.end(JSON.stringify({ access_token: "t", expires_in: 1799, token_type: "bearer" }));
      } else res.end(JSON.stringify({ meta: {}, resources: ["a"], errors: [] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      await writeFile(
        join(consumer, "first-call.cjs"),
        `const { Hosts } = require("falconts/hosts");
         const hosts = new Hosts({ clientId: "id", clientSecret: "secret", baseUrl: "http://127.0.0.1:${port}" });
         hosts.queryDevicesByFilterScroll({ limit: 1 }).then((r) => {
           const undici = Object.keys(require.cache).filter((f) => f.includes("/node_modules/undici/"));
           console.log(JSON.stringify({
             status: r.status_code, resources: r.body.resources, undiciFiles: undici.length,
             fetchStack: undici.some((f) => f.includes("/lib/web/fetch/")),
             nodeUndici: process.moduleLoadList.some((m) => m.includes("deps/undici")),
           }));
         });`,
      );
      const out = JSON.parse(await node("first-call.cjs")) as Record<string, unknown>;
      expect(out).toMatchObject({ status: 200, resources: ["a"], fetchStack: false, nodeUndici: false });
      expect(out.undiciFiles).toBeLessThan(40);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
