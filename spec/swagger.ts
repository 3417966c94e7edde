/**
 * Reading and checking a Swagger 2.0 document. The zod schema covers exactly what the
 * generator relies on, so an invalid spec fails here naming the JSON path, not deep in codegen.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const schemaObject: z.ZodType<SwaggerSchema> = z.lazy(() => z.record(z.string(), z.unknown())) as z.ZodType<SwaggerSchema>;

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
    responses: z.record(z.string(), z.object({ description: z.string().optional(), schema: schemaObject.optional() }).passthrough()),
    deprecated: z.boolean().optional(),
    "x-cs-deprecated-operation-ids": z.array(z.string()).optional(),
  })
  .passthrough();

const pathItem = z
  .object(Object.fromEntries(HTTP_METHODS.map((m) => [m, operation.optional()])) as Record<HttpMethod, z.ZodOptional<typeof operation>>)
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
