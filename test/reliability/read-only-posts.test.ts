/** The reviewed table of read-only POSTs stays true to the generated operation tables. */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { READ_ONLY_POST_OPERATIONS, NOT_READ_ONLY_POSTS, isReadOnlyPost } from "../../spec/read-only-posts.js";
import type { OperationSpec } from "../../runtime/operation.js";
import { DEFAULT_RETRY, mayReplay } from "../../runtime/retry.js";

const dir = fileURLToPath(new URL("../../generated/", import.meta.url));
async function allOperations(): Promise<OperationSpec[]> {
  const out: OperationSpec[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const m = (await import(
      /* @vite-ignore */ new URL(`../../generated/${d.name}/index.ts`, import.meta.url).href
    )) as { operations: () => Record<string, OperationSpec> };
    out.push(...Object.values(m.operations()));
  }
  return out;
}

describe("spec/read-only-posts.ts", () => {
  it("every listed operation is a POST; every reason is written", async () => {
    const ops = await allOperations();
    const byId = new Map(ops.map((o) => [o.id, o]));
    // An ID the spec no longer has is the generator's warning (codegen/hand-data.ts), not a failure here.
    for (const [id, reason] of Object.entries({ ...READ_ONLY_POST_OPERATIONS, ...NOT_READ_ONLY_POSTS })) {
      if (byId.has(id)) expect(byId.get(id)!.method, id).toBe("POST");
      expect(reason.length, id).toBeGreaterThan(20);
    }
    const safe = ops.filter(isReadOnlyPost);
    // the generator writes the same verdict into each table entry, which is what the runtime reads
    for (const o of ops) expect(o.readOnly === true, o.id).toBe(isReadOnlyPost(o));
    // the path rules cover the /GET/ and /aggregates/ families (dozens of routes)
    expect(safe.length).toBeGreaterThan(80);
    for (const op of safe) expect(op.method).toBe("POST");
    // never a job, a command, a mutation
    const ids = new Set(safe.map((o) => o.id));
    for (const id of [
      "post_graphql",
      "BatchCmd",
      "BatchGetCmd",
      "PostMalQueryHuntV1",
      "StartSearchV1",
      "PerformActionV2",
      "revealUninstallToken",
      "incrementUninstallToken",
    ]) {
      expect(ids.has(id), id).toBe(false);
    }
    for (const id of [
      "PostDeviceDetailsV2",
      "GetDetectSummaries",
      "PostAggregatesAlertsV2",
      "GetIncidents",
      "RTR_ListSessions",
    ])
      expect(ids.has(id), id).toBe(true);
  });

  it("the pipeline consults it: idempotent methods always replay, POSTs only when listed or opted in", async () => {
    // What the generator writes: readOnly on the POSTs spec/read-only-posts.ts lists.
    const op = (id: string, method: OperationSpec["method"], path: string): OperationSpec => ({
      id,
      method,
      path,
      tag: "t",
      params: [],
      ...(isReadOnlyPost({ id, method, path }) ? { readOnly: true } : {}),
    });
    expect(mayReplay(op("A", "DELETE", "/x/v1"), DEFAULT_RETRY)).toBe(true);
    expect(mayReplay(op("PostDeviceDetailsV2", "POST", "/devices/entities/devices/v2"), DEFAULT_RETRY)).toBe(true);
    expect(mayReplay(op("Other", "POST", "/detects/entities/summaries/GET/v1"), DEFAULT_RETRY)).toBe(true);
    expect(mayReplay(op("Write", "POST", "/x/entities/things/v1"), DEFAULT_RETRY)).toBe(false);
    expect(mayReplay(op("Patch", "PATCH", "/x/entities/things/v1"), DEFAULT_RETRY)).toBe(false);
    expect(
      mayReplay(op("Patch", "PATCH", "/x/entities/things/v1"), { ...DEFAULT_RETRY, retryNonIdempotent: true }),
    ).toBe(true);
  });
});
