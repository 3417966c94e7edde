/** Token lifecycle: sharing (#829), single-flight, renew window, failure memory, logout. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import { CannotRevokeToken, InvalidCredentials } from "../../runtime/errors.js";
import { ServiceClass } from "../../runtime/service-class.js";
import { startFakeFalcon, type FakeFalcon } from "../support/fake-falcon.js";

class OAuth2 extends FalconInterface {}

let srv: FakeFalcon;
beforeAll(async () => {
  srv = await startFakeFalcon();
  srv.behaviour.clients.set("id-a", "secret-a");
  srv.behaviour.forbidden.add("id-forbidden");
});
afterAll(() => srv.close());
afterEach(() => {
  vi.useRealTimers();
  srv.requests.length = 0;
  srv.behaviour.tokenDelayMs = 0;
  srv.behaviour.expiresIn = 1799;
});

const T0 = Date.UTC(2030, 0, 1);
/** Fake only Date: real sockets and timers keep working. */
function freezeClock(): (seconds: number) => void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  return (seconds) => vi.setSystemTime(T0 + seconds * 1000);
}

function bearerOf(outcome: Awaited<ReturnType<FalconInterface["authorize"]>>): string {
  if (!outcome.ok) throw new Error(`not authorized: ${outcome.body.errors[0]?.message}`);
  return outcome.headers.authorization!.replace("Bearer ", "");
}

const direct = (extra: object = {}) => ({
  clientId: "id-a",
  clientSecret: "secret-a",
  baseUrl: srv.origin.us1,
  ...extra,
});

describe("object authentication shares one token (FalconPy #829)", () => {
  it("after one client refreshes, the other uses the new token", async () => {
    const at = freezeClock();
    const oauth = new OAuth2(direct());
    const hosts = new ServiceClass({ authObject: oauth });
    const detects = new ServiceClass({ authObject: oauth });
    const first = bearerOf(await hosts.auth.authorize());
    expect(bearerOf(await detects.auth.authorize())).toBe(first);
    at(1700); // inside the renew window
    const refreshed = bearerOf(await hosts.auth.authorize());
    expect(refreshed).not.toBe(first);
    srv.revokeOutOfBand(first);
    const seenByOther = bearerOf(await detects.auth.authorize());
    expect(seenByOther).toBe(refreshed);
    expect((await srv.probe(detects.auth.baseUrl, { authorization: `Bearer ${seenByOther}` })).status).toBe(200);
    expect(oauth.tokenValue).toBe(refreshed);
    expect(srv.tokenRequests()).toHaveLength(2);
  });
});

describe("single-flight", () => {
  it("100 concurrent calls at expiry make exactly 1 token request", async () => {
    const at = freezeClock();
    const falcon = new FalconInterface(direct());
    const first = bearerOf(await falcon.authorize());
    at(1799); // expired
    expect(falcon.tokenExpired()).toBe(true);
    srv.behaviour.tokenDelayMs = 50;
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => falcon.authorize()));
    const tokens = new Set(outcomes.map(bearerOf));
    expect(tokens.size).toBe(1);
    expect(tokens.has(first)).toBe(false);
    expect(srv.tokenRequests()).toHaveLength(2);
  });

  it("100 concurrent first calls make exactly 1 token request", async () => {
    const falcon = new FalconInterface(direct());
    srv.behaviour.tokenDelayMs = 30;
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => falcon.authorize()));
    expect(new Set(outcomes.map(bearerOf)).size).toBe(1);
    expect(srv.tokenRequests()).toHaveLength(1);
  });

  it("a caller's abort does not cancel the shared token request", async () => {
    const falcon = new FalconInterface(direct());
    srv.behaviour.tokenDelayMs = 50;
    const ctl = new AbortController();
    const aborted = falcon.authorize(ctl.signal);
    const other = falcon.authorize();
    ctl.abort(new Error("caller gave up"));
    await expect(aborted).rejects.toThrow("caller gave up");
    expect(bearerOf(await other)).toMatch(/^tok-/);
    expect(srv.tokenRequests()).toHaveLength(1);
  });
});

describe("renew window", () => {
  it("default 120 s: refreshed inside the window, not outside", async () => {
    const at = freezeClock();
    const falcon = new FalconInterface(direct());
    const first = bearerOf(await falcon.authorize());
    at(1600); // 199 s left: outside the window
    expect(falcon.tokenExpired()).toBe(false);
    expect(bearerOf(await falcon.authorize())).toBe(first);
    expect(srv.tokenRequests()).toHaveLength(1);
    at(1700); // 99 s left: inside
    expect(falcon.tokenExpired()).toBe(true);
    expect(falcon.authenticated()).toBe(false);
    const second = bearerOf(await falcon.authorize());
    expect(second).not.toBe(first);
    expect(srv.tokenRequests()).toHaveLength(2);
    expect(falcon.tokenTime).toBe(T0 / 1000 + 1700);
  });

  it("renewWindow 600: refreshed with 500 s left, not with 700 s left", async () => {
    const at = freezeClock();
    const falcon = new FalconInterface(direct({ renewWindow: 600 }));
    const first = bearerOf(await falcon.authorize());
    at(1099);
    expect(bearerOf(await falcon.authorize())).toBe(first);
    at(1299);
    expect(bearerOf(await falcon.authorize())).not.toBe(first);
    expect(srv.tokenRequests()).toHaveLength(2);
  });

  it("clamped to 120..1200", () => {
    expect(new FalconInterface(direct({ renewWindow: 5 })).renewWindow).toBe(120);
    expect(new FalconInterface(direct({ renewWindow: 5000 })).config.renewWindow).toBe(1200);
    expect(new FalconInterface(direct()).renewWindow).toBe(120);
  });

  it("a token the API rejected (tokenRejected) is refreshed on the next use", async () => {
    const falcon = new FalconInterface(direct());
    const first = bearerOf(await falcon.authorize());
    srv.revokeOutOfBand(first);
    expect((await srv.probe(falcon.baseUrl, { authorization: `Bearer ${first}` })).status).toBe(401);
    falcon.tokenRejected(first);
    falcon.tokenRejected(first); // a second 401 with the same token changes nothing more
    const second = bearerOf(await falcon.authorize());
    expect(second).not.toBe(first);
    expect((await srv.probe(falcon.baseUrl, { authorization: `Bearer ${second}` })).status).toBe(200);
    falcon.tokenRejected(first); // stale report about an old token: ignored
    expect(bearerOf(await falcon.authorize())).toBe(second);
    expect(srv.tokenRequests()).toHaveLength(2);
  });
});

describe("failed login", () => {
  it("401: tokenStatus, tokenFailReason from the API, InvalidCredentials, and no secret in the error", async () => {
    const falcon = new FalconInterface({ clientId: "id-a", clientSecret: "wrong-secret-xyz", baseUrl: srv.origin.us1 });
    const outcome = await falcon.authorize();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.status).toBe(401);
    expect(outcome.body.errors[0]?.message).toBe("access denied, invalid client");
    expect(outcome.error).toBeInstanceOf(InvalidCredentials);
    expect(outcome.error.message).toContain("access denied, invalid client");
    expect(JSON.stringify(outcome)).not.toContain("wrong-secret-xyz");
    expect(String(outcome.error.stack)).not.toContain("wrong-secret-xyz");
    expect(falcon.tokenStatus).toBe(401);
    expect(falcon.tokenFailReason).toBe("access denied, invalid client");
    expect(falcon.authenticated()).toBe(false);
    expect((await falcon.login()).status_code).toBe(401);
    expect(falcon.authenticated()).toBe(false);
  });

  it("403 is reported as such", async () => {
    const falcon = new FalconInterface({ clientId: "id-forbidden", clientSecret: "x", baseUrl: srv.origin.us1 });
    const outcome = await falcon.authorize();
    expect(outcome.ok ? 0 : outcome.status).toBe(403);
    expect(falcon.tokenStatus).toBe(403);
    expect(falcon.tokenFailReason).toBe("Forbidden");
  });

  it("10 calls after a failure make at most 1 further token request; back-off 15 s doubling; login() retries", async () => {
    const at = freezeClock();
    const falcon = new FalconInterface({ clientId: "id-a", clientSecret: "bad", baseUrl: srv.origin.us1 });
    expect((await falcon.authorize()).ok).toBe(false);
    expect(srv.tokenRequests()).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      const o = await falcon.authorize();
      expect(o.ok ? 0 : o.status).toBe(401);
    }
    expect(srv.tokenRequests().length).toBeLessThanOrEqual(2);
    expect(srv.tokenRequests()).toHaveLength(1); // in fact none during the back-off
    at(16); // past the first 15 s back-off
    await falcon.authorize();
    expect(srv.tokenRequests()).toHaveLength(2);
    at(40); // back-off is now 30 s from t=16
    await falcon.authorize();
    expect(srv.tokenRequests()).toHaveLength(2);
    at(47);
    await falcon.authorize();
    expect(srv.tokenRequests()).toHaveLength(3);
    await falcon.login(); // explicit login ignores the back-off
    expect(srv.tokenRequests()).toHaveLength(4);
  });

  it("network failure: a 500-style outcome, not a hang", async () => {
    const falcon = new FalconInterface({ clientId: "id-a", clientSecret: "secret-a", baseUrl: "http://127.0.0.1:1" });
    const outcome = await falcon.authorize();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.status).toBe(500);
    expect(outcome.body.errors[0]?.message).toMatch(/token request failed/);
    expect(outcome.error.name).toBe("NetworkError");
  });
});

describe("logout", () => {
  it("revokes with Basic auth and form token; the next call logs in again", async () => {
    const falcon = new FalconInterface(direct());
    const first = bearerOf(await falcon.authorize());
    const result = await falcon.logout();
    expect(result.status_code).toBe(200);
    const [revoke] = srv.revokeRequests();
    expect(revoke?.headers.authorization).toBe(`Basic ${Buffer.from("id-a:secret-a").toString("base64")}`);
    expect(revoke?.form).toEqual({ token: first });
    expect(falcon.basicAuthorization()).toBe(revoke?.headers.authorization);
    expect((await srv.probe(falcon.baseUrl, { authorization: `Bearer ${first}` })).status).toBe(401);
    expect(falcon.authenticated()).toBe(false);
    expect(falcon.tokenValue).toBeUndefined();
    const second = bearerOf(await falcon.authorize());
    expect(second).not.toBe(first);
    expect((await srv.probe(falcon.baseUrl, { authorization: `Bearer ${second}` })).status).toBe(200);
    expect(srv.tokenRequests()).toHaveLength(2);
  });

  it("logout through a shared auth object logs every sharer out", async () => {
    const oauth = new OAuth2(direct());
    const svc = new ServiceClass({ authObject: oauth });
    const first = bearerOf(await svc.auth.authorize());
    await svc.auth.logout();
    expect(oauth.authenticated()).toBe(false);
    expect(bearerOf(await oauth.authorize())).not.toBe(first);
  });

  it("token() returns the token endpoint's result", async () => {
    const falcon = new FalconInterface(direct());
    const r = await falcon.token();
    expect(r.status_code).toBe(201);
    expect((r.body as { access_token: string }).access_token).toBe(falcon.tokenValue);
  });

  it("legacy tokens cannot be revoked: a 400 result, or CannotRevokeToken in object mode", async () => {
    const dict = await new FalconInterface({ accessToken: "x", baseUrl: srv.origin.us1 }).logout();
    expect(dict.status_code).toBe(400);
    await expect(
      new FalconInterface({ accessToken: "x", baseUrl: srv.origin.us1, pythonic: true }).logout(),
    ).rejects.toBeInstanceOf(CannotRevokeToken);
    expect(srv.revokeRequests()).toHaveLength(0);
  });
});
