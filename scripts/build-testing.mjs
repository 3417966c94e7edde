#!/usr/bin/env node
/**
 * Builds the companion test-kit package, falconts-testing (packages/testing/), from mock/:
 *   dist/esm/index.js, dist/cjs/index.js   the mock bundled into one module per format; ajv external,
 *                                          and what mock/ imports of the SDK (the operation table,
 *                                          the validatePayloads check) is the peer `falconts` itself
 *   dist/{esm,cjs}/*.d.ts                  declarations of mock/, typed by operation ID through
 *                                          `falconts/uber` (the peer dependency's own types)
 *   dist/openapi/<collection>.json         the OpenAPI documents the mock serves and validates
 *                                          against, from generated/, without prose (descriptions,
 *                                          summaries, examples): what the main package never ships
 * The kit's version and its `falconts` peer must equal the main package's version (checked here).
 *
 * Usage: node scripts/build-testing.mjs
 */
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const kit = join(root, "packages", "testing");
const dist = join(kit, "dist");
const t0 = performance.now();

const main = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
const pkg = JSON.parse(await readFile(join(kit, "package.json"), "utf8"));
if (pkg.version !== main.version || pkg.peerDependencies?.falconts !== main.version) {
  throw new Error(
    `packages/testing/package.json: version ${pkg.version} and peer falconts ${pkg.peerDependencies?.falconts} must both be ${main.version}`,
  );
}
for (const dep of Object.keys(pkg.dependencies)) {
  if (pkg.dependencies[dep] !== main.devDependencies[dep])
    throw new Error(
      `packages/testing: ${dep} ${pkg.dependencies[dep]} differs from the repo's ${main.devDependencies[dep]}`,
    );
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

/** Drops prose from an OpenAPI document; a schema's `properties` keep every name (a property may be called `description`). */
/** mock/'s imports of the SDK's sources, and the peer package's entry that exports the same. */
const PEER = {
  "../generated/uber.js": "falconts/uber",
  "../runtime/validation.js": "falconts",
  "../runtime/operation.js": "falconts",
};
const peerImports = {
  name: "falconts-peer",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/(generated|runtime)\// }, (args) => {
      const to = PEER[args.path];
      if (!to)
        throw new Error(
          `build-testing: ${args.importer} imports ${args.path}, which the falconts package does not export`,
        );
      return { path: to, external: true };
    });
  },
};

const PROSE = new Set(["description", "summary", "example", "examples", "externalDocs", "title"]);
function strip(node, inProperties = false) {
  if (Array.isArray(node)) return node.map((n) => strip(n));
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      !inProperties &&
      PROSE.has(key) &&
      (typeof value === "string" || key.startsWith("example") || key === "externalDocs")
    )
      continue;
    out[key] = strip(value, !inProperties && key === "properties");
  }
  return out;
}

async function declarations(outDir) {
  const tmp = await mkdtemp(join(tmpdir(), "falconts-testing-"));
  try {
    const config = join(tmp, "tsconfig.json");
    await writeFile(
      config,
      JSON.stringify({
        extends: join(root, "tsconfig.json"),
        compilerOptions: {
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: true,
          noCheck: true,
          rootDir: root,
          outDir: join(tmp, "out"),
          typeRoots: [join(root, "node_modules", "@types")],
        },
        files: [join(root, "mock", "index.ts")],
        include: [],
      }),
    );
    const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    await run(process.execPath, [tscBin, "-p", config]);
    const from = join(tmp, "out", "mock");
    for (const name of await readdir(from)) {
      if (!name.endsWith(".d.ts")) continue;
      // the operation types are the peer package's own
      let text = await readFile(join(from, name), "utf8");
      for (const [source, peer] of Object.entries(PEER)) text = text.replaceAll(`"${source}"`, `"${peer}"`);
      if (/"\.\.\//.test(text))
        throw new Error(`build-testing: ${name} reaches outside mock/: ${/.*"\.\.\/.*/.exec(text)[0]}`);
      await writeFile(join(outDir, name), text);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, "esm"), { recursive: true });
await mkdir(join(dist, "openapi"), { recursive: true });
const common = {
  entryPoints: [join(root, "mock", "index.ts")],
  bundle: true,
  platform: "node",
  target: "node20",
  external: ["ajv", "ajv-formats"],
  plugins: [peerImports],
  logLevel: "error",
  charset: "utf8",
};
await Promise.all([
  build({ ...common, format: "esm", outfile: join(dist, "esm", "index.js") }),
  build({ ...common, format: "cjs", outfile: join(dist, "cjs", "index.js") }),
]);
await writeFile(join(dist, "esm", "package.json"), `${JSON.stringify({ type: "module", sideEffects: false })}\n`);
await writeFile(join(dist, "cjs", "package.json"), `${JSON.stringify({ type: "commonjs", sideEffects: false })}\n`);

const generated = join(root, "generated");
let specBytes = 0;
for (const entry of (await readdir(generated, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .sort((a, b) => (a.name < b.name ? -1 : 1))) {
  const text = await readFile(join(generated, entry.name, "openapi.json"), "utf8").catch(() => undefined);
  if (text === undefined) continue;
  const out = JSON.stringify(strip(JSON.parse(text)));
  specBytes += out.length;
  await writeFile(join(dist, "openapi", `${entry.name}.json`), out);
}

await declarations(join(dist, "esm"));
await cp(join(dist, "esm"), join(dist, "cjs"), {
  recursive: true,
  filter: (src) => !src.endsWith(".js") && !src.endsWith("package.json"),
});
console.log(
  `build-testing: falconts-testing ${pkg.version} in ${Math.round(performance.now() - t0)} ms; openapi ${(specBytes / 1e6).toFixed(1)} MB`,
);
