/**
 * The naming data the generator reads beside the spec: FalconPy's names (spec/falconpy-names.json,
 * copied from upstream) and spec/operation-names.json, which records for every operation, keyed
 * by what any Falcon swagger.json also has (HTTP method + path), its collection, operation ID,
 * FalconPy IDs and deprecated IDs. Applied to a console's official swagger.json (no `x-cs-*`
 * extensions, dotted/dashed IDs, its own tag spelling), it yields the same classes and methods.
 */
import { readFileSync } from "node:fs";
import { eachOperation, type SwaggerDocument, type SwaggerOperation } from "./swagger.js";

/** spec/falconpy-names.json: FalconPy's classes, methods and aliases (see the spec README). */
export interface FalconPyNames {
  classes_by_tag?: Record<string, string[]>;
  methods?: Record<string, Record<string, { operation?: string; operations?: string[]; found_in_spec?: boolean }>>;
  aliases?: Record<string, Record<string, string>>;
}

/** One operation's names. Optional fields are left out when empty, to keep the file small. */
export interface OperationNames {
  /** The operation ID the SDK uses (FalconPy's). */
  id: string;
  /** The collection (spec tag) it belongs to. */
  tag: string;
  /** Older IDs FalconPy still accepts, and the spec's original dotted/dashed spelling. */
  deprecatedIds?: string[];
  /** FalconPy's current IDs where there are several or they differ from `id`. */
  falconpyIds?: string[];
  /** gofalcon's ID where it differs from `id`. */
  gofalconId?: string;
  /** FalconPy's method names and aliases calling this operation, per FalconPy class (for porting). */
  falconpy?: Record<string, string[]>;
}

export interface NamingData {
  readonly about: string;
  /** The spec version the data was derived from. */
  readonly from: string;
  /** "METHOD /path" -> names, sorted by key. */
  readonly operations: Record<string, OperationNames>;
}

/** The lookup key: placeholders blanked, because specs name path parameters differently. */
export const operationKey = (method: string, path: string): string =>
  `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}")}`;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort(byString);

/** FalconPy class -> method and alias names, per operation ID. */
function falconpyMethodsById(names: FalconPyNames): Map<string, Record<string, string[]>> {
  const byId = new Map<string, Record<string, Set<string>>>();
  for (const cls of Object.keys(names.methods ?? {}).sort(byString)) {
    const methods = names.methods![cls]!;
    const aliasesOf = new Map<string, string[]>();
    for (const [alias, method] of Object.entries(names.aliases?.[cls] ?? {}))
      aliasesOf.set(method, [...(aliasesOf.get(method) ?? []), alias]);
    for (const [method, info] of Object.entries(methods)) {
      for (const id of info.operations ?? (info.operation ? [info.operation] : [])) {
        const perClass = byId.get(id) ?? {};
        perClass[cls] ??= new Set();
        const set = perClass[cls];
        set.add(method);
        for (const alias of aliasesOf.get(method) ?? []) set.add(alias);
        byId.set(id, perClass);
      }
    }
  }
  return new Map(
    [...byId].map(([id, perClass]) => [
      id,
      Object.fromEntries(
        Object.keys(perClass)
          .sort(byString)
          .map((c) => [c, sortedUnique(perClass[c]!)]),
      ),
    ]),
  );
}

/** Derives operation-names.json from our reconstructed spec (its `x-cs-*` extensions) and FalconPy's names. */
export function deriveNamingData(doc: SwaggerDocument, names: FalconPyNames): NamingData {
  const falconpy = falconpyMethodsById(names);
  const operations: Record<string, OperationNames> = {};
  const entries: [string, OperationNames][] = [];
  for (const { path, method, op } of eachOperation(doc)) {
    const entry: OperationNames = { id: op.operationId, tag: op.tags?.[0] ?? "default" };
    const deprecated = op["x-cs-deprecated-operation-ids"];
    if (deprecated?.length) entry.deprecatedIds = sortedUnique(deprecated);
    const falconpyIds = op["x-cs-falconpy-operation-ids"] as string[] | undefined;
    if (falconpyIds?.length) entry.falconpyIds = sortedUnique(falconpyIds);
    const gofalconId = op["x-cs-gofalcon-operation-id"] as string | undefined;
    if (gofalconId) entry.gofalconId = gofalconId;
    const methods = falconpy.get(op.operationId);
    if (methods) entry.falconpy = methods;
    entries.push([operationKey(method, path), entry]);
  }
  for (const [key, entry] of entries.sort((a, b) => byString(a[0], b[0]))) {
    if (operations[key]) throw new Error(`two operations share the key ${key}`);
    operations[key] = entry;
  }
  return {
    about:
      "Names of every Falcon operation, keyed by HTTP method and path (placeholders blanked), so that a console's swagger.json " +
      "(no x-cs-* extensions, its own ID and tag spelling) gets the same classes and methods. Derived by `npm run spec:refresh` " +
      "from spec/swagger.json and spec/falconpy-names.json; do not edit by hand.",
    from: doc.info.version,
    operations,
  };
}

/** One line per operation: small diffs when upstream changes. */
export function namingDataText(data: NamingData): string {
  const ops = Object.entries(data.operations).map(
    ([key, entry]) => `  ${JSON.stringify(key)}: ${JSON.stringify(entry)}`,
  );
  return `{\n "about": ${JSON.stringify(data.about)},\n "from": ${JSON.stringify(data.from)},\n "operations": {\n${ops.join(",\n")}\n }\n}\n`;
}

export function readNamingData(file: string): NamingData {
  return JSON.parse(readFileSync(file, "utf8")) as NamingData;
}

export function readFalconPyNames(file: string): FalconPyNames {
  return JSON.parse(readFileSync(file, "utf8")) as FalconPyNames;
}

/** A loose spelling of a tag, so `Real Time Response` and `real-time-response` find `real_time_response`. */
const looseTag = (tag: string) => tag.toLowerCase().replace(/[^a-z0-9]/g, "");

export interface NamesApplied {
  /** Operations the data named (ID, tag or deprecated IDs set from it). */
  readonly named: number;
  /** Operations not in the data (new since it was derived): they keep the spec's own ID and tag. */
  readonly unknown: readonly string[];
  /** Operations whose ID the spec spells differently: the spec's spelling became a deprecated ID. */
  readonly renamed: number;
}

/**
 * Gives each operation its committed ID, collection and deprecated IDs (mutates the document).
 * The spec's own ID, where it differs, stays callable as a deprecated ID.
 */
export function applyNamingData(doc: SwaggerDocument, data: NamingData): NamesApplied {
  const tagsByLoose = new Map<string, string>();
  for (const entry of Object.values(data.operations)) tagsByLoose.set(looseTag(entry.tag), entry.tag);
  const unknown: string[] = [];
  let named = 0;
  let renamed = 0;
  for (const { path, method, op } of eachOperation(doc)) {
    const entry = Object.hasOwn(data.operations, operationKey(method, path))
      ? data.operations[operationKey(method, path)]
      : undefined;
    if (!entry) {
      unknown.push(`${op.operationId} (${method.toUpperCase()} ${path})`);
      const tag = op.tags?.[0];
      if (tag !== undefined) op.tags = [tagsByLoose.get(looseTag(tag)) ?? tag, ...op.tags!.slice(1)];
      continue;
    }
    named++;
    const deprecated = new Set<string>([
      ...(entry.deprecatedIds ?? []),
      ...(op["x-cs-deprecated-operation-ids"] ?? []),
    ]);
    if (op.operationId !== entry.id) {
      renamed++;
      deprecated.add(op.operationId);
    }
    deprecated.delete(entry.id);
    setNames(op, entry.id, entry.tag, [...deprecated].sort(byString));
  }
  return { named, unknown, renamed };
}

/** Changes only what differs, so the committed spec passes through byte for byte. */
function setNames(op: SwaggerOperation, id: string, tag: string, deprecatedIds: string[]): void {
  op.operationId = id;
  if (op.tags?.[0] !== tag) op.tags = [tag];
  const current = sortedUnique(op["x-cs-deprecated-operation-ids"] ?? []);
  if (current.join("\n") === deprecatedIds.join("\n")) return;
  if (deprecatedIds.length) op["x-cs-deprecated-operation-ids"] = deprecatedIds;
  else delete op["x-cs-deprecated-operation-ids"];
}
