/**
 * The committed generated/ covers the spec it was generated from: every operation ID is in an
 * operation table and reachable as a class method and through the Uber index.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_OPERATION_NAMES, DEFAULT_SPEC, REPO_ROOT } from "../../spec/locate.js";
import { applyNamingData, readNamingData } from "../../spec/names.js";
import { eachOperation, readSwagger } from "../../spec/swagger.js";
import type { OperationTable } from "../../runtime/operation.js";

const GENERATED = join(REPO_ROOT, "generated");
const dirs = readdirSync(GENERATED, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Operation IDs of the committed spec (or FALCON_SPEC), named by the committed naming data. */
function specOperationIds(): { ids: string[]; from: string } {
  const source = process.env.FALCON_SPEC ?? DEFAULT_SPEC;
  const spec = readSwagger(source);
  applyNamingData(spec, readNamingData(DEFAULT_OPERATION_NAMES));
  const ids = [...eachOperation(spec)].map(({ op }) => op.operationId);
  return { ids: ids.sort(), from: source };
}

describe("generated/ covers the whole spec", () => {
  it("every operation ID of the spec is in a generated operation table, once", async () => {
    const tables: OperationTable[] = await Promise.all(
      dirs.map(async (dir) => (await import(join(GENERATED, dir, "index.ts"))).operations()),
    );
    const inTables = tables.flatMap((t) => Object.keys(t)).sort();
    const { ids, from } = specOperationIds();
    expect(ids.length, from).toBeGreaterThan(0);
    expect(inTables).toEqual(ids);
    for (const table of tables) for (const [id, op] of Object.entries(table)) expect(op.id).toBe(id);
  });

  it("every operation is a class method and, by its exact ID, an alias or the method itself", () => {
    const surface = readFileSync(join(GENERATED, "api-surface.txt"), "utf8");
    const { ids } = specOperationIds();
    const methods = new Set(
      [...surface.matchAll(/^ {2}\S+\.\S+ {2}[A-Z]+ \S+ {2}\[([^\]]+)\]( \[deprecated\])?$/gm)].map((m) => m[1]),
    );
    const missing = ids.filter((id) => !methods.has(id));
    expect(missing).toEqual([]);
    const uber = readFileSync(join(GENERATED, "uber.ts"), "utf8");
    for (const id of ids)
      expect(uber.includes(`  ${/^[A-Za-z_$][\w$]*$/.test(id) ? id : JSON.stringify(id)}: [`), id).toBe(true);
  });
});
