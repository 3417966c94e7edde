/**
 * Reading and checking a Swagger 2.0 document. The zod schema covers exactly what the
 * generator relies on, so an invalid spec fails here naming the JSON path, not deep in codegen.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const schemaObject: z.ZodType<SwaggerSchema> = z.lazy(() =>
  z.record(z.string(), z.unknown()),
) as z.ZodType<SwaggerSchema>;

const parameter = z
  .object({
    name: z.string().min(1),
    in: z.enum(["query", "header", "path", "formData", "body"]),
    required: z.boolean().optional(),
    type: z.string().optional(),
    schema: schemaObject.optional(),
    items: z.record(z.string(), z.unknown()).optional(),
    collectionFormat: z.enum(["csv", "ssv", "tsv", "pipes", "multi"]).optional(),
    enum: z.array(z.unknown()).optional(),
    description: z.string().optional(),
  })
  .passthrough()
  .refine((p) => (p.in === "body" ? p.schema !== undefined : p.type !== undefined), {
    message: "a body parameter needs `schema`; any other parameter needs `type`",
  });

const operation = z
  .object({
    operationId: z.string().min(1),
    tags: z.array(z.string()).optional(),
    summary: z.string().optional(),
    description: z.string().optional(),
    consumes: z.array(z.string()).optional(),
    produces: z.array(z.string()).optional(),
    parameters: z.array(parameter).optional(),
    responses: z.record(
      z.string(),
      z.object({ description: z.string().optional(), schema: schemaObject.optional() }).passthrough(),
    ),
    deprecated: z.boolean().optional(),
    "x-cs-deprecated-operation-ids": z.array(z.string()).optional(),
  })
  .passthrough();

const pathItem = z
  .object(
    Object.fromEntries(HTTP_METHODS.map((m) => [m, operation.optional()])) as Record<
      HttpMethod,
      z.ZodOptional<typeof operation>
    >,
  )
  .passthrough();

const swaggerDocument = z
  .object({
    swagger: z.literal("2.0"),
    info: z.object({ title: z.string(), version: z.string() }).passthrough(),
    host: z.string().optional(),
    basePath: z.string().optional(),
    paths: z.record(z.string().startsWith("/"), pathItem),
    definitions: z.record(z.string(), schemaObject).optional(),
    tags: z.array(z.object({ name: z.string() }).passthrough()).optional(),
  })
  .passthrough();

export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  format?: string;
  items?: SwaggerSchema;
  properties?: Record<string, SwaggerSchema>;
  additionalProperties?: boolean | SwaggerSchema;
  required?: string[];
  enum?: unknown[];
  allOf?: SwaggerSchema[];
  description?: string;
  [key: string]: unknown;
}
export interface SwaggerParameter {
  name: string;
  in: "query" | "header" | "path" | "formData" | "body";
  required?: boolean;
  type?: string;
  format?: string;
  schema?: SwaggerSchema;
  items?: SwaggerSchema;
  collectionFormat?: "csv" | "ssv" | "tsv" | "pipes" | "multi";
  enum?: unknown[];
  default?: unknown;
  description?: string;
  [key: string]: unknown;
}
export interface SwaggerOperation {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  consumes?: string[];
  produces?: string[];
  parameters?: SwaggerParameter[];
  responses: Record<string, { description?: string; schema?: SwaggerSchema; [key: string]: unknown }>;
  deprecated?: boolean;
  "x-cs-deprecated-operation-ids"?: string[];
  [key: string]: unknown;
}
export interface SwaggerDocument {
  swagger: "2.0";
  info: { title: string; version: string; [key: string]: unknown };
  host?: string;
  basePath?: string;
  paths: Record<string, Partial<Record<HttpMethod, SwaggerOperation>> & Record<string, unknown>>;
  definitions?: Record<string, SwaggerSchema>;
  tags?: { name: string; description?: string }[];
  [key: string]: unknown;
}

export { HTTP_METHODS };

export class InvalidSpec extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly { path: string; message: string }[],
  ) {
    super(
      `${file} is not a usable Swagger 2.0 document:\n` +
        problems
          .slice(0, 20)
          .map((p) => `  at ${p.path}: ${p.message}`)
          .join("\n") +
        (problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : ""),
    );
    this.name = "InvalidSpec";
  }
}

/** JSON Pointer-ish rendering of a zod issue path: $.paths["/x/{id}"].get.parameters[2].in */
function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Every `$ref` string below a value, with its JSON path (a property literally named `$ref` is a schema, not a reference). */
function collectRefs(value: unknown, where: string, out: { ref: string; where: string }[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collectRefs(v, `${where}[${i}]`, out);
  } else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") out.push({ ref: v, where });
      else collectRefs(v, jsonPath([key]).replace(/^\$/, where), out);
    }
  }
}

const definitionName = (ref: string): string | undefined =>
  ref.startsWith("#/definitions/") ? ref.slice("#/definitions/".length) : undefined;

/**
 * Dangling `$ref`s, in the Swagger document's own terms: the missing definition and the
 * operations that use it (directly, or through the definitions named in the message).
 */
export function danglingReferences(doc: SwaggerDocument): { path: string; message: string }[] {
  const defined = doc.definitions ?? {};
  const exists = (ref: string) => {
    const name = definitionName(ref);
    return name !== undefined && Object.hasOwn(defined, name);
  };
  const problems: { path: string; message: string }[] = [];
  const missingIn = new Map<string, string[]>(); // definition -> dangling refs inside it
  for (const name of Object.keys(defined).sort()) {
    const refs: { ref: string; where: string }[] = [];
    collectRefs(defined[name], `$.definitions${jsonPath([name]).slice(1)}`, refs);
    const bad = refs.filter((r) => !exists(r.ref));
    if (bad.length)
      missingIn.set(
        name,
        bad.map((r) => r.ref),
      );
  }
  // Which definitions reach a broken one, so an operation using them can be named.
  const reaches = new Map<string, Set<string>>();
  const brokenBelow = (name: string, seen = new Set<string>()): Set<string> => {
    const known = reaches.get(name);
    if (known) return known;
    const out = new Set(missingIn.get(name) ?? []);
    seen.add(name);
    const refs: { ref: string; where: string }[] = [];
    collectRefs(defined[name], "", refs);
    for (const { ref } of refs) {
      const target = definitionName(ref);
      if (target && Object.hasOwn(defined, target) && !seen.has(target))
        for (const r of brokenBelow(target, seen)) out.add(r);
    }
    reaches.set(name, out);
    return out;
  };
  const usedBy = new Map<string, Set<string>>();
  for (const { path, method, op } of eachOperation(doc)) {
    const label = `${op.operationId} (${method.toUpperCase()} ${path})`;
    const refs: { ref: string; where: string }[] = [];
    collectRefs(
      { parameters: op.parameters, responses: op.responses },
      `$.paths${jsonPath([path]).slice(1)}.${method}`,
      refs,
    );
    for (const { ref, where } of refs) {
      if (!exists(ref)) {
        problems.push({ path: where, message: `operation ${label} refers to ${ref}, which is not defined` });
        continue;
      }
      if (missingIn.size === 0) continue;
      for (const broken of brokenBelow(definitionName(ref)!)) {
        const users = usedBy.get(broken) ?? new Set<string>();
        users.add(label);
        usedBy.set(broken, users);
      }
    }
  }
  for (const [name, refs] of missingIn) {
    for (const ref of new Set(refs)) {
      const users = [...(usedBy.get(ref) ?? [])].sort();
      const shown = users.slice(0, 3).join(", ") + (users.length > 3 ? ` and ${users.length - 3} more` : "");
      problems.push({
        path: `$.definitions${jsonPath([name]).slice(1)}`,
        message: `definition ${name} refers to ${ref}, which is not defined${users.length ? `; used by operation ${shown}` : " (no operation uses it)"}`,
      });
    }
  }
  return problems;
}

export function parseSwagger(text: string, file: string): SwaggerDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidSpec(file, [{ path: "$", message: `not JSON: ${(error as Error).message}` }]);
  }
  const result = swaggerDocument.safeParse(raw);
  if (!result.success) {
    throw new InvalidSpec(
      file,
      result.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message })),
    );
  }
  const dangling = danglingReferences(raw as SwaggerDocument);
  if (dangling.length) throw new InvalidSpec(file, dangling);
  return raw as SwaggerDocument;
}

export function readSwagger(file: string): SwaggerDocument {
  return parseSwagger(readFileSync(file, "utf8"), file);
}

/** Every operation in document order: sorted by path, then method, so output is stable. */
export function* eachOperation(
  doc: SwaggerDocument,
): Generator<{ path: string; method: HttpMethod; op: SwaggerOperation }> {
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path]!;
    for (const method of HTTP_METHODS) {
      const op = item[method] as SwaggerOperation | undefined;
      if (op) yield { path, method, op };
    }
  }
}
