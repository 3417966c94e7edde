/**
 * `validatePayloads`: zod checks of the routed query, path, header, body and form values.
 * The schemas live in generated/<collection>/schemas.ts; each table entry carries a
 * `loadSchemas` that imports them, called only when validation is on (so zod and the
 * schemas cost nothing otherwise). Schemas are built once per operation and cached.
 */
import { PayloadValidationError } from "./errors.js";
import type { ValidationIssue } from "./errors.js";
import type { OperationSpec, PayloadSchemas, SchemaModule } from "./operation.js";
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
 * the location); resolves when the payload fits or the operation has no schemas.
 */
export async function validatePayload(op: OperationSpec, values: RoutedValues): Promise<boolean> {
  const schemas = await schemasOf(op);
  if (schemas === null) return false;
  const issues: ValidationIssue[] = [];
  for (const loc of LOCATIONS) {
    const schema = schemas[loc];
    if (schema === undefined) continue;
    const value = values[loc];
    const r = schema.safeParse(value === undefined && loc !== "body" ? {} : value);
    if (!r.success) {
      for (const issue of r.error.issues) {
        issues.push({ path: [loc, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: issue.message });
      }
    }
  }
  if (issues.length) throw new PayloadValidationError(op.id, issues);
  return true;
}
