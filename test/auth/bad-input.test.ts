/** Malformed credentials, no mechanism at all, and secrets kept out of every rendering. */
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import { FalconContext } from "../../runtime/context.js";
import { InvalidCredentialFormat, SDKError, TokenNotSpecified, type SDKWarning } from "../../runtime/errors.js";
import type { FalconOptions } from "../../runtime/options.js";
import { ServiceClass } from "../../runtime/service-class.js";
import { startFakeFalcon, type FakeFalcon } from "../support/fake-falcon.js";

const SECRET = "s3cr3t-VALUE-never-shown";

let srv: FakeFalcon;
beforeAll(async () => {
  srv = await startFakeFalcon();
  srv.behaviour.clients.set("leak-id", SECRET);
});
afterAll(() => srv.close());
afterEach(() => {
  srv.requests.length = 0;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function noEnv(): void {
  vi.stubEnv("FALCON_CLIENT_ID", "");
  vi.stubEnv("FALCON_CLIENT_SECRET", "");
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("did not throw");
}

describe("malformed credentials -> InvalidCredentialFormat", () => {
  const cases: [string, FalconOptions][] = [
    ["creds not an object", { creds: "id:secret" as unknown as FalconOptions["creds"] }],
    ["creds as an array", { creds: [] as unknown as FalconOptions["creds"] }],
    ["creds without client_secret", { creds: { client_id: "a" } as unknown as FalconOptions["creds"] }],
    ["creds without client_id", { creds: { client_secret: SECRET } as unknown as FalconOptions["creds"] }],
    [
      "creds with a numeric client_id",
      { creds: { client_id: 42, client_secret: SECRET } as unknown as FalconOptions["creds"] },
    ],
    [
      "creds with a non-string secret",
      { creds: { client_id: "a", client_secret: { v: SECRET } } as unknown as FalconOptions["creds"] },
    ],
    ["clientSecret without clientId", { clientSecret: SECRET }],
    ["clientId without clientSecret", { clientId: "a" }],
    ["non-string accessToken", { accessToken: 7 as unknown as string }],
    ["authObject that is not an auth object", { authObject: { auth: "nope" } }],
  ];
  it.each(cases)("%s", (_name, options) => {
    const err = thrown(() => new FalconInterface(options));
    expect(err).toBeInstanceOf(InvalidCredentialFormat);
    expect(SDKError.isSDKError(err)).toBe(true);
    expect(err.message).not.toContain(SECRET);
    expect(String(err.stack)).not.toContain(SECRET);
  });

  it("service classes reject them at construction too", () => {
    expect(() => new ServiceClass({ creds: { client_id: "a" } as unknown as FalconOptions["creds"] })).toThrow(
      InvalidCredentialFormat,
    );
  });
});

describe("no authentication mechanism", () => {
  it("warns through onWarning and fails the first call clearly, without a request and without hanging", async () => {
    noEnv();
    const warnings: SDKWarning[] = [];
    const consoleWarn = vi.spyOn(console, "warn");
    const falcon = new FalconInterface({ baseUrl: srv.origin.us1, onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.name)).toEqual(["NoAuthenticationMechanism"]);
    expect(warnings[0]?.message).toMatch(/FALCON_CLIENT_ID/);
    expect(falcon.authMode).toBe("none");
    const started = Date.now();
    const outcome = await Promise.race([
      falcon.authorize(),
      new Promise<"hang">((resolve) => setTimeout(() => resolve("hang"), 2000).unref()),
    ]);
    expect(outcome).not.toBe("hang");
    expect(Date.now() - started).toBeLessThan(1000);
    if (outcome === "hang" || outcome.ok) throw new Error("expected a failure");
    expect(outcome.status).toBe(401);
    expect(outcome.error).toBeInstanceOf(TokenNotSpecified);
    expect(outcome.body.errors[0]?.message).toMatch(/no authentication mechanism/);
    expect((await falcon.login()).status_code).toBe(400);
    expect(falcon.authenticated()).toBe(false);
    expect((await falcon.token()).status_code).toBe(400);
    expect(srv.requests).toHaveLength(0);
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it("falls back to the logger's warn, and is silent (no console) without either", () => {
    noEnv();
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    new FalconInterface({ logger });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]?.[0])).toContain("NoAuthenticationMechanism");
    const consoleWarn = vi.spyOn(console, "warn");
    const consoleError = vi.spyOn(console, "error");
    new FalconInterface();
    expect(consoleWarn).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("no warning for a client built inside a FalconContext, or with environment credentials", () => {
    noEnv();
    const onWarning = vi.fn();
    FalconContext.run({ accessToken: "t" }, () => new FalconInterface({ onWarning }));
    vi.stubEnv("FALCON_CLIENT_ID", "x");
    vi.stubEnv("FALCON_CLIENT_SECRET", "y");
    new FalconInterface({ onWarning });
    expect(onWarning).not.toHaveBeenCalled();
  });

  it("FalconContext.run checks its input", () => {
    expect(() => FalconContext.run({ accessToken: "" }, () => 0)).toThrow(TokenNotSpecified);
    expect(() => FalconContext.run({ accessToken: "t", csCloud: "us9" }, () => 0)).toThrow(/us9/);
  });
});

describe("secrets never shown", () => {
  function renderings(value: object): string[] {
    return [
      String(value),
      JSON.stringify(value),
      inspect(value),
      inspect(value, { depth: Infinity, showHidden: true, getters: true }),
      `${JSON.stringify({ nested: value })}`,
    ];
  }

  it("FalconInterface, service classes and their config hide client secret, member CID and token", async () => {
    const falcon = new FalconInterface({
      clientId: "leak-id",
      clientSecret: SECRET,
      memberCid: "member-cid-777",
      baseUrl: srv.origin.us1,
    });
    const svc = new ServiceClass({ creds: { client_id: "leak-id", client_secret: SECRET }, baseUrl: srv.origin.us1 });
    const shared = new ServiceClass({ authObject: falcon });
    expect((await falcon.authorize()).ok).toBe(true);
    expect((await svc.auth.authorize()).ok).toBe(true);
    const tokens = [falcon.tokenValue!, svc.auth.tokenValue!];
    for (const obj of [falcon, svc, shared, svc.auth, falcon.config]) {
      for (const text of renderings(obj)) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain("member-cid-777");
        for (const t of tokens) expect(text).not.toContain(t);
      }
    }
    expect(inspect(falcon)).toContain("authMode: 'direct'");
    expect(JSON.parse(JSON.stringify(falcon))).toMatchObject({
      authMode: "direct",
      baseUrl: srv.origin.us1,
      authenticated: true,
    });
  });

  it("legacy and context tokens are hidden too", () => {
    const legacy = new FalconInterface({ accessToken: "legacy-secret-token" });
    for (const text of renderings(legacy)) expect(text).not.toContain("legacy-secret-token");
    FalconContext.run({ accessToken: "ctx-secret-token" }, () => {
      const ctxClient = new FalconInterface();
      for (const text of [
        ...renderings(ctxClient),
        inspect(FalconContext.current()),
        JSON.stringify(FalconContext.current()),
      ]) {
        expect(text).not.toContain("ctx-secret-token");
      }
    });
  });

  it("failed logins do not echo the secret", async () => {
    srv.behaviour.clients.set("leak-id-2", "other");
    const falcon = new FalconInterface({ clientId: "leak-id-2", clientSecret: SECRET, baseUrl: srv.origin.us1 });
    const o = await falcon.authorize();
    expect(o.ok).toBe(false);
    expect(JSON.stringify(o)).not.toContain(SECRET);
    expect(inspect(o, { depth: Infinity })).not.toContain(SECRET);
    expect(String(falcon.tokenFailReason)).not.toContain(SECRET);
  });
});
