#!/usr/bin/env node
/**
 * Builds the published package into dist/:
 *   dist/esm/{runtime,generated}/**.js    ES modules            (dist/esm/package.json: type module)
 *   dist/cjs/{runtime,generated}/**.js    CommonJS              (dist/cjs/package.json: type commonjs)
 *     the package's entry points (each collection's index and schemas, uber, helper-data, the
 *     root, runtime/index, fetch-client and node) and runtime/internal.js, the bundled runtime
 *   dist/{esm,cjs}/**.d.ts                next to the .js: runtime, each collection's index, uber
 *                                          (the Node-only `falconts/node` entry is runtime/node.js)
 *   dist/types/generated/{args,types}.d.ts the type-only declarations, once (dist/types/package.json:
 *                                          type commonjs), plus the files they import
 * JS is bundled by esbuild (see below), so `falconts/hosts` loads only the hosts collection and
 * the runtime, and the lazy `import("./schemas.js")` stays lazy. Declarations come from tsc with
 * --noCheck: `npm run typecheck` is the type-check, the build only transcribes. A .d.ts is read
 * as ESM or CJS by the nearest package.json, and a CJS consumer must see CJS types for the
 * modules it loads (Node 20 cannot require() ESM), so every declaration of a module with values
 * is in both trees. The big type-only files are not modules anyone loads: see declarations().
 *
 * Usage: node scripts/build.mjs [--no-types]
 */
import { spawn } from "node:child_process";
import { copyFile, cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundleRoot } from "./bundle-root.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const withTypes = !process.argv.includes("--no-types");
const t0 = performance.now();

async function sources(dir) {
  const out = [];
  for (const e of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
      out.push(relative(root, join(e.parentPath, e.name)));
  }
  return out.sort();
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

/**
 * tsc has written every declaration into dist/esm. The type-only files (each collection's
 * types.d.ts and args.d.ts: `export interface`, `export type`, `import type` and nothing else;
 * 6 of the 7 MB) move to dist/types, a tree typed CommonJS that both format trees reach with
 * `import type` / `export type` only. Measured with TS 5.9 and 7, strict, skipLibCheck off:
 * typed CommonJS, the shared tree type-checks for node16 and nodenext (.mts, .cts, .ts in type
 * module and type commonjs packages), bundler, preserve and node10 consumers; typed ESM (or as
 * dist/esm's copy reached from dist/cjs), node16's CJS files fail with TS1541 (type-only import
 * of ESM from CJS) and TS1479 (`export type *`) unless every reference carries `with {
 * "resolution-mode": "import" }`, which TS before 5.3 does not accept. The format of a
 * type-only file is otherwise unobservable: it has no JS, no default export and only relative
 * imports. Everything that declares a value (classes, `operations`, the runtime) stays in both
 * trees, so each entry point's types say the format its JS has.
 */
async function declarations() {
  const esm = join(dist, "esm");
  const shared = join(dist, "types");
  const decls = (await readdir(esm, { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile() && e.name.endsWith(".d.ts"))
    .map((e) => relative(esm, join(e.parentPath, e.name)).split("\\").join("/"));
  const isShared = (p) => /^generated\/[^/]+\/(args|types)\.d\.ts$/.test(p);
  // Relative specifiers of a declaration: `from "./x.js"`, `import("./x.js")`.
  const spec = /(\bfrom\s*|\bimport\s*\(\s*)"(\.\.?\/[^"]+)"/g;
  const target = (file, s) => {
    if (!s.endsWith(".js")) throw new Error(`build: ${file}: unexpected specifier ${s}`);
    return relative(esm, resolve(dirname(join(esm, file)), `${s.slice(0, -3)}.d.ts`))
      .split("\\")
      .join("/");
  };
  // A shared file must be type-only: every top-level line (tsc indents the rest) one of these.
  const typeOnly = /^(export (type|interface) |import type |\}|\/\*\*|\/\/|export \{\};?$|\s|$)/;
  const sharedFiles = new Set(decls.filter(isShared));
  const queue = [];
  await Promise.all(
    decls.map(async (file) => {
      const text = await readFile(join(esm, file), "utf8");
      if (isShared(file)) {
        for (const line of text.split("\n")) {
          if (!typeOnly.test(line))
            throw new Error(`build: ${file} is shared between ESM and CJS but declares a value: ${line.slice(0, 120)}`);
        }
        for (const [, , s] of text.matchAll(spec)) queue.push(target(file, s));
        return;
      }
      let changed = false;
      const out = text
        .split("\n")
        .map((line) =>
          line.replace(spec, (m, kw, s) => {
            const t = target(file, s);
            if (!isShared(t)) return m;
            if (!kw.startsWith("import") && !/^(import|export) type /.test(line)) {
              throw new Error(
                `build: ${file} imports a shared type-only file without \`import type\`: ${line.slice(0, 120)}`,
              );
            }
            changed = true;
            const r = relative(dirname(join(esm, file)), join(shared, t))
              .split("\\")
              .join("/")
              .replace(/\.d\.ts$/, ".js");
            return `${kw}"${r.startsWith(".") ? r : `./${r}`}"`;
          }),
        )
        .join("\n");
      if (changed) await writeFile(join(esm, file), out);
    }),
  );
  // What the shared files import besides each other (runtime/arguments.d.ts) is copied along.
  const needed = new Set();
  while (queue.length) {
    const file = queue.pop();
    if (sharedFiles.has(file) || needed.has(file)) continue;
    needed.add(file);
    for (const [, , s] of (await readFile(join(esm, file), "utf8")).matchAll(spec)) queue.push(target(file, s));
  }
  for (const dir of new Set([...sharedFiles, ...needed].map((f) => dirname(join(shared, f)))))
    await mkdir(dir, { recursive: true });
  await Promise.all([
    ...[...sharedFiles].map((f) => rename(join(esm, f), join(shared, f))),
    ...[...needed].map((f) => copyFile(join(esm, f), join(shared, f))),
    writeFile(join(shared, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`),
  ]);
  await cp(esm, join(dist, "cjs"), {
    recursive: true,
    filter: (src) => !src.endsWith(".js") && !src.endsWith("package.json"),
  });
}

await rm(dist, { recursive: true, force: true });
// args.ts and types.ts declare types only: they have declarations, and no JS to ship.
const typeOnlySource = (f) => /^generated\/[^/]+\/(args|types)\.ts$/.test(f.split("\\").join("/"));
const entryPoints = [...(await sources("runtime")), ...(await sources("generated"))].filter((f) => !typeOnlySource(f));

const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const types = withTypes
  ? run(process.execPath, [tscBin, "-p", "tsconfig.build.json", "--noCheck", "--outDir", "dist/esm"]).then(
      () => performance.now() - t0,
    )
  : Promise.resolve(0);

const common = {
  bundle: true,
  packages: "external",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  charset: "utf8",
};
/**
 * ES modules are bundled with code splitting from what a program can load (the package's entry
 * points and the files imported on demand), so the runtime's small one-job files become a few
 * shared chunks: a process importing `falconts/hosts` loads 5 modules, not 45 (Node's cost per
 * ES module dominates cold start: ~0.5 ms each). runtime/internal.js re-exports the runtime
 * (but the helpers, which the root bundle holds) for the root bundle (bundle-root.mjs), so
 * every entry shares one runtime copy.
 * CommonJS cannot split: its runtime is bundled once, whole, into runtime/internal.js, which
 * every entry (each collection, uber, fetch, node, and the root bundle) requires.
 */
const isPackageEntry = (f) =>
  /^generated\/[^/]+\/(index|schemas)\.ts$/.test(f) ||
  /^generated\/(index|uber|helper-data)\.ts$/.test(f) ||
  /^runtime\/(fetch-client|node|index)\.ts$/.test(f);
const packageEntries = entryPoints.filter(isPackageEntry);
const asEntries = (files) => files.map((f) => ({ in: f, out: f.replace(/\.ts$/, "") }));
// the runtime but its entries (fetch, node, and the public API the root re-exports), which require it
const runtimeModules = entryPoints.filter((f) => f.startsWith("runtime/") && !isPackageEntry(f));
// the ES root bundle holds runtime/helpers/ with the classes built on them (for tree shaking)
const esmRuntimeModules = runtimeModules.filter((f) => !f.startsWith("runtime/helpers/"));
const reexports = (modules) =>
  modules.map((f) => `export * from "./${f.slice("runtime/".length).replace(/\.ts$/, ".js")}";`).join("\n");
const internalEntry = (modules) => ({
  name: "runtime-internal",
  setup(b) {
    b.onResolve({ filter: /^falconts-runtime-internal$/ }, () => ({
      path: join(root, "runtime", "internal.ts"),
      namespace: "internal",
    }));
    b.onLoad({ filter: /.*/, namespace: "internal" }, () => ({
      contents: reexports(modules),
      resolveDir: join(root, "runtime"),
      loader: "ts",
    }));
    // engine.ts runs for its effect (fails early on a too-old Node): package.json's sideEffects: false would drop it
    b.onResolve({ filter: /\/engine\.js$/ }, (args) => ({
      path: join(args.resolveDir, "engine.ts"),
      sideEffects: true,
    }));
  },
});
const runtimeDir = join(root, "runtime");
const isRuntime = (file) => !relative(runtimeDir, file).startsWith("..");
const packageEntryFiles = new Set(packageEntries.map((f) => join(root, f)));
const spec = (from, file) => {
  const r = relative(from, file).split(sep).join("/").replace(/\.ts$/, ".js");
  return r.startsWith(".") ? r : `./${r}`;
};
/**
 * The CommonJS links between bundles: inside runtime/internal.js the runtime is inlined and what
 * it loads of generated/ stays a require() of that file; an entry requires the runtime through
 * runtime/internal.js and another entry (a collection, its schemas, helper-data) as that file.
 */
const cjsLinks = (inInternal) => ({
  name: "cjs-links",
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind === "entry-point" || args.namespace === "internal") return undefined;
      const target = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
      if (inInternal) return isRuntime(target) ? undefined : { path: spec(runtimeDir, target), external: true };
      if (isRuntime(target)) return { path: spec(args.resolveDir, join(runtimeDir, "internal.ts")), external: true };
      return packageEntryFiles.has(target) ? { path: spec(args.resolveDir, target), external: true } : undefined;
    });
  },
});
const cjs = { ...common, format: "cjs", supported: { "dynamic-import": false } };
await Promise.all([
  build({
    ...common,
    entryPoints: [...asEntries(packageEntries), { in: "falconts-runtime-internal", out: "runtime/internal" }],
    splitting: true,
    chunkNames: "runtime/chunks/[name]-[hash]",
    plugins: [internalEntry(esmRuntimeModules)],
    format: "esm",
    outdir: join(dist, "esm"),
  }),
  // CommonJS keeps its lazy loads lazy as require() calls: a native import() from CommonJS fails
  // inside vm sandboxes such as jest's (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG).
  build({
    ...cjs,
    entryPoints: [{ in: "falconts-runtime-internal", out: "runtime/internal" }],
    plugins: [internalEntry(runtimeModules), cjsLinks(true)],
    outdir: join(dist, "cjs"),
  }),
  build({
    ...cjs,
    entryPoints: asEntries(packageEntries),
    plugins: [cjsLinks(false)],
    outdir: join(dist, "cjs"),
  }),
]);
await bundleRoot(root, dist);
const jsMs = performance.now() - t0;
// Bundlers read `sideEffects` from the nearest package.json, which for dist/ files is this one.
// No module is kept for its effect alone: engine.ts's guard (fail early on a too-old Node) is
// bundled into the runtime module every client needs.
const distPackage = (type) => `${JSON.stringify({ type, sideEffects: false })}\n`;
await writeFile(join(dist, "esm", "package.json"), distPackage("module"));
await writeFile(join(dist, "cjs", "package.json"), distPackage("commonjs"));

const typesMs = await types;
if (withTypes) await declarations();
await mkdir(dist, { recursive: true });
console.log(
  `build: ${entryPoints.length} modules into ${packageEntries.length} entries x2 formats in ${Math.round(jsMs)} ms` +
    (withTypes ? `, declarations ${Math.round(typesMs)} ms` : "") +
    `, total ${Math.round(performance.now() - t0)} ms`,
);
