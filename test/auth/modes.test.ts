/** Every authentication mode authenticates, precedence holds, member_cid reaches the token request. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import { FalconContext } from "../../runtime/context.js";
import { ServiceClass } from "../../runtime/service-class.js";
import { startFakeFalcon, type FakeFalcon } from "../support/fake-falcon.js";

/** Stands in for the generated OAuth2 class (it extends FalconInterface). */
class OAuth2 extends FalconInterface {}

let srv: FakeFalcon;
beforeAll(async () => {
  srv = await startFakeFalcon();
  srv.behaviour.clients.set("id-a", "secret-a");
  srv.behaviour.clients.set("id-b", "secret-b");
  srv.behaviour.clients.set("env-id", "env-secret");
  srv.behaviour.clients.set("custom-env-id", "custom-env-secret");
});
afterAll(() => srv.close());
afterEach(() => {
  srv.requests.length = 0;
  vi.unstubAllEnvs();
});

/** authorize() then call the protected route with the headers; expect success. */
async function expectAuthenticates(auth: FalconInterface): Promise<string> {
  const outcome = await auth.authorize();
  if (!outcome.ok) throw new Error(`authorize failed: ${outcome.body.errors[0]?.message}`);
  expect(outcome.headers.authorization).toMatch(/^Bearer \S+$/);
  const probe = await srv.probe(auth.baseUrl, outcome.headers);
  expect(probe.status).toBe(200);
  return outcome.headers.authorization!.slice("Bearer ".length);
}

function clearEnv(): void {
  vi.stubEnv("FALCON_CLIENT_ID", "");
  vi.stubEnv("FALCON_CLIENT_SECRET", "");
  vi.stubEnv("FALCON_MEMBER_CID", "");
}

describe("authentication modes", () => {
  it("direct: clientId/clientSecret/memberCid", async () => {
    clearEnv();
    const falcon = new FalconInterface({
      clientId: "id-a",
      clientSecret: "secret-a",
      memberCid: "child-1",
      baseUrl: srv.origin.us1,
    });
    expect(srv.requests).toHaveLength(0); // lazy: nothing sent by the constructor
    expect(falcon.authMode).toBe("direct");
    await expectAuthenticates(falcon);
    const [req] = srv.tokenRequests();
    expect(req?.form).toEqual({ client_id: "id-a", client_secret: "secret-a", member_cid: "child-1" });
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(falcon.authenticated()).toBe(true);
    expect(falcon.tokenStatus).toBe(201);
    expect(falcon.tokenExpiration).toBe(1799);
    expect(falcon.tokenTime).toBeCloseTo(Date.now() / 1000, -1);
    expect(falcon.tokenExpired()).toBe(false);
  });

  it("creds: the credential dictionary, with member_cid", async () => {
    const falcon = new FalconInterface({
      creds: { client_id: "id-b", client_secret: "secret-b", member_cid: "child-2" },
      baseUrl: srv.origin.us1,
    });
    expect(falcon.authMode).toBe("creds");
    await expectAuthenticates(falcon);
    expect(srv.tokenRequests()[0]?.form).toEqual({
      client_id: "id-b",
      client_secret: "secret-b",
      member_cid: "child-2",
    });
  });

  it("creds win over direct keywords", async () => {
    const falcon = new FalconInterface({
      clientId: "id-a",
      clientSecret: "secret-a",
      creds: { client_id: "id-b", client_secret: "secret-b" },
      baseUrl: srv.origin.us1,
    });
    await expectAuthenticates(falcon);
    expect(srv.tokenRequests().map((r) => r.form.client_id)).toEqual(["id-b"]);
  });

  it("object: an OAuth2 shared by two service classes, member_cid from the auth object", async () => {
    const oauth = new OAuth2({
      clientId: "id-a",
      clientSecret: "secret-a",
      memberCid: "child-9",
      baseUrl: srv.origin.us1,
    });
    const hosts = new ServiceClass({ authObject: oauth });
    const detects = new ServiceClass({ authObject: hosts }); // a service class as the auth object
    expect(hosts.auth.authKey).toBe(oauth.authKey);
    expect(new OAuth2({ authObject: hosts }).authMode).toBe("object");
    const t1 = await expectAuthenticates(hosts.auth);
    const t2 = await expectAuthenticates(detects.auth);
    const t3 = await expectAuthenticates(oauth);
    expect(new Set([t1, t2, t3]).size).toBe(1);
    expect(srv.tokenRequests()).toHaveLength(1);
    expect(srv.tokenRequests()[0]?.form.member_cid).toBe("child-9");
    expect(oauth.authenticated() && hosts.auth.authenticated() && detects.auth.authenticated()).toBe(true);
  });

  it("authObject wins over credentials given alongside it", async () => {
    const oauth = new OAuth2({ clientId: "id-a", clientSecret: "secret-a", baseUrl: srv.origin.us1 });
    const svc = new ServiceClass({
      authObject: oauth,
      clientId: "id-b",
      clientSecret: "secret-b",
      accessToken: "nope",
    });
    await expectAuthenticates(svc.auth);
    expect(srv.tokenRequests().map((r) => r.form.client_id)).toEqual(["id-a"]);
  });

  it("environment: FALCON_CLIENT_ID / FALCON_CLIENT_SECRET with memberCid", async () => {
    clearEnv();
    vi.stubEnv("FALCON_CLIENT_ID", "env-id");
    vi.stubEnv("FALCON_CLIENT_SECRET", "env-secret");
    const falcon = new FalconInterface({ memberCid: "child-env", baseUrl: srv.origin.us1 });
    expect(falcon.authMode).toBe("environment");
    await expectAuthenticates(falcon);
    expect(srv.tokenRequests()[0]?.form).toEqual({
      client_id: "env-id",
      client_secret: "env-secret",
      member_cid: "child-env",
    });
  });

  it("environment: FALCON_MEMBER_CID when no memberCid option", async () => {
    clearEnv();
    vi.stubEnv("FALCON_CLIENT_ID", "env-id");
    vi.stubEnv("FALCON_CLIENT_SECRET", "env-secret");
    vi.stubEnv("FALCON_MEMBER_CID", "child-from-env");
    await expectAuthenticates(new FalconInterface({ baseUrl: srv.origin.us1 }));
    expect(srv.tokenRequests()[0]?.form.member_cid).toBe("child-from-env");
  });

  it("environment: custom prefix and names", async () => {
    clearEnv();
    vi.stubEnv("CS_KEY", "custom-env-id");
    vi.stubEnv("CS_PASS", "custom-env-secret");
    const falcon = new FalconInterface({
      environment: { prefix: "CS_", idName: "KEY", secretName: "PASS" },
      baseUrl: srv.origin.us1,
    });
    await expectAuthenticates(falcon);
    expect(srv.tokenRequests()[0]?.form.client_id).toBe("custom-env-id");
  });

  it("legacy accessToken: used as is, never refreshed", async () => {
    srv.issue("legacy-token");
    const falcon = new FalconInterface({ accessToken: "legacy-token", baseUrl: srv.origin.us1 });
    expect(falcon.authMode).toBe("legacy");
    expect(await expectAuthenticates(falcon)).toBe("legacy-token");
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 10 * 3600_000);
      expect(falcon.tokenExpired()).toBe(false);
      expect(await expectAuthenticates(falcon)).toBe("legacy-token");
    } finally {
      vi.useRealTimers();
    }
    expect(srv.tokenRequests()).toHaveLength(0);
    // a ready token cannot request another: login() says so (400) and the token stays usable
    expect((await falcon.login()).status_code).toBe(400);
    expect(falcon.authenticated()).toBe(true);
    expect(srv.tokenRequests()).toHaveLength(0);
  });

  it("accessToken wins over creds and direct keywords", async () => {
    srv.issue("legacy-2");
    const falcon = new FalconInterface({
      accessToken: "legacy-2",
      creds: { client_id: "id-a", client_secret: "secret-a" },
      baseUrl: srv.origin.us1,
    });
    expect(await expectAuthenticates(falcon)).toBe("legacy-2");
    expect(srv.tokenRequests()).toHaveLength(0);
  });

  it("context: FalconContext.run({ accessToken, csCloud }) for clients built inside and outside it", async () => {
    clearEnv();
    srv.issue("ctx-token", "us2");
    const warnings: string[] = [];
    const outside = new FalconInterface({ onWarning: (w) => warnings.push(w.name) });
    await FalconContext.run({ accessToken: "ctx-token", csCloud: srv.origin.us2 }, async () => {
      const inside = new FalconInterface();
      expect(inside.authMode).toBe("context");
      expect(inside.baseUrl).toBe(srv.origin.us2);
      expect(await expectAuthenticates(inside)).toBe("ctx-token");
      expect(outside.authMode).toBe("context");
      expect(await expectAuthenticates(outside)).toBe("ctx-token");
      expect((await srv.probe(inside.baseUrl, { authorization: "Bearer ctx-token" })).servedBy).toBe("us2");
    });
    expect(srv.tokenRequests()).toHaveLength(0);
    // outside the context the client has no mechanism again
    const out = await outside.authorize();
    expect(out.ok).toBe(false);
    expect(warnings).toEqual(["NoAuthenticationMechanism"]);
  });

  it("csCloud takes region names like baseUrl", () => {
    FalconContext.run({ accessToken: "t", csCloud: "US-2" }, () => {
      expect(new FalconInterface().baseUrl).toBe("https://api.us-2.crowdstrike.com");
    });
  });

  it("anything wins over the environment", async () => {
    clearEnv();
    vi.stubEnv("FALCON_CLIENT_ID", "env-id");
    vi.stubEnv("FALCON_CLIENT_SECRET", "env-secret");
    // direct over environment
    await expectAuthenticates(
      new FalconInterface({ clientId: "id-a", clientSecret: "secret-a", baseUrl: srv.origin.us1 }),
    );
    // creds over environment
    await expectAuthenticates(
      new FalconInterface({ creds: { client_id: "id-b", client_secret: "secret-b" }, baseUrl: srv.origin.us1 }),
    );
    expect(srv.tokenRequests().map((r) => r.form.client_id)).toEqual(["id-a", "id-b"]);
    // legacy over environment
    srv.issue("legacy-3");
    expect(await expectAuthenticates(new FalconInterface({ accessToken: "legacy-3", baseUrl: srv.origin.us1 }))).toBe(
      "legacy-3",
    );
    // object over environment
    const oauth = new OAuth2({ clientId: "id-a", clientSecret: "secret-a", baseUrl: srv.origin.us1 });
    await expectAuthenticates(new ServiceClass({ authObject: oauth }).auth);
    expect(srv.tokenRequests().map((r) => r.form.client_id)).toEqual(["id-a", "id-b", "id-a"]);
    // context over environment
    srv.issue("ctx-2");
    const envClient = new FalconInterface({ baseUrl: srv.origin.us1 });
    expect(envClient.authMode).toBe("environment");
    await FalconContext.run({ accessToken: "ctx-2", csCloud: srv.origin.us1 }, async () => {
      expect(envClient.authMode).toBe("context");
      expect(await expectAuthenticates(envClient)).toBe("ctx-2");
    });
    expect(srv.tokenRequests()).toHaveLength(3);
    // and with nothing else, the environment is used
    await expectAuthenticates(envClient);
    expect(srv.tokenRequests().map((r) => r.form.client_id)).toEqual(["id-a", "id-b", "id-a", "env-id"]);
  });
});
