import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PayloadValidationError } from "../../runtime/errors.js";
import { SDK_VERSION } from "../../runtime/transport.js";
import { ops, TestUber, Things } from "./fixtures.js";
import { parseMultipart, startFakeFalcon, TOKEN } from "../support/fake-falcon.js";
import type { Recorded, FakeFalcon } from "../support/fake-falcon.js";
import { readFileSync } from "node:fs";

let server: FakeFalcon;
let things: Things;
let uber: TestUber;

beforeAll(async () => {
  server = await startFakeFalcon();
  things = new Things({
    clientId: "id-1",
    clientSecret: "secret-1",
    baseUrl: server.url,
    extHeaders: { "X-Ext": "ext-1" },
  });
  uber = new TestUber({ authObject: things });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.handler = undefined;
});

/** Runs one routing case through the service class and through command(); returns both recordings. */
async function both(op: keyof typeof ops, args: Record<string, unknown>): Promise<[Recorded, Recorded]> {
  await things.send(ops[op], args);
  const a = server.last();
  await uber.command(ops[op].id === "oauth2AccessToken" ? "TokenOp" : (op as never), args as never);
  const b = server.last();
  return [a, b];
}

describe("query routing", () => {
  it("keywords, exact RFC 3986 encoding, booleans, multi and csv arrays", async () => {
    const recs = await both("QueryThings", {
      limit: 10,
      filter: "platform_name:'Windows'+hostname:*'web 01'",
      ids: ["a/1", "b c"],
      fields: ["x", "y,z"],
      hidden: false,
    });
    for (const r of recs) {
      expect(r.method).toBe("GET");
      expect(r.path).toBe("/things/queries/things/v1");
      expect(r.query).toBe(
        "limit=10&filter=platform_name%3A%27Windows%27%2Bhostname%3A%2A%27web%2001%27&ids=a%2F1&ids=b%20c&fields=x%2Cy%2Cz&hidden=false",
      );
      expect(r.body.length).toBe(0);
      expect(r.headers["content-type"]).toBeUndefined();
    }
  });

  it("ids as a comma string is split for multi arrays, kept whole for csv", async () => {
    const recs = await both("QueryThings", { ids: "id1,id2,id3", fields: "a,b", hidden: true });
    for (const r of recs) expect(r.query).toBe("ids=id1&ids=id2&ids=id3&fields=a%2Cb&hidden=true");
    const [d] = await both("DeleteThings", { ids: ["x", "y"] });
    expect(d.method).toBe("DELETE");
    expect(d.query).toBe("ids=x%2Cy");
    expect(d.body.length).toBe(0); // a DELETE without a declared body sends none
    expect(d.headers["content-length"] ?? "0").toBe("0");
  });

  it("`parameters` merge with keywords, the keyword winning", async () => {
    const recs = await both("QueryThings", { parameters: { limit: 1, sort: "name.asc", extra: "x" }, limit: 5 });
    for (const r of recs) expect(r.query).toBe("limit=5&sort=name.asc&extra=x");
    const only = await both("QueryThings", { parameters: { filter: "a:1", ids: ["p", "q"] } });
    for (const r of only) expect(r.query).toBe("filter=a%3A1&ids=p&ids=q");
  });
});

describe("path, headers and body routing", () => {
  it("path parameters are percent-encoded as one segment; header params and per-request headers", async () => {
    const recs = await both("GetThing", {
      id: "a/b c?d",
      "X-CS-USERNAME": "me@example.com",
      headers: { "X-Trace": "t1" },
    });
    for (const r of recs) {
      expect(r.path).toBe("/things/entities/a%2Fb%20c%3Fd/v1");
      expect(r.query).toBe("");
      expect(r.headers["x-cs-username"]).toBe("me@example.com");
      expect(r.headers["x-trace"]).toBe("t1");
      expect(r.headers["x-ext"]).toBe("ext-1");
      expect(r.headers.authorization).toMatch(new RegExp(`^Bearer ${TOKEN}-\\d+$`));
      expect(r.headers["user-agent"]).toBe(`falconts/${SDK_VERSION}`);
      expect(r.headers["crowdstrike-sdk"]).toBe(`falconts/${SDK_VERSION}`);
    }
    expect(server.tokens).toBe(1); // one token for both clients (shared auth object)
  });

  it("explicit body, body payload abstraction, query winning over a body property", async () => {
    const [a, b] = await both("CreateThing", { body: { name: "n1", tags: ["t"] } });
    for (const r of [a, b]) {
      expect(r.method).toBe("POST");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(r.body.toString())).toEqual({ name: "n1", tags: ["t"] });
    }
    const recs = await both("CreateThing", { name: "n2", tags: ["x", "y"], limit: 3 });
    for (const r of recs) {
      expect(r.query).toBe("limit=3");
      expect(JSON.parse(r.body.toString())).toEqual({ name: "n2", tags: ["x", "y"] });
    }
    // `data` is a payload keyword: a body property of that name goes through `body`.
    const kw = await both("CreateThing", { body: { name: "n3", data: "prop" } });
    for (const r of kw) expect(JSON.parse(r.body.toString())).toEqual({ name: "n3", data: "prop" });
  });

  it("POST without a declared body sends {}; DELETE and GET with a declared body send it", async () => {
    const recs = await both("RefreshSession", {
      partition: 0,
      action_name: "refresh_active_stream_session",
      appId: "app 1",
    });
    for (const r of recs) {
      expect(r.path).toBe("/sensors/entities/datafeed-actions/v1/0");
      expect(r.query).toBe("action_name=refresh_active_stream_session&appId=app%201");
      expect(r.body.toString()).toBe("{}");
      expect(r.headers["content-type"]).toBe("application/json");
    }
    const del = await both("DeleteMembers", { group_id: "g1", user_ids: ["u1"] });
    for (const r of del) {
      expect(r.method).toBe("DELETE");
      expect(JSON.parse(r.body.toString())).toEqual({ group_id: "g1", user_ids: ["u1"] });
    }
    const get = await both("GetRelays", { body: { ids: ["r1"] } });
    for (const r of get) {
      expect(r.method).toBe("GET");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(r.body.toString())).toEqual({ ids: ["r1"] });
    }
    const bare = await both("GetRelays", {});
    for (const r of bare) expect(r.body.length).toBe(0);
  });
});

describe("forms and files", () => {
  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);

  it("file_data becomes the operation's file part, named by file_name; form keywords are fields", async () => {
    const recs = await both("UploadSample", {
      file_data: bytes,
      file_name: "mal.exe",
      comment: "c1",
      is_confidential: true,
    });
    for (const r of recs) {
      expect(r.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
      const form = await parseMultipart(r);
      const file = form.get("sample") as File;
      expect(file.name).toBe("mal.exe");
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
      expect(form.get("file_name")).toBe("mal.exe");
      expect(form.get("comment")).toBe("c1");
      expect(form.get("is_confidential")).toBe("true");
    }
  });

  it("files tuples and data fields", async () => {
    const recs = await both("UploadSample", {
      data: { comment: "from data", file_name: "x.bin" },
      files: [["sample", ["x.bin", bytes, "application/x-binary"]]],
    });
    for (const r of recs) {
      const form = await parseMultipart(r);
      const file = form.get("sample") as File;
      expect(file.name).toBe("x.bin");
      expect(file.type).toBe("application/x-binary");
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
      expect(form.get("comment")).toBe("from data");
    }
  });

  it("raw bytes as data with content_type go as the body, form fields to the query", async () => {
    const recs = await both("UploadSample", {
      data: bytes,
      content_type: "application/octet-stream",
      file_name: "raw.bin",
      comment: "r",
    });
    for (const r of recs) {
      expect(r.headers["content-type"]).toBe("application/octet-stream");
      expect(new Uint8Array(r.body)).toEqual(bytes);
      expect(r.query).toBe("file_name=raw.bin&comment=r");
    }
  });

  it("an octet-stream body and file_data on a non-multipart route are sent raw", async () => {
    const [a] = await both("UploadArchive", { name: "a.zip", body: bytes });
    expect(a.headers["content-type"]).toBe("application/octet-stream");
    expect(new Uint8Array(a.body)).toEqual(bytes);
    expect(a.query).toBe("name=a.zip");
    const [b] = await both("UploadArchive", { name: "b.zip", file_data: bytes, content_type: "application/zip" });
    expect(b.headers["content-type"]).toBe("application/zip");
    expect(new Uint8Array(b.body)).toEqual(bytes);
  });

  it("url-encoded form operations", async () => {
    await things.send(ops.TokenOp, { client_id: "c", client_secret: "s p", member_cid: "m" });
    const r = server.requests.filter((x) => x.path === "/oauth2/token").at(-1)!;
    expect(r.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(r.body.toString()).toBe("client_id=c&client_secret=s%20p&member_cid=m");
    expect(r.headers.authorization).toBeUndefined();
  });
});

describe("bad input", () => {
  it("unknown keywords are a PayloadValidationError naming them, in every mode, and nothing is sent", async () => {
    const before = server.requests.length;
    const strict = new Things({ authObject: things, pythonic: true });
    for (const run of [
      () => things.send(ops.QueryThings, { limt: 1, filter: "x" }),
      () => strict.send(ops.QueryThings, { limt: 1, filter: "x" }),
      () => uber.command("QueryThings", { limt: 1 } as never),
    ]) {
      const err = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PayloadValidationError);
      expect((err as PayloadValidationError).message).toMatch(
        /^QueryThings: invalid arguments: limt: unknown keyword for QueryThings/,
      );
      expect((err as PayloadValidationError).issues[0]!.path).toEqual(["limt"]);
    }
    const err = await things.send(ops.GetThing, {}).catch((e: unknown) => e);
    expect((err as Error).message).toBe('GetThing: invalid arguments: path.id: missing required path parameter "id"');
    expect(server.requests.length).toBe(before);
  });
});

it("SDK_VERSION matches package.json", () => {
  expect(SDK_VERSION).toBe(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version);
});
