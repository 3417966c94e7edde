/**
 * The test kit as users get it: both packages packed (global-setup.ts), installed from their
 * tarballs into an empty project with no repository beside it, then the
 * docs/examples/testing suites run there with vitest, jest (CommonJS) and node:test, the typed
 * API type-checks under strict tsc, and `falconts/hosts` is shown to load nothing of the kit.
 * The test runners are linked from this repo's node_modules (they are not what is under test).
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
// TypeScript 7 type-checks the consumer: the typed API reaches every collection's types, which
// the 5.9 compiler takes ~40 s to read on a loaded machine
const tsc7Bin = join(repo, "node_modules/typescript7/bin/tsc");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const { main, kit } = inject("packed");

let dir = "";
let consumer = "";

async function inConsumer(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: consumer,
      env: { ...process.env, ...env },
      maxBuffer: 16 << 20,
    });
    return { code: 0, out: `${stdout}\n${stderr}` };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}\n${err.stderr}` };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kit-consumer-"));
  consumer = join(dir, "consumer");
  await mkdir(consumer, { recursive: true });
  await writeFile(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", version: "0.0.0", private: true }),
  );
  await run(
    npm,
    [
      "install",
      main.file,
      kit.file,
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--no-package-lock",
    ],
    { cwd: consumer },
  );
  for (const runner of ["vitest", "jest", "@types/node"]) {
    await mkdir(join(consumer, "node_modules", runner, ".."), { recursive: true });
    await symlink(join(repo, "node_modules", runner), join(consumer, "node_modules", runner), "dir");
  }
  await cp(join(repo, "docs", "examples", "testing"), consumer, { recursive: true });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("two packages", () => {
  it("the kit ships its bundle (ESM, CJS), declarations and the OpenAPI documents; the main package none of them", () => {
    const kitPaths = kit.files.map((f) => f.path);
    for (const p of [
      "dist/esm/index.js",
      "dist/cjs/index.js",
      "dist/esm/index.d.ts",
      "dist/cjs/index.d.ts",
      "dist/openapi/hosts.json",
      "dist/cjs/package.json",
    ]) {
      expect(kitPaths).toContain(p);
    }
    expect(kitPaths.filter((p) => /\.ts$/.test(p) && !p.endsWith(".d.ts"))).toEqual([]);
    const mainPaths = main.files.map((f) => f.path);
    expect(mainPaths.filter((p) => /mock|openapi|testing/i.test(p))).toEqual([]);
    console.log(
      `npm pack: falconts ${main.size} B packed / ${main.unpackedSize} B unpacked (${main.files.length} files); ` +
        `falconts-testing ${kit.size} B packed / ${kit.unpackedSize} B unpacked (${kit.files.length} files)`,
    );
    // measured: the kit 0.34 MB packed, 4.9 MB unpacked (4.6 MB of it the prose-free OpenAPI documents)
    expect(kit.unpackedSize).toBeLessThan(6_000_000);
  });

  it("pins the kit to the main package's version", async () => {
    const { stdout } = await run(
      process.execPath,
      ["-p", `JSON.stringify([require("falconts/package.json").version, require("falconts-testing/package.json")])`],
      { cwd: consumer },
    );
    const [version, pkg] = JSON.parse(stdout) as [
      string,
      { version: string; peerDependencies: Record<string, string> },
    ];
    expect(pkg.version).toBe(version);
    expect(pkg.peerDependencies.falconts).toBe(version);
  });
});

describe("the docs/examples/testing suites against the installed tarballs", () => {
  it("node:test (ESM)", async () => {
    const r = await inConsumer(["--test", "node-test.test.mjs"]);
    expect(r.out).toMatch(/# pass 3/);
    expect(r.code, r.out).toBe(0);
  });

  it("jest (CommonJS)", async () => {
    const r = await inConsumer([
      join("node_modules", "jest", "bin", "jest.js"),
      "--rootDir",
      consumer,
      "jest.test.cjs",
    ]);
    expect(r.out).toMatch(/Tests:\s+3 passed/);
    expect(r.code, r.out).toBe(0);
  });

  it("vitest (ESM, TypeScript)", async () => {
    const r = await inConsumer(
      [join("node_modules", "vitest", "vitest.mjs"), "run", "--root", consumer, "vitest.test.ts"],
      { CI: "1", FORCE_COLOR: "0", NO_COLOR: "1" },
    );
    expect(r.out).toMatch(/Tests\s+3 passed/);
    expect(r.code, r.out).toBe(0);
  });

  it("the typed API type-checks under strict tsc (nodenext, ESM and CommonJS), and rejects what it should", async () => {
    await writeFile(
      join(consumer, "types.mts"),
      `import { startMockFalcon, type MockCall } from "falconts-testing";
       const mock = await startMockFalcon({ seed: 1 });
       mock.on("QueryDevicesByFilterScroll", (request) => {
         const limit: number | undefined = request.query.limit;
         return { body: { resources: [String(limit)] } };
       });
       // @ts-expect-error not an operation ID
       mock.on("NoSuchOperation", { body: {} });
       // @ts-expect-error limit is a number
       mock.on("QueryDevicesByFilterScroll", (request) => ({ body: { resources: [request.query.limit satisfies string | undefined] } }));
       // @ts-expect-error resources of this operation are ids
       mock.on("QueryDevicesByFilterScroll", { body: { resources: [1] } });
       const calls: MockCall<"PerformActionV2">[] = mock.calls("PerformActionV2");
       const ids: string[] | undefined = calls[0]?.body?.ids;
       mock.fault("*", "reset", { times: 1 });
       mock.fault("GetDeviceDetailsV2", { kind: "rateLimit", retryAfter: 2 });
       await mock[Symbol.asyncDispose]();
       export { ids };
`,
    );
    await writeFile(
      join(consumer, "types.cts"),
      `import kit = require("falconts-testing");
       export async function f(): Promise<string> {
         const mock = await kit.startMockFalcon();
         mock.on("GetDeviceDetailsV2", (_request, context) => {
           const body = context.defaultBody();
           return { body: { ...body, resources: body.resources.map((d) => ({ ...d, hostname: "X" })) } };
         });
         await mock.close();
         return mock.url;
       }
`,
    );
    await writeFile(
      join(consumer, "tsconfig.json"),
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
        files: ["types.mts", "types.cts", "vitest.test.ts"],
      }),
    );
    const r = await inConsumer([tsc7Bin, "-p", "tsconfig.json"]);
    expect(r.out.trim()).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("cost to users who do not import it", () => {
  it("import('falconts/hosts') and require('falconts/hosts') load nothing of the kit (nor ajv)", async () => {
    await writeFile(
      join(consumer, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";
       export async function resolve(specifier, context, next) {
         const r = await next(specifier, context);
         appendFileSync(process.env.LOADED_LOG, r.url + "\\n");
         return r;
       }`,
    );
    await writeFile(
      join(consumer, "hosts-only.mjs"),
      `import { register } from "node:module";
       import { readFileSync } from "node:fs";
       import { createRequire } from "node:module";
       register("./hooks.mjs", import.meta.url);
       const { Hosts } = await import("falconts/hosts");
       new Hosts({ clientId: "id", clientSecret: "secret" });
       createRequire(import.meta.url)("falconts/hosts");
       const esm = readFileSync(process.env.LOADED_LOG, "utf8").split("\\n").filter(Boolean);
       const cjs = Object.keys(createRequire(import.meta.url).cache);
       console.log(JSON.stringify({ esm, cjs }));`,
    );
    const log = join(dir, "loaded.log");
    await writeFile(log, "");
    const r = await inConsumer(["hosts-only.mjs"], { LOADED_LOG: log });
    expect(r.code, r.out).toBe(0);
    const { esm, cjs } = JSON.parse(r.out.trim().split("\n")[0]!) as { esm: string[]; cjs: string[] };
    expect(esm.some((u) => u.includes("/falconts/dist/esm/generated/hosts/"))).toBe(true);
    expect(cjs.some((f) => f.includes("/falconts/dist/cjs/generated/hosts/"))).toBe(true);
    expect([...esm, ...cjs].filter((f) => /falconts-testing|\/ajv/.test(f))).toEqual([]);
  });
});
