/**
 * Where a test must fail against the mock because it would fail against Falcon, over HTTP through
 * the SDK: ids the world does not have are not found (HTTP 404, or a partial answer naming them
 * in `errors`), and a filter that is not FQL, or FQL the mock cannot evaluate, is a 400 saying so.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Hosts } from "../../generated/hosts/index.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import { ENTITY_FAMILIES, FilterError, startMockFalcon, type MockFalcon, type OperationId } from "../../mock/index.js";

let mock: MockFalcon;
beforeAll(async () => {
  mock = await startMockFalcon({ seed: 3 });
});
afterAll(() => mock.close());
afterEach(() => mock.reset());

const creds = () => ({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
const hosts = () => new Hosts(creds());
const falcon = () => new APIHarnessV2(creds());
const MADE_UP = "0123456789abcdef0123456789abcdef";

type Dict = {
  status_code: number;
  body: { resources?: unknown[]; errors?: { code?: number; message: string; id?: string }[] };
};
const command = (id: OperationId, args: Record<string, unknown>): Promise<Dict> =>
  falcon().command(id, args) as Promise<Dict>;

/** The ids a query answers, through the SDK. */
async function queried(id: OperationId, args: Record<string, unknown> = {}): Promise<string[]> {
  const r = await command(id, args);
  expect(r.status_code, JSON.stringify(r.body.errors)).toBe(200);
  return r.body.resources as string[];
}

function notFound(r: Dict, ...ids: string[]): void {
  expect(r.body.errors).toEqual(ids.map((id) => ({ code: 404, message: `ID ${id} not found`, id })));
}

describe("ids the world does not have", () => {
  it("hosts: made-up ids are a 404 naming each; the world's ids are answered; a mix is partial", async () => {
    const none = await hosts().getDeviceDetailsV2({ ids: [MADE_UP, "abc"] });
    expect(none.status_code).toBe(404);
    expect(none.ok).toBe(false);
    notFound(none as Dict, MADE_UP, "abc");
    expect(none.body.resources).toEqual([]);

    const [known] = await queried("QueryDevicesByFilterScroll", { limit: 1 });
    const mixed = await hosts().postDeviceDetailsV2({ ids: [known!, MADE_UP] });
    expect(mixed.status_code).toBe(200);
    if (!mixed.ok) throw new Error("expected a success");
    expect(mixed.body.resources.map((d) => d.device_id)).toEqual([known]);
    notFound(mixed as Dict, MADE_UP);
    expect(mock.validateResponse("PostDeviceDetailsV2", mixed.body)).toEqual([]);
  });

  it("a partial answer is a 207 where the operation has a multi-status answer", async () => {
    const [group] = await queried("queryCIDGroups", { limit: 1 });
    const r = await command("getCIDGroupByIdV2", { ids: [group, "no-such-group"] });
    expect(r.status_code).toBe(207);
    expect(r.body.resources).toHaveLength(1);
    notFound(r, "no-such-group");
  });

  it("alerts, incidents and detections: a query's ids resolve, made-up ones do not", async () => {
    const alerts = await queried("GetQueriesAlertsV2", { limit: 2 });
    expect((await command("PostEntitiesAlertsV2", { body: { composite_ids: alerts } })).status_code).toBe(200);
    const fake = `${mock.world.cid}:ind:${MADE_UP}:1-2-3`;
    notFound(await command("PostEntitiesAlertsV2", { body: { composite_ids: [fake] } }), fake);

    const incidents = await queried("QueryIncidents", { limit: 2 });
    expect((await command("GetIncidents", { body: { ids: incidents } })).body.resources).toHaveLength(2);
    const missing = await command("GetIncidents", { body: { ids: [`inc:${MADE_UP}:${MADE_UP}`] } });
    expect(missing.status_code).toBe(404);

    // summaries are of the detections a query lists
    const detects = await queried("QueryDetects", { limit: 2 });
    expect((await command("GetDetectSummaries", { body: { ids: detects } })).status_code).toBe(200);
    expect((await command("GetDetectSummaries", { body: { ids: ["ldt:nope:1"] } })).status_code).toBe(404);
  });

  it("updates, deletes and actions on unknown ids are not found either", async () => {
    const [host] = mock.world.ids(ENTITY_FAMILIES.hosts);
    const contain = (ids: string[]) => hosts().performActionV2({ action_name: "contain", ids });
    expect((await contain([host!])).status_code).toBe(202);
    const r = await contain([MADE_UP]);
    expect(r.status_code).toBe(404);
    notFound(r as Dict, MADE_UP);

    const incident = `inc:${MADE_UP}:${MADE_UP}`;
    const action = { action_parameters: [{ name: "update_status", value: "20" }] };
    const [known] = await queried("QueryIncidents", { limit: 1 });
    expect((await command("PerformIncidentAction", { body: { ids: [known], ...action } })).status_code).toBe(200);
    notFound(await command("PerformIncidentAction", { body: { ids: [incident], ...action } }), incident);

    const [group] = await queried("queryHostGroups", { limit: 1 });
    expect((await command("deleteHostGroups", { ids: [group] })).status_code).toBe(200);
    expect((await command("deleteHostGroups", { ids: ["no-such-group"] })).status_code).toBe(404);
    const alert = `${mock.world.cid}:ind:${MADE_UP}:1-2-3`;
    const update = { action_parameters: [{ name: "update_status", value: "closed" }] };
    expect((await command("PatchEntitiesAlertsV3", { body: { composite_ids: [alert], ...update } })).status_code).toBe(
      404,
    );
  });

  it("members of host groups are hosts: their ids resolve in the hosts' details", async () => {
    const members = await queried("queryGroupMembers", { limit: 3 });
    const details = await hosts().getDeviceDetailsV2({ ids: members });
    expect(details.status_code).toBe(200);
    expect(details.body.resources).toHaveLength(3);
  });

  it("what the mock gave out resolves until reset: a created policy, an uploaded sample, an RTR session", async () => {
    const created = await command("createPreventionPolicies", {
      body: { resources: [{ name: "servers", platform_name: "Windows" }] },
    });
    expect(created.status_code).toBe(201);
    const id = (created.body.resources as { id: string }[])[0]!.id;
    expect(mock.world.has(ENTITY_FAMILIES.preventionPolicies, id)).toBe(false);
    const read = await command("getPreventionPolicies", { ids: [id] });
    expect(read.status_code).toBe(200);
    expect(read.body.resources).toMatchObject([{ id }]);

    const upload = await command("UploadSampleV3", {
      file_data: new TextEncoder().encode("MZ sample"),
      file_name: "sample.exe",
    });
    expect(upload.status_code).toBe(200);
    const sha = (upload.body.resources as { sha256: string }[])[0]!.sha256;
    expect((await command("DeleteSampleV3", { ids: sha })).status_code).toBe(200);

    const [host] = mock.world.ids(ENTITY_FAMILIES.hosts);
    const session = await command("RTR_InitSession", { body: { device_id: host } });
    const sessionId = (session.body.resources as { session_id: string }[])[0]!.session_id;
    expect((await command("RTR_ListSessions", { body: { ids: [sessionId] } })).status_code).toBe(200);

    mock.reset();
    expect((await command("RTR_ListSessions", { body: { ids: [sessionId] } })).status_code).toBe(404);
    expect((await command("getPreventionPolicies", { ids: [id] })).status_code).toBe(404);
    expect((await command("DeleteSampleV3", { ids: sha })).status_code).toBe(404);
  });

  it("a scenario answers the ids it made (jobs: a submission it started), the world does not know them", async () => {
    const handle = mock.scenario("jobs");
    try {
      handle.flow.submission("sub-1", { polls: 1 });
      expect(mock.world.has(ENTITY_FAMILIES.sandboxSubmissions, "sub-1")).toBe(false);
      const first = await command("GetSubmissions", { ids: ["sub-1"] });
      expect(first.status_code).toBe(200);
      expect(first.body.resources).toMatchObject([{ id: "sub-1", state: "running" }]);
      expect((await command("GetSubmissions", { ids: ["sub-2"] })).status_code).toBe(404);
    } finally {
      handle.remove();
    }
  });

  it("families no query lists keep a record for any id (the world cannot tell a test their ids)", async () => {
    const r = await command("ArchiveGetV1", { id: "any-archive" });
    expect(r.status_code).toBe(200);
    expect(r.body.errors).toEqual([]);
  });

  it("defaultBody() answers what the wire does: errors for unknown ids", () => {
    const body = mock.defaultBody("GetDeviceDetailsV2", { query: { ids: [MADE_UP] } });
    expect(body.resources).toEqual([]);
    expect(body.errors).toEqual([{ code: 404, message: `ID ${MADE_UP} not found`, id: MADE_UP }]);
  });

  it('unknownIds: "answer" makes up a record for any id', async () => {
    const lenient = await startMockFalcon({ unknownIds: "answer" });
    try {
      const r = await new Hosts({ ...creds(), baseUrl: lenient.url }).getDeviceDetailsV2({ ids: [MADE_UP] });
      expect(r.status_code).toBe(200);
      expect(r.body.resources).toMatchObject([{ device_id: MADE_UP }]);
    } finally {
      await lenient.close();
    }
  });
});

describe("filters", () => {
  const scroll = (filter: string) => hosts().queryDevicesByFilterScroll({ filter, limit: 500 });

  it("the FQL the mock evaluates filters the world, judged on the records details return", async () => {
    const filter = "(platform_name:'Windows',platform_name:'Mac')+last_seen:>'now-10d'+hostname:!null";
    const ids = (await scroll(filter)).body.resources as string[];
    const all = (await scroll("hostname:*")).body.resources as string[];
    expect(all).toHaveLength(mock.world.ids(ENTITY_FAMILIES.hosts).length);
    const details = await hosts().postDeviceDetailsV2({ ids: all });
    if (!details.ok) throw new Error("expected a success");
    const since = mock.world.now - 10 * 86_400_000;
    const expected = details.body.resources
      .filter((d) => ["Windows", "Mac"].includes(d.platform_name!) && Date.parse(d.last_seen!) > since)
      .map((d) => d.device_id);
    expect(ids).toEqual(expected);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(all.length);
  });

  it("a filter that is not FQL is a 400 naming the problem, as Falcon answers", async () => {
    const r = await scroll("platform_name:'Windows");
    expect(r.status_code).toBe(400);
    expect(r.body.errors).toEqual([
      { code: 400, message: `Invalid filter: a quoted value is not closed at position 14 of "platform_name:'Windows"` },
    ]);
    expect(mock.calls("QueryDevicesByFilterScroll")[0]!.errors).toEqual([r.body.errors![0]!.message]);
    expect((await scroll("platform_name:'Windows'+")).status_code).toBe(400);
  });

  it("FQL the mock cannot evaluate is a 400 saying it is the mock's limit, naming the construct", async () => {
    const r = await scroll("last_seen:>'now-1d/d'");
    expect(r.status_code).toBe(400);
    expect(r.body.errors![0]!.message).toMatch(/^The mock does not support the date math "now-1d\/d"/);
    expect(r.body.errors![0]!.message).toContain("mock.on()");
    // a handler answers such requests itself; defaultBody() inside it throws the same FilterError
    mock.on("QueryDevicesByFilterScroll", { body: { resources: ["pinned"] } }, { times: 1 });
    expect((await scroll("last_seen:>'now-1d/d'")).body.resources).toEqual(["pinned"]);
    expect(() => mock.defaultBody("QueryDevicesByFilterScroll", { query: { filter: "a:>[1,2]" } })).toThrow(
      FilterError,
    );
  });

  it("a field the world's records lack leaves its term out (the records do not hold every filterable field)", async () => {
    const r = await scroll("no_such_field:'x'");
    expect(r.body.resources).toHaveLength(mock.world.ids(ENTITY_FAMILIES.hosts).length);
  });
});
