/**
 * Loading OpenAPI 3.0 documents for the mock server and finding the operation a request is for.
 *
 * Documents are parsed at start-up (cheap), but nothing is walked until a request arrives: the
 * route table is built on the first lookup, and schemas are prepared per operation on first use,
 * so a server over the whole spec starts in milliseconds.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** A JSON Schema as OpenAPI 3.0 writes it (loosely typed: the spec has quirks we must survive). */
export type Schema = { [key: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: Schema;
}

export interface MediaTypeObject {
  schema?: Schema;
}

export interface OpenApiRequestBody {
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface OpenApiResponse {
  description?: string;
  content?: Record<string, MediaTypeObject>;
}

export interface OpenApiOperation {
  operationId?: string;
  tags?: string[];
  parameters?: Array<OpenApiParameter | { $ref: string }>;
  requestBody?: OpenApiRequestBody | { $ref: string };
  responses?: Record<string, OpenApiResponse | { $ref: string }>;
  [extension: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown> | undefined>;
  [key: string]: unknown;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of one loaded document, with its `$ref`s to parameters/bodies/responses resolved. */
export interface OperationEntry {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly doc: OpenApiDocument;
  readonly op: OpenApiOperation;
  readonly parameters: readonly OpenApiParameter[];
  readonly requestBody: OpenApiRequestBody | undefined;
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
  /** Per-operation caches owned by the validator and the example generator. */
  readonly cache: Map<string, unknown>;
}

interface Route {
  readonly segments: readonly (string | { param: string })[];
  readonly literals: number;
  readonly entry: OperationEntry;
}

export type SpecSource = OpenApiDocument | string;

/**
 * Reads documents: objects as given; a string is a JSON file, or a directory whose `*.json`
 * files and `<sub>/openapi.json` files are all loaded (the generated/<tag>/openapi.json layout).
 */
export function readSpecSources(sources: SpecSource | readonly SpecSource[]): OpenApiDocument[] {
  const list = Array.isArray(sources) ? sources : [sources as SpecSource];
  const docs: OpenApiDocument[] = [];
  for (const source of list) {
    if (typeof source !== "string") {
      docs.push(source);
      continue;
    }
    if (statSync(source).isDirectory()) {
      for (const name of readdirSync(source).sort()) {
        const full = join(source, name);
        const st = statSync(full);
        if (st.isDirectory()) {
          const nested = join(full, "openapi.json");
          try {
            if (statSync(nested).isFile()) docs.push(parseDoc(nested));
          } catch {
            // a collection folder without an openapi.json is not ours to serve
          }
        } else if (name.endsWith(".json")) {
          docs.push(parseDoc(full));
        }
      }
    } else {
      docs.push(parseDoc(source));
    }
  }
  return docs;
}

function parseDoc(file: string): OpenApiDocument {
  const doc = JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
  if (typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    throw new Error(`${file} is not an OpenAPI 3 document (convert Swagger 2.0 first)`);
  }
  return doc;
}

/** Resolves a local `#/components/...` pointer in `doc`. */
export function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function deref<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  let node: unknown = value;
  for (
    let i = 0;
    i < 10 && node && typeof node === "object" && typeof (node as { $ref?: unknown }).$ref === "string";
    i++
  ) {
    node = resolvePointer(doc, (node as { $ref: string }).$ref);
  }
  return node as T;
}

export interface RouteMatch {
  readonly entry: OperationEntry;
  readonly pathParams: Record<string, string>;
}

export type LookupResult =
  | { readonly kind: "found"; readonly match: RouteMatch }
  | { readonly kind: "method-not-allowed"; readonly allowed: readonly string[] }
  | { readonly kind: "not-found" };

export class SpecIndex {
  readonly documents: readonly OpenApiDocument[];
  private routes: Map<number, Route[]> | undefined;
  private byId: Map<string, OperationEntry> | undefined;

  constructor(documents: readonly OpenApiDocument[]) {
    this.documents = documents;
  }

  /** Number of operations across all documents (builds the index). */
  get size(): number {
    return this.operations().length;
  }

  operations(): OperationEntry[] {
    this.build();
    return [...this.byId!.values()];
  }

  operation(id: string): OperationEntry | undefined {
    this.build();
    return this.byId!.get(id);
  }

  /**
   * Finds the operation for a raw (still percent-encoded) path. Splitting before decoding keeps
   * an encoded `/` inside a path parameter as one segment.
   */
  lookup(method: string, rawPath: string): LookupResult {
    this.build();
    const segments = rawPath.split("/").slice(1);
    const candidates = this.routes!.get(segments.length) ?? [];
    let best: { route: Route; params: Record<string, string> } | undefined;
    const allowed = new Set<string>();
    for (const route of candidates) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.entry.method !== method.toLowerCase()) {
        allowed.add(route.entry.method.toUpperCase());
        continue;
      }
      // a literal segment beats a placeholder (/hosts/queries over /hosts/{id})
      if (!best || route.literals > best.route.literals) best = { route, params };
    }
    if (best) return { kind: "found", match: { entry: best.route.entry, pathParams: best.params } };
    if (allowed.size > 0) return { kind: "method-not-allowed", allowed: [...allowed].sort() };
    return { kind: "not-found" };
  }

  private build(): void {
    if (this.routes) return;
    const routes = new Map<number, Route[]>();
    const byId = new Map<string, OperationEntry>();
    const seen = new Set<string>();
    for (const doc of this.documents) {
      for (const [path, item] of Object.entries(doc.paths ?? {})) {
        const shared = (item.parameters as OpenApiOperation["parameters"]) ?? [];
        for (const method of HTTP_METHODS) {
          const op = item[method] as OpenApiOperation | undefined;
          if (!op) continue;
          const key = `${method} ${path}`;
          // the same operation may appear in several per-collection documents: first one wins
          if (seen.has(key)) continue;
          seen.add(key);
          const parameters = mergeParameters(doc, shared, op.parameters ?? []);
          const responses: Record<string, OpenApiResponse> = {};
          for (const [code, r] of Object.entries(op.responses ?? {})) responses[code] = deref(doc, r);
          const entry: OperationEntry = {
            id: op.operationId ?? key,
            method,
            path,
            doc,
            op,
            parameters,
            requestBody: op.requestBody ? deref(doc, op.requestBody) : undefined,
            responses,
            cache: new Map(),
          };
          if (!byId.has(entry.id)) byId.set(entry.id, entry);
          const segments = path
            .split("/")
            .slice(1)
            .map((s) => {
              const m = /^\{(.+)\}$/.exec(s);
              return m ? { param: m[1]! } : s;
            });
          const route: Route = { segments, literals: segments.filter((s) => typeof s === "string").length, entry };
          const list = routes.get(segments.length) ?? [];
          list.push(route);
          routes.set(segments.length, list);
        }
      }
    }
    this.byId = byId;
    this.routes = routes;
  }
}

function mergeParameters(
  doc: OpenApiDocument,
  shared: NonNullable<OpenApiOperation["parameters"]>,
  own: NonNullable<OpenApiOperation["parameters"]>,
): OpenApiParameter[] {
  const out = new Map<string, OpenApiParameter>();
  for (const p of [...shared, ...own]) {
    const param = deref<OpenApiParameter>(doc, p);
    if (param) out.set(`${param.in}:${param.name}`, param);
  }
  return [...out.values()];
}

function matchSegments(template: Route["segments"], actual: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const a = actual[i]!;
    if (typeof t === "string") {
      if (t !== a) return undefined;
    } else {
      if (a === "") return undefined;
      let value: string;
      try {
        value = decodeURIComponent(a);
      } catch {
        value = a;
      }
      params[t.param] = value;
    }
  }
  return params;
}

export function loadSpec(sources: SpecSource | readonly SpecSource[]): SpecIndex {
  return new SpecIndex(readSpecSources(sources));
}
