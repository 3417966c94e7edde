/**
 * The generator's view of the spec: collections (classes) and their operations, with every
 * name resolved. Pure data built from the patched Swagger document and FalconPy's names.
 */
import { BASE_MEMBERS, className as defaultClassName, isIdentifier, resolveMemberNames, subpathName } from "./names.js";
import { resolveFalconPyAliases, unreviewedCollisions, type FalconPyAliasResult } from "./falconpy-aliases.js";
import { REVIEWED_FALCONPY_COLLISIONS } from "../spec/falconpy-collisions.js";
import { isReadOnlyPost } from "../spec/read-only-posts.js";
import { requiredBodyFields } from "../spec/required-body-fields.js";
import type { FalconPyNames } from "../spec/names.js";
import { eachOperation, type SwaggerDocument, type SwaggerParameter, type SwaggerSchema } from "../spec/swagger.js";

export interface OperationModel {
  readonly id: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  readonly deprecated: boolean;
  readonly deprecatedIds: readonly string[];
  readonly params: readonly SwaggerParameter[];
  readonly consumes: readonly string[];
  readonly produces: readonly string[];
  readonly bodyKeys: readonly string[];
  /** Top-level body properties with a short type text (for the API-surface snapshot). */
  readonly bodyFields: readonly { readonly name: string; readonly type: string }[];
  /** Body fields reviewed as truly required (spec/required-body-fields.ts). */
  readonly requiredBodyFields: readonly string[];
  /** Top-level body fields that are lists of strings (a comma string given for one is split). */
  readonly bodyArrays: readonly string[];
  /** Top-level body fields the spec's schema requires, when the body itself is required (for positional ids). */
  readonly bodyRequired: readonly string[];
  readonly binary: boolean;
  /** A POST reviewed as read-only (spec/read-only-posts.ts): the runtime may replay it. */
  readonly readOnly: boolean;
  readonly host?: "container-upload";
  readonly scopes: readonly string[];
}

export interface ClassModel {
  readonly name: string;
  /** Tags whose operations the class carries. */
  readonly tags: readonly string[];
  /** The folder the class module lives in (a subpath export). */
  readonly dir: string;
  /** The `oauth2` collection extends FalconInterface rather than ServiceClass. */
  readonly base: "ServiceClass" | "FalconInterface";
  readonly deprecated: boolean;
  readonly ops: readonly (OperationModel & {
    methodName: string;
    aliases: readonly string[];
    /** Aliases that are FalconPy method names: member -> FalconPy's name. */
    falconPyNames?: Readonly<Record<string, string>>;
  })[];
}

export interface TagModel {
  readonly tag: string;
  readonly dir: string;
  readonly ops: readonly OperationModel[];
}

export interface SpecModel {
  readonly tags: readonly TagModel[];
  readonly classes: readonly ClassModel[];
  readonly operationCount: number;
  readonly warnings: readonly string[];
  /** How every FalconPy method and alias name resolves (codegen/falconpy-aliases.ts). */
  readonly falconPy: FalconPyAliasResult;
}

/** Names the runtime exports from the root entry; a generated class may not take them. */
const RUNTIME_EXPORTS = new Set([
  "ServiceClass",
  "FalconInterface",
  "UberInterface",
  "APIHarnessV2",
  "FalconContext",
  "Result",
  "SDKError",
  "APIError",
  "NetworkError",
  "TimeoutError",
  "PayloadValidationError",
  "InvalidOperation",
  "APIHarness",
  "BaseURL",
  "FalconPyMembers",
  "SDKWarning",
  "KeywordsOnly",
]);

/** Subpaths the package keeps for the runtime (package.json exports): no collection may take one. */
const RESERVED_SUBPATHS: ReadonlySet<string> = new Set(["fetch", "testing", "node", "uber"]);

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function resolveRef(
  doc: SwaggerDocument,
  schema: SwaggerSchema | undefined,
  seen = new Set<string>(),
): SwaggerSchema | undefined {
  if (!schema?.$ref) return schema;
  if (seen.has(schema.$ref)) return undefined;
  seen.add(schema.$ref);
  const name = schema.$ref.replace(/^#\/definitions\//, "");
  return resolveRef(doc, doc.definitions?.[name], seen);
}

/** Required top-level properties of a body schema (through $ref and allOf), as the spec states them. */
function bodyRequiredNames(doc: SwaggerDocument, schema: SwaggerSchema | undefined): string[] {
  const resolved = resolveRef(doc, schema);
  if (!resolved) return [];
  const names = new Set<string>((resolved.required as string[] | undefined) ?? []);
  for (const part of resolved.allOf ?? []) for (const n of bodyRequiredNames(doc, part)) names.add(n);
  return [...names].sort(byString);
}

/** Whether a schema is a list of strings (a comma string given for it can be split). */
function isStringList(doc: SwaggerDocument, schema: SwaggerSchema | undefined): boolean {
  const resolved = resolveRef(doc, schema);
  return resolved?.type === "array" && resolveRef(doc, resolved.items as SwaggerSchema | undefined)?.type === "string";
}

/** Top-level properties of a body schema (through $ref and allOf), sorted by name. */
export function bodyProperties(doc: SwaggerDocument, schema: SwaggerSchema | undefined): Map<string, SwaggerSchema> {
  const resolved = resolveRef(doc, schema);
  const out = new Map<string, SwaggerSchema>();
  if (!resolved) return out;
  for (const part of resolved.allOf ?? []) for (const [n, s] of bodyProperties(doc, part)) out.set(n, s);
  for (const [n, s] of Object.entries(resolved.properties ?? {})) out.set(n, s);
  return new Map([...out].sort((a, b) => byString(a[0], b[0])));
}

const literalUnion = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(" | ");

/** A short, stable type text for the API surface: `string`, `"a" | "b"`, `msa.Thing[]`. */
export function typeSummary(schema: SwaggerSchema | undefined): string {
  if (!schema) return "unknown";
  if (typeof schema.$ref === "string") return schema.$ref.replace(/^#\/definitions\//, "");
  if (Array.isArray(schema.enum) && schema.enum.length) return literalUnion(schema.enum);
  switch (schema.type) {
    case "array": {
      const item = typeSummary(schema.items);
      return item.includes(" ") ? `(${item})[]` : `${item}[]`;
    }
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "file":
      return "binary";
    case "string":
      return schema.format === "binary" ? "binary" : "string";
    default:
      if (schema.properties) return "object";
      if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        return `Record<string, ${typeSummary(schema.additionalProperties)}>`;
      return schema.type === "object" ? "object" : "unknown";
  }
}

/** typeSummary of a non-body parameter (its type, items and enum sit on the parameter itself). */
export function parameterSummary(p: SwaggerParameter): string {
  return typeSummary(p as SwaggerSchema);
}

function isBinarySchema(doc: SwaggerDocument, schema: SwaggerSchema | undefined): boolean {
  const s = resolveRef(doc, schema);
  return !!s && (s.type === "file" || (s.type === "string" && s.format === "binary"));
}

function successSchema(op: { responses: Record<string, { schema?: unknown }> }): SwaggerSchema | undefined {
  const code = Object.keys(op.responses)
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
  return code ? (op.responses[code]!.schema as SwaggerSchema | undefined) : undefined;
}

export function buildModel(doc: SwaggerDocument, names: FalconPyNames | undefined): SpecModel {
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);
  const byTag = new Map<string, OperationModel[]>();
  const seenIds = new Map<string, string>();

  for (const { path, method, op } of eachOperation(doc)) {
    const where = `${method.toUpperCase()} ${path}`;
    const previous = seenIds.get(op.operationId);
    if (previous) {
      warn(
        `duplicate operation ID ${op.operationId} (${previous} and ${where}): the second is reachable only through command() override`,
      );
      continue;
    }
    seenIds.set(op.operationId, where);
    const params = op.parameters ?? [];
    const body = params.find((p) => p.in === "body");
    const bodySchemas = body ? bodyProperties(doc, body.schema) : new Map<string, SwaggerSchema>();
    const bodyFields = [...bodySchemas].map(([name, schema]) => ({ name, type: typeSummary(schema) }));
    const tags = op.tags?.length ? op.tags : ["default"];
    if (tags.length > 1) warn(`${op.operationId} has tags ${tags.join(", ")}; placed in ${tags[0]}`);
    const model: OperationModel = {
      id: op.operationId,
      method: method.toUpperCase() as OperationModel["method"],
      path,
      tag: tags[0]!,
      summary: (op.summary ?? "").trim(),
      description: (op.description ?? "").trim(),
      deprecated: op.deprecated === true,
      deprecatedIds: [...new Set(op["x-cs-deprecated-operation-ids"] ?? [])]
        .filter((d) => d !== op.operationId)
        .sort(byString),
      params,
      consumes: op.consumes ?? (doc.consumes as string[] | undefined) ?? [],
      produces: op.produces ?? (doc.produces as string[] | undefined) ?? [],
      bodyKeys: bodyFields.map((f) => f.name),
      bodyFields,
      requiredBodyFields: requiredBodyFields(op.operationId).filter((f) => bodyFields.some((b) => b.name === f)),
      bodyArrays: [...bodySchemas].filter(([, schema]) => isStringList(doc, schema)).map(([name]) => name),
      bodyRequired: body?.required ? bodyRequiredNames(doc, body.schema) : [],
      binary: isBinarySchema(doc, successSchema(op)),
      readOnly: isReadOnlyPost({ id: op.operationId, method: method.toUpperCase(), path }),
      ...(op["x-cs-not-in-upstream-swagger"] ? { host: "container-upload" as const } : {}),
      scopes: ((op["x-cs-oauth2-scopes"] as string[] | undefined) ?? []).slice().sort(byString),
    };
    const list = byTag.get(model.tag) ?? [];
    list.push(model);
    byTag.set(model.tag, list);
  }

  const tagNames = [...byTag.keys()].sort(byString);
  const tags: TagModel[] = tagNames.map((tag) => ({
    tag,
    dir: subpathName(tag),
    ops: byTag.get(tag)!.sort((a, b) => byString(a.id, b.id)),
  }));
  const dirs = new Map<string, string>();
  for (const t of tags) {
    if (RESERVED_SUBPATHS.has(t.dir)) {
      throw new Error(
        `tag ${t.tag} would take the subpath falconts/${t.dir}, which is reserved for the runtime (${[...RESERVED_SUBPATHS].join(", ")}): ` +
          "rename the tag in spec/operation-names.json or add a patch in spec/patches.ts",
      );
    }
    const other = dirs.get(t.dir);
    if (other) throw new Error(`tags ${other} and ${t.tag} both map to the folder ${t.dir}`);
    dirs.set(t.dir, t.tag);
  }

  // Class -> tags. FalconPy lists per tag its classes: the first is current, the rest deprecated.
  const classTags = new Map<string, { tags: string[]; deprecated: boolean }>();
  for (const tag of tagNames) {
    const listed = names?.classes_by_tag?.[tag]?.filter((n) => isIdentifier(n)) ?? [];
    const classNames = listed.length ? listed : [defaultClassName(tag)];
    classNames.forEach((name, index) => {
      const entry = classTags.get(name) ?? { tags: [], deprecated: true };
      entry.tags.push(tag);
      if (index === 0) entry.deprecated = false;
      classTags.set(name, entry);
    });
  }
  const classes: ClassModel[] = [];
  const usedDirs = new Set<string>();
  for (const [rawName, { tags: ofTags, deprecated }] of [...classTags].sort((a, b) => byString(a[0], b[0]))) {
    let name = rawName;
    if (RUNTIME_EXPORTS.has(name) || BASE_MEMBERS.has(name)) {
      warn(`class name ${name} (tags ${ofTags.join(", ")}) is a runtime export; named ${name}Collection`);
      name = `${name}Collection`;
    }
    // A class spanning several tags lives in the first tag's folder that no other class has taken.
    const home = ofTags.find((t) => !usedDirs.has(subpathName(t))) ?? ofTags[0]!;
    const dir = subpathName(home);
    usedDirs.add(dir);
    const ops = tags.filter((t) => ofTags.includes(t.tag)).flatMap((t) => t.ops);
    const resolved = resolveMemberNames(name, ops, warn);
    classes.push({
      name,
      tags: ofTags,
      dir,
      base: ofTags.length === 1 && ofTags[0] === "oauth2" ? "FalconInterface" : "ServiceClass",
      deprecated,
      ops: ops
        .map((op) => ({ ...op, methodName: resolved.get(op.id)!.method, aliases: resolved.get(op.id)!.aliases }))
        .sort((a, b) => byString(a.methodName, b.methodName)),
    });
  }
  const falconPy = addFalconPyAliases(classes, names, warn);
  // Sanity: two classes must never share a folder.
  const seenDirs = new Set<string>();
  for (const c of classes) {
    if (seenDirs.has(c.dir)) throw new Error(`two classes in folder ${c.dir}`);
    seenDirs.add(c.dir);
  }
  return { tags, classes, operationCount: seenIds.size, warnings, falconPy };
}

/**
 * FalconPy's method names become aliases of the methods they call (in place on `classes`);
 * a collision without an entry in the reviewed table (spec/falconpy-collisions.ts) is a warning.
 */
function addFalconPyAliases(
  classes: ClassModel[],
  names: FalconPyNames | undefined,
  warn: (message: string) => void,
): FalconPyAliasResult {
  const result = resolveFalconPyAliases(classes, names, BASE_MEMBERS);
  const byClass = new Map<string, Map<string, { member: string; falconpy: string }[]>>();
  for (const a of result.aliases) {
    const ops = byClass.get(a.className) ?? new Map<string, { member: string; falconpy: string }[]>();
    ops.set(a.operationId, [...(ops.get(a.operationId) ?? []), a]);
    byClass.set(a.className, ops);
  }
  classes.forEach((cls, index) => {
    const ops = byClass.get(cls.name);
    if (!ops) return;
    classes[index] = {
      ...cls,
      ops: cls.ops.map((op) => {
        const added = ops.get(op.id);
        if (!added) return op;
        return {
          ...op,
          aliases: [...op.aliases, ...added.map((a) => a.member)],
          falconPyNames: Object.fromEntries(added.map((a) => [a.member, a.falconpy])),
        };
      }),
    };
  });
  const { unreviewed, stale } = unreviewedCollisions(result.collisions, REVIEWED_FALCONPY_COLLISIONS);
  for (const c of unreviewed) {
    warn(
      `${c.className}: FalconPy name ${c.falconpy} (${c.falconpyOperation}) becomes ${c.member}, which is ${c.taken}: add a reviewed entry to spec/falconpy-collisions.ts`,
    );
  }
  for (const r of stale)
    warn(`spec/falconpy-collisions.ts: ${r.className}.${r.falconpy} no longer collides; remove its entry`);
  return result;
}
