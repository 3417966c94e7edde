/**
 * `npm run generate [-- --spec FILE] [--check]`: regenerate generated/ from the Falcon spec.
 * --check writes nothing and exits 1 if generated/ differs from what the spec gives (CI drift check).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { DEFAULT_NAMES, REPO_ROOT, locateSpec } from "../spec/locate.js";
import { readSwagger } from "../spec/swagger.js";
import type { FalconPyNames } from "./model.js";
import { generate } from "./generate.js";
import { reportLines } from "./pagination.js";

const OUT = join(REPO_ROOT, "generated");

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const argv = process.argv.slice(2);
  const check = argv.includes("--check");
  const location = locateSpec(argv);
  const swagger = readSwagger(location.path);
  const namesPath = process.env.FALCONPY_NAMES ?? DEFAULT_NAMES;
  const names = existsSync(namesPath) ? (JSON.parse(readFileSync(namesPath, "utf8")) as FalconPyNames) : undefined;
  console.log(`spec: ${location.path} (${location.source}), ${swagger.info.version}`);
  console.log(`names: ${names ? namesPath : "none (class names from tags)"}`);

  const result = await generate(swagger, names);
  for (const patch of result.patches) console.log(`patch ${patch.id}: ${patch.changes.length} change(s)`);
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  for (const line of reportLines(result.pagination)) console.log(line);

  const wanted = result.files;
  const existing = new Set(listFiles(OUT));
  const changed: string[] = [];
  for (const [path, text] of [...wanted].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const target = join(OUT, path);
    const same = existing.has(path) && readFileSync(target, "utf8") === text;
    existing.delete(path);
    if (same) continue;
    changed.push(path);
    if (!check) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  const stale = [...existing].sort();
  if (!check) for (const path of stale) rmSync(join(OUT, path));

  const c = result.counts;
  console.log(
    `generated: ${c.collections} collections, ${c.classes} classes, ${c.operations} operations, ` +
      `${c.aliases} class aliases (${c.deprecatedAliases} deprecated IDs in command()), ${wanted.size} files`,
  );
  console.log(`${check ? "would change" : "changed"}: ${changed.length} file(s), ${check ? "would remove" : "removed"}: ${stale.length}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const peak = (process.resourceUsage().maxRSS / 1024).toFixed(0);
  console.log(`time: ${seconds} s, peak RSS: ${peak} MB`);
  if (check && (changed.length || stale.length)) {
    console.error(`generated/ is out of date (${[...changed, ...stale].slice(0, 10).join(", ")}...): run \`npm run generate\``);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
