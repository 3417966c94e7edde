import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { fixtureDoc } from "./fixture.js";

let mock: MockFalcon;
let auth: Record<string, string>;

beforeAll(async () => {
  mock = await startMockFalcon({ spec: fixtureDoc });
  auth = { authorization: `Bearer ${mock.issueToken()}` };
});
afterAll(() => mock.close());

async function call(path: string, init: RequestInit = {}): Promise<{ res: Response; body: unknown; text: string }> {
  const res = await fetch(mock.url + path, {
    ...init,
    headers: { ...auth, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { res, body, text };
}

function message(body: unknown): string {
  return (body as { errors: { message: string }[] }).errors[0]!.message;
}

describe("valid requests", () => {
  it("answers a query with a body that conforms to the response schema, and Falcon headers", async () => {
    const { res, body } = await call(
      "/devices/queries/devices/v1?limit=10&sort=hostname.asc&ids=a,b&tags=x&tags=y&flag=true",
    );
    expect(res.status).toBe(200);
    expect(mock.validateResponse("QueryDevices", body)).toEqual([]);
    const b = body as { meta: { trace_id: string }; errors: unknown[]; resources: unknown[] };
    expect(b.errors).toEqual([]);
    // a query given ids answers those ids
    expect(b.resources).toEqual(["a", "b"]);
    expect(res.headers.get("x-cs-region")).toBe("us-1");
    expect(res.headers.get("x-ratelimit-limit")).toBe("6000");
    expect(Number(res.headers.get("x-ratelimit-remaining"))).toBeLessThan(6000);
    expect(res.headers.get("x-cs-traceid")).toBe(b.meta.trace_id);
    const rec = mock.requests.at(-1)!;
    expect(rec.operationId).toBe("QueryDevices");
    expect(rec.parsed?.query).toEqual({
      limit: 10,
      sort: "hostname.asc",
      ids: ["a", "b"],
      tags: ["x", "y"],
      flag: true,
    });
    expect(rec.query).toBe("limit=10&sort=hostname.asc&ids=a,b&tags=x&tags=y&flag=true");
    expect(rec.errors).toEqual([]);
  });

  it("generates examples honouring formats, patterns, enums, bounds and minItems", async () => {
    const { res, body } = await call("/devices/entities/devices/abc%2Fdef", { headers: { "X-CS-USERNAME": "me" } });
    expect(res.status).toBe(200);
    expect(mock.validateResponse("GetDevice", body)).toEqual([]);
    const device = (body as { resources: Record<string, unknown>[] }).resources[0]!;
    expect(device.first_seen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number.isNaN(Date.parse(device.first_seen as string))).toBe(false);
    expect(typeof device.status).toBe("string");
    // an encoded slash stays inside the one path parameter
    expect(mock.requests.at(-1)!.pathParams).toEqual({ id: "abc/def" });
  });

  it("prefers a literal path segment over a placeholder", async () => {
    const { res } = await call("/devices/entities/devices/latest");
    expect(res.status).toBe(200);
    expect(mock.requests.at(-1)!.operationId).toBe("GetLatestDevice");
  });

  it("survives a property named $ref and cuts off required recursion", async () => {
    const schema = await call("/schemas/entities/schema/v1");
    expect(schema.res.status).toBe(200);
    expect(mock.validateResponse("GetSchema", schema.body)).toEqual([]);
    const groups = await call("/groups/entities/groups/v1");
    expect(groups.res.status).toBe(200);
    expect(mock.validateResponse("GetGroups", groups.body)).toEqual([]);
  });

  it("accepts each value of a comma-joined enum", async () => {
    for (const v of ["daily", "never,once,daily"]) {
      expect((await call(`/devices/queries/devices/v1?limit=1&schedule=${encodeURIComponent(v)}`)).res.status).toBe(
        200,
      );
    }
    expect((await call("/devices/queries/devices/v1?limit=1&schedule=hourly")).res.status).toBe(400);
  });

  it("accepts a JSON body and records it", async () => {
    const host = mock.world.ids("devices/devices")[0]!;
    const { res, body } = await call("/devices/entities/devices-actions/v2?action_name=contain", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: [host], action_parameters: [{ name: "n", value: "v" }], extra_key: 1 }),
    });
    expect(res.status).toBe(202);
    expect(mock.validateResponse("PerformAction", body, 202)).toEqual([]);
    expect(mock.requests.at(-1)!.body).toEqual({
      ids: [host],
      action_parameters: [{ name: "n", value: "v" }],
      extra_key: 1,
    });
  });

  it("accepts a multipart upload and records its parts", async () => {
    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
    const form = new FormData();
    form.append("sample", new Blob([bytes], { type: "application/x-msdownload" }), "evil.exe");
    form.append("file_name", "evil.exe");
    form.append("is_confidential", "false");
    const { res } = await call("/samples/entities/samples/v3", { method: "POST", body: form });
    expect(res.status).toBe(200);
    const rec = mock.requests.at(-1)!;
    expect(rec.body).toEqual({ sample: "<file>", file_name: "evil.exe", is_confidential: false });
    const sample = rec.parts.find((p) => p.name === "sample")!;
    expect(sample.filename).toBe("evil.exe");
    expect(sample.contentType).toBe("application/x-msdownload");
    expect([...sample.bytes]).toEqual([...bytes]);
    expect(rec.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("accepts raw octet-stream bytes for a multipart operation with its fields in the query (UploadSampleV3 style)", async () => {
    const { res } = await call("/samples/entities/samples/v3?file_name=a.bin&comment=hi", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([9, 8, 7]),
    });
    expect(res.status).toBe(200);
    const rec = mock.requests.at(-1)!;
    expect(rec.body).toEqual({ sample: "<file>", file_name: "a.bin", comment: "hi" });
    expect([...rec.raw]).toEqual([9, 8, 7]);
  });

  it("accepts raw archive bytes and an url-encoded form", async () => {
    const zip = await call("/archives/entities/archives/v1?name=a.zip", {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: new Uint8Array([0x50, 0x4b, 3, 4]),
    });
    expect(zip.res.status).toBe(200);
    const form = await call("/forms/entities/form/v1", {
      method: "POST",
      body: new URLSearchParams({ name: "n", count: "3" }),
    });
    expect(form.res.status).toBe(200);
    expect(mock.requests.at(-1)!.body).toEqual({ name: "n", count: 3 });
  });

  it("answers bytes for binary downloads, text for csv, nothing for 204", async () => {
    const res = await fetch(`${mock.url}/samples/entities/samples/v3?ids=abc`, {
      headers: { ...auth, accept: "application/octet-stream" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.includes(0xff) && bytes.includes(0)).toBe(true);
    const csv = await call("/reports/entities/report/v1");
    expect(csv.res.headers.get("content-type")).toBe("text/csv");
    expect(csv.text).toContain("id,name");
    const del = await call("/devices/entities/devices-actions/v2", { method: "DELETE" });
    expect(del.res.status).toBe(204);
    expect(del.text).toBe("");
  });

  it("accepts the SDK's `{}` filler body on a POST without a body", async () => {
    const { res } = await call("/devices/entities/devices-actions/v2", {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(204);
  });
});

describe("non-conforming requests get 400 saying what failed", () => {
  it("a wrong type", async () => {
    const { res, body } = await call("/devices/queries/devices/v1?limit=ten");
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ errors: [{ code: 400 }], resources: [], meta: { trace_id: expect.any(String) } });
    expect(message(body)).toContain('query parameter "limit": must be integer (got "ten")');
    expect(mock.requests.at(-1)!.errors).toEqual(['query parameter "limit": must be integer (got "ten")']);
  });

  it("a missing required parameter, header and body field", async () => {
    expect(message((await call("/devices/queries/devices/v1")).body)).toContain(
      'query parameter "limit": is required but missing',
    );
    expect(message((await call("/devices/entities/devices/x")).body)).toContain(
      'header parameter "x-cs-username": is required but missing',
    );
    const body = (
      await call("/devices/entities/devices-actions/v2?action_name=contain", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action_parameters: [{ name: "n" }] }),
      })
    ).body;
    expect(message(body)).toContain("body.ids: is required but missing");
    expect(message(body)).toContain("body.action_parameters.0.value: is required but missing");
  });

  it("an unknown enum value, in the query and in the body", async () => {
    const q = await call("/devices/entities/devices-actions/v2?action_name=explode", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: ["a"], action_parameters: [{ name: "n", value: "v", mode: "wet" }] }),
    });
    expect(q.res.status).toBe(400);
    expect(message(q.body)).toContain(
      'query parameter "action_name": must be one of "contain", "lift_containment" (got "explode")',
    );
    expect(message(q.body)).toContain('body.action_parameters.0.mode: must be one of "full", "dry" (got "wet")');
  });

  it("a required body, file part or form field missing", async () => {
    const none = await call("/devices/entities/devices-actions/v2?action_name=contain", { method: "POST" });
    expect(message(none.body)).toContain("body: is required");
    const form = new FormData();
    form.append("comment", "no file");
    const upload = await call("/samples/entities/samples/v3", { method: "POST", body: form });
    expect(message(upload.body)).toContain('form field "sample": is required but missing');
    expect(message(upload.body)).toContain('form field "file_name": is required but missing');
  });

  it("invalid JSON, unknown parameters and fields, csv sent as repeated keys", async () => {
    const bad = await call("/devices/entities/devices-actions/v2?action_name=contain", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ids:",
    });
    expect(message(bad.body)).toContain("body: is not valid JSON");
    expect(message((await call("/devices/queries/devices/v1?limit=1&bogus=1")).body)).toContain(
      'query parameter "bogus": is not a parameter of QueryDevices',
    );
    expect(message((await call("/devices/queries/devices/v1?limit=1&ids=a&ids=b")).body)).toContain(
      'query parameter "ids": sent as 2 repeated keys, but the spec says one comma-joined value',
    );
    const form = new URLSearchParams({ name: "n", nope: "1" });
    expect(message((await call("/forms/entities/form/v1", { method: "POST", body: form })).body)).toContain(
      'form field "nope": is not a field of PostForm',
    );
  });

  it("a body the operation does not take, or a content type it does not accept (415)", async () => {
    const del = await call("/devices/entities/devices-actions/v2", {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(del.res.status).toBe(400);
    expect(message(del.body)).toContain("DeleteNothing takes no request body");
    const xml = await call("/devices/entities/devices-actions/v2?action_name=contain", {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: "<ids/>",
    });
    expect(xml.res.status).toBe(415);
    expect(message(xml.body)).toContain(
      'Content-Type "application/xml" is not accepted by PerformAction; expected application/json',
    );
  });

  it("unknown routes get 404", async () => {
    const { res, body } = await call("/nope/v1");
    expect(res.status).toBe(404);
    expect(message(body)).toBe("no operation for GET /nope/v1");
    const wrongMethod = await call("/reports/entities/report/v1", { method: "PUT" });
    expect(wrongMethod.res.status).toBe(404);
    expect(message(wrongMethod.body)).toContain("the path takes GET");
  });
});
