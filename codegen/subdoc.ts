/**
 * Per-collection OpenAPI 3 documents: only the collection's operations and the components they
 * reach. They feed openapi-typescript (one small types file per collection instead of one 9 MB
 * file) and ship as generated/<collection>/openapi.json for the mock server.
 */
import type { OpenAPIDocument } from "../spec/convert.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function collectRefs(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out);
  } else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      // A property literally named "$ref" (jsonschema.SubSchema) holds a schema, not a reference.
      if (key === "$ref" && typeof v === "string") out.add(v);
      else collectRefs(v, out);
    }
  }
}

export function lookup(doc: OpenAPIDocument, ref: string): unknown {
  const parts = ref
    .replace(/^#\//, "")
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = doc;
  for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
  return node;
}

/** The sub-document holding exactly the given operation IDs. */
export function subDocument(
  doc: OpenAPIDocument,
  operationIds: ReadonlySet<string>,
  info: OpenAPIDocument["info"],
): OpenAPIDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path]!;
    for (const method of METHODS) {
      const op = item[method] as { operationId?: string } | undefined;
      // A duplicated ID keeps its first occurrence, as the model does (and reports).
      if (op?.operationId && operationIds.has(op.operationId) && !seen.has(op.operationId)) {
        seen.add(op.operationId);
        paths[path] ??= {};
        paths[path]![method] = op;
      }
    }
  }
  // Transitive closure of component references.
  const wanted = new Set<string>();
  const queue: string[] = [];
  const found = new Set<string>();
  collectRefs(paths, found);
  queue.push(...found);
  while (queue.length) {
    const ref = queue.pop()!;
    if (wanted.has(ref) || !ref.startsWith("#/components/")) continue;
    wanted.add(ref);
    const more = new Set<string>();
    collectRefs(lookup(doc, ref), more);
    for (const r of more) if (!wanted.has(r)) queue.push(r);
  }
  const components: Record<string, Record<string, unknown>> = {};
  for (const ref of [...wanted].sort()) {
    const [, , kind, ...rest] = ref.split("/");
    const name = rest.join("/").replace(/~1/g, "/").replace(/~0/g, "~");
    components[kind!] ??= {};
    components[kind!]![name] = lookup(doc, ref);
  }
  // Keep component kinds and names in sorted order for byte-stable output.
  const sortedComponents = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((kind) => [
        kind,
        Object.fromEntries(
          Object.keys(components[kind]!)
            .sort()
            .map((n) => [n, components[kind]![n]]),
        ),
      ]),
  );
  return {
    openapi: doc.openapi,
    info,
    ...(doc.servers ? { servers: doc.servers } : {}),
    ...(doc.security ? { security: doc.security } : {}),
    paths,
    components: {
      ...sortedComponents,
      ...(doc.components?.securitySchemes ? { securitySchemes: doc.components.securitySchemes } : {}),
    },
  };
}

/**
 * What openapi-typescript needs for our types: the success responses without their headers.
 * Error bodies and rate-limit headers are typed by the runtime once, not per operation.
 */
export function typesInput(doc: OpenAPIDocument): OpenAPIDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    paths[path] = {};
    for (const [method, raw] of Object.entries(item)) {
      const op = raw as { responses?: Record<string, { headers?: unknown }> };
      const responses: Record<string, unknown> = {};
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        if (!/^2\d\d$/.test(code)) continue;
        const { headers: _headers, ...rest } = response;
        responses[code] = rest;
      }
      paths[path]![method] = { ...op, responses };
    }
  }
  const stripped: OpenAPIDocument = { ...doc, paths };
  // Components only error responses used are dropped by recomputing the closure.
  const ids = new Set<string>();
  for (const item of Object.values(paths))
    for (const op of Object.values(item)) ids.add((op as { operationId: string }).operationId);
  return subDocument(stripped, ids, doc.info);
}
