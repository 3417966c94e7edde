import { describe, expect, it } from "vitest";
import type { MockFalcon, RecordedRequest } from "../../mock/server.js";
import { Hosts } from "../../generated/hosts/index.js";
import { APIError, InvalidCredentials, NetworkError, TimeoutError } from "../../runtime/errors.js";
import type { FalconOptions } from "../../runtime/options.js";
import { DEFAULT_RETRY, rateLimitWait } from "../../runtime/retry.js";
import { MOCK_CREDS, useHostsMock } from "../support/hosts-mock.js";

const CREDS = MOCK_CREDS;
const TOKEN = "/oauth2/token";
const REVOKE = "/oauth2/revoke";
const OP = "QueryDevicesByFilterScroll";

let mock: MockFalcon;
useHostsMock((m) => {
  mock = m;
});

function hosts<P extends boolean = false>(extra: FalconOptions & { pythonic?: P } = {}): Hosts<P> {
  return new Hosts<P>({ ...CREDS, baseUrl: mock.url, ...extra });
}
const tokenRequests = (): RecordedRequest[] => mock.requests.filter((r) => r.path === TOKEN);
const revokeRequests = (): RecordedRequest[] => mock.requests.filter((r) => r.path === REVOKE);
const apiRequests = (): RecordedRequest[] => mock.requests.filter((r) => r.operationId === OP);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const traceOf = (body: unknown): unknown => (body as { meta?: { trace_id?: unknown } }).meta?.trace_id;
/**
 * A call with { timeout: 1 } whose login cannot finish ends by then: well under this bound on a
 * loaded machine too, while what a broken bound would wait (the 4-5 s 429 wait, the transport's
 * 10 s connect or 60 s read default, a hang) is far above it.
 */
const LOGIN_BOUND_MS = 2500;

describe("a failed login's dict result carries the token response's headers", () => {
  it("bad credentials (the mock's 403): trace ID and rate-limit headers, the same from the failure memory", async () => {
    const client = new Hosts({ clientId: CREDS.clientId, clientSecret: "wrong", baseUrl: mock.url });
    const r = await client.queryDevicesByFilterScroll({ limit: 1 });
    expect(r.status_code).toBe(403);
    expect(r.headers["x-cs-traceid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers["x-cs-traceid"]).toBe(traceOf(r.body));
    expect(r.headers["x-ratelimit-limit"]).toMatch(/^\d+$/);
    expect(r.headers["x-ratelimit-remaining"]).toMatch(/^\d+$/);
    expect(r.headers["content-type"]).toBe("application/json");
    for (const name of Object.keys(r.headers)) expect(name).toBe(name.toLowerCase());
    expect(JSON.stringify(r)).not.toContain("wrong");

    // inside the back-off: answered from memory, the same answer's headers; a copy each time
    r.headers["x-cs-traceid"] = "changed by the caller";
    const again = await client.queryDevicesByFilterScroll({ limit: 1 });
    expect(again.status_code).toBe(403);
    expect(again.headers["x-cs-traceid"]).toBe(traceOf(again.body));
    expect(tokenRequests()).toHaveLength(1);
    expect(apiRequests()).toHaveLength(0);
  });

  it("a 401 from the token endpoint: its headers, without Set-Cookie; object mode still InvalidCredentials", async () => {
    const answer = {
      kind: "status",
      status: 401,
      body: { meta: { trace_id: "trace-401" }, errors: [{ code: 401, message: "access denied, invalid client" }] },
      headers: {
        "x-cs-traceid": "trace-401",
        "set-cookie": "gw=session-from-token-call; HttpOnly",
        "www-authenticate": "Bearer",
      },
    } as const;
    mock.inject(answer, { times: 1, match: TOKEN });
    const r = await hosts().queryDevicesByFilterScroll({ limit: 1 });
    expect(r.status_code).toBe(401);
    expect(r.headers["x-cs-traceid"]).toBe("trace-401");
    expect(r.headers["www-authenticate"]).toBe("Bearer");
    expect(r.headers["set-cookie"]).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain("session-from-token-call");
    expect(r.body).toMatchObject({ errors: [{ code: 401, message: "access denied, invalid client" }] });

    mock.inject(answer, { times: 1, match: TOKEN });
    const err = await hosts({ pythonic: true })
      .queryDevicesByFilterScroll({ limit: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCredentials);
    expect(tokenRequests()).toHaveLength(2);
  });

  it("an exhausted token 429: X-RateLimit-RetryAfter and the trace ID in the dict result and on the APIError", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 3 });
    const r = await hosts({ retries: 0 }).queryDevicesByFilterScroll({ limit: 1 });
    expect(r.status_code).toBe(429);
    const limited = tokenRequests()[0]!;
    expect(r.headers["x-ratelimit-retryafter"]).toBe(String(limited.retryAt! / 1000));
    expect(r.headers["x-ratelimit-remaining"]).toBe("0");
    expect(r.headers["x-cs-traceid"]).toBe(traceOf(r.body));

    mock.clearLog();
    mock.rateLimit(2, { match: TOKEN, retryAfter: 1 });
    const err = await hosts({ pythonic: true, retries: { attempts: 1 } })
      .queryDevicesByFilterScroll({ limit: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    const e = err as APIError;
    expect(e.status).toBe(429);
    const last = tokenRequests()[1]!;
    expect(e.headers?.["x-ratelimit-retryafter"]).toBe(String(last.retryAt! / 1000));
    expect(e.headers?.["x-cs-traceid"]).toBe(traceOf(e.body));
  });

  it("no answer at all (connection reset): a 500 with no headers", async () => {
    mock.resetConnection({ times: 1, match: TOKEN });
    const r = await hosts({ retries: 0 }).queryDevicesByFilterScroll({ limit: 1 });
    expect(r.status_code).toBe(500);
    expect(r.headers).toEqual({});
    expect((r.body as { errors: { message: string }[] }).errors[0]!.message).toMatch(/^token request failed: /);
  });
});

describe("a call's total timeout bounds its login", () => {
  it("token endpoint hangs, { timeout: 1 }: TimeoutError naming the operation (object) / 500 (dict), within ~1 s", async () => {
    mock.hang({ match: TOKEN });
    let started = Date.now();
    const err = await hosts({ pythonic: true })
      .queryDevicesByFilterScroll({ limit: 1 }, { timeout: 1 })
      .catch((e: unknown) => e);
    let took = Date.now() - started;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toBeInstanceOf(NetworkError);
    const t = err as TimeoutError;
    expect(t.operation).toBe(OP);
    expect(t.elapsedMs).toBeGreaterThanOrEqual(950);
    expect(t.message).toMatch(
      /^QueryDevicesByFilterScroll: request timed out after 1s, the call's total time \(\d+ ms elapsed\)$/,
    );
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(LOGIN_BOUND_MS);

    started = Date.now();
    const r = await hosts().queryDevicesByFilterScroll({ limit: 1 }, { timeout: 1 });
    took = Date.now() - started;
    expect(r).toEqual({
      ok: false,
      status_code: 500,
      headers: {},
      body: {
        meta: {},
        errors: [
          {
            code: 500,
            message: expect.stringMatching(
              /^QueryDevicesByFilterScroll: request timed out after 1s, the call's total time/,
            ),
          },
        ],
        resources: [],
      },
    });
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(LOGIN_BOUND_MS);
    expect(apiRequests()).toHaveLength(0);
  });

  it("a login waiting out a token 429 ends at the call's timeout (not the API's wait)", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 5 });
    const started = Date.now();
    const r = await hosts().queryDevicesByFilterScroll({ limit: 1 }, { timeout: 1 });
    const took = Date.now() - started;
    expect(r.status_code).toBe(500);
    expect((r.body as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /^QueryDevicesByFilterScroll: request timed out after 1s, the call's total time/,
    );
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(LOGIN_BOUND_MS);
    expect(tokenRequests()).toHaveLength(1);
  });

  it("a concurrent caller without a per-call timeout is not cut short: it gets the token when the endpoint answers", async () => {
    mock.delay(3000, { times: 1, match: TOKEN });
    const client = hosts({ pythonic: true });
    const started = Date.now();
    const short = client.queryDevicesByFilterScroll({ limit: 1 }, { timeout: 1 }).then(
      () => ({ at: Date.now(), error: undefined as unknown }),
      (error: unknown) => ({ at: Date.now(), error }),
    );
    const patient = client.queryDevicesByFilterScroll({ limit: 1 }).then((res) => ({ at: Date.now(), res }));
    const [s, p] = await Promise.all([short, patient]);
    expect(s.error).toBeInstanceOf(TimeoutError);
    expect((s.error as TimeoutError).operation).toBe(OP);
    expect(s.at - started).toBeLessThan(LOGIN_BOUND_MS); // its own 1 s, not the token's 3 s
    expect(p.res.status_code).toBe(200);
    expect(p.at - started).toBeGreaterThanOrEqual(2900);
    // one login for both (single flight), one API request (the patient caller's)
    expect(tokenRequests()).toHaveLength(1);
    expect(apiRequests()).toHaveLength(1);
    expect(client.auth.authenticated()).toBe(true);
  });

  it("a caller who joins after the short-timeout caller left keeps the login going through a 429", async () => {
    // the token answer comes 2.5 s in: the joiner (at ~0.7 s) finds the login still waiting for it
    mock.delay(2500, { times: 1, match: TOKEN });
    mock.rateLimit(1, { match: TOKEN, retryAfter: 1 });
    const client = hosts();
    const short = await client.queryDevicesByFilterScroll({ limit: 1 }, { timeout: 0.5 });
    expect(short.status_code).toBe(500);
    // the login is still waiting for its (delayed) answer: join it with no timeout
    await pause(200);
    const r = await client.queryDevicesByFilterScroll({ limit: 1 });
    expect(r.status_code).toBe(200);
    const tokens = tokenRequests();
    expect(tokens.map((t) => t.status)).toEqual([429, 201]);
    expect(tokens[1]!.receivedAt).toBeGreaterThanOrEqual(tokens[0]!.retryAt!);
  });

  it("a { connect, read } timeout does not bound the login as a whole; the call still succeeds after a slow token answer", async () => {
    mock.delay(600, { times: 1, match: TOKEN });
    const r = await hosts().queryDevicesByFilterScroll({ limit: 1 }, { timeout: { connect: 5, read: 5 } });
    expect(r.status_code).toBe(200);
  });
});

describe("one rule for the wait after a 429: API calls, token and revoke requests", () => {
  it("an announced wait beyond retries.maxWait is capped on all three paths", async () => {
    mock.rateLimit(1, { match: TOKEN, retryAfter: 3600 });
    mock.rateLimit(1, { match: OP, retryAfter: 3600 });
    const client = hosts({ retries: { maxWait: 0.3 } });
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    mock.rateLimit(1, { match: REVOKE, retryAfter: 3600 });
    expect((await client.auth.logout()).status_code).toBe(200);
    for (const list of [tokenRequests(), apiRequests(), revokeRequests()]) {
      const [limited, retried, ...more] = list;
      expect(more).toHaveLength(0);
      expect(limited!.status).toBe(429);
      expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(280);
      expect(retried!.receivedAt - limited!.receivedAt).toBeLessThan(2000);
    }
  });

  it("a 429 that names no wait: a short back-off (baseDelay) on all three paths, not the cap", async () => {
    const bare = {
      kind: "status",
      status: 429,
      body: { meta: {}, errors: [{ code: 429, message: "slow down" }] },
    } as const;
    mock.inject(bare, { times: 1, match: TOKEN });
    mock.inject(bare, { times: 1, match: OP });
    const client = hosts({ retries: { maxWait: 30, baseDelay: 0.05 } });
    expect((await client.queryDevicesByFilterScroll({ limit: 1 })).status_code).toBe(200);
    mock.inject(bare, { times: 1, match: REVOKE });
    expect((await client.auth.logout()).status_code).toBe(200);
    for (const list of [tokenRequests(), apiRequests(), revokeRequests()]) {
      const [limited, retried, ...more] = list;
      expect(more).toHaveLength(0);
      expect(limited!.status).toBe(429);
      expect(retried!.status).toBeLessThan(300);
      expect(retried!.receivedAt - limited!.receivedAt).toBeLessThan(5000); // far from the 30 s cap
    }
  });

  it("rateLimitWait: announced time capped at maxWait, else jittered back-off", () => {
    const now = 1_700_000_000_000;
    const policy = { ...DEFAULT_RETRY, maxWaitMs: 5000, baseDelayMs: 100 };
    expect(rateLimitWait({ "x-ratelimit-retryafter": String(now / 1000 + 2) }, now, 1, policy)).toEqual({
      waitMs: 2000,
      retryAt: now + 2000,
    });
    expect(rateLimitWait({ "x-ratelimit-retryafter": String(now / 1000 + 3600) }, now, 1, policy)).toEqual({
      waitMs: 5000,
      retryAt: now + 3_600_000,
    });
    expect(rateLimitWait({ "retry-after": "3" }, now, 1, policy)).toEqual({ waitMs: 3000, retryAt: now + 3000 });
    const unusable: Record<string, string>[] = [
      {},
      { "x-ratelimit-retryafter": String(now / 1000 - 10) },
      { "x-ratelimit-retryafter": "soon" },
    ];
    for (const headers of unusable) {
      for (let i = 0; i < 20; i++) {
        const w = rateLimitWait(headers, now, 3, policy);
        expect(w.waitMs).toBeGreaterThanOrEqual(0);
        expect(w.waitMs).toBeLessThan(400); // base 100 ms doubled twice
      }
    }
  });
});
