/**
 * What a regeneration changed, counted in operations: added, removed, and changed (the
 * operation object or any schema it reaches differs), from the collections' OpenAPI documents
 * before and after.
 */
import { createHash } from "node:crypto";
import type { OpenAPIDocument } from "../spec/convert.js";
import { collectRefs, lookup } from "./subdoc.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Operation ID -> a hash of the operation and every component it reaches. */
export function operationFingerprints(docs: ReadonlyMap<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of docs.values()) {
    const doc = raw as OpenAPIDocument;
    const direct = new Map<string, Set<string>>();
    const refsOf = (ref: string) => {
      let refs = direct.get(ref);
      if (!refs) {
        refs = new Set();
        collectRefs(lookup(doc, ref), refs);
        direct.set(ref, refs);
      }
      return refs;
    };
    for (const item of Object.values(doc.paths ?? {})) {
      for (const method of METHODS) {
        const op = item[method] as { operationId?: string } | undefined;
        if (!op?.operationId) continue;
        const reached = new Set<string>();
        const queue = [...refsIn(op)];
        while (queue.length) {
          const ref = queue.pop()!;
          if (reached.has(ref)) continue;
          reached.add(ref);
          for (const next of refsOf(ref)) if (!reached.has(next)) queue.push(next);
        }
        const hash = createHash("sha1").update(JSON.stringify(op));
        for (const ref of [...reached].sort()) hash.update(ref).update(JSON.stringify(lookup(doc, ref)) ?? "");
        out.set(op.operationId, hash.digest("hex"));
      }
    }
  }
  return out;
}

function refsIn(value: unknown): Set<string> {
  const refs = new Set<string>();
  collectRefs(value, refs);
  return refs;
}

export interface OperationChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export function diffOperations(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): OperationChanges {
  const added = [...after.keys()].filter((id) => !before.has(id)).sort();
  const removed = [...before.keys()].filter((id) => !after.has(id)).sort();
  const changed = [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)).sort();
  return { added, removed, changed };
}
