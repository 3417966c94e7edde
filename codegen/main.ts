/**
 * `npm run generate [-- --spec FILE] [--check]`: regenerate generated/ from the Falcon spec
 * (default: the committed spec/swagger.json, named by spec/operation-names.json and
 * spec/falconpy-names.json). --check writes nothing and exits 1 if generated/ differs from what
 * the spec gives (CI drift check).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DEFAULT_NAMES, DEFAULT_OPERATION_NAMES, REPO_ROOT, locateSpec } from "../spec/locate.js";
import { readFalconPyNames, readNamingData } from "../spec/names.js";
import { readSwagger } from "../spec/swagger.js";
import { diffOperations, operationFingerprints } from "./changes.js";
import { listFiles, writeGenerated } from "./write.js";
import { formatGenerated } from "./format.js";
import { generate } from "./generate.js";
import { handDataWarnings } from "./hand-data.js";
import { compareSurface } from "./surface.js";
import { reportLines } from "./pagination.js";

const OUT = join(REPO_ROOT, "generated");
const SNAPSHOT = join(REPO_ROOT, "api-surface.snapshot.txt");

/** The OpenAPI document of each collection, from generated/ as it is on disk or as just generated. */
function collectionDocuments(files: Iterable<[string, string]>): Map<string, unknown> {
  const docs = new Map<string, unknown>();
  for (const [path, text] of files) if (path.endsWith("/openapi.json")) docs.set(path, JSON.parse(text));
  return docs;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

async function main(): Promise<number> {
  const started = performance.now();
  const argv = process.argv.slice(2);
  const check = argv.includes("--check");
  const location = locateSpec(argv);
  const swagger = readSwagger(location.path);
  const falconpyPath = process.env.FALCONPY_NAMES ?? DEFAULT_NAMES;
  const operationsPath = process.env.FALCON_OPERATION_NAMES ?? DEFAULT_OPERATION_NAMES;
  const names = {
    ...(existsSync(falconpyPath) ? { falconpy: readFalconPyNames(falconpyPath) } : {}),
    ...(existsSync(operationsPath) ? { operations: readNamingData(operationsPath) } : {}),
  };
  console.log(
    `spec: ${relative(REPO_ROOT, location.path) || location.path} (${location.source}), ${swagger.info.version}`,
  );
  console.log(
    `names: ${names.falconpy ? relative(REPO_ROOT, falconpyPath) : "no FalconPy names (class names from tags)"}, ${names.operations ? relative(REPO_ROOT, operationsPath) : "no operation names"}`,
  );

  const result = await generate(swagger, names);
  if (result.naming) {
    const { named, renamed, unknown } = result.naming;
    console.log(
      `naming data: ${named} operations named (${renamed} renamed from the spec's own ID), ${unknown.length} new`,
    );
    for (const op of unknown)
      console.log(
        `  new operation (not in ${relative(REPO_ROOT, operationsPath)}; run \`npm run spec:refresh\` to name it): ${op}`,
      );
  }
  const patched = result.patches.filter((p) => p.changes.length);
  console.log(`patches: ${patched.map((p) => `${p.id} ${p.changes.length}`).join(", ") || "none applied"}`);
  const warnings = [...result.warnings, ...handDataWarnings(result.model, swagger)];
  for (const warning of warnings) console.warn(`warning: ${warning}`);
  for (const line of reportLines(result.pagination)) console.log(line);

  const wanted = formatGenerated(result.files);
  const before = listFiles(OUT);
  // Read before writing: the operation counts compare against generated/ as it was. Only the
  // collections whose document changed are parsed (the others' operations did not change).
  const oldDocs = collectionDocuments(
    before
      .filter((p) => p.endsWith("/openapi.json"))
      .map((p) => [p, readFileSync(join(OUT, p), "utf8")] as [string, string])
      .filter(([p, text]) => wanted.get(p) !== text),
  );
  const { changed, stale } = writeGenerated(OUT, wanted, { check, existing: before });

  const c = result.counts;
  console.log(
    `generated: ${c.collections} collections, ${c.classes} classes, ${c.operations} operations, ` +
      `${c.aliases} class aliases (${c.deprecatedAliases} deprecated IDs in command()), ${wanted.size} files`,
  );
  if (changed.length || stale.length) {
    const newDocs = collectionDocuments([...wanted].filter(([p]) => changed.includes(p)));
    const ops = diffOperations(operationFingerprints(oldDocs), operationFingerprints(newDocs));
    console.log(`operations: ${ops.added.length} added, ${ops.removed.length} removed, ${ops.changed.length} changed`);
    for (const [label, ids] of [
      ["added", ops.added],
      ["removed", ops.removed],
      ["changed", ops.changed],
    ] as const) {
      if (ids.length)
        console.log(
          `  ${label}: ${ids.slice(0, 20).join(", ")}${ids.length > 20 ? ` and ${ids.length - 20} more` : ""}`,
        );
    }
  }
  console.log(
    `${check ? "would change" : "changed"}: ${count(changed.length, "file")}, ${check ? "would remove" : "removed"}: ${stale.length}`,
  );

  if (existsSync(SNAPSHOT)) {
    const surface = compareSurface(readFileSync(SNAPSHOT, "utf8"), wanted.get("api-surface.txt") ?? "");
    if (surface.breaking.length) {
      console.warn(
        `API surface: ${count(surface.breaking.length, "breaking change")} against api-surface.snapshot.txt (accept on purpose with \`npm run surface:accept\`):`,
      );
      for (const line of surface.breaking.slice(0, 30)) console.warn(`  ${line}`);
    }
    if (surface.additions.length || surface.deprecations.length) {
      console.log(
        `API surface: ${count(surface.additions.length, "addition")}, ${count(surface.deprecations.length, "new deprecation")}`,
      );
      for (const line of [...surface.deprecations, ...surface.additions].slice(0, 30)) console.log(`  ${line}`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const peak = (process.resourceUsage().maxRSS / 1024).toFixed(0);
  console.log(`time: ${seconds} s, peak RSS: ${peak} MB`);
  if (check && (changed.length || stale.length)) {
    console.error(
      `generated/ is out of date (${[...changed, ...stale].slice(0, 10).join(", ")}...): run \`npm run generate\``,
    );
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
