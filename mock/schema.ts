/**
 * Schema preparation for ajv and the example generator: spec quirks are repaired on a copy
 * (never in the loaded document), and only the components an operation reaches are prepared
 * and compiled, when it is first used, so nothing walks the whole spec.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import { resolvePointer, type OpenApiDocument, type Schema } from "./spec.js";

/** Set on sanitized schemas that were `format: binary` (or `type: file`). */
export const BINARY_MARK = "x-mock-binary";

const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "definitions", "$defs"] as const;
const SCHEMA_KEYWORDS = [
  "items",
  "additionalProperties",
  "not",
  "additionalItems",
  "contains",
  "propertyNames",
] as const;
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf"] as const;

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Returns a repaired copy of a schema. generated/ is already patched by spec/patches.ts; these
 * repairs keep the mock tolerant of documents that were not (a user's own OpenAPI file).
 * Repairs (each a known defect of the reconstructed spec):
 * - `type: file` (Swagger 2 leftovers) becomes a binary string;
 * - an enum given as one comma-joined string also accepts each listed value;
 * - `enum` on an array moves to its items;
 * - a string enum with non-string values also accepts their string forms;
 * - `format: binary` strings accept anything (a binary part is checked for presence only).
 * Walking only schema keywords means a property literally named `$ref` stays a property.
 */
export function sanitizeSchema(schema: unknown): unknown {
  if (typeof schema === "boolean") return schema;
  if (!isObject(schema)) return {};
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((SCHEMA_MAP_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      const map: Schema = {};
      for (const [name, sub] of Object.entries(value)) map[name] = sanitizeSchema(sub);
      out[key] = map;
    } else if ((SCHEMA_KEYWORDS as readonly string[]).includes(key)) {
      out[key] = Array.isArray(value) ? value.map(sanitizeSchema) : sanitizeSchema(value);
    } else if ((SCHEMA_LIST_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map(sanitizeSchema);
    } else if (key === "discriminator" || key === "xml" || key === "externalDocs" || key === "example") {
      // annotations ajv would try to interpret (discriminator) or that are just noise
    } else {
      out[key] = value;
    }
  }
  if (out.type === "file") {
    out.type = "string";
    out.format = "binary";
  }
  if (Array.isArray(out.type)) {
    // OpenAPI 3.0 has no type arrays; keep them valid for ajv anyway
    out.type = out.type.filter((t) => t !== "file");
  }
  const en = out.enum;
  if (Array.isArray(en)) {
    if (out.type === "array") {
      delete out.enum;
      const items = isObject(out.items) ? { ...out.items } : {};
      if (!Array.isArray(items.enum)) items.enum = en;
      out.items = items;
    } else if (en.length === 1 && typeof en[0] === "string" && en[0].includes(",")) {
      out.enum = [en[0], ...en[0].split(",").map((s) => s.trim())];
    } else if (out.type === "string" && en.some((v) => typeof v !== "string")) {
      out.enum = [...new Set([...en, ...en.map((v) => String(v))])];
    }
  }
  if (Array.isArray(out.enum) && (out.type === "integer" || out.type === "number")) {
    // e.g. days_of_week: integer items with the enum "Sun,Mon,...": the type is what the API parses
    const numeric = out.enum
      .filter((v) => typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)))
      .map(Number);
    if (numeric.length > 0) out.enum = [...new Set(numeric)];
    else delete out.enum;
  }
  if (out.format === "binary" && (out.type === "string" || out.type === undefined)) {
    // bytes are checked for presence, not shape; the marker keeps the binary-ness visible
    delete out.format;
    delete out.type;
    out[BINARY_MARK] = true;
  }
  return out;
}

/** Per-document cache of repaired component schemas. */
const componentCache = new WeakMap<OpenApiDocument, Map<string, unknown>>();

export function componentSchema(doc: OpenApiDocument, ref: string): unknown {
  let cache = componentCache.get(doc);
  if (!cache) {
    cache = new Map();
    componentCache.set(doc, cache);
  }
  let s = cache.get(ref);
  if (s === undefined) {
    s = breakRequiredCycles(doc, ref, sanitizeSchema(resolvePointer(doc, ref)));
    cache.set(ref, s);
  }
  return s;
}

/** Refs a value must contain when it has the required properties of `schema` (arrays may be empty, so they end a chain). */
function requiredRefs(schema: unknown, name: string): string[] {
  if (!isObject(schema)) return [];
  const props = isObject(schema.properties) ? schema.properties : {};
  return refsOf(props[name]);
}

function refsOf(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  if (typeof schema.$ref === "string") return [schema.$ref];
  if (Array.isArray(schema.allOf)) return schema.allOf.flatMap(refsOf);
  return [];
}

const edgeCache = new WeakMap<OpenApiDocument, Map<string, string[]>>();

function requiredEdges(doc: OpenApiDocument, ref: string): string[] {
  let cache = edgeCache.get(doc);
  if (!cache) {
    cache = new Map();
    edgeCache.set(doc, cache);
  }
  let edges = cache.get(ref);
  if (!edges) {
    const raw = resolvePointer(doc, ref);
    const required = isObject(raw) && Array.isArray(raw.required) ? (raw.required as unknown[]) : [];
    edges = required.flatMap((n) => requiredRefs(raw, String(n)));
    cache.set(ref, edges);
  }
  return edges;
}

/**
 * A definition that requires a property leading back to itself through required properties
 * only (types.UserGroup.parent, v2.Model.parent) has no finite valid value; such properties are
 * made optional so requests can conform and examples can be generated.
 */
function breakRequiredCycles(doc: OpenApiDocument, ref: string, schema: unknown): unknown {
  if (!isObject(schema) || !Array.isArray(schema.required)) return schema;
  const keep = (schema.required as unknown[]).filter((name) => {
    const seen = new Set<string>();
    const queue = requiredRefs(schema, String(name));
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === ref) return false;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...requiredEdges(doc, next));
    }
    return true;
  });
  if (keep.length === schema.required.length) return schema;
  return { ...schema, required: keep };
}

/** Visits every `$ref` string in schema positions of an already sanitized schema. */
function collectRefs(schema: unknown, found: Set<string>, doc: OpenApiDocument): void {
  if (!isObject(schema)) return;
  const ref = schema.$ref;
  if (typeof ref === "string") {
    if (!found.has(ref)) {
      found.add(ref);
      collectRefs(componentSchema(doc, ref), found, doc);
    }
    return;
  }
  for (const key of SCHEMA_MAP_KEYWORDS) {
    const map = schema[key];
    if (isObject(map)) for (const sub of Object.values(map)) collectRefs(sub, found, doc);
  }
  for (const key of SCHEMA_KEYWORDS) {
    const sub = schema[key];
    if (Array.isArray(sub)) sub.forEach((s) => collectRefs(s, found, doc));
    else collectRefs(sub, found, doc);
  }
  for (const key of SCHEMA_LIST_KEYWORDS) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((s) => collectRefs(s, found, doc));
  }
}

const docIds = new WeakMap<OpenApiDocument, number>();
let nextDocId = 0;
const registered = new WeakMap<Ajv, Set<string>>();

/** An absolute schema id for a document's component: refs to it compile once per server, not once per operation. */
function componentId(doc: OpenApiDocument, ref: string): string {
  let n = docIds.get(doc);
  if (n === undefined) {
    n = ++nextDocId;
    docIds.set(doc, n);
  }
  return `mock://doc${n}/${ref.slice(2).replace(/[^A-Za-z0-9.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}

/** Copy of a sanitized schema whose local `$ref`s point at the registered component ids. */
function absolutize(schema: unknown, doc: OpenApiDocument): unknown {
  if (!isObject(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/")) {
      out[key] = componentId(doc, value);
    } else if ((SCHEMA_MAP_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      const map: Schema = {};
      for (const [name, sub] of Object.entries(value)) map[name] = absolutize(sub, doc);
      out[key] = map;
    } else if (
      (SCHEMA_KEYWORDS as readonly string[]).includes(key) ||
      (SCHEMA_LIST_KEYWORDS as readonly string[]).includes(key)
    ) {
      out[key] = Array.isArray(value) ? value.map((v) => absolutize(v, doc)) : absolutize(value, doc);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Compiles a sanitized schema of `doc`. The components it reaches are registered with ajv under
 * absolute ids first (once per ajv instance), so large shared definitions such as Falcon's
 * response envelopes are compiled once and reused by every operation.
 */
export function compileSchema(ajv: Ajv, doc: OpenApiDocument, sanitized: unknown): ValidateFunction {
  let done = registered.get(ajv);
  if (!done) {
    done = new Set();
    registered.set(ajv, done);
  }
  const refs = new Set<string>();
  collectRefs(sanitized, refs, doc);
  for (const ref of [...refs].sort()) {
    const id = componentId(doc, ref);
    if (done.has(id)) continue;
    done.add(id);
    const component = absolutize(componentSchema(doc, ref), doc);
    // an $id beside a $ref would be ignored, so such a component is wrapped
    const registeredSchema = !isObject(component)
      ? { $id: id }
      : "$ref" in component
        ? { $id: id, allOf: [component] }
        : { ...component, $id: id };
    ajv.addSchema(registeredSchema, undefined, undefined, false);
  }
  const root = absolutize(sanitized, doc);
  return ajv.compile(isObject(root) ? root : {});
}

export function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    addUsedSchema: false,
    logger: false,
    // error messages quote the offending value
    verbose: true,
    inlineRefs: false,
    code: { optimize: false },
  });
  formats.default(ajv);
  return ajv;
}

export type Validator = ValidateFunction;

/** Renders ajv errors as "where: what" lines, `where` naming the parameter or JSON path. */
export function describeErrors(
  errors: readonly ErrorObject[] | null | undefined,
  label: (path: string) => string,
): string[] {
  if (!errors) return [];
  const out: string[] = [];
  for (const e of errors) {
    // anyOf/oneOf/if summaries repeat what the branch errors already said
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    let path = e.instancePath;
    let message = e.message ?? "is invalid";
    const params = e.params as Record<string, unknown>;
    if (e.keyword === "required") {
      path = `${path}/${String(params.missingProperty)}`;
      message = "is required but missing";
    } else if (e.keyword === "enum") {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
    } else if (e.keyword === "additionalProperties") {
      path = `${path}/${String(params.additionalProperty)}`;
      message = "is not allowed (additionalProperties: false)";
    }
    const data = e.keyword === "required" || e.keyword === "additionalProperties" ? undefined : e.data;
    const got = data === undefined ? "" : ` (got ${preview(data)})`;
    const line = `${label(path)}: ${message}${got}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
