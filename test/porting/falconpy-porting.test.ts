/**
 * FalconPy scripts ported line by line: each snippet is written the way a FalconPy user writes
 * it (the Python is in the comment above), type-checked in strict mode by `npm run typecheck`,
 * and run against the mock Falcon server, which validates every request against the spec. The
 * assertions are on the wire: method, path, query and body are the ones FalconPy sends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  Alerts,
  APIError,
  APIHarness,
  APIHarnessV2,
  FalconXSandbox,
  HostGroup,
  Hosts,
  IOC,
  PayloadValidationError,
  RealTimeResponse,
  SampleUploads,
  SensorDownload,
  SensorUpdatePolicy,
  SpotlightVulnerabilities,
  UserManagement,
  type SDKWarning,
} from "../../generated/index.js";
import { startMockFalcon, type MockFalcon, type RecordedRequest } from "../../mock/server.js";
import { ENTITY_FAMILIES } from "../../mock/world.js";
import { expectOk } from "../support/expect-ok.js";

let mock: MockFalcon;
const CLIENT_ID = "mock-client-id";
const CLIENT_SECRET = "mock-client-secret";

beforeAll(async () => {
  mock = await startMockFalcon({
    credentials: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, memberCids: ["child-cid-1"] }],
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.clearLog();
  mock.clearFaults();
});

/** The API requests of the log (token and revoke requests aside), each accepted by the mock. */
function apiRequests(): RecordedRequest[] {
  const out = mock.requests.filter((r) => !r.path.startsWith("/oauth2/"));
  for (const r of out) expect(r.errors, `${r.method} ${r.path}`).toEqual([]);
  return out;
}
function only(): RecordedRequest {
  const list = apiRequests();
  expect(list).toHaveLength(1);
  return list[0]!;
}
const creds = () => ({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: mock.url });

describe("FalconPy scripts ported line by line", () => {
  it("construction, login, token state and logout", async () => {
    // falcon = Hosts(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    // falcon.login(); print(falcon.token_status, falcon.authenticated(), falcon.token_expired())
    // falcon.logout()
    const falcon = new Hosts(creds());
    const login = await falcon.login();
    expect(login.status_code).toBe(201);
    expect(falcon.tokenStatus).toBe(201);
    expect(falcon.authenticated()).toBe(true);
    expect(falcon.tokenExpired()).toBe(false);
    expect(falcon.tokenValue).toBe(mock.tokens.at(-1)!.value);
    expect(falcon.headers.authorization).toBe(`Bearer ${falcon.tokenValue}`);
    expect(falcon.refreshable).toBe(true);
    expect(falcon.creds).toEqual({ client_id: CLIENT_ID });
    expect(falcon.tokenRenewWindow).toBe(120);
    const out = await falcon.logout();
    expect(out.status_code).toBe(200);
    expect(falcon.authenticated()).toBe(false);
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /oauth2/token", "POST /oauth2/revoke"]);
  });

  it("hosts: query_devices, then get_device_details with positional ids", async () => {
    // hosts = Hosts(client_id=..., client_secret=...)
    // id_list = hosts.query_devices(filter="platform_name:'Windows'", limit=2)["body"]["resources"]
    // details = hosts.get_device_details(id_list)
    const hosts = new Hosts(creds());
    const found = await hosts.queryDevices({ filter: "platform_name:'Windows'", limit: 2 });
    expectOk(found);
    const idList = found.body.resources;
    const details = await hosts.getDeviceDetails(idList);
    expect(details.status_code).toBe(200);
    const [query, post] = apiRequests();
    expect(`${query!.method} ${query!.path}`).toBe("GET /devices/queries/devices-scroll/v1");
    expect(Object.fromEntries(query!.searchParams)).toEqual({ filter: "platform_name:'Windows'", limit: "2" });
    expect(`${post!.method} ${post!.path}`).toBe("POST /devices/entities/devices/v2");
    expect(post!.body).toEqual({ ids: idList });
  });

  it("hosts: perform_action with a comma-separated ids string", async () => {
    // hosts.perform_action(action_name="contain", ids="abc123,def456")
    const hosts = new Hosts(creds());
    await hosts.performAction({ action_name: "contain", ids: "abc123,def456" });
    const r = only();
    expect(`${r.method} ${r.path}?${r.query}`).toBe("POST /devices/entities/devices-actions/v2?action_name=contain");
    expect(r.body).toEqual({ ids: ["abc123", "def456"] });
  });

  it("host groups: perform_group_action with the filter keyword", async () => {
    // host_group.perform_group_action(action_name="add-hosts", ids="group1", filter="hostname:'web-01'")
    const hostGroup = new HostGroup(creds());
    await hostGroup.performGroupAction({ action_name: "add-hosts", ids: "group1", filter: "hostname:'web-01'" });
    const r = only();
    expect(`${r.method} ${r.path}?${r.query}`).toBe(
      "POST /devices/entities/host-group-actions/v1?action_name=add-hosts",
    );
    expect(r.body).toEqual({ ids: ["group1"], action_parameters: [{ name: "filter", value: "hostname:'web-01'" }] });
  });

  it("real time response: init_session, execute_command, batch sessions and batch_get_command", async () => {
    // rtr = RealTimeResponse(client_id=..., client_secret=...)
    // session = rtr.init_session(device_id=aid, queue_offline=False)
    // rtr.execute_command(base_command="ls", command_string="ls C:\\", session_id=sid, device_id=aid, id=1, persist=False)
    // batch = rtr.batch_init_sessions(host_ids="aid1,aid2", queue_offline=False, existing_batch_id="")
    // rtr.batch_get_command(batch_id=bid, file_path="C:\\Windows\\notepad.exe", optional_hosts="aid1,aid2")
    const rtr = new RealTimeResponse(creds());
    await rtr.initSession({ device_id: "aid1", queue_offline: false, origin: "porting" });
    await rtr.executeCommand({
      base_command: "ls",
      command_string: "ls C:\\",
      session_id: "sid1",
      device_id: "aid1",
      id: 1,
      persist: false,
    });
    // the spec requires existing_batch_id (the mock enforces it; FalconPy's samples omit it)
    await rtr.batchInitSessions({ host_ids: "aid1,aid2", queue_offline: false, existing_batch_id: "" });
    await rtr.batchGetCommand({ batch_id: "bid1", file_path: "C:\\Windows\\notepad.exe", optional_hosts: "aid1,aid2" });
    const [init, exec, batch, get] = apiRequests();
    expect(`${init!.method} ${init!.path}`).toBe("POST /real-time-response/entities/sessions/v1");
    expect(init!.body).toEqual({ device_id: "aid1", queue_offline: false, origin: "porting" });
    expect(`${exec!.method} ${exec!.path}`).toBe("POST /real-time-response/entities/command/v1");
    expect(exec!.body).toEqual({
      base_command: "ls",
      command_string: "ls C:\\",
      session_id: "sid1",
      device_id: "aid1",
      id: 1,
      persist: false,
    });
    expect(`${batch!.method} ${batch!.path}`).toBe("POST /real-time-response/combined/batch-init-session/v1");
    expect(batch!.body).toEqual({ host_ids: ["aid1", "aid2"], queue_offline: false, existing_batch_id: "" });
    expect(`${get!.method} ${get!.path}`).toBe("POST /real-time-response/combined/batch-get-command/v1");
    expect(get!.body).toEqual({
      batch_id: "bid1",
      file_path: "C:\\Windows\\notepad.exe",
      optional_hosts: ["aid1", "aid2"],
    });
  });

  it("IOC: indicator_create with the type/value keywords", async () => {
    // ioc = IOC(client_id=..., client_secret=...)
    // ioc.indicator_create(type="domain", value="evil.example", action="detect", severity="high",
    //                      platforms="windows,mac", applied_globally=True, comment="from a port")
    const ioc = new IOC(creds());
    await ioc.indicatorCreate({
      type: "domain",
      value: "evil.example",
      action: "detect",
      severity: "high",
      platforms: "windows,mac",
      applied_globally: true,
      comment: "from a port",
    });
    const r = only();
    expect(`${r.method} ${r.path}`).toBe("POST /iocs/entities/indicators/v1");
    expect(r.body).toEqual({
      comment: "from a port",
      indicators: [
        {
          action: "detect",
          applied_globally: true,
          platforms: ["windows", "mac"],
          severity: "high",
          type: "domain",
          value: "evil.example",
        },
      ],
    });
  });

  it("alerts: query_alerts_v2 and update_alerts_v3 with update_status", async () => {
    // alerts = Alerts(client_id=..., client_secret=...)
    // alerts.query_alerts_v2(filter="status:'new'", limit=5)
    // alerts.update_alerts_v3(composite_ids="c1,c2", update_status="closed", append_comment="handled")
    const alerts = new Alerts(creds());
    await alerts.queryAlertsV2({ filter: "status:'new'", limit: 5 });
    await alerts.updateAlertsV3({ composite_ids: "c1,c2", update_status: "closed", append_comment: "handled" });
    const [query, patch] = apiRequests();
    expect(`${query!.method} ${query!.path}`).toBe("GET /alerts/queries/alerts/v2");
    expect(Object.fromEntries(query!.searchParams)).toEqual({ filter: "status:'new'", limit: "5" });
    expect(`${patch!.method} ${patch!.path}`).toBe("PATCH /alerts/entities/alerts/v3");
    expect(patch!.body).toEqual({
      composite_ids: ["c1", "c2"],
      action_parameters: [
        { name: "update_status", value: "closed" },
        { name: "append_comment", value: "handled" },
      ],
    });
  });

  it("sample uploads: upload_sample with file_data and file_name", async () => {
    // samples = SampleUploads(client_id=..., client_secret=...)
    // samples.upload_sample(file_data=open("eicar.txt", "rb").read(), file_name="eicar.txt", comment="porting test")
    const samples = new SampleUploads(creds());
    const content = new TextEncoder().encode("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
    const result = await samples.uploadSample({ file_data: content, file_name: "eicar.txt", comment: "porting test" });
    expect(result.status_code).toBeLessThan(300);
    const r = only();
    expect(`${r.method} ${r.path}`).toBe("POST /samples/entities/samples/v3");
    const sample = r.parts.find((p) => p.name === "sample");
    expect(sample?.filename).toBe("eicar.txt");
    expect(sample?.text).toContain("EICAR-STANDARD-ANTIVIRUS-TEST-FILE");
  });

  it("sandbox and Spotlight: query then get with positional ids", async () => {
    // sandbox = FalconXSandbox(client_id=..., client_secret=...)
    // reports = sandbox.query_reports(limit=1)["body"]["resources"]
    // sandbox.get_reports(reports)
    // spotlight = SpotlightVulnerabilities(auth_object=sandbox)
    // spotlight.get_vulnerabilities(spotlight.query_vulnerabilities(filter="cve.id:*", limit=2)["body"]["resources"])
    const sandbox = new FalconXSandbox(creds());
    const queried = await sandbox.queryReports({ limit: 1 });
    expectOk(queried);
    expect(queried.body.resources).toHaveLength(1);
    await sandbox.getReports(queried.body.resources);
    const spotlight = new SpotlightVulnerabilities({ authObject: sandbox });
    // the mock's data world has vulnerabilities for any CVE (its FQL subset matches field values)
    const vulns = await spotlight.queryVulnerabilities({ filter: "cve.id:*", limit: 2 });
    expectOk(vulns);
    await spotlight.getVulnerabilities(vulns.body.resources);
    const [q1, g1, q2, g2] = apiRequests();
    expect(`${q1!.method} ${q1!.path}`).toBe("GET /falconx/queries/reports/v1");
    expect(`${g1!.method} ${g1!.path}`).toBe("GET /falconx/entities/reports/v1");
    expect(g1!.searchParams.getAll("ids")).toEqual(queried.body.resources);
    expect(`${q2!.method} ${q2!.path}`).toBe("GET /spotlight/queries/vulnerabilities/v1");
    expect(`${g2!.method} ${g2!.path}`).toBe("GET /spotlight/entities/vulnerabilities/v2");
    expect(vulns.body.resources.length).toBeGreaterThan(0);
    expect(g2!.searchParams.getAll("ids")).toEqual(vulns.body.resources);
    // one token for both clients (auth_object shares it)
    expect(mock.requests.filter((r) => r.path === "/oauth2/token")).toHaveLength(1);
  });

  it("user management: query_users then retrieve_users with positional ids", async () => {
    // users = UserManagement(client_id=..., client_secret=...)
    // uuids = users.query_users(limit=2)["body"]["resources"]
    // users.retrieve_users(ids=",".join(uuids))
    const users = new UserManagement(creds());
    const queried = await users.queryUsers({ limit: 2 });
    expectOk(queried);
    const uuids = queried.body.resources;
    expect(uuids.length).toBeGreaterThan(0);
    await users.retrieveUsers(uuids.join(","));
    const [query, post] = apiRequests();
    expect(`${query!.method} ${query!.path}`).toBe("GET /user-management/queries/users/v1");
    expect(`${post!.method} ${post!.path}`).toBe("POST /user-management/entities/users/GET/v1");
    expect(post!.body).toEqual({ ids: uuids });
  });

  it("sensor update policies: create_policies_v2 with the name/platform/build keywords", async () => {
    // sensor_policy = SensorUpdatePolicy(client_id=..., client_secret=...)
    // sensor_policy.create_policies_v2(name="Servers", platform_name="Windows", build="n-1", uninstall_protection="ENABLED",
    //                                  scheduler={"enabled": False, "schedules": [], "timezone": "Etc/UTC"},
    //                                  variants=[{"build": "n-1", "platform": "LinuxArm64"}])
    const sensorPolicy = new SensorUpdatePolicy(creds());
    const scheduler = { enabled: false, schedules: [], timezone: "Etc/UTC" };
    const variants = [{ build: "n-1", platform: "LinuxArm64" }];
    await sensorPolicy.createPoliciesV2({
      name: "Servers",
      platform_name: "Windows",
      build: "n-1",
      uninstall_protection: "ENABLED",
      scheduler,
      variants,
    });
    const r = only();
    expect(`${r.method} ${r.path}`).toBe("POST /policy/entities/sensor-update/v2");
    expect(r.body).toEqual({
      resources: [
        {
          name: "Servers",
          platform_name: "Windows",
          settings: { build: "n-1", scheduler, uninstall_protection: "ENABLED", variants },
        },
      ],
    });
  });

  it("sensor download: a binary download is a dict with bytes in body; streaming is a call option", async () => {
    // sensor = SensorDownload(client_id=..., client_secret=...)
    // data = sensor.download_sensor_installer(id=sha)   # FalconPy returns bare bytes
    const sensor = new SensorDownload(creds());
    const download = await sensor.downloadSensorInstaller({ id: "a".repeat(64) });
    expect(download.status_code).toBe(200);
    expect(download.body).toBeInstanceOf(Uint8Array);
    // FalconPy's stream=True keyword: here the second argument
    const streamed = await sensor.downloadSensorInstaller({ id: "a".repeat(64) }, { stream: true });
    expectOk(streamed);
    expect(streamed.body).toBeInstanceOf(ReadableStream);
    expect(new Uint8Array(await new Response(streamed.body).arrayBuffer())).toEqual(download.body);
    // @ts-expect-error stream is a call option, not an argument
    const wrong = () => sensor.downloadSensorInstaller({ id: "a".repeat(64), stream: true });
    await expect(wrong()).rejects.toThrow(/stream is a call option.*second argument/);
    await expect(wrong()).rejects.toBeInstanceOf(PayloadValidationError);
    expect(apiRequests().map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      `GET /sensors/entities/download-installer/v1?id=${"a".repeat(64)}`,
      `GET /sensors/entities/download-installer/v1?id=${"a".repeat(64)}`,
    ]);
  });

  it("the Uber class: command() with comma ids, positional ids, the keyword form and override", async () => {
    // falcon = APIHarnessV2(client_id=..., client_secret=...)
    // falcon.command("PerformActionV2", action_name="contain", ids="a1,a2")
    // falcon.command("GetDeviceDetailsV2", ids="a1,a2")
    // falcon.command(override="GET,/devices/queries/devices/v1", parameters={"limit": 1})
    const falcon = new APIHarnessV2(creds());
    await falcon.command("PerformActionV2", { action_name: "contain", ids: "a1,a2" });
    await falcon.command("GetDeviceDetailsV2", "a1,a2");
    await falcon.command({ action: "GetDeviceDetailsV2", ids: ["a3"] });
    await falcon.command({ override: "GET,/devices/queries/devices/v1", parameters: { limit: 1 } });
    await falcon.override("GET", "/devices/queries/devices/v1", { parameters: { limit: 2 } });
    const [action, get1, get2, o1, o2] = apiRequests();
    expect(action!.body).toEqual({ ids: ["a1", "a2"] });
    expect(`${get1!.method} ${get1!.path}?${get1!.query}`).toBe("GET /devices/entities/devices/v2?ids=a1&ids=a2");
    expect(get2!.query).toBe("ids=a3");
    expect(`${o1!.method} ${o1!.path}?${o1!.query}`).toBe("GET /devices/queries/devices/v1?limit=1");
    expect(o2!.query).toBe("limit=2");
    expect(falcon.commands).toContain("PerformActionV2");
    expect(falcon.commands.length).toBeGreaterThan(1499);
    expect(falcon.creds).toEqual({ client_id: CLIENT_ID });
    expect(JSON.stringify(falcon.creds)).not.toContain(CLIENT_SECRET);
  });

  it("object mode: Result.data, at(), and APIError.code is the HTTP status", async () => {
    // hosts = Hosts(client_id=..., client_secret=..., pythonic=True)
    // result = hosts.query_devices(limit=2); first = result.data[0]
    // try: hosts.get_device_details("missing") except APIError as err: print(err.code)
    const hosts = new Hosts({ ...creds(), pythonic: true });
    const result = await hosts.queryDevices({ limit: 2 });
    expect(result.data).toEqual(result.resources);
    expect(result.at(0)).toBe(result.data[0]);
    expect(result.at(-1)).toBe(result.data[result.data.length - 1]);
    mock.override("PostDeviceDetailsV2", {
      status: 404,
      body: { meta: {}, errors: [{ code: 404, message: "not found" }], resources: [] },
    });
    const err = await hosts.getDeviceDetails("missing").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).code).toBe(404);
    expect((err as APIError).name).toBe("APIError");
  });

  it("threads become Promise.all: concurrent calls share one token", async () => {
    // with ThreadPoolExecutor() as pool: pool.map(lambda i: hosts.get_device_details(i), batches)
    const hosts = new Hosts(creds());
    const batches = mock.world
      .ids(ENTITY_FAMILIES.hosts)
      .slice(0, 5)
      .map((id) => [id]);
    const results = await Promise.all(batches.map((ids) => hosts.getDeviceDetails(ids)));
    expect(results.map((r) => r.status_code)).toEqual([200, 200, 200, 200, 200]);
    expect(mock.requests.filter((r) => r.path === "/oauth2/token")).toHaveLength(1);
    expect(apiRequests().map((r) => r.body)).toEqual(batches.map((ids) => ({ ids })));
  });

  it("pagination: FalconPy's offset loop, unchanged", async () => {
    // offset = 0; total = 1
    // while offset < total:
    //     r = hosts.query_devices_by_filter(limit=2, offset=offset)
    //     offset = r["body"]["meta"]["pagination"]["offset"] + 2; total = r["body"]["meta"]["pagination"]["total"]
    const page = (offset: number) => ({
      meta: { pagination: { offset, limit: 2, total: 4 } },
      resources: [`h${offset}`, `h${offset + 1}`],
      errors: [],
    });
    mock.override((r) => r.path === "/devices/queries/devices/v1" && r.searchParams.get("offset") === "0", {
      status: 200,
      body: page(0),
    });
    mock.override((r) => r.path === "/devices/queries/devices/v1" && r.searchParams.get("offset") === "2", {
      status: 200,
      body: page(2),
    });
    const hosts = new Hosts(creds());
    const seen: string[] = [];
    let offset = 0;
    let total = 1;
    while (offset < total) {
      const r = await hosts.queryDevicesByFilter({ limit: 2, offset });
      expectOk(r);
      const pagination = r.body.meta.pagination!;
      seen.push(...(r.body.resources ?? []));
      offset = Number(pagination.offset) + 2;
      total = pagination.total ?? 0;
    }
    expect(seen).toEqual(["h0", "h1", "h2", "h3"]);
    expect(apiRequests().map((r) => r.query)).toEqual(["limit=2&offset=0", "limit=2&offset=2"]);
  });

  it("MSSP: child_login and child_logout", async () => {
    // falcon = Hosts(client_id=..., client_secret=...)
    // falcon.child_login(member_cid="child-cid-1"); ...; falcon.child_logout()
    const falcon = new Hosts(creds());
    expect(await falcon.childLogin("child-cid-1")).toBe(true);
    expect(falcon.creds).toEqual({ client_id: CLIENT_ID, member_cid: "child-cid-1" });
    expect(await falcon.childLogout()).toBe(true);
    expect(falcon.creds).toEqual({ client_id: CLIENT_ID });
    const tokens = mock.requests
      .filter((r) => r.path === "/oauth2/token")
      .map((r) => new URLSearchParams(new TextDecoder().decode(r.raw)).get("member_cid"));
    expect(tokens).toEqual(["child-cid-1", null]);
  });

  it("the legacy APIHarness name and deprecated classes warn once per process", async () => {
    // falcon = APIHarness(client_id=..., client_secret=...)
    const warnings: SDKWarning[] = [];
    const onWarning = (w: SDKWarning) => warnings.push(w);
    const legacy = new APIHarness({ ...creds(), onWarning });
    new APIHarness({ ...creds(), onWarning });
    expect(legacy).toBeInstanceOf(APIHarnessV2);
    await legacy.command("QueryDevicesByFilterScroll", { limit: 1 });
    expect(warnings.map((w) => `${w.name} ${w.code}: ${w.message}`)).toEqual([
      "DeprecatedClass 299: The APIHarness service class has been deprecated. Use APIHarnessV2 instead.",
    ]);
  });

  it("a deprecated operation, or a deprecated operation ID, warns once per process at first use", async () => {
    // alerts.query_alerts(limit=1)   # FalconPy: DeprecatedOperation warning (v1 route)
    // falcon.command("query-hosts", limit=1)
    const warnings: SDKWarning[] = [];
    const onWarning = (w: SDKWarning) => warnings.push(w);
    const alerts = new Alerts({ ...creds(), onWarning });
    await alerts.getQueriesAlertsV1({ limit: 1 });
    await alerts.getQueriesAlertsV1({ limit: 1 });
    const falcon = new APIHarnessV2({ ...creds(), onWarning });
    await falcon.command("query-hosts", { limit: 1 });
    await falcon.command("query-hosts", { limit: 1 });
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([
      "DeprecatedOperation: The GetQueriesAlertsV1 operation has been deprecated (GET /alerts/queries/alerts/v1).",
      "DeprecatedOperation: query-hosts is a deprecated ID of query_hosts: use query_hosts.",
    ]);
    expect(apiRequests()).toHaveLength(4);
  });
});
