/**
 * The generator's pagination data: the rules on small Swagger documents (one per signal), the
 * reviewed tables in spec/, and what the committed tables carry for the operations users page most.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { maximumFromText, pagingData, reportLines } from "../../codegen/pagination.js";
import type { OperationSpec } from "../../runtime/operation.js";
import { CHUNK_MAXIMA } from "../../spec/chunk-maxima.js";
import { REPO_ROOT } from "../../spec/locate.js";
import { CAP_ALTERNATIVES, DETAILS_PAIRS, PAGINATION_OVERRIDES } from "../../spec/pagination-overrides.js";
import type { SwaggerDocument } from "../../spec/swagger.js";

const envelope = (
  pagination: Record<string, { type: string }>,
  resources: object = { type: "array", items: { type: "string" } },
) => ({
  type: "object",
  properties: {
    meta: { type: "object", properties: { pagination: { type: "object", properties: pagination } } },
    resources,
    errors: { type: "array" },
  },
});
const q = (name: string, type: string, extra: object = {}) => ({ name, in: "query", type, ...extra });

function doc(
  ops: Record<
    string,
    {
      path?: string;
      method?: string;
      params: object[];
      pagination?: Record<string, { type: string }>;
      resources?: object;
    }
  >,
): SwaggerDocument {
  const paths: Record<string, Record<string, object>> = {};
  for (const [id, o] of Object.entries(ops)) {
    const path = o.path ?? `/x/queries/${id.toLowerCase()}/v1`;
    (paths[path] ??= {})[o.method ?? "get"] = {
      operationId: id,
      tags: ["x"],
      parameters: o.params,
      responses: {
        "200": {
          description: "OK",
          schema: envelope(
            o.pagination ?? { offset: { type: "integer" }, limit: { type: "integer" }, total: { type: "integer" } },
            o.resources,
          ),
        },
      },
    };
  }
  return { swagger: "2.0", info: { title: "t", version: "1" }, paths } as unknown as SwaggerDocument;
}

describe("classification rules", () => {
  const data = pagingData(
    doc({
      IntOffset: { params: [q("offset", "integer"), q("limit", "integer", { maximum: 500 })] },
      Scroll: {
        params: [q("offset", "string"), q("limit", "integer", { description: "max: 10000" })],
        pagination: { offset: { type: "string" }, expires_at: { type: "integer" }, total: { type: "integer" } },
      },
      StringIntOffset: { params: [q("offset", "string"), q("limit", "integer")] },
      After: {
        params: [q("after", "string"), q("limit", "integer", { maximum: 400 })],
        pagination: { after: { type: "string" }, total: { type: "integer" } },
      },
      AfterAndOffset: {
        params: [q("offset", "string"), q("after", "string")],
        pagination: { after: { type: "string" }, offset: { type: "string" } },
      },
      NextToken: {
        params: [q("next_token", "string"), q("limit", "integer")],
        pagination: { next_token: { type: "string" } },
      },
      NextPage: {
        params: [q("offset", "string"), q("limit", "string")],
        pagination: { next_page: { type: "string" }, total: { type: "integer" } },
      },
      Events: {
        params: [q("next_token", "string")],
        pagination: { next_token: { type: "string" } },
        resources: { type: "object", properties: { events: { type: "array", items: { type: "object" } } } },
      },
      Skip: { params: [q("skip", "integer"), q("limit", "integer")] },
      OnlyLimit: { params: [q("limit", "integer")] },
      GetThing: {
        path: "/x/entities/intoffset/v2",
        params: [
          q("ids", "array", {
            items: { type: "string" },
            required: true,
            description: "Up to 400 ids (maximum 400 IDs allowed).",
          }),
        ],
      },
    }),
  );
  const style = (id: string) => data.byId.get(id)?.pagination;

  it("reads each style from the request parameters and meta.pagination", () => {
    expect(style("IntOffset")).toEqual({
      style: "offset",
      param: "offset",
      in: "query",
      limitParam: "limit",
      limitIn: "query",
      maxLimit: 500,
      cap: 10_000,
      details: "GetThing",
    });
    expect(style("Scroll")).toMatchObject({ style: "offset-token", token: "offset", maxLimit: 10_000 });
    expect(style("Scroll")!.cap).toBeUndefined();
    expect(style("StringIntOffset")).toMatchObject({ style: "offset", cap: 10_000 });
    expect(style("After")).toMatchObject({ style: "after", param: "after", token: "after", maxLimit: 400 });
    expect(style("AfterAndOffset")).toMatchObject({ style: "after" });
    expect(style("NextToken")).toMatchObject({ style: "next-token", param: "next_token", token: "next_token" });
    expect(style("NextPage")).toMatchObject({ style: "next-page", param: "offset", token: "next_page" });
    expect(style("Events")).toMatchObject({ style: "next-token", items: "resources.events" });
    expect(style("OnlyLimit")).toBeUndefined();
  });

  it("pairs queries/X with entities/X and reads the ids maximum from the description", () => {
    expect(data.byId.get("GetThing")?.chunk).toEqual({ param: "ids", in: "query", max: 400 });
  });

  it("reports what it cannot classify, and counts per style", () => {
    expect(data.report.unclassified).toEqual([expect.stringMatching(/^Skip \(GET .*\): query skip$/)]);
    expect(data.report.counts).toMatchObject({
      offset: 2,
      "offset-token": 1,
      after: 2,
      "next-token": 2,
      "next-page": 1,
    });
    expect(reportLines(data.report).join("\n")).toMatch(
      /unclassified pagination: Skip .*settle it in spec\/pagination-overrides.ts/,
    );
  });

  it("reviewed entries naming operations another spec lacks are reported, not fatal", () => {
    expect(data.report.stale).toEqual(
      expect.arrayContaining(["GetActivityMonitorV3", "PostDeviceDetailsV2", "QueryDevicesByFilterScroll"]),
    );
    expect(reportLines(data.report).join("\n")).toMatch(
      /name operations this spec lacks \(ignored\): .*GetActivityMonitorV3/,
    );
  });

  it("maximumFromText reads the phrases the spec uses", () => {
    expect(maximumFromText("The ids of the policies to delete (maximum 100 IDs allowed).")).toBe(100);
    expect(maximumFromText("One or more rules IDs (max: 400)")).toBe(400);
    expect(maximumFromText("One or more (up to 500) policy ids")).toBe(500);
    expect(maximumFromText("limited to 100 per request.")).toBe(100);
    expect(maximumFromText("Maximum number of records to return (default: 100, max: 500)")).toBe(500);
    expect(maximumFromText("The maximum number of results to return [1-100].")).toBe(100);
    expect(maximumFromText("The maximum number of ids that can be requested at once is `500`.")).toBe(500);
    expect(maximumFromText("Search by ids - The maximum amount is 100 IDs")).toBe(100);
    expect(maximumFromText("The file SHA256.")).toBeUndefined();
  });

  it("every reviewed entry names its reason", () => {
    for (const table of [PAGINATION_OVERRIDES, DETAILS_PAIRS, CAP_ALTERNATIVES, CHUNK_MAXIMA]) {
      for (const [id, entry] of Object.entries(table)) expect(entry.reason.length, id).toBeGreaterThan(30);
    }
  });
});

describe("the committed operation tables", () => {
  const GENERATED = join(REPO_ROOT, "generated");
  const load = async (): Promise<Map<string, OperationSpec>> => {
    const dirs = readdirSync(GENERATED, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const all = new Map<string, OperationSpec>();
    for (const dir of dirs)
      for (const op of Object.values(
        (await import(join(GENERATED, dir, "index.ts"))).operations() as Record<string, OperationSpec>,
      ))
        all.set(op.id, op);
    return all;
  };

  it("carry the style, maxima and pairs users rely on; every override is applied", async () => {
    const ops = await load();
    expect(ops.get("QueryDevicesByFilterScroll")!.pagination).toMatchObject({
      style: "offset-token",
      details: "PostDeviceDetailsV2",
      maxLimit: 10_000,
    });
    expect(ops.get("QueryDevicesByFilter")!.pagination).toMatchObject({
      style: "offset",
      cap: 10_000,
      alternative: "QueryDevicesByFilterScroll",
    });
    expect(ops.get("PostCombinedAlertsV1")!.pagination).toMatchObject({
      style: "body-after",
      in: "body",
      param: "after",
    });
    expect(ops.get("GetDeviceDetailsV2")!.chunk).toEqual({ param: "ids", in: "query", max: 100 });
    expect(ops.get("PostDeviceDetailsV2")!.chunk).toEqual({ param: "ids", in: "body", max: 5000 });
    expect(ops.get("GetActivityMonitorV3")!.pagination).toMatchObject({ style: "offset", param: "skip" });
    for (const [id, o] of Object.entries(PAGINATION_OVERRIDES))
      if (o.style === "none") expect(ops.get(id)!.pagination, id).toBeUndefined();
    // every details operation exists and takes ids; in the same collection
    for (const op of ops.values()) {
      const d = op.pagination?.details;
      if (d) {
        const details = ops.get(d)!;
        const takesIds =
          details.params.some((p) => p.name === "ids" && p.type === "array") ||
          (details.bodyKeys ?? []).includes("ids");
        expect(takesIds, `${op.id} -> ${d}`).toBe(true);
        expect(ops.get(d)!.tag).toBe(op.tag);
      }
    }
    const counts: Record<string, number> = {};
    for (const op of ops.values())
      if (op.pagination) counts[op.pagination.style] = (counts[op.pagination.style] ?? 0) + 1;
    expect(counts).toEqual({
      offset: 322,
      "offset-token": 5,
      after: 24,
      "body-after": 1,
      "next-token": 3,
      "next-page": 2,
    });
  });
});
