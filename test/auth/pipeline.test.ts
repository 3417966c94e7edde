/**
 * The auth layer under the request pipeline: calls through a service class and through the
 * OAuth2 class (FalconInterface.call) carry the bearer token, re-login after a 401, and follow
 * the discovered region.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import type { OperationSpec } from "../../runtime/operation.js";
import type { DictResult } from "../../runtime/results.js";
import { ServiceClass } from "../../runtime/service-class.js";
import { startFakeFalcon, type FakeFalcon } from "../support/fake-falcon.js";

const scroll: OperationSpec = {
  id: "QueryDevicesByFilterScroll",
  method: "GET",
  path: "/devices/queries/devices-scroll/v1",
  tag: "hosts",
  params: [],
  produces: ["application/json"],
};

type Body = { resources?: string[]; errors?: { message: string }[] };

class OAuth2 extends FalconInterface {
  scroll(): Promise<DictResult<Body>> {
    return this.call<DictResult<Body>>(scroll, undefined, undefined);
  }
}
class Hosts extends ServiceClass {
  scroll(): Promise<DictResult<Body>> {
    return this.call<DictResult<Body>>(scroll, undefined, undefined);
  }
}

let srv: FakeFalcon;
beforeAll(async () => {
  srv = await startFakeFalcon();
  srv.behaviour.clients.set("id-a", "secret-a");
  srv.behaviour.clients.set("us2-client", "s2");
  srv.behaviour.home.set("us2-client", "us2");
});
afterAll(() => srv.close());
afterEach(() => {
  srv.requests.length = 0;
});

describe("through the request pipeline", () => {
  it("OAuth2 (FalconInterface.call) and a service class sharing it send Bearer tokens; one login", async () => {
    const oauth = new OAuth2({
      clientId: "id-a",
      clientSecret: "secret-a",
      memberCid: "child-1",
      baseUrl: srv.origin.us1,
    });
    const hosts = new Hosts({ authObject: oauth });
    const [a, b] = await Promise.all([oauth.scroll(), hosts.scroll()]);
    expect(a.status_code).toBe(200);
    expect(b.status_code).toBe(200);
    expect(srv.tokenRequests()).toHaveLength(1);
    expect(srv.tokenRequests()[0]?.form.member_cid).toBe("child-1");
    const apiCalls = srv.requests.filter((r) => r.path === scroll.path);
    expect(apiCalls.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${oauth.tokenValue}`,
      `Bearer ${oauth.tokenValue}`,
    ]);
  });

  it("a 401 on an API call (token revoked elsewhere) leads to one new login and a successful retry", async () => {
    const hosts = new Hosts({ clientId: "id-a", clientSecret: "secret-a", baseUrl: srv.origin.us1 });
    expect((await hosts.scroll()).status_code).toBe(200);
    const first = hosts.auth.tokenValue!;
    srv.revokeOutOfBand(first);
    const r = await hosts.scroll();
    expect(r.status_code).toBe(200);
    expect(hosts.auth.tokenValue).not.toBe(first);
    expect(srv.tokenRequests()).toHaveLength(2);
  });

  it("after 308 + X-Cs-Region: us-2 the API call goes to the us-2 host", async () => {
    const hosts = new Hosts({ clientId: "us2-client", clientSecret: "s2", baseUrl: "us1", fetch: srv.regionFetch });
    const r = await hosts.scroll();
    expect(r.status_code).toBe(200);
    expect(r.body.resources).toEqual(["us2"]);
    expect(srv.requests.filter((x) => x.path === scroll.path).map((x) => x.listener)).toEqual(["us2"]);
  });

  it("failed login: the call returns the 401 result, and 10 more calls post no further token request", async () => {
    const hosts = new Hosts({ clientId: "id-a", clientSecret: "bad", baseUrl: srv.origin.us1 });
    const r = await hosts.scroll();
    expect(r.status_code).toBe(401);
    expect(r.body.errors?.[0]?.message).toBe("access denied, invalid client");
    for (let i = 0; i < 10; i++) expect((await hosts.scroll()).status_code).toBe(401);
    expect(srv.tokenRequests()).toHaveLength(1);
    expect(srv.requests.filter((x) => x.path === scroll.path)).toHaveLength(0);
  });

  it("no mechanism: the first call gives a clear 401 result without any request", async () => {
    const prev = [process.env.FALCON_CLIENT_ID, process.env.FALCON_CLIENT_SECRET];
    delete process.env.FALCON_CLIENT_ID;
    delete process.env.FALCON_CLIENT_SECRET;
    try {
      const hosts = new Hosts({ baseUrl: srv.origin.us1, onWarning: () => undefined });
      const r = await hosts.scroll();
      expect(r.status_code).toBe(401);
      expect(r.body.errors?.[0]?.message).toMatch(/no authentication mechanism/);
      expect(srv.requests).toHaveLength(0);
    } finally {
      if (prev[0] !== undefined) process.env.FALCON_CLIENT_ID = prev[0];
      if (prev[1] !== undefined) process.env.FALCON_CLIENT_SECRET = prev[1];
    }
  });
});
