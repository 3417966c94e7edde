/**
 * The conformance pass: every operation of generated/ is called through its service-class
 * method and through `APIHarnessV2.command()`, with arguments built from the operation's own
 * schemas, against the mock server with validation on. The mock is the judge: it records the
 * operation each request matched and what did not conform; the response body is checked
 * against the operation's response schema with the mock's `validateResponse`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ExampleGenerator } from "../../mock/examples.js";
import { exampleBody, exampleValue } from "../../mock/requests.js";
import { BINARY_MARK, componentSchema, sanitizeSchema } from "../../mock/schema.js";
import type { MockFalcon, OperationEntry, RecordedRequest } from "../../mock/server.js";
import type { Schema } from "../../mock/spec.js";
import type { OperationSpec } from "../../runtime/operation.js";
import { DEFAULT_SPEC } from "../../spec/locate.js";
import { isExcluded, KNOWN_EXCLUSIONS, type Path } from "./exclusions.js";

export type { Path } from "./exclusions.js";

export const GENERATED_DIR = fileURLToPath(new URL("../../generated/", import.meta.url));
export const SWAGGER_PATH = DEFAULT_SPEC;

/** Keywords with a payload meaning: a parameter of the same name has to travel another way. */
const PAYLOAD_KEYWORDS = new Set([
  "parameters",
  "body",
  "data",
  "files",
  "file_data",
  "file_name",
  "content_type",
  "headers",
  "action",
]);
/** Marks each call's requests, so concurrent calls can be told apart in the mock's log. */
export const MARK_HEADER = "x-conformance-call";

export interface OperationUnderTest {
  readonly id: string;
  /** generated/<dir>/ holding the operation's table and class. */
  readonly dir: string;
  readonly spec: OperationSpec;
  /** Service class name and method name (from generated/api-surface.txt). */
  readonly className: string;
  readonly method: string;
}

/** Every operation of the generated tables, with the class method that sends it. */
export async function enumerateOperations(): Promise<OperationUnderTest[]> {
  const surface = parseSurface(readFileSync(`${GENERATED_DIR}api-surface.txt`, "utf8"));
  const out: OperationUnderTest[] = [];
  const dirs = readdirSync(GENERATED_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${GENERATED_DIR}${d.name}/index.ts`))
    .map((d) => d.name)
    .sort();
  for (const dir of dirs) {
    const mod = (await importGenerated(dir, "index")) as { operations: () => Readonly<Record<string, OperationSpec>> };
    for (const [id, spec] of Object.entries(mod.operations())) {
      const m = surface.get(id);
      out.push({ id, dir, spec, className: m?.className ?? "", method: m?.method ?? "" });
    }
  }
  return out;
}

/** Loads generated/<dir>/<file>.ts (a computed path, which vite's import analysis must leave alone). */
export function importGenerated(dir: string, file: "operations" | "index"): Promise<unknown> {
  return import(/* @vite-ignore */ pathToFileURL(`${GENERATED_DIR}${dir}/${file}.ts`).href);
}

/** Operation ID -> {className, method} from lines like `  Hosts.queryDevices  GET /path  [QueryDevices]`. */
export function parseSurface(text: string): Map<string, { className: string; method: string }> {
  const map = new Map<string, { className: string; method: string }>();
  for (const line of text.split("\n")) {
    const m = /^ {2}([A-Za-z0-9_]+)\.([A-Za-z0-9_$]+) {2}[A-Z]+ \S+ {2}\[([^\]]+)\]( \[deprecated\])?$/.exec(line);
    if (m) map.set(m[3]!, { className: m[1]!, method: m[2]! });
  }
  return map;
}

/** Operation IDs of the committed spec (spec/swagger.json), when it is there. */
export function swaggerOperationIds(): string[] | undefined {
  if (!existsSync(SWAGGER_PATH)) return undefined;
  const doc = JSON.parse(readFileSync(SWAGGER_PATH, "utf8")) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const ids: string[] = [];
  for (const item of Object.values(doc.paths))
    for (const [method, op] of Object.entries(item))
      if (method !== "parameters" && op && typeof op.operationId === "string") ids.push(op.operationId);
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Arguments

export interface BuiltArgs {
  /** For the service-class method: keywords for parameters, `body` for JSON, `file_data` + keywords for forms. */
  readonly service: Record<string, unknown>;
  /** For command(): `parameters` for the query, body keywords where possible, `data` + `files` for forms. */
  readonly command: Record<string, unknown>;
}

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function resolveRef(entry: OperationEntry, schema: unknown): Schema {
  let node = schema;
  for (let i = 0; i < 20 && isObject(node) && typeof node.$ref === "string"; i++)
    node = componentSchema(entry.doc, node.$ref);
  return isObject(node) ? node : {};
}

const FILE_BYTES = new Uint8Array([0x46, 0x4d, 0x00, 0xff, 0x7f, 0x80]);

/**
 * Schema-valid arguments for one operation: required query/header parameters and every path
 * parameter from their schemas, and a body or form from the request body's first media type.
 * `secrets` substitutes the real credentials where an operation asks for them (oauth2).
 */
export function buildArgs(
  entry: OperationEntry,
  spec: OperationSpec,
  gen: ExampleGenerator,
  credentials: Readonly<Record<string, string>> = {},
  optional = false,
): BuiltArgs {
  // only the token endpoints take the caller's own credentials (a `client_id` elsewhere is another system's)
  const secrets = entry.path.startsWith("/oauth2/") ? credentials : {};
  const service: Record<string, unknown> = {};
  const command: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const paramNames = new Set(spec.params.map((p) => p.name));
  for (const p of entry.parameters) {
    if (!p.required && p.in !== "path" && !optional) continue;
    // the pipeline sends the bearer token itself
    if (p.in === "header" && p.name.toLowerCase() === "authorization") continue;
    const value = secrets[p.name] ?? exampleValue(gen, p.name, sanitizeSchema(p.schema ?? {}));
    service[p.name] = value;
    if (p.in === "query") query[p.name] = value;
    else command[p.name] = value;
  }
  // command(): the query through FalconPy's `parameters` dictionary (the other style)
  if (Object.keys(query).length) command.parameters = query;

  const rb = entry.requestBody;
  if (rb) {
    const mediaType = pickMediaType(Object.keys(rb.content), spec);
    const raw = rb.content[mediaType]?.schema ?? {};
    const type = mediaType.toLowerCase();
    if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
      const schema = resolveRef(entry, sanitizeSchema(raw));
      const props = isObject(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const fields: Record<string, unknown> = {};
      const files: [string, [string, Uint8Array, string]][] = [];
      for (const [name, sub] of Object.entries(props)) {
        if (!required.has(name) && !optional) continue;
        const s = resolveRef(entry, sub);
        if (s[BINARY_MARK]) files.push([name, ["example.bin", FILE_BYTES, "application/octet-stream"]]);
        else fields[name] = secrets[name] ?? exampleValue(gen, name, s);
      }
      const fileField = spec.params.find((p) => p.in === "formData" && p.type === "file")?.name;
      // service method: form fields as keywords, the operation's file part as `file_data`
      for (const [k, v] of Object.entries(fields)) {
        if (paramNames.has(k) && !(PAYLOAD_KEYWORDS.has(k) && k !== "file_name")) service[k] = v;
        else (service.data ??= {} as Record<string, unknown>), ((service.data as Record<string, unknown>)[k] = v);
      }
      const rest = files.filter(([f]) => {
        if (f === fileField && service.file_data === undefined) {
          service.file_data = FILE_BYTES;
          if (service.file_name === undefined) service.file_name = "example.bin";
          return false;
        }
        return true;
      });
      if (rest.length) service.files = rest;
      // command(): FalconPy's `data` dictionary and `files` tuples
      if (Object.keys(fields).length) command.data = fields;
      if (files.length) command.files = files;
    } else if (/json/.test(type)) {
      const value = exampleBody(gen, sanitizeSchema(raw));
      service.body = value;
      const keys = new Set(spec.bodyKeys ?? []);
      const asKeywords =
        isObject(value) &&
        Object.keys(value).length > 0 &&
        Object.keys(value).every(
          (k) => keys.has(k) && !PAYLOAD_KEYWORDS.has(k) && !paramNames.has(k) && !(k in command),
        );
      // command(): the body payload abstraction (body properties as keywords) where it can carry the body
      if (asKeywords) Object.assign(command, value);
      else command.body = value;
    } else if (type.startsWith("text/") || type.includes("yaml")) {
      const text = new TextEncoder().encode("example: true\n");
      service.data = text;
      service.content_type = mediaType;
      command.body = text;
      command.content_type = mediaType;
    } else {
      const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
      service.data = bytes;
      command.file_data = bytes;
      if (mediaType !== "application/octet-stream") {
        service.content_type = mediaType;
        command.content_type = mediaType;
      }
    }
  }
  return { service, command };
}

/**
 * The request body media type to exercise. Swagger 2.0 has either a body parameter or form
 * parameters, never both, so the table's parameters say which: a route with `consumes`
 * [json, multipart] and a body parameter (ExecuteCommand) takes JSON.
 */
function pickMediaType(types: readonly string[], spec: OperationSpec): string {
  const isForm = (t: string): boolean => t === "multipart/form-data" || t === "application/x-www-form-urlencoded";
  if (spec.params.some((p) => p.in === "formData")) {
    const consumes = spec.consumes ?? [];
    return types.find((t) => isForm(t) && consumes.includes(t)) ?? types.find(isForm) ?? types[0]!;
  }
  return types.find((t) => /json/.test(t)) ?? types.find((t) => !isForm(t)) ?? types[0]!;
}

// ---------------------------------------------------------------------------------------------
// Checking one call

export interface CallOutcome {
  readonly id: string;
  readonly path: Path;
  readonly ok: boolean;
  /** Short failure class for the summary table. */
  readonly reason?: string;
  readonly detail?: string;
}

interface DictLike {
  status_code: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Judges one call from its result and the requests the mock recorded for it. */
export function judge(
  mock: MockFalcon,
  op: OperationUnderTest,
  path: Path,
  result: unknown,
  records: readonly RecordedRequest[],
): CallOutcome {
  const base = { id: op.id, path };
  const r = result as DictLike;
  const api = records.filter((x) => x.operationId === op.id);
  if (records.length === 0)
    return {
      ...base,
      ok: false,
      reason: "no request reached the mock",
      detail: JSON.stringify(r?.body)?.slice(0, 300),
    };
  const rejected = records.find((x) => x.errors.length > 0);
  if (rejected)
    return {
      ...base,
      ok: false,
      reason: rejected.operationId === undefined ? "no route matched" : "request rejected by the mock",
      detail: rejected.errors.join("; ").slice(0, 400),
    };
  if (api.length === 0)
    return {
      ...base,
      ok: false,
      reason: "wrong operation matched",
      detail: records.map((x) => `${x.method} ${x.path} -> ${x.operationId}`).join(", "),
    };
  if (!r || typeof r.status_code !== "number")
    return { ...base, ok: false, reason: "not a dict result", detail: String(result) };
  if (r.status_code < 200 || r.status_code >= 300)
    return { ...base, ok: false, reason: `HTTP ${r.status_code}`, detail: JSON.stringify(r.body)?.slice(0, 300) };
  if (op.spec.binary) {
    if (!(r.body instanceof Uint8Array))
      return { ...base, ok: false, reason: "binary operation did not return bytes", detail: typeof r.body };
    return { ...base, ok: true };
  }
  if (r.body instanceof Uint8Array)
    return { ...base, ok: false, reason: "JSON operation returned bytes", detail: `${r.body.byteLength} bytes` };
  if (r.status_code === 204) return { ...base, ok: true };
  const problems = mock.validateResponse(op.id, r.body, r.status_code);
  if (problems.length)
    return {
      ...base,
      ok: false,
      reason: "response body does not match the schema",
      detail: problems.slice(0, 3).join("; "),
    };
  return { ...base, ok: true };
}

// ---------------------------------------------------------------------------------------------
// Report

export interface PathSummary {
  attempted: number;
  passed: number;
  failed: number;
  /** Known exclusions that failed as expected (see exclusions.ts). */
  excluded: number;
  failedByReason: Record<string, number>;
}

export interface ConformanceReport {
  readonly operations: number;
  readonly swaggerOperations: number | null;
  readonly exclusions: readonly { id: string; paths: readonly Path[]; reason: string }[];
  readonly paths: Partial<Record<Path, PathSummary>>;
  /** Failures not covered by an exclusion, and excluded calls that now pass (stale entries). */
  readonly failures: readonly CallOutcome[];
  readonly excludedFailures: readonly CallOutcome[];
  readonly durationMs: number;
}

export const STALE = "excluded but passes: remove it from KNOWN_EXCLUSIONS";

export function summarise(
  operations: number,
  swaggerOperations: number | null,
  outcomes: readonly CallOutcome[],
  durationMs: number,
): ConformanceReport {
  const paths: Partial<Record<Path, PathSummary>> = {};
  const failures: CallOutcome[] = [];
  const excludedFailures: CallOutcome[] = [];
  for (const o of outcomes) {
    const s = (paths[o.path] ??= { attempted: 0, passed: 0, failed: 0, excluded: 0, failedByReason: {} });
    s.attempted++;
    const excluded = isExcluded(o.id, o.path) !== undefined;
    let reason: string | undefined;
    if (o.ok && !excluded) s.passed++;
    else if (!o.ok && excluded) {
      s.excluded++;
      excludedFailures.push(o);
    } else {
      reason = o.ok ? STALE : o.reason!;
      s.failed++;
      failures.push(o.ok ? { ...o, ok: false, reason } : o);
    }
    if (reason) s.failedByReason[reason] = (s.failedByReason[reason] ?? 0) + 1;
  }
  return {
    operations,
    swaggerOperations,
    exclusions: Object.entries(KNOWN_EXCLUSIONS).map(([id, e]) => ({ id, paths: e.paths, reason: e.reason })),
    paths,
    failures,
    excludedFailures,
    durationMs: Math.round(durationMs),
  };
}

const PATH_LABEL: Record<Path, string> = {
  service: "service class method",
  command: "APIHarnessV2.command()",
  validated: "command(), validatePayloads on",
};

export function formatReport(r: ConformanceReport): string {
  const lines = [
    `conformance: ${r.operations} operations in generated/${r.swaggerOperations !== null ? ` (swagger.json: ${r.swaggerOperations})` : " (no swagger.json beside the repo)"}, ${r.durationMs} ms`,
    `${"path".padEnd(32)} attempted  passed  failed  excluded`,
  ];
  for (const [p, s] of Object.entries(r.paths) as [Path, PathSummary][])
    lines.push(
      `${PATH_LABEL[p].padEnd(32)} ${String(s.attempted).padStart(9)} ${String(s.passed).padStart(7)} ${String(s.failed).padStart(7)} ${String(s.excluded).padStart(9)}`,
    );
  const reasons = new Map<string, number>();
  for (const s of Object.values(r.paths))
    for (const [k, n] of Object.entries(s.failedByReason)) reasons.set(k, (reasons.get(k) ?? 0) + n);
  if (reasons.size) {
    lines.push("failed by reason:");
    for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)}  ${k}`);
    for (const f of r.failures.slice(0, 40)) lines.push(`  - ${f.id} [${f.path}] ${f.reason}: ${f.detail ?? ""}`);
  }
  const byReason = new Map<string, string[]>();
  for (const e of r.exclusions)
    byReason.set(`[${e.paths.join(",")}] ${e.reason}`, [
      ...(byReason.get(`[${e.paths.join(",")}] ${e.reason}`) ?? []),
      e.id,
    ]);
  for (const [reason, ids] of byReason) lines.push(`known exclusions ${reason}: ${ids.join(", ")}`);
  return lines.join("\n");
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
