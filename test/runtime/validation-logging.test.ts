import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PayloadValidationError } from "../../runtime/errors.js";
import { REDACTED, sanitizeLog } from "../../runtime/logging.js";
import type { Logger } from "../../runtime/options.js";
import { ops, TestUber, Things } from "./fixtures.js";
import { startFakeFalcon, TOKEN } from "../support/fake-falcon.js";
import type { FakeFalcon } from "../support/fake-falcon.js";

let server: FakeFalcon;
beforeAll(async () => {
  server = await startFakeFalcon();
});
afterAll(() => server.close());

describe("validatePayloads", () => {
  it("lists every issue with its field path and sends nothing", async () => {
    const v = new Things({ accessToken: "t", baseUrl: server.url, validatePayloads: true });
    const before = server.requests.length;
    const err = (await v
      .createThing({ limit: 1.5, body: { name: 7 as unknown as string, tags: ["ok", 3 as unknown as string] } })
      .catch((e: unknown) => e)) as PayloadValidationError;
    expect(err).toBeInstanceOf(PayloadValidationError);
    expect(err.operation).toBe("CreateThing");
    expect(err.issues.map((i) => i.path.join("."))).toEqual(["query.limit", "body.name", "body.tags.1"]);
    expect(err.message).toMatch(/^CreateThing: invalid arguments: query\.limit: .+; body\.name: .+; body\.tags\.1: /);
    const missing = (await v.createThing({}).catch((e: unknown) => e)) as PayloadValidationError;
    expect(missing.issues[0]!.path).toEqual(["body"]);
    const path = (await v
      .getThing({ id: "ab", "X-CS-USERNAME": "not-an-email" })
      .catch((e: unknown) => e)) as PayloadValidationError;
    expect(path.issues.map((i) => i.path.join("."))).toEqual(["path.id", "header.X-CS-USERNAME"]);
    const form = (await v
      .send(ops.UploadSample, { file_data: new Uint8Array([1]), file_name: "f", comment: "far too long a comment" })
      .catch((e: unknown) => e)) as PayloadValidationError;
    expect(form.issues.map((i) => i.path.join("."))).toEqual(["formData.comment"]);
    expect(server.requests.length).toBe(before);
    // Valid payloads (array or comma string for array params) go through.
    expect((await v.queryThings({ ids: "a,b", limit: 5 })).status_code).toBe(200);
    expect((await v.queryThings({ ids: ["a"], limit: 5 })).status_code).toBe(200);
    // Through command() too.
    const u = new TestUber({ authObject: v, validatePayloads: true });
    await expect(u.command("QueryThings", { limit: 501 })).rejects.toBeInstanceOf(PayloadValidationError);
  });

  it("with validation off, the API's own error comes back as a result", async () => {
    server.handler = () => ({
      status: 400,
      body: { errors: [{ code: 400, message: "invalid limit" }], resources: [] },
    });
    const v = new Things({ accessToken: "t", baseUrl: server.url });
    const r = await v.queryThings({ limit: -1 });
    expect(r.status_code).toBe(400);
    server.handler = undefined;
  });
});

describe("debug logging", () => {
  it("sanitizeLog redacts at any depth, in URLs and strings, and truncates resources", () => {
    const input = {
      headers: { Authorization: "Bearer abc.def", "X-Other": "fine" },
      deep: [{ nested: { client_secret: "s3cr3t", Member_CID: "cid-123", list: [{ token: "tk" }] } }],
      url: "https://user:pa55@proxy.example:8080/x?token=tk2&ok=1",
      text: "sent Bearer zzz.yyy to server",
      resources: Array.from({ length: 10 }, (_, i) => i),
    };
    const out = JSON.stringify(sanitizeLog(input, { recordCount: 3 }));
    for (const secret of ["abc.def", "s3cr3t", "cid-123", '"tk"', "pa55", "tk2", "zzz.yyy"])
      expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
    expect(out).toContain("fine");
    expect(out).toContain('"resources":[0,1,2,"<7 more>"]');
    const raw = JSON.stringify(sanitizeLog(input, { redact: false }));
    expect(raw).toContain("s3cr3t");
  });

  it("a debug run never prints the client secret, token or member CID", async () => {
    const lines: string[] = [];
    const sink = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    const logger: Logger = { debug: sink, info: sink, warn: sink, error: sink };
    const secret = "CLIENT-SECRET-xyz";
    const member = "MEMBER-CID-777";
    server.handler = (req) => ({
      body: { meta: {}, resources: [{ member_cid: member, token: "echo-token" }], errors: [], echo: req.url },
    });
    const c = new Things({
      clientId: "CID-abc",
      clientSecret: secret,
      memberCid: member,
      baseUrl: server.url,
      debug: true,
      logger,
      proxy: undefined,
    });
    const u = new TestUber({ authObject: c, debug: true, logger });
    await c.queryThings({ filter: "platform_name:'Windows'", headers: { "X-CS-USERUUID": "uuid-1" } });
    await u.command("CreateThing", { body: { name: "n", tags: ["t"] }, parameters: { token: "param-token" } } as never);
    await c.send(ops.TokenOp, { client_id: "CID-abc", client_secret: secret, member_cid: member });
    server.handler = undefined;
    const log = lines.join("\n");
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(log).toContain("falconts request");
    expect(log).toContain("falconts response");
    for (const s of [secret, member, TOKEN, "echo-token", "param-token", "uuid-1"]) expect(log).not.toContain(s);
  });
});
