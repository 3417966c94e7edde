// Usage: node count-modules.mjs <esm|cjs> <specifier> [out.json]
// Loads one module the way a user would and prints how many files it pulled in, grouped by
// package, and whether any generated collection other than the imported one was touched.
import { register, createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const [mode, spec] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "falconts-count-"));
const log = join(dir, "loaded.txt");
writeFileSync(log, "");
let files;
if (mode === "cjs") {
  const req = createRequire(join(process.cwd(), "x.cjs"));
  const before = new Set(Object.keys(req.cache));
  req(spec);
  files = Object.keys(req.cache).filter((f) => !before.has(f));
} else {
  register(pathToFileURL(fileURLToPath(new URL("./count-hooks.mjs", import.meta.url))), { data: { out: log } });
  await import(spec.startsWith(".") || spec.startsWith("/") ? pathToFileURL(spec).href : spec);
  files = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((u) => (u.startsWith("file:") ? fileURLToPath(u) : u));
  // CommonJS files required from a CommonJS module bypass the ESM hooks: add the require cache.
  const cache = Object.keys(createRequire(import.meta.url).cache);
  files = [...new Set([...files, ...cache])].filter((f) => !f.endsWith("count-modules.mjs"));
}
rmSync(dir, { recursive: true, force: true });
const groups = {};
function group(f) {
  const own =
    /\/dist\/(?:esm|cjs)\/(generated|runtime)\/(?:([^/]+)\/)?[^/]+$/.exec(f) ??
    /\/(generated|runtime)\/(?:([^/]+)\/)?[^/]+$/.exec(f);
  if (own && !/node_modules\/(?!falconts\/)/.test(f.slice(0, own.index + 1))) {
    return own[1] === "runtime" ? "runtime" : own[2] ? `generated/${own[2]}` : "generated/(root)";
  }
  const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
  return m ? m[1] : "other";
}
for (const f of files) {
  const g = group(f);
  groups[g] = (groups[g] ?? 0) + 1;
}
console.log(JSON.stringify({ mode, spec, total: files.length, groups, files }, null, 1));
