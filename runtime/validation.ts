/**
 * `validatePayloads`: zod checks of the routed query, path, header, body and form values.
 * The schemas live in generated/<collection>/schemas.ts; each table entry carries a
 * `loadSchemas` that imports them, called only when validation is on (so zod and the
 * schemas cost nothing otherwise). Schemas are built once per operation and cached.
 */
import { PayloadValidationError } from "./errors.js";
import type { ValidationIssue } from "./errors.js";
import type { OperationSpec, PayloadSchemas, RawIssue, SchemaModule } from "./operation.js";
import { typeOf } from "./options.js";
import type { RoutedValues } from "./payload.js";

const modules = new WeakMap<() => Promise<SchemaModule>, Promise<SchemaModule>>();
const built = new WeakMap<OperationSpec, PayloadSchemas | null>();

async function schemasOf(op: OperationSpec): Promise<PayloadSchemas | null> {
  const cached = built.get(op);
  if (cached !== undefined) return cached;
  const loader = op.loadSchemas;
  if (!loader) {
    built.set(op, null);
    return null;
  }
  let p = modules.get(loader);
  if (p === undefined) {
    p = loader();
    modules.set(loader, p);
    p.catch(() => modules.delete(loader)); // a failed import may be retried by the next call
  }
  const factory = (await p).schemas[op.id];
  const schemas = factory ? factory() : null;
  built.set(op, schemas);
  return schemas;
}

const LOCATIONS = ["query", "path", "header", "body", "formData"] as const;

/**
 * Throws PayloadValidationError listing every issue (each with its field path, prefixed by
 * the location), else the router's deferred refusal (RoutedValues.deferred); resolves when the
 * payload fits or the operation has no schemas.
 */
export async function validatePayload(op: OperationSpec, values: RoutedValues): Promise<boolean> {
  const schemas = await schemasOf(op);
  if (schemas === null) {
    if (values.deferred) throw values.deferred;
    return false;
  }
  const issues: ValidationIssue[] = [];
  for (const loc of LOCATIONS) {
    const schema = schemas[loc];
    if (schema === undefined) continue;
    const value = values[loc];
    const r = schema.safeParse(value === undefined && loc !== "body" ? {} : value, PARSE);
    if (!r.success) {
      for (const issue of r.error.issues) {
        issues.push({
          path: [loc, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
          message: issue.message,
        });
      }
    }
  }
  if (issues.length) throw new PayloadValidationError(op.id, issues);
  if (values.deferred) throw values.deferred;
  return true;
}

const LISTED_VALUES = 10;

function sizeOf(input: unknown): number | undefined {
  if (typeof input === "string" || Array.isArray(input)) return input.length;
  return input instanceof Set || input instanceof Map ? input.size : undefined;
}

/** "at most 100 items (got 10000)", "at least 1 character (got 0)", "at most 5 (got 9)". */
function bound(issue: RawIssue, limit: number | bigint | undefined, word: "most" | "least"): string | undefined {
  if (limit === undefined) return undefined;
  const { origin, input } = issue;
  if (origin === "array" || origin === "string" || origin === "set") {
    const unit = origin === "string" ? "character" : "item";
    const size = sizeOf(input);
    return `at ${word} ${limit} ${unit}${limit === 1 ? "" : "s"}${size === undefined ? "" : ` (got ${size})`}`;
  }
  const got = typeof input === "number" || typeof input === "bigint" ? ` (got ${input})` : "";
  if (issue.inclusive === false) return `${word === "most" ? "less" : "greater"} than ${limit}${got}`;
  return `at ${word} ${limit}${got}`;
}

function shown(input: unknown): string {
  return typeof input === "string" && input.length <= 60 ? JSON.stringify(input) : typeOf(input);
}

/**
 * zod's per-parse error map: messages that state the constraint and what was given (sizes and
 * numbers; a string only when short). Codes it does not know keep zod's own message.
 */
function constraintMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "too_big":
      return bound(issue, issue.maximum, "most");
    case "too_small":
      return bound(issue, issue.minimum, "least");
    case "invalid_type":
      if (issue.input === undefined) return `required (expected ${issue.expected ?? "a value"})`;
      return `expected ${issue.expected ?? "another type"}, got ${typeOf(issue.input)}`;
    case "invalid_value": {
      const values = issue.values ?? [];
      const list = values
        .slice(0, LISTED_VALUES)
        .map((v) => JSON.stringify(v))
        .join(", ");
      const more = values.length > LISTED_VALUES ? `, ... (${values.length} values)` : "";
      return `expected ${values.length === 1 ? list : `one of ${list}${more}`}, got ${shown(issue.input)}`;
    }
    case "invalid_union": {
      // The alternative the value's type matched says what is wrong (an array of ids too long);
      // when none matched, the value has the wrong type for all of them.
      const branches = issue.errors ?? [];
      const matched = branches.find(
        (b) => b.length > 0 && !b.every((i) => i.code === "invalid_type" && i.path.length === 0),
      );
      if (matched)
        return matched.map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ` : "") + i.message).join("; ");
      const expected = [
        ...new Set(
          branches.flatMap((b) =>
            b.map((i) => /^expected (.+), got /.exec(i.message)?.[1]).filter((e) => e !== undefined),
          ),
        ),
      ];
      return expected.length ? `expected ${expected.join(" or ")}, got ${typeOf(issue.input)}` : undefined;
    }
  }
  return undefined;
}

const PARSE = { error: constraintMessage };
