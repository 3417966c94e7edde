/**
 * Payload routing: turns `(args)` into path, query string, headers and body by each
 * parameter's `in` from the operation table. Per-operation routing data is compiled lazily,
 * once, and cached on a WeakMap keyed by the table entry, so a call only walks its own args.
 */
import { PayloadValidationError, SDKError } from "./errors.js";
import type { ValidationIssue } from "./errors.js";
import { PAYLOAD_KEYWORDS, type BinaryInput, type FileTuple } from "./arguments.js";
import type { OperationSpec, ParamSpec } from "./operation.js";
import { falconPyArguments } from "./falconpy-keywords.js";
import { headerProblem, isPlainRecord, typeOf } from "./options.js";

/** Raw bytes in any of the forms the router can send. */
export type BinaryLike = BinaryInput | string;
type FilesPayload = readonly FileTuple[];

/** Longest query string sent (bytes after encoding): gateways refuse longer request lines. */
export const MAX_QUERY_BYTES = 8192;

/**
 * `.` and `..`, also percent-encoded (`%2e`, `%252e`...): a path segment that URL parsing or a
 * gateway collapses, moving the request to another route.
 */
const DOT_SEGMENT = /^(?:\.|%(?:25)*2e){1,2}$/i;

/** Why a path made from user input would not stay the route it names, or undefined. */
export function dotSegmentIn(segments: readonly string[]): string | undefined {
  return segments.find((s) => DOT_SEGMENT.test(s));
}

const FILE_CONTENT =
  "bytes (Uint8Array, ArrayBuffer) or a Blob (fileFromPath() from falconts/node opens a file); a string is not file content";

// ---------------------------------------------------------------------------------------------
// Compiled routing data

type Loc = 0 | 1 | 2 | 3; // query, path, header, formData
const LOC: Record<string, Loc> = { query: 0, path: 1, header: 2, formData: 3 };

interface ParamRoute {
  readonly loc: Loc;
  readonly spec: ParamSpec;
}

export interface CompiledOperation {
  readonly op: OperationSpec;
  readonly params: ReadonlyMap<string, ParamRoute>;
  /** Path template split: even indexes literal text, odd indexes parameter names. */
  readonly pathParts: readonly string[];
  readonly hasBody: boolean;
  readonly bodyKeys: ReadonlySet<string> | undefined;
  /** The form's file field, target of `file_data` on multipart routes. */
  readonly fileField: string | undefined;
  readonly form: "multipart" | "urlencoded" | undefined;
  /** Content type for a JSON body. */
  readonly jsonType: string;
  /** Content type for raw bytes when the caller names none. */
  readonly rawType: string;
  /** POST/PUT/PATCH with neither body nor form parameters still sends `{}` (the API wants it). */
  readonly emptyJson: boolean;
  readonly fileNameIsParam: boolean;
  readonly requiredPath: readonly string[];
  /** Required file parts of a multipart form (UploadSampleV3's `sample`). */
  readonly requiredFiles: readonly string[];
}

const compiled = new WeakMap<OperationSpec, CompiledOperation>();

export function compileOperation(op: OperationSpec): CompiledOperation {
  let c = compiled.get(op);
  if (c === undefined) {
    c = compile(op);
    compiled.set(op, c);
  }
  return c;
}

function compile(op: OperationSpec): CompiledOperation {
  const params = new Map<string, ParamRoute>();
  const requiredFiles: string[] = [];
  let hasBody = false;
  let fileField: string | undefined;
  let hasForm = false;
  for (const p of op.params) {
    if (p.in === "body") {
      hasBody = true;
      continue;
    }
    if (p.in === "formData") {
      hasForm = true;
      if (p.type === "file" && fileField === undefined) fileField = p.name;
      if (p.type === "file" && p.required) requiredFiles.push(p.name);
    }
    params.set(p.name, { loc: LOC[p.in] ?? 0, spec: p });
  }
  const consumes = op.consumes ?? [];
  let form: CompiledOperation["form"];
  // Swagger 2.0 has a body parameter or form parameters, never both: a body parameter means a
  // JSON body even where `consumes` also lists a form type (ExecuteCommand, StartSearchV1).
  if (hasBody && !hasForm) form = undefined;
  else if (consumes.some((t) => t.startsWith("multipart/"))) form = "multipart";
  else if (consumes.includes("application/x-www-form-urlencoded")) form = "urlencoded";
  else if (hasForm) form = fileField ? "multipart" : "urlencoded";
  const parts: string[] = [];
  const re = /\{([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(op.path); m; m = re.exec(op.path)) {
    parts.push(op.path.slice(last, m.index), m[1]!);
    last = m.index + m[0].length;
  }
  parts.push(op.path.slice(last));
  const requiredPath: string[] = [];
  for (let i = 1; i < parts.length; i += 2) requiredPath.push(parts[i]!);
  const jsonType = consumes.find((t) => t.includes("json")) ?? "application/json";
  const rawType =
    consumes.find(
      (t) => !t.includes("json") && !t.startsWith("multipart/") && t !== "application/x-www-form-urlencoded",
    ) ?? "application/octet-stream";
  const m = op.method;
  return {
    op,
    params,
    pathParts: parts,
    hasBody,
    bodyKeys: op.bodyKeys?.length ? new Set(op.bodyKeys) : undefined,
    fileField,
    form,
    jsonType,
    rawType,
    emptyJson: !hasBody && !hasForm && (m === "POST" || m === "PUT" || m === "PATCH"),
    fileNameIsParam: params.has("file_name"),
    requiredPath,
    requiredFiles,
  };
}

// ---------------------------------------------------------------------------------------------
// Routing

export type WireBody = string | Uint8Array | FormData | Blob;

export interface RoutedRequest {
  /** Path and query string, relative to the base URL. */
  path: string;
  /** Header parameters and per-request headers, names in lower case (undefined when none). */
  headers: Record<string, string> | undefined;
  body: WireBody | undefined;
  contentType: string | undefined;
  /** The routed values before serialisation (kept only for validation). */
  values?: RoutedValues;
}

export interface RoutedValues {
  query: Record<string, unknown>;
  path: Record<string, unknown>;
  header: Record<string, unknown>;
  body: unknown;
  formData: Record<string, unknown> | undefined;
  /**
   * A refusal the router leaves to validation (a query string over MAX_QUERY_BYTES): the schema's
   * own limit, when it has one, says more ("at most 100 items"); validatePayload throws this otherwise.
   */
  deferred?: PayloadValidationError;
}

/** RFC 3986 strict: encodeURIComponent leaves !'()* alone, which some gateways treat specially. */
const STRICT = /[!'()*]/g;
const strictHex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
export function encodeStrict(s: string): string {
  const e = encodeURIComponent(s);
  return STRICT.test(e) ? ((STRICT.lastIndex = 0), e.replace(STRICT, strictHex)) : e;
}

function scalar(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (v instanceof Date) return v.toISOString();
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

const JOIN: Record<string, string> = { csv: ",", ssv: " ", tsv: "\t", pipes: "|" };

/** Appends one query parameter, serialised by its collectionFormat. */
function appendQuery(qs: string, key: string, value: unknown, spec: ParamSpec | undefined): string {
  if (value === undefined || value === null) return qs;
  const k = encodeStrict(key);
  if (spec !== undefined && spec.type === "array") {
    const fmt = spec.collectionFormat ?? "csv";
    if (fmt === "multi") {
      // FalconPy splits a comma string for array parameters, so "a,b" travels as ids=a&ids=b.
      const list = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : [value];
      for (const item of list) {
        if (item === undefined || item === null) continue;
        qs += `${(qs ? "&" : "") + k}=${encodeStrict(scalar(item))}`;
      }
      return qs;
    }
    if (Array.isArray(value)) value = value.map(scalar).join(JOIN[fmt] ?? ",");
  } else if (Array.isArray(value)) {
    // Undeclared (e.g. via `parameters`): repeat the key, as requests does.
    for (const item of value) {
      if (item === undefined || item === null) continue;
      qs += `${(qs ? "&" : "") + k}=${encodeStrict(scalar(item))}`;
    }
    return qs;
  }
  return `${qs + (qs ? "&" : "") + k}=${encodeStrict(scalar(value))}`;
}

function isBinary(v: unknown): v is Uint8Array | ArrayBuffer | Blob {
  return v instanceof Uint8Array || v instanceof ArrayBuffer || (typeof Blob !== "undefined" && v instanceof Blob);
}
/** A File's own name (fileFromPath gives one), else undefined. */
function nameOf(v: unknown): string | undefined {
  return typeof File !== "undefined" && v instanceof File && v.name ? v.name : undefined;
}
function asBlob(v: BinaryLike, type?: string): Blob {
  if (v instanceof Blob) return type && v.type !== type ? new Blob([v], { type }) : v;
  return new Blob([(v instanceof ArrayBuffer ? new Uint8Array(v) : v) as BlobPart], type ? { type } : undefined);
}
function toWire(v: BinaryLike): WireBody {
  return v instanceof ArrayBuffer ? new Uint8Array(v) : v;
}

function appendForm(form: FormData, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) appendForm(form, key, item);
  } else if (isBinary(value)) {
    form.append(key, asBlob(value), key);
  } else {
    form.append(key, scalar(value));
  }
}

function fail(op: OperationSpec, issues: ValidationIssue[]): never {
  throw new PayloadValidationError(op.id, issues);
}

/**
 * Routes one call's arguments. Throws PayloadValidationError for unknown keywords and missing
 * path parameters (a URL cannot be built without them), whatever the result mode.
 */
export function routeRequest(c: CompiledOperation, args: unknown, keepValues = false): RoutedRequest {
  // FalconPy's conventions first: positional ids become `{ ids }`; any other value that is not an
  // object is KeywordsOnly there. Bytes or a Blob in place of the keywords are refused here.
  try {
    const given = falconPyArguments(c, args);
    if (given !== undefined && isBinary(given)) {
      fail(c.op, [{ path: [], message: `arguments must be an object of keywords, got ${typeOf(given)}` }]);
    }
    return route(c, given, keepValues);
  } catch (err) {
    if (SDKError.isSDKError(err)) throw err;
    // A value nothing can serialise (a BigInt or a cycle in a JSON body, an object without a
    // string form): say which operation refused it instead of surfacing a TypeError from inside.
    const detail = err instanceof Error ? err.message : String(err);
    throw new PayloadValidationError(c.op.id, [{ path: [], message: `arguments cannot be serialised: ${detail}` }]);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isBinary(v);
}

function checkKeyword(op: OperationSpec, key: string, value: unknown): void {
  let ok = true;
  let want = "";
  switch (key) {
    case "parameters":
      ok = isRecord(value);
      want = `an object, got ${typeOf(value)}`;
      break;
    case "headers":
      if (!isPlainRecord(value))
        fail(op, [
          { path: [key], message: `headers must be an object of header names to values, got ${typeOf(value)}` },
        ]);
      for (const name of Object.keys(value)) {
        const problem = headerProblem(name, value[name]);
        if (problem) fail(op, [{ path: [key, name], message: problem }]);
      }
      break;
    case "files":
      if (!Array.isArray(value))
        fail(op, [
          {
            path: [key],
            message: `files must be a list of [field, [file name, content, mime type?]], got ${typeOf(value)}`,
          },
        ]);
      value.forEach((f: unknown, i) => {
        const shape =
          Array.isArray(f) && typeof f[0] === "string" && Array.isArray(f[1]) && typeof f[1][0] === "string";
        if (!shape)
          fail(op, [{ path: [key, i], message: "each file must be [field, [file name, content, mime type?]]" }]);
        const [, [, content, mime]] = f as [string, [string, unknown, unknown]];
        if (!isBinary(content))
          fail(op, [
            { path: [key, i, "content"], message: `file content must be ${FILE_CONTENT} (got ${typeOf(content)})` },
          ]);
        if (mime !== undefined && mime !== null && typeof mime !== "string")
          fail(op, [{ path: [key, i, "mime"], message: `the mime type must be a string, got ${typeOf(mime)}` }]);
      });
      break;
    case "file_data":
      ok = isBinary(value);
      want = `${FILE_CONTENT} (got ${typeOf(value)})`;
      break;
    case "data":
      ok = typeof value === "string" || isBinary(value) || isRecord(value);
      want = `an object of form fields, bytes or a string, got ${typeOf(value)}`;
      break;
    case "file_name":
      ok = typeof value === "string";
      want = `a string, got ${typeOf(value)}`;
      break;
    case "content_type": {
      const problem =
        typeof value === "string"
          ? headerProblem("content-type", value)
          : `content_type must be a string, got ${typeOf(value)}`;
      if (problem) fail(op, [{ path: [key], message: problem }]);
      break;
    }
  }
  if (!ok) fail(op, [{ path: [key], message: `${key} must be ${want}` }]);
}

function route(
  c: CompiledOperation,
  args: Readonly<Record<string, unknown>> | undefined,
  keepValues: boolean,
): RoutedRequest {
  const op = c.op;
  let query: Record<string, unknown> | undefined;
  let pathVals: Record<string, unknown> | undefined;
  let headers: Record<string, string> | undefined;
  let headerVals: Record<string, unknown> | undefined;
  let formVals: Record<string, unknown> | undefined;
  let bodyFromKeys: Record<string, unknown> | undefined;
  let unknown: string[] | undefined;
  let body: unknown;
  let data: unknown;
  let files: FilesPayload | undefined;
  let fileData: BinaryLike | undefined;
  let fileName: string | undefined;
  let contentType: string | undefined;
  let extra: Readonly<Record<string, string>> | undefined;
  let parameters: Readonly<Record<string, unknown>> | undefined;

  if (args) {
    for (const key in args) {
      const value = args[key];
      if (value === undefined) continue;
      const route = c.params.get(key);
      if (route !== undefined && !(PAYLOAD_KEYWORDS.has(key) && key !== "file_name")) {
        switch (route.loc) {
          case 0:
            (query ??= {})[key] = value;
            break;
          case 1:
            (pathVals ??= {})[key] = value;
            break;
          case 2:
            (headerVals ??= {})[key] = value;
            break;
          default:
            (formVals ??= {})[key] = value;
        }
        if (key === "file_name" && typeof value === "string") fileName = value;
        continue;
      }
      if (value !== null && PAYLOAD_KEYWORDS.has(key)) checkKeyword(op, key, value);
      switch (key) {
        case "parameters":
          parameters = value as Record<string, unknown>;
          continue;
        case "body":
          body = value;
          continue;
        case "data":
          data = value;
          continue;
        case "files":
          files = value as FilesPayload;
          continue;
        case "file_data":
          fileData = value as BinaryLike;
          continue;
        case "file_name":
          fileName = String(value);
          continue;
        case "content_type":
          contentType = String(value);
          continue;
        case "headers":
          extra = value as Record<string, string>;
          continue;
      }
      if (c.bodyKeys?.has(key)) {
        (bodyFromKeys ??= {})[key] = value;
        continue;
      }
      (unknown ??= []).push(key);
    }
  }
  if (unknown !== undefined) {
    const known = [...c.params.keys()].concat(c.bodyKeys ? [...c.bodyKeys] : []);
    fail(
      op,
      unknown.map((k) => ({
        path: [k],
        message:
          `unknown keyword for ${op.id}` +
          (known.length ? ` (accepted: ${known.slice(0, 30).join(", ")}${known.length > 30 ? ", ..." : ""})` : ""),
      })),
    );
  }

  // Path
  let path: string;
  const parts = c.pathParts;
  if (parts.length === 1) path = parts[0]!;
  else {
    path = parts[0]!;
    let missing: string[] | undefined;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      const v = pathVals?.[name];
      if (v === undefined || v === null || v === "") (missing ??= []).push(name);
      else {
        const text = Array.isArray(v) ? v.map(scalar).join(",") : scalar(v);
        // URL parsing (ours, a proxy's, the gateway's) collapses dot segments: "c/.." is "c/"
        if (DOT_SEGMENT.test(text))
          fail(op, [
            {
              path: ["path", name],
              message: `${JSON.stringify(text)} is a dot segment: it would change the route, not name a resource`,
            },
          ]);
        path += encodeStrict(text);
      }
      path += parts[i + 1]!;
    }
    if (missing)
      fail(
        op,
        missing.map((n) => ({ path: ["path", n], message: `missing required path parameter "${n}"` })),
      );
  }

  // Body
  let wireBody: WireBody | undefined;
  let formOut: Record<string, unknown> | undefined;
  const rawData = data !== undefined && (typeof data === "string" || isBinary(data));
  // `files` make a multipart form even where the table declares none (override routes).
  const formMode = c.form ?? (files !== undefined ? "multipart" : undefined);
  if (formMode !== undefined && !rawData) {
    for (const name of c.requiredFiles) {
      const given =
        formVals?.[name] !== undefined ||
        (isRecord(data) && data[name] !== undefined) ||
        (fileData !== undefined && name === c.fileField) ||
        files?.some(([field]) => field === name);
      if (!given)
        fail(op, [
          {
            path: ["formData", name],
            message: `missing required file part "${name}" (give file_data, ${name}, or files)`,
          },
        ]);
    }
    // Form routes: fields from `data` and keywords, files from `files` / `file_data`.
    if (formMode === "urlencoded" && files === undefined && fileData === undefined) {
      const fields = data !== undefined ? { ...(data as Record<string, unknown>), ...formVals } : formVals;
      formOut = fields;
      if (fields) {
        let s = "";
        for (const k in fields) s = appendQuery(s, k, fields[k], c.params.get(k)?.spec);
        wireBody = s;
        contentType ??= "application/x-www-form-urlencoded";
      }
    } else if (data !== undefined || formVals !== undefined || files !== undefined || fileData !== undefined) {
      const form = new FormData();
      formOut = {};
      if (data !== undefined) {
        for (const k in data as Record<string, unknown>) {
          const v = (data as Record<string, unknown>)[k];
          if (c.params.get(k)?.spec.type === "file" && !isBinary(v))
            fail(op, [
              {
                path: ["data", k],
                message: `${k} is a file part: its content must be ${FILE_CONTENT} (got ${typeOf(v)})`,
              },
            ]);
          appendForm(form, k, v);
          formOut[k] = v;
        }
      }
      if (formVals) {
        for (const k in formVals) {
          const spec = c.params.get(k)?.spec;
          const v = formVals[k];
          if (spec?.type === "file") {
            if (!isBinary(v))
              fail(op, [
                {
                  path: ["formData", k],
                  message: `${k} is a file part: its content must be ${FILE_CONTENT} (got ${typeOf(v)})`,
                },
              ]);
            form.append(k, asBlob(v), fileName ?? nameOf(v) ?? k);
          } else appendForm(form, k, v);
          formOut[k] = v;
        }
      }
      if (fileData !== undefined) {
        const field = c.fileField ?? "file";
        form.append(
          field,
          asBlob(fileData, contentType ?? "application/octet-stream"),
          fileName ?? nameOf(fileData) ?? field,
        );
        formOut[field] = fileData;
      }
      if (files) {
        for (const [field, [name, content, mime]] of files) {
          form.append(field, asBlob(content, mime ?? "application/octet-stream"), name);
          formOut[field] = content;
        }
      }
      wireBody = form;
      // fetch/undici write the boundary; a caller's multipart content_type would lack it.
      contentType = undefined;
    }
  } else {
    if (rawData) {
      wireBody = toWire(data as BinaryLike);
      contentType ??= c.rawType;
      // FalconPy's documented raw upload: the form fields travel in the query instead.
      if (formVals) for (const k in formVals) (query ??= {})[k] = formVals[k];
    } else if (fileData !== undefined) {
      wireBody = toWire(fileData);
      contentType ??= c.rawType;
      if (formVals) for (const k in formVals) (query ??= {})[k] = formVals[k];
    } else if (data !== undefined && typeof data === "object" && data !== null) {
      // Form fields on a JSON route: send them url-encoded, as requests' data= does.
      let s = "";
      for (const k in data as Record<string, unknown>)
        s = appendQuery(s, k, (data as Record<string, unknown>)[k], undefined);
      wireBody = s;
      contentType ??= "application/x-www-form-urlencoded";
    }
    if (wireBody === undefined) {
      if (bodyFromKeys !== undefined)
        body = body === undefined ? bodyFromKeys : { ...(body as object), ...bodyFromKeys };
      if (body !== undefined) {
        if (isBinary(body)) {
          wireBody = toWire(body);
          contentType ??= c.rawType;
        } else {
          wireBody = JSON.stringify(body);
          contentType ??= c.jsonType;
        }
      } else if (c.emptyJson || (c.hasBody && op.method !== "GET" && op.method !== "DELETE" && op.method !== "HEAD")) {
        wireBody = "{}";
        contentType ??= c.jsonType;
      }
    }
  }

  // Query: `parameters` first, keywords win (and keep their own position when new).
  let qs = "";
  if (parameters !== undefined) {
    if (query === undefined) {
      for (const k in parameters) qs = appendQuery(qs, k, parameters[k], c.params.get(k)?.spec);
    } else {
      const merged: Record<string, unknown> = { ...parameters, ...query };
      query = merged;
    }
  }
  if (query !== undefined) for (const k in query) qs = appendQuery(qs, k, query[k], c.params.get(k)?.spec);
  let deferred: PayloadValidationError | undefined;
  if (qs.length > MAX_QUERY_BYTES) {
    deferred = queryTooLong(c, qs, query ?? parameters!);
    if (!keepValues) throw deferred;
  }
  if (qs) path += `?${qs}`;

  // Headers: header parameters, then the caller's per-request headers.
  if (headerVals !== undefined) {
    headers = {};
    for (const k in headerVals) {
      const v = headerVals[k];
      if (v === undefined || v === null) continue;
      const text = Array.isArray(v) ? v.map(scalar).join(",") : scalar(v);
      const problem = headerProblem(k, text);
      if (problem) fail(op, [{ path: ["header", k], message: problem }]);
      headers[k.toLowerCase()] = text;
    }
  }
  if (extra !== undefined) {
    headers ??= {};
    for (const k in extra) {
      const v = extra[k];
      if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    }
  }

  const routed: RoutedRequest = { path, headers, body: wireBody, contentType };
  if (keepValues) {
    const q: Record<string, unknown> =
      parameters !== undefined && query === undefined ? { ...parameters } : { ...query };
    routed.values = {
      query: q,
      path: pathVals ?? {},
      header: headerVals ?? {},
      // raw bytes are the body of an operation whose body parameter is binary (ArchiveUploadV1)
      body:
        rawData || fileData !== undefined
          ? c.hasBody && formMode === undefined
            ? rawData
              ? data
              : fileData
            : undefined
          : body,
      formData: formOut,
      deferred,
    };
  }
  return routed;
}

/**
 * A query string over MAX_QUERY_BYTES: refused before sending, naming the parameter that takes
 * the most room (10,000 ids make a 370 KB URL that a gateway answers with 414 or a reset).
 */
function queryTooLong(
  c: CompiledOperation,
  qs: string,
  values: Readonly<Record<string, unknown>>,
): PayloadValidationError {
  let worst = "";
  let worstBytes = -1;
  for (const k in values) {
    const bytes = appendQuery("", k, values[k], c.params.get(k)?.spec).length;
    if (bytes > worstBytes) [worst, worstBytes] = [k, bytes];
  }
  const v = values[worst];
  const items = Array.isArray(v) ? ` (${v.length} items)` : "";
  return new PayloadValidationError(c.op.id, [
    {
      path: ["query", worst],
      message: `the query string would be ${qs.length} bytes, over the ${MAX_QUERY_BYTES}-byte limit; ${worst} takes ${worstBytes}${items}: send fewer per call`,
    },
  ]);
}

/** Resolves the host of an operation served from another host (the container-upload routes). */
export function baseUrlFor(op: OperationSpec, baseUrl: string): string {
  if (op.host !== "container-upload") return baseUrl;
  const cached = uploadHosts.get(baseUrl);
  if (cached !== undefined) return cached;
  let out = baseUrl;
  try {
    const u = new URL(baseUrl);
    const host = UPLOAD_HOSTS[u.hostname];
    if (host) out = `${u.protocol}//${host}`;
  } catch {
    /* keep the base URL: a custom gateway or a mock serves these routes itself */
  }
  uploadHosts.set(baseUrl, out);
  return out;
}
const uploadHosts = new Map<string, string>();
const UPLOAD_HOSTS: Record<string, string> = {
  "api.crowdstrike.com": "container-upload.us-1.crowdstrike.com",
  "api.us-2.crowdstrike.com": "container-upload.us-2.crowdstrike.com",
  "api.eu-1.crowdstrike.com": "container-upload.eu-1.crowdstrike.com",
  "api.laggar.gcw.crowdstrike.com": "container-upload.laggar.gcw.crowdstrike.com",
  "api.us-gov-2.crowdstrike.mil": "container-upload.us-gov-2.crowdstrike.mil",
};
