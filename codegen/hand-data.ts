/**
 * Data kept by hand in spec/ names operations, parameters and definitions; a spec change can
 * leave an entry behind. Checked at generation time: an unknown name is a warning naming the
 * file, not a failing test later.
 */
import { PARAMETER_ENUMS, PROPERTY_ENUMS } from "../spec/prose-enums.js";
import { NOT_READ_ONLY_POSTS, READ_ONLY_POST_OPERATIONS } from "../spec/read-only-posts.js";
import { REQUIRED_BODY_FIELDS } from "../spec/required-body-fields.js";
import type { SwaggerDocument } from "../spec/swagger.js";
import type { OperationModel, SpecModel } from "./model.js";

export function handDataWarnings(model: SpecModel, swagger: SwaggerDocument): string[] {
  const ops = new Map<string, OperationModel>(model.tags.flatMap((t) => t.ops.map((op) => [op.id, op] as const)));
  const warnings: string[] = [];
  const known = (file: string, id: string): OperationModel | undefined => {
    const op = ops.get(id);
    if (!op) warnings.push(`${file}: unknown operation ID ${id} (not in the spec): remove or rename the entry`);
    return op;
  };

  for (const id of [...Object.keys(READ_ONLY_POST_OPERATIONS), ...Object.keys(NOT_READ_ONLY_POSTS)]) {
    const op = known("spec/read-only-posts.ts", id);
    if (op && op.method !== "POST") warnings.push(`spec/read-only-posts.ts: ${id} is a ${op.method}, not a POST`);
  }
  for (const [id, entry] of Object.entries(REQUIRED_BODY_FIELDS)) {
    const op = known("spec/required-body-fields.ts", id);
    for (const field of op ? entry.fields : []) {
      if (!op!.bodyKeys.includes(field))
        warnings.push(`spec/required-body-fields.ts: ${id} has no body field ${field}`);
    }
  }
  for (const entry of PARAMETER_ENUMS) {
    const op = known("spec/prose-enums.ts", entry.operationId);
    if (op && !op.params.some((p) => p.name === entry.parameter && p.in !== "body")) {
      warnings.push(`spec/prose-enums.ts: ${entry.operationId} has no parameter ${entry.parameter}`);
    }
  }
  for (const entry of PROPERTY_ENUMS) {
    if (!swagger.definitions?.[entry.definition]?.properties?.[entry.property]) {
      warnings.push(`spec/prose-enums.ts: no definition property ${entry.definition}.${entry.property} in the spec`);
    }
  }
  return warnings;
}
