/**
 * Property-based tests of the payload router: random arguments (objects of keywords, and any
 * other untyped value) for a sample of real generated operations never make it throw anything
 * but an SDK error (PayloadValidationError for what it cannot route); what it routes keeps its
 * route under URL parsing (no dot segment gets through) and its query string under 8 KB.
 * FC_RUNS raises the run count (default 200 per operation, ~12k argument objects in all).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { operations as alerts } from "../../generated/alerts/index.js";
import { operations as customStorage } from "../../generated/custom-storage/index.js";
import { operations as falconx } from "../../generated/falconx-sandbox/index.js";
import { operations as hosts } from "../../generated/hosts/index.js";
import { operations as ioc } from "../../generated/ioc/index.js";
import { operations as rtr } from "../../generated/real-time-response/index.js";
import { operations as sampleUploads } from "../../generated/sample-uploads/index.js";
import { operations as workflows } from "../../generated/workflows/index.js";
import { SDKError } from "../../runtime/errors.js";
import type { OperationSpec } from "../../runtime/operation.js";
import { MAX_QUERY_BYTES, compileOperation, routeRequest } from "../../runtime/payload.js";

const tables = [alerts, customStorage, falconx, hosts, ioc, rtr, sampleUploads, workflows].map((t) =>
  t(),
) as unknown as Record<string, OperationSpec>[];
const all = tables.flatMap((t) => Object.values(t));
// every operation of the smaller tables, plus a stride through the rest: all methods, path
// params, multipart/urlencoded/octet-stream forms, bodies, header params, multi/csv arrays
const sample = all.filter(
  (op, i) =>
    op.params.some((p) => p.in === "formData" || p.in === "header") ||
    op.consumes?.some((c) => !c.includes("json")) ||
    i % 3 === 0,
);
const RUNS = Number(process.env.FC_RUNS ?? 200);

const KEYWORDS = ["parameters", "body", "data", "files", "file_data", "file_name", "content_type", "headers"];

const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array({ maxLength: 8 }),
  fc.bigInt(),
  fc.constant(new Blob(["x"])),
  fc.constant(new ArrayBuffer(3)),
  fc.constant(Symbol("s")),
  fc.constant(() => 1),
  // values that bend routes, and lists too long for a query string
  fc.constantFrom(".", "..", "%2e", "%2E%2e", ".%2e", "%252e", "a/../b", "\\..", "\r\nx-injected: 1"),
  fc.constant(Array.from({ length: 300 }, (_, i) => `${i}`.padStart(32, "f"))),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie("v"), { maxKeys: 4 }),
  ),
})).v;
const fileTuple = fc.tuple(
  fc.string(),
  fc.tuple(
    fc.string(),
    fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.string(), value),
    fc.option(fc.string(), { nil: undefined }),
  ),
);

function argsFor(op: OperationSpec): fc.Arbitrary<Record<string, unknown>> {
  const names = [...op.params.map((p) => p.name), ...(op.bodyKeys ?? []), ...KEYWORDS];
  const known = fc.constantFrom(...names);
  const key = fc.oneof(
    { weight: 8, arbitrary: known },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "toString") },
  );
  const special = fc.record(
    {
      files: fc.oneof(fc.array(fileTuple, { maxLength: 3 }), value),
      parameters: value,
      headers: value,
      data: value,
      body: value,
      file_data: value,
    },
    { requiredKeys: [] },
  );
  const keywords = fc.tuple(fc.dictionary(key, value, { maxKeys: 8 }), special).map(([a, b]) => ({ ...a, ...b }));
  // an untyped caller may pass anything at all as the arguments
  return fc.oneof(
    { weight: 9, arbitrary: keywords },
    { weight: 1, arbitrary: value as fc.Arbitrary<Record<string, unknown>> },
  );
}

describe("payload router: random arguments throw only SDK errors", () => {
  it(`routes ${sample.length} real operations x ${RUNS} random argument objects`, () => {
    expect(sample.length).toBeGreaterThan(20);
    let routed = 0;
    let refused = 0;
    for (const op of sample) {
      const compiled = compileOperation(op);
      fc.assert(
        fc.property(argsFor(op), fc.boolean(), (args, keep) => {
          try {
            const r = routeRequest(compiled, args, keep);
            // what it produced is sendable: a path, and a body of a wire type
            expect(typeof r.path).toBe("string");
            expect(r.path.startsWith("/")).toBe(true);
            // URL parsing (ours, a proxy's, the gateway's) leaves the route as routed
            const q = r.path.indexOf("?");
            const pathname = q < 0 ? r.path : r.path.slice(0, q);
            expect(new URL(`https://api.crowdstrike.com${r.path}`).pathname).toBe(pathname);
            if (!keep) expect(q < 0 ? 0 : r.path.length - q - 1).toBeLessThanOrEqual(MAX_QUERY_BYTES);
            for (const v of Object.values(r.headers ?? {})) expect(v).not.toMatch(/[\r\n\0]/);
            routed++;
          } catch (err) {
            if (!SDKError.isSDKError(err)) throw err;
            refused++;
          }
        }),
        { numRuns: RUNS },
      );
    }
    expect(routed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
