/**
 * Every paginated operation pages through the mock in its own style: its required arguments
 * built from its schemas (the conformance suite's builder), pages of at most 10, against the
 * full-spec mock with request validation on and PaginationFlow serving 25 items each. The mock
 * judges every page request against the spec.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIHarnessV2 } from "../../generated/uber.js";
import { ExampleGenerator } from "../../mock/examples.js";
import { PaginationFlow, defaultItem } from "../../mock/flows/pagination.js";
import { startMockFalcon, type MockFalcon, type OpenApiDocument } from "../../mock/server.js";
import { buildArgs, enumerateOperations, pool, type OperationUnderTest } from "../conformance/harness.js";
import { CREDS } from "./mock.js";

const PAGE = 10;
const ITEMS = 25;

describe("every paginated operation", () => {
  let mock: MockFalcon;
  let paged: OperationUnderTest[];
  const failures: string[] = [];

  beforeAll(async () => {
    const ops = await enumerateOperations();
    paged = ops.filter((o) => o.spec.pagination);
    mock = await startMockFalcon();
    mock.flow(new PaginationFlow(ops.map((o) => o.spec)));
    const falcon = new APIHarnessV2({ ...CREDS, baseUrl: mock.url, retries: 0 });
    const generators = new Map<OpenApiDocument, ExampleGenerator>();
    await pool(paged, 8, async (op) => {
      const spec = op.spec.pagination!;
      const entry = mock.spec.operation(op.id)!;
      let gen = generators.get(entry.doc);
      if (!gen) generators.set(entry.doc, (gen = new ExampleGenerator(entry.doc)));
      const args = buildArgs(entry, op.spec, gen).service;
      delete args[spec.param];
      if (spec.limitParam) {
        const size = Math.min(PAGE, spec.maxLimit ?? PAGE);
        const value = op.spec.params.some((p) => p.name === spec.limitParam && p.type === "string")
          ? String(size)
          : size;
        if (spec.limitIn === "body" && args.body && typeof args.body === "object")
          args.body = { ...(args.body as object), [spec.limitParam]: value, [spec.param]: undefined };
        else args[spec.limitParam] = value;
      }
      try {
        const items = await (falcon.paginate as (id: string, a: object) => { all(): Promise<unknown[]> })(
          op.id,
          args,
        ).all();
        const sent = mock.requests.filter((r) => r.operationId === op.id);
        const bad = sent.filter((r) => r.status !== 200);
        const expected = Array.from({ length: ITEMS }, (_, i) => defaultItem(op.id, i, op.spec.path));
        if (JSON.stringify(items) !== JSON.stringify(expected))
          failures.push(`${op.id} (${spec.style}): ${items.length} items, not each once in order`);
        else if (bad.length)
          failures.push(
            `${op.id} (${spec.style}): ${bad.map((r) => `${r.status} ${r.errors.join("; ")}`).join(" | ")}`,
          );
        else if (spec.limitParam && sent.length !== Math.ceil(ITEMS / Math.min(PAGE, spec.maxLimit ?? PAGE)))
          failures.push(`${op.id} (${spec.style}): ${sent.length} requests`);
      } catch (err) {
        failures.push(`${op.id} (${spec.style}): ${(err as Error).message}`);
      }
    });
  }, 120_000);
  afterAll(() => mock?.close());

  it("gets every item exactly once, in ceil(items / page) valid requests", () => {
    expect(paged.length).toBe(357);
    expect(failures).toEqual([]);
  });
});
