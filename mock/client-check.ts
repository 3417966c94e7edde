/**
 * The mock checks a request's values with the client's own `validatePayloads` check: the same
 * generated zod schemas (generated/<collection>/schemas.ts) through the same function
 * (runtime/validation.ts), applied to the values the mock parsed from the wire. A payload the
 * client accepts is one the mock accepts, and the other way round, so the two cannot disagree
 * about the spec. What only the wire shows (an undeclared query parameter, a repeated key, a
 * content type, malformed JSON or multipart) is still the mock's own check (validate.ts), and
 * operations without generated schemas (a user's own OpenAPI document) keep the ajv check.
 * In the falconts-testing package these imports are the peer `falconts` package's own.
 */
import { findOperation } from "../generated/uber.js";
import type { OperationSpec } from "../runtime/operation.js";
import { validatePayload } from "../runtime/validation.js";
import type { OperationEntry } from "./spec.js";
import type { ParsedRequest } from "./validate.js";

/** The client's operation for a mock operation, when it has schemas and is the same route. */
export async function clientOperation(entry: OperationEntry): Promise<OperationSpec | undefined> {
  const op = await findOperation(entry.id);
  if (!op?.loadSchemas || op.method !== entry.method.toUpperCase() || op.path !== entry.path) return undefined;
  return op;
}

const FORM = /^(multipart\/form-data|application\/x-www-form-urlencoded)$/i;

/** Issues as "location.path: message" lines; [] when the values conform. */
export async function clientIssues(
  op: OperationSpec,
  entry: OperationEntry,
  parsed: ParsedRequest,
  raw: Uint8Array,
): Promise<string[]> {
  const declared = new Map(
    entry.parameters.filter((p) => p.in === "header").map((p) => [p.name.toLowerCase(), p.name]),
  );
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.header)) header[declared.get(k) ?? k] = v;
  const media = (parsed.mediaType ?? "").split(";")[0]!.trim();
  const takesForm = Object.keys(entry.requestBody?.content ?? {}).some((t) => FORM.test(t));
  const isForm = FORM.test(media) || (takesForm && media === "application/octet-stream");
  const isJson = /json/i.test(media);
  // raw uploads (octet-stream, zip) are bytes to the client's schema; text and YAML are strings
  const body = isForm
    ? undefined
    : isJson || typeof parsed.body === "string"
      ? parsed.body
      : raw.length > 0
        ? raw
        : undefined;
  try {
    await validatePayload(op, {
      query: parsed.query,
      path: parsed.path,
      header,
      body,
      formData:
        isForm && parsed.body !== null && typeof parsed.body === "object"
          ? (parsed.body as Record<string, unknown>)
          : undefined,
    });
    return [];
  } catch (e) {
    const issues = (e as { issues?: { path: readonly PropertyKey[]; message: string }[] }).issues;
    if (!Array.isArray(issues)) throw e;
    return issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`);
  }
}
