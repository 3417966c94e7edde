/**
 * The data world over the whole spec, without a round trip (mock.defaultBody): every
 * operation's default answer conforms to its response schema, the common operations' values
 * look real, and every paginated operation's pages end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_FAMILIES, startMockFalcon, type MockFalcon, type OperationId } from "../../mock/index.js";
import type { OperationEntry } from "../../mock/spec.js";

let mock: MockFalcon;
beforeAll(async () => {
  mock = await startMockFalcon({ seed: 11 });
});
afterAll(() => mock.close());

function jsonOperations(): OperationEntry[] {
  return mock.spec.operations().filter((e) => {
    try {
      mock.defaultBody(e.id as OperationId);
      return true;
    } catch {
      return false; // binary or bodiless answers
    }
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

describe("every operation", () => {
  it("answers a body that conforms to its response schema", () => {
    const ops = jsonOperations();
    expect(ops.length).toBeGreaterThan(1300);
    const failures = ops.flatMap((e) =>
      mock.validateResponse(e.id, mock.defaultBody(e.id as OperationId)).map((m) => `${e.id}: ${m}`),
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('never answers the placeholder "string" where a field\'s name says what it holds', () => {
    const bad: string[] = [];
    for (const e of jsonOperations()) {
      const walk = (v: unknown, key: string): void => {
        if (v === "string") bad.push(`${e.id}: ${key}`);
        else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
        else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
      };
      walk(mock.defaultBody(e.id as OperationId), "");
    }
    // what remains is a whole answer typed as a bare string, with no field name to go by (3 today)
    expect(bad.filter((b) => !b.endsWith(": "))).toEqual([]);
    expect(bad.length).toBeLessThanOrEqual(5);
  }, 120_000);
});

/** Checks by field name, independent of the generator's own rules. */
const FORMATS: [RegExp, (v: string) => boolean, string][] = [
  [
    /(^|_)(timestamp|seen|created_at|updated_at|modified_on|created_on)$|^(first|last)_seen$/,
    (v) => !Number.isNaN(Date.parse(v)),
    "a date",
  ],
  [/^(local_ip|external_ip|connection_ip|ip_address)$/, (v) => /^\d{1,3}(\.\d{1,3}){3}$/.test(v), "an IPv4 address"],
  [/^(mac_address|connection_mac_address)$/, (v) => /^([0-9a-f]{2}-){5}[0-9a-f]{2}$/.test(v), "a MAC address"],
  [/(^|_)sha256$/, (v) => /^[0-9a-f]{64}$/.test(v), "a SHA-256"],
  [/(^|_)md5$/, (v) => /^[0-9a-f]{32}$/.test(v), "an MD5"],
  [/^(device_id|aid|agent_id|cid)$/, (v) => /^[0-9a-f]{32}$/.test(v), "a 32-hex id"],
  [/^platform_name$/, (v) => ["Windows", "Mac", "Linux"].includes(v), "a platform"],
  [/^hostname$/, (v) => /^[A-Za-z0-9.-]+$/.test(v) && v !== "string", "a hostname"],
  [/^(uid|email)$/, (v) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(v), "an email"],
];

/** The first id of a world family (details calls answer only the ids the world has). */
const first = (family: string): string => mock.world.ids(family)[0]!;
const ids = (family: string) => (): { query: { ids: string[] } } => ({ query: { ids: [first(family)] } });
const bodyIds = (family: string) => (): { body: { ids: string[] } } => ({ body: { ids: [first(family)] } });

type Request = { query?: Record<string, unknown>; body?: unknown };
const COMMON: [OperationId, (() => Request)?][] = [
  ["QueryDevicesByFilterScroll"],
  ["GetDeviceDetailsV2", ids(ENTITY_FAMILIES.hosts)],
  ["PostDeviceDetailsV2", bodyIds(ENTITY_FAMILIES.hosts)],
  ["CombinedDevicesByFilter"],
  ["queryHostGroups"],
  ["queryCombinedHostGroups"],
  ["GetQueriesAlertsV2"],
  ["PostEntitiesAlertsV2", () => ({ body: { composite_ids: [first(ENTITY_FAMILIES.alerts)] } })],
  ["PostCombinedAlertsV1", () => ({ body: {} })],
  ["QueryIncidents"],
  ["GetIncidents", bodyIds(ENTITY_FAMILIES.incidents)],
  ["QueryBehaviors"],
  ["queryUserV1"],
  ["retrieveUsersGETV1", bodyIds(ENTITY_FAMILIES.users)],
  ["queryPreventionPolicies"],
  ["getPreventionPolicies", ids(ENTITY_FAMILIES.preventionPolicies)],
  ["QuerySubmissions"],
  ["GetSubmissions", ids(ENTITY_FAMILIES.sandboxSubmissions)],
  ["QueryDetects"],
  ["GetDetectSummaries", bodyIds(ENTITY_FAMILIES.detections)],
];

describe("values of 20 common operations look real", () => {
  it.each(COMMON)("%s", (id, request) => {
    const body = mock.defaultBody(id, request?.()) as { resources: unknown[] };
    expect(body.resources.length).toBeGreaterThan(0);
    const problems: string[] = [];
    let checked = 0;
    const walk = (v: unknown, key: string): void => {
      if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
      if (isRecord(v)) return Object.entries(v).forEach(([k, x]) => walk(x, k));
      if (typeof v !== "string") return;
      if (v === "string") problems.push(`${key}: the placeholder "string"`);
      for (const [name, ok, what] of FORMATS) {
        if (!name.test(key)) continue;
        checked++;
        if (!ok(v)) problems.push(`${key}: ${JSON.stringify(v)} is not ${what}`);
      }
    };
    walk(body.resources, "");
    expect(problems).toEqual([]);
    // ids are always checked: every answer names something
    expect(checked + body.resources.filter((r) => typeof r === "string").length).toBeGreaterThan(0);
  });
});

const CURSORS = ["offset", "after", "next_token", "next_page", "marker", "token", "continuation_token"];
const NEXT_KEYS = [
  "offset",
  "after",
  "next_token",
  "next_page",
  "next",
  "marker",
  "nextToken",
  "continuation_token",
  "last_id",
];

describe("pagination", () => {
  it("ends for every paginated operation, each world item once", () => {
    let paginated = 0;
    const endless: string[] = [];
    for (const e of jsonOperations()) {
      const first = mock.defaultBody(e.id as OperationId) as { meta?: { pagination?: Record<string, unknown> } };
      if (!isRecord(first.meta?.pagination)) continue;
      paginated++;
      const inQuery = new Set(e.parameters.filter((p) => p.in === "query").map((p) => p.name));
      const limitParam = e.parameters.find((p) => p.in === "query" && p.name === "limit");
      const query: Record<string, unknown> = {};
      const body: Record<string, unknown> = {};
      if (limitParam && (limitParam.schema?.type === "integer" || limitParam.schema?.type === "number")) {
        const min = typeof limitParam.schema.minimum === "number" ? limitParam.schema.minimum : 1;
        query.limit = Math.max(min, 10);
      }
      const items: unknown[] = [];
      let ended = false;
      for (let page = 0; page < 30; page++) {
        const r = mock.defaultBody(e.id as OperationId, { query, body }) as {
          resources?: unknown[];
          meta: { pagination: Record<string, unknown> };
        };
        if (Array.isArray(r.resources)) items.push(...r.resources);
        const p = r.meta.pagination;
        const key = NEXT_KEYS.find((k) => typeof p[k] === "string" && p[k] !== "");
        if (key) {
          const cursor = CURSORS.includes(key) ? key : "after";
          (inQuery.has(cursor) ? query : body)[cursor] = p[key];
          continue;
        }
        if (
          typeof p.offset === "number" &&
          typeof p.total === "number" &&
          p.offset < p.total &&
          Array.isArray(r.resources) &&
          r.resources.length > 0
        ) {
          query.offset = p.offset;
          continue;
        }
        ended = true;
        if (typeof p.total === "number" && Array.isArray(r.resources)) expect(items.length, e.id).toBe(p.total);
        break;
      }
      if (!ended) endless.push(e.id);
    }
    console.log(`pagination: ${paginated} operations with meta.pagination, every one ends`);
    expect(paginated).toBeGreaterThan(300);
    expect(endless).toEqual([]);
  }, 120_000);
});
