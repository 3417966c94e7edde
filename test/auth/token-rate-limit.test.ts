/**
 * A 429 from the token endpoint (Falcon rate-limits token requests per IP, e.g. many workers
 * starting at once): waited out and retried inside the single-flight login, never taken for
 * bad credentials. Real HTTP on 127.0.0.1 against the spec-driven mock, real timers; timing is
 * checked against the mock's recorded arrival times and the retry-at its 429 announced.
 */
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockFalcon, type MockFalcon, type RecordedRequest } from "../../mock/server.js";
import { Hosts } from "../../generated/hosts/index.js";
import { APIError, CannotRevokeToken, InvalidCredentials, type SDKError } from "../../runtime/errors.js";
import type { FalconOptions } from "../../runtime/options.js";

const HOSTS_SPEC = fileURLToPath(new URL("../../generated/hosts/openapi.json", import.meta.url));
const CREDS = { clientId: "mock-client-id", clientSecret: "mock-client-secret" };
const TOKEN = "/oauth2/token";
const REVOKE = "/oauth2/revoke";

let mock: MockFalcon;
beforeAll(async () => {
  mock = await startMockFalcon({ spec: HOSTS_SPEC });
});
afterAll(() => mock.close());
afterEach(() => {
  mock.clearFaults();
  mock.clearLog();
  mock.settings.tokenLifetime = 1799;
});

function hosts<P extends boolean = false>(extra: FalconOptions & { pythonic?: P } = {}): Hosts<P> {
  return new Hosts<P>({ ...CREDS, baseUrl: mock.url, ...extra });
}
const tokenRequests = (): RecordedRequest[] => mock.requests.filter((r) => r.path === TOKEN);
const revokeRequests = (): RecordedRequest[] => mock.requests.filter((r) => r.path === REVOKE);
const apiRequests = (): RecordedRequest[] =>
  mock.requests.filter((r) => r.operationId === "QueryDevicesByFilterScroll");
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** No secret in anything a caller can see of `value`. */
function expectNoSecret(value: unknown): void {
  const seen = [
    JSON.stringify(value),
    inspect(value, { depth: 8 }),
    value instanceof Error ? String(value.stack) : "",
  ].join("\n");
  expect(seen).not.toContain(CREDS.clientSecret);
  for (const t of mock.tokens) expect(seen).not.toContain(t.value);
}

describe("token endpoint 429, then 201", () => {
  it("X-RateLimit-RetryAfter (epoch seconds): the call succeeds after one wait, not before the announced time", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 1 });
    const client = hosts();
    const r = await client.queryDevicesByFilterScroll({ limit: 1 });
    expect(r.status_code).toBe(200);
    const [limited, retried, ...more] = tokenRequests();
    expect(more).toHaveLength(0);
    expect(limited!.status).toBe(429);
    expect(retried!.status).toBe(201);
    expect(retried!.receivedAt).toBeGreaterThanOrEqual(limited!.retryAt!);
    // one wait, not a back-off of seconds on top of it
    expect(retried!.receivedAt - limited!.receivedAt).toBeLessThan(3000);
    expect(client.auth.tokenStatus).toBe(201);
    expect(client.auth.authenticated()).toBe(true);
  });

  it("standard Retry-After seconds and Retry-After HTTP-date are honoured too", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 1, header: "retry-after" });
    expect((await hosts().queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    let [limited, retried] = tokenRequests();
    expect(tokenRequests()).toHaveLength(2);
    expect(retried!.receivedAt).toBeGreaterThanOrEqual(limited!.retryAt!);
    mock.clearLog();

    const date = new Date(Date.now() + 2000).toUTCString(); // second precision: 1-2 s ahead
    mock.inject(
      {
        kind: "status",
        status: 429,
        headers: { "retry-after": date },
        body: { errors: [{ code: 429, message: "slow down" }] },
      },
      { times: 1, match: TOKEN },
    );
    expect((await hosts().queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    [limited, retried] = tokenRequests();
    expect(tokenRequests()).toHaveLength(2);
    expect(retried!.receivedAt).toBeGreaterThanOrEqual(Date.parse(date));
  });

  it("each wait is capped at retries.maxWait (a RetryAfter an hour ahead waits maxWait, then retries)", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 3600 });
    expect((await hosts({ retries: { maxWait: 0.3 } }).queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    const [limited, retried] = tokenRequests();
    expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(280);
    expect(retried!.receivedAt - limited!.receivedAt).toBeLessThan(2000);
  });
});

describe("single-flight with a 429", () => {
  it("100 concurrent callers: exactly 2 token requests (the 429 and its retry), all 100 calls succeed", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 1 });
    const client = hosts();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => client.queryDevicesByFilterScroll({ limit: 1 })),
    );
    expect(results.map((r) => r.status_code)).toEqual(Array(100).fill(200));
    const tokens = tokenRequests();
    expect(tokens.map((t) => t.status)).toEqual([429, 201]);
    expect(tokens[1]!.receivedAt).toBeGreaterThanOrEqual(tokens[0]!.retryAt!);
    // every caller used the one token
    const bearers = new Set(apiRequests().map((r) => r.headers.authorization));
    expect(apiRequests()).toHaveLength(100);
    expect(bearers.size).toBe(1);
  });

  it("callers sharing an auth object share the wait: one retry for all of them", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 1 });
    const a = hosts();
    const b = new Hosts({ authObject: a });
    const results = await Promise.all([a, b, a, b].map((c) => c.queryDevicesByFilterScroll({ limit: 1 })));
    expect(results.map((r) => r.status_code)).toEqual([200, 200, 200, 200]);
    expect(tokenRequests().map((t) => t.status)).toEqual([429, 201]);
  });
});

describe("retries exhausted", () => {
  it("object mode: APIError naming 429 and the wait, not InvalidCredentials; no credential back-off: the next call logs in", async () => {
    mock.rateLimit(2, { match: TOKEN, retryAfter: 1 });
    const client = hosts({ pythonic: true, retries: { attempts: 1 } });
    const err = await client.queryDevicesByFilterScroll({ limit: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err).not.toBeInstanceOf(InvalidCredentials);
    const e = err as APIError;
    expect(e.status).toBe(429);
    expect(e.message).toMatch(
      /^token request rate-limited \(HTTP 429: API rate limit exceeded\.\); the API asks to wait [01] s; gave up after 1 retry$/,
    );
    expect(e.headers?.["x-ratelimit-retryafter"]).toMatch(/^\d{10}$/);
    expectNoSecret(err);
    expect(client.auth.tokenStatus).toBe(429);
    expect(client.auth.tokenFailReason).toBe("API rate limit exceeded.");
    expect(client.auth.authenticated()).toBe(false);
    expect(tokenRequests().map((t) => t.status)).toEqual([429, 429]);
    expect(apiRequests()).toHaveLength(0);

    // well inside the 15 s failed-login back-off: a credential failure would answer from memory
    const again = await client.queryDevicesByFilterScroll({ limit: 1 });
    expect(again.status_code).toBe(200);
    const tokens = tokenRequests();
    expect(tokens.map((t) => t.status)).toEqual([429, 429, 201]);
    // and it did not ask again before the time the last 429 announced
    expect(tokens[2]!.receivedAt).toBeGreaterThanOrEqual(tokens[1]!.retryAt!);
    expect(client.auth.tokenStatus).toBe(201);
  });

  it("dict mode: a 429 result whose errors[0] names the rate limit and the wait; token() returns the endpoint's 429", async () => {
    mock.rateLimit(2, { match: TOKEN, retryAfter: 3 });
    const client = hosts({ retries: 0 });
    const r = await client.queryDevicesByFilterScroll({ limit: 1 });
    expect(r).toEqual({
      ok: false,
      status_code: 429,
      // the token endpoint's answer's headers (test/auth/auth-failures.test.ts has more)
      headers: expect.objectContaining({ "x-ratelimit-retryafter": expect.stringMatching(/^\d{10}$/) }),
      body: {
        meta: expect.objectContaining({ trace_id: expect.any(String) }),
        errors: [
          {
            code: 429,
            message: expect.stringMatching(
              /^token request rate-limited \(HTTP 429: API rate limit exceeded\.\); the API asks to wait [23] s; retries are off$/,
            ),
          },
        ],
        resources: [],
      },
    });
    expectNoSecret(r);
    expect(tokenRequests()).toHaveLength(1);
    expect(apiRequests()).toHaveLength(0);

    // FalconPy's OAuth2.token(): the token endpoint's own answer, headers and all
    const t = await client.auth.token();
    expect(t.status_code).toBe(429);
    expect(t.headers["x-ratelimit-retryafter"]).toMatch(/^\d{10}$/);
    expect(t.body).toMatchObject({ errors: [{ code: 429, message: "API rate limit exceeded." }] });
    expectNoSecret(t);

    // retries off: nothing waits, the next call asks at once (and gets its token)
    const started = Date.now();
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(tokenRequests().map((x) => x.status)).toEqual([429, 429, 201]);
  });

  it("a numeric timeout bounds the login: a wait that would outlast it is not begun", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 5 });
    const client = hosts({ pythonic: true, timeout: 1 });
    const started = Date.now();
    const err = await client.queryDevicesByFilterScroll({ limit: 1 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(900);
    expect((err as APIError).status).toBe(429);
    expect((err as APIError).message).toMatch(/the API asks to wait [45] s; waiting would outlast the 1 s timeout$/);
    expect(tokenRequests()).toHaveLength(1);
  });

  it("login() after an exhausted 429 returns the 429 without recording a credential failure", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 1 });
    const client = hosts({ retries: 0 });
    expect((await client.auth.login()).status_code).toBe(429);
    expect(client.auth.authenticated()).toBe(false);
    expect(client.auth.tokenStatus).toBe(429);
    const o = await client.auth.authorize();
    expect(o.ok).toBe(true);
    expect(tokenRequests().map((t) => t.status)).toEqual([429, 201]);
  });
});

describe("abort during the wait", () => {
  it("the caller's signal rejects promptly; with no caller left the login stops (no token request after)", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 3 }); // the wait: 2-3 s from the 429
    const client = hosts();
    const ac = new AbortController();
    const call = client.queryDevicesByFilterScroll({ limit: 1 }, { signal: ac.signal });
    while (tokenRequests().length === 0 || tokenRequests()[0]!.status === undefined) await pause(5);
    await pause(100);
    const abortedAt = Date.now();
    ac.abort(new Error("caller gave up"));
    await expect(call).rejects.toThrow("caller gave up");
    expect(Date.now() - abortedAt).toBeLessThan(1000); // well before the wait ends (2-3 s after the 429)
    const retryAt = tokenRequests()[0]!.retryAt!;
    await pause(Math.max(0, retryAt - Date.now()) + 300);
    expect(tokenRequests()).toHaveLength(1);
    // not a credential failure either: the next call logs in (once the cool-down has passed)
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    expect(tokenRequests().map((t) => t.status)).toEqual([429, 201]);
  });

  it("one caller's abort leaves the shared retry to the others", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 1 });
    const client = hosts();
    const ac = new AbortController();
    const aborted = client.queryDevicesByFilterScroll({ limit: 1 }, { signal: ac.signal });
    const others = Promise.all([1, 2, 3].map(() => client.queryDevicesByFilterScroll({ limit: 1 })));
    setTimeout(() => ac.abort(new Error("caller gave up")), 100);
    await expect(aborted).rejects.toThrow("caller gave up");
    expect((await others).map((r) => r.status_code)).toEqual([200, 200, 200]);
    expect(tokenRequests().map((t) => t.status)).toEqual([429, 201]);
  });

  it("an already-aborted signal starts no login", async () => {
    const client = hosts();
    const ac = new AbortController();
    ac.abort(new Error("before"));
    await expect(client.queryDevicesByFilterScroll({ limit: 1 }, { signal: ac.signal })).rejects.toThrow("before");
    await expect(client.auth.token(ac.signal)).rejects.toThrow("before");
    expect(tokenRequests()).toHaveLength(0);
  });
});

describe("a token that has not yet expired", () => {
  it("a 429 on the refresh inside the renew window does not hold callers: they keep the current token", async () => {
    mock.settings.tokenLifetime = 121; // renew window 120 s: usable for 1 s, valid for 121 s
    const client = hosts();
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    const first = apiRequests()[0]!.headers.authorization;
    await pause(1100);
    mock.rateLimit(1, { match: TOKEN, retryAfter: 30 });
    const started = Date.now();
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(tokenRequests().map((t) => t.status)).toEqual([201, 429]);
    // inside the cool-down: no further token request, still the current token
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    expect(tokenRequests()).toHaveLength(2);
    expect(new Set(apiRequests().map((r) => r.headers.authorization))).toEqual(new Set([first]));
  });
});

describe("revoke endpoint 429", () => {
  it("logout() retries a 429 after the announced wait and revokes", async () => {
    const client = hosts();
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    mock.rateLimit(1, { match: REVOKE, retryAfter: 1 });
    const r = await client.auth.logout();
    expect(r.status_code).toBe(200);
    const [limited, retried, ...more] = revokeRequests();
    expect(more).toHaveLength(0);
    expect(limited!.status).toBe(429);
    expect(retried!.status).toBe(200);
    expect(retried!.receivedAt).toBeGreaterThanOrEqual(limited!.retryAt!);
    const revoked = new URLSearchParams(Buffer.from(retried!.raw).toString("utf8")).get("token");
    expect(mock.tokens.find((t) => t.value === revoked)?.revoked).toBe(true);
  });

  it("exhausted: CannotRevokeToken naming the 429 and the wait (object mode), the 429 result (dict mode)", async () => {
    const obj = hosts({ pythonic: true, retries: 0 });
    await obj.queryDevicesByFilterScroll({ limit: 1 });
    mock.rateLimit(1, { match: REVOKE, retryAfter: 2 });
    const err = await obj.auth.logout().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CannotRevokeToken);
    expect((err as SDKError).message).toMatch(
      /^logout failed: HTTP 429 \(rate-limited; the API asks to wait [12] s\)$/,
    );
    expectNoSecret(err);

    const dict = hosts({ retries: 0 });
    await dict.queryDevicesByFilterScroll({ limit: 1 });
    mock.rateLimit(1, { match: REVOKE, retryAfter: 2 });
    const r = await dict.auth.logout();
    expect(r.status_code).toBe(429);
    expect(r.body).toMatchObject({ errors: [{ code: 429, message: "API rate limit exceeded." }] });
    expectNoSecret(r);
  });

  it("logout(signal): an abort during the wait rejects promptly", async () => {
    const client = hosts();
    await client.queryDevicesByFilterScroll({ limit: 1 });
    mock.rateLimit(1, { match: REVOKE, retryAfter: 3 });
    const ac = new AbortController();
    const out = client.auth.logout(ac.signal);
    setTimeout(() => ac.abort(new Error("stop waiting")), 150);
    const started = Date.now();
    await expect(out).rejects.toThrow("stop waiting");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(revokeRequests()).toHaveLength(1);
  });
});
