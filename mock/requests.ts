/**
 * Builds a request that conforms to an operation, from its schemas: the mock's self-check, and
 * a starting point for the conformance suite's arguments.
 */
import { ExampleGenerator } from "./examples.js";
import { BINARY_MARK, componentSchema, sanitizeSchema } from "./schema.js";
import type { OperationEntry, Schema } from "./spec.js";

export interface ExampleRequest {
  readonly method: string;
  /** Path with parameters filled in and percent-encoded, plus the query string. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | FormData | URLSearchParams | Uint8Array<ArrayBuffer>;
}

export interface ExampleRequestOptions {
  /** Include optional parameters too (default false: required ones only). */
  readonly optional?: boolean;
}

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A filter the data world accepts and every record passes (a record without an `id` leaves the term out). */
export const EXAMPLE_FQL = "id:!null";

/** An example value for a parameter or form field: FQL for a free-text `filter` (the mock answers "string" with 400), else one from its schema. */
export function exampleValue(gen: ExampleGenerator, name: string, schema: unknown): unknown {
  const value = gen.generate(schema);
  const freeText =
    typeof value === "string" && !(isObject(schema) && (schema.enum !== undefined || schema.pattern !== undefined));
  return name === "filter" && freeText ? EXAMPLE_FQL : value;
}

/** An example JSON body, its top-level free-text `filter` as FQL. */
export function exampleBody(gen: ExampleGenerator, schema: unknown): unknown {
  const body = gen.generate(schema);
  if (isObject(body) && typeof body.filter === "string") body.filter = EXAMPLE_FQL;
  return body;
}

function wire(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function exampleRequest(entry: OperationEntry, options: ExampleRequestOptions = {}): ExampleRequest {
  const gen = new ExampleGenerator(entry.doc);
  let path = entry.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of entry.parameters) {
    if (!p.required && p.in !== "path" && !options.optional) continue;
    // the bearer token is the Authorization header
    if (p.in === "header" && p.name.toLowerCase() === "authorization") continue;
    const value = exampleValue(gen, p.name, sanitizeSchema(p.schema ?? {}));
    if (p.in === "path") {
      path = path.replace(
        `{${p.name}}`,
        encodeURIComponent(Array.isArray(value) ? value.map(wire).join(",") : wire(value)),
      );
    } else if (p.in === "query") {
      if (Array.isArray(value)) {
        const explode = p.explode ?? (p.style === undefined || p.style === "form");
        if (explode) for (const item of value) query.append(p.name, wire(item));
        else
          query.append(
            p.name,
            value.map(wire).join(p.style === "pipeDelimited" ? "|" : p.style === "spaceDelimited" ? " " : ","),
          );
      } else {
        query.append(p.name, wire(value));
      }
    } else if (p.in === "header") {
      headers[p.name] = Array.isArray(value) ? value.map(wire).join(",") : wire(value);
    }
  }
  const qs = query.toString();
  const url = qs ? `${path}?${qs}` : path;
  const method = entry.method.toUpperCase();
  const rb = entry.requestBody;
  if (!rb)
    return method === "POST" || method === "PUT" || method === "PATCH"
      ? { method, url, headers: { ...headers, "content-type": "application/json" }, body: "{}" }
      : { method, url, headers };
  const [mediaType] = Object.keys(rb.content);
  if (!mediaType) return { method, url, headers };
  const schema = sanitizeSchema(rb.content[mediaType]?.schema ?? {});
  const type = mediaType.toLowerCase();
  if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
    const resolved = resolve(entry, schema);
    const props = isObject(resolved.properties) ? resolved.properties : {};
    const required = new Set(Array.isArray(resolved.required) ? (resolved.required as string[]) : []);
    const form = type === "multipart/form-data" ? new FormData() : new URLSearchParams();
    for (const [name, sub] of Object.entries(props)) {
      if (!required.has(name) && !options.optional) continue;
      const s = resolve(entry, sub);
      if (s[BINARY_MARK] && form instanceof FormData) {
        form.append(
          name,
          new Blob([new Uint8Array([0x46, 0x4d, 0x00, 0xff])], { type: "application/octet-stream" }),
          "example.bin",
        );
        continue;
      }
      const value = exampleValue(gen, name, s);
      for (const item of Array.isArray(value) && s.type === "array" ? value : [value]) form.append(name, wire(item));
    }
    return { method, url, headers, body: form };
  }
  if (/json/.test(type)) {
    return {
      method,
      url,
      headers: { ...headers, "content-type": mediaType },
      body: JSON.stringify(exampleBody(gen, schema)),
    };
  }
  if (type.startsWith("text/") || type.includes("yaml")) {
    return { method, url, headers: { ...headers, "content-type": mediaType }, body: "example: true\n" };
  }
  return {
    method,
    url,
    headers: { ...headers, "content-type": mediaType },
    body: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]),
  };
}

function resolve(entry: OperationEntry, schema: unknown): Schema {
  let node = schema;
  for (let i = 0; i < 20 && isObject(node) && typeof node.$ref === "string"; i++)
    node = componentSchema(entry.doc, node.$ref);
  return isObject(node) ? node : {};
}
