/**
 * Data kept by hand in spec/ names operations by ID; a spec change can leave an entry behind.
 * Checked at generation time: an unknown ID is a warning naming the file, not a failing test.
 */
import { NOT_READ_ONLY_POSTS, READ_ONLY_POST_OPERATIONS } from "../spec/read-only-posts.js";
import type { SpecModel } from "./model.js";

export interface HandDataTable {
  readonly file: string;
  readonly ids: readonly string[];
  /** What each listed operation must be, e.g. a POST. */
  readonly method?: string;
}

export const HAND_DATA: readonly HandDataTable[] = [
  {
    file: "spec/read-only-posts.ts",
    ids: [...Object.keys(READ_ONLY_POST_OPERATIONS), ...Object.keys(NOT_READ_ONLY_POSTS)],
    method: "POST",
  },
];

export function handDataWarnings(model: SpecModel, tables: readonly HandDataTable[] = HAND_DATA): string[] {
  const methods = new Map(model.tags.flatMap((t) => t.ops.map((op) => [op.id, op.method] as const)));
  const warnings: string[] = [];
  for (const table of tables) {
    for (const id of table.ids) {
      const method = methods.get(id);
      if (method === undefined)
        warnings.push(`${table.file}: unknown operation ID ${id} (not in the spec): remove or rename the entry`);
      else if (table.method && method !== table.method)
        warnings.push(`${table.file}: ${id} is a ${method}, not a ${table.method}`);
    }
  }
  return warnings;
}
