/**
 * The mock over the whole Falcon spec: it loads fast, and every operation accepts a request
 * built from its own schemas and answers a body conforming to its response schema (the mock's
 * self-check; the SDK conformance suite drives the generated client instead).
 */
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SWAGGER, fullOpenApi } from "../../mock/dev/convert-spec.js";
import { exampleRequest } from "../../mock/requests.js";
import { startMockFalcon, type MockFalcon, type OpenApiDocument } from "../../mock/server.js";

const GENERATED = fileURLToPath(new URL("../../generated/", import.meta.url));
const hasSwagger = existsSync(DEFAULT_SWAGGER);
const hasGenerated =
  existsSync(GENERATED) && readdirSync(GENERATED).some((d) => existsSync(`${GENERATED}${d}/openapi.json`));

/** Every operation with MOCK_FULL_SWEEP=1 (about 10 s); otherwise every 10th, to keep the suite fast. */
const FULL_SWEEP = process.env.MOCK_FULL_SWEEP === "1";

async function sweep(mock: MockFalcon): Promise<{ attempted: number; failures: string[] }> {
  const token = mock.issueToken();
  const failures: string[] = [];
  let attempted = 0;
  const entries = mock.spec.operations().filter((e) => !e.path.startsWith("/oauth2/"));
  for (const [i, entry] of entries.entries()) {
    if (!FULL_SWEEP && i % 10 !== 0) continue;
    attempted++;
    const r = exampleRequest(entry, { optional: true });
    const headers = { ...r.headers, authorization: `Bearer ${token}` };
    let status: number;
    let contentType: string;
    let text: string;
    if (r.method === "GET" && r.body !== undefined) {
      // WHATWG fetch cannot send a GET with a body (RetrieveRelayInstances, GetServiceViolationTypes)
      const u = await request(mock.url + r.url, { method: "GET", headers, body: r.body as string });
      status = u.statusCode;
      contentType = String(u.headers["content-type"] ?? "");
      text = await u.body.text();
    } else {
      const res = await fetch(mock.url + r.url, { method: r.method, headers, body: r.body ?? null });
      status = res.status;
      contentType = res.headers.get("content-type") ?? "";
      text = r.method === "HEAD" ? "" : await res.text();
    }
    if (status >= 300) {
      failures.push(`${entry.id}: ${status} ${text.slice(0, 300)}`);
    } else if (r.method !== "HEAD" && /json/.test(contentType)) {
      const problems = mock.validateResponse(entry.id, JSON.parse(text), status);
      if (problems.length) failures.push(`${entry.id}: response ${problems.slice(0, 3).join("; ")}`);
    }
  }
  return { attempted, failures };
}

describe.runIf(hasSwagger)("the full converted spec", () => {
  let doc: OpenApiDocument;
  let mock: MockFalcon;
  let token: string;

  beforeAll(async () => {
    doc = await fullOpenApi();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    // requests carry placeholder ids ("abc", schema examples): this suite checks parsing and answer shapes, not the world's ids
    mock = await startMockFalcon({ spec: doc, unknownIds: "answer" });
    const started = performance.now() - t0;
    const ops = mock.spec.size;
    const indexed = performance.now() - t0;
    console.log(
      `full spec: ${ops} operations, started in ${started.toFixed(1)} ms, indexed in ${indexed.toFixed(1)} ms, heap +${((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(1)} MB`,
    );
    token = mock.issueToken();
  }, 30_000);
  afterAll(() => mock?.close());

  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(mock.url + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });

  it("indexes every operation and starts well under a second", () => {
    expect(mock.spec.size).toBe(1499);
  });

  it("runs the token flow through the spec's oauth2 operations", async () => {
    const res = await fetch(`${mock.url}/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: "mock-client-id", client_secret: "mock-client-secret" }),
    });
    expect(res.status).toBe(201);
    expect(mock.requests.at(-1)!.operationId).toBe("oauth2AccessToken");
    const body = await res.json();
    expect(mock.validateResponse("oauth2AccessToken", body, 201)).toEqual([]);
  });

  it("JSON body: PerformActionV2", async () => {
    const ok = await api("/devices/entities/devices-actions/v2?action_name=contain", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: ["abc"] }),
    });
    expect(ok.status).toBe(202);
    expect(mock.validateResponse("PerformActionV2", await ok.json(), 202)).toEqual([]);
    const bad = await api("/devices/entities/devices-actions/v2?action_name=contain", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: "abc" }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("body.ids: expected array, got string");
  });

  it("enum query parameter: performGroupAction rejects an unknown action", async () => {
    const res = await api("/devices/entities/host-group-actions/v1?action_name=explode", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: ["g"] }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(
      'query.action_name: expected one of \\"add-hosts\\", \\"remove-hosts\\", got \\"explode\\"',
    );
  });

  it("multipart upload: UploadSampleV3, as a form and as raw octet-stream", async () => {
    const form = new FormData();
    form.append("sample", new Blob([new Uint8Array([0x4d, 0x5a, 0, 0xff])]), "a.exe");
    form.append("file_name", "a.exe");
    form.append("is_confidential", "true");
    const res = await api("/samples/entities/samples/v3", { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(mock.validateResponse("UploadSampleV3", await res.json())).toEqual([]);
    const raw = await api("/samples/entities/samples/v3?file_name=a.exe&comment=c", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(raw.status).toBe(200);
    const missing = new FormData();
    missing.append("file_name", "a.exe");
    expect((await api("/samples/entities/samples/v3", { method: "POST", body: missing })).status).toBe(400);
  });

  it("binary downloads: GetSampleV3 and RTR_GetPutFileContents answer bytes", async () => {
    for (const path of [
      "/samples/entities/samples/v3?ids=abc",
      "/real-time-response/entities/put-file-contents/v1?id=abc",
    ]) {
      const res = await api(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(new Uint8Array(await res.arrayBuffer()).includes(0xff)).toBe(true);
    }
  });

  it("multi and csv arrays: GetDeviceDetailsV2 (repeated ids), cloud_compliance_framework_posture_summaries (comma-joined)", async () => {
    const multi = await api("/devices/entities/devices/v2?ids=a&ids=b");
    expect(multi.status).toBe(200);
    expect(mock.requests.at(-1)!.parsed?.query).toEqual({ ids: ["a", "b"] });
    expect(mock.validateResponse("GetDeviceDetailsV2", await multi.json())).toEqual([]);
    const csv = await api("/cloud-security-compliance/entities/framework-posture-summaries/v1?ids=a,b");
    expect(csv.status).toBe(200);
    expect(mock.requests.at(-1)!.parsed?.query).toEqual({ ids: ["a", "b"] });
    expect((await api("/cloud-security-compliance/entities/framework-posture-summaries/v1?ids=a&ids=b")).status).toBe(
      400,
    );
  });

  it(`${FULL_SWEEP ? "every" : "every 10th"} operation accepts a request built from its schemas and answers a conforming body`, async () => {
    const t0 = performance.now();
    const { attempted, failures } = await sweep(mock);
    console.log(
      `full spec sweep: ${attempted - failures.length}/${attempted} operations in ${Math.round(performance.now() - t0)} ms, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
    );
    expect(failures).toEqual([]);
    expect(attempted).toBe(FULL_SWEEP ? 1497 : 150);
  }, 120_000);
});

describe.runIf(hasGenerated)("generated/<tag>/openapi.json (the default spec source)", () => {
  it("loads the per-collection documents and answers an operation", async () => {
    const t0 = performance.now();
    const mock = await startMockFalcon();
    try {
      const ops = mock.spec.size;
      console.log(
        `generated/: ${mock.spec.documents.length} documents, ${ops} operations, loaded in ${(performance.now() - t0).toFixed(0)} ms`,
      );
      expect(ops).toBeGreaterThan(1000);
      const res = await fetch(`${mock.url}/devices/queries/devices-scroll/v1?limit=5`, {
        headers: { authorization: `Bearer ${mock.issueToken()}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});
