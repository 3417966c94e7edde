#!/usr/bin/env node
/**
 * Builds the published package into dist/:
 *   dist/esm/{runtime,generated}/**.js    ES modules            (dist/esm/package.json: type module)
 *   dist/cjs/{runtime,generated}/**.js    CommonJS              (dist/cjs/package.json: type commonjs)
 *   **.d.ts next to every .js in both trees.
 * JS is emitted file by file by esbuild (no bundling, so `falconts/hosts` loads only the hosts
 * files and the lazy `import("./schemas.js")` stays lazy). Declarations come from tsc with
 * --noCheck: `npm run typecheck` is the type-check, the build only transcribes. The CJS tree
 * gets its own copy of the declarations because a .d.ts is read as ESM or CJS by the nearest
 * package.json, and a CJS consumer must see CJS types (Node 20 cannot require() ESM).
 *
 * Usage: node scripts/build.mjs [--no-types]
 */
import { spawn } from "node:child_process";
import { cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
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
    if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(relative(root, join(e.parentPath, e.name)));
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

await rm(dist, { recursive: true, force: true });
const entryPoints = [...(await sources("runtime")), ...(await sources("generated"))];

const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const types = withTypes
  ? run(process.execPath, [tscBin, "-p", "tsconfig.build.json", "--noCheck", "--outDir", "dist/esm"]).then(() => performance.now() - t0)
  : Promise.resolve(0);

const common = { entryPoints, outbase: root, bundle: false, platform: "node", target: "node20", logLevel: "warning", charset: "utf8" };
await Promise.all([
  build({ ...common, format: "esm", outdir: join(dist, "esm") }),
  build({ ...common, format: "cjs", outdir: join(dist, "cjs") }),
]);
await bundleRoot(root, dist);
const jsMs = performance.now() - t0;
// Bundlers read `sideEffects` from the nearest package.json, which for dist/ files is this one.
// One module has a side effect on purpose: engine.js fails early on a too-old Node.
const distPackage = (type) => `${JSON.stringify({ type, sideEffects: ["./runtime/engine.js"] })}\n`;
await writeFile(join(dist, "esm", "package.json"), distPackage("module"));
await writeFile(join(dist, "cjs", "package.json"), distPackage("commonjs"));

const typesMs = await types;
if (withTypes) {
  await cp(join(dist, "esm"), join(dist, "cjs"), {
    recursive: true,
    filter: (src) => !src.endsWith(".js") && !src.endsWith("package.json"),
  });
}
await mkdir(dist, { recursive: true });
console.log(
  `build: ${entryPoints.length} modules x2 formats in ${Math.round(jsMs)} ms` +
    (withTypes ? `, declarations ${Math.round(typesMs)} ms` : "") +
    `, total ${Math.round(performance.now() - t0)} ms`,
);
