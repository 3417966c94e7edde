/**
 * The pipeline steps one by one, without sockets: each gets a fake `next` and the runtime's own
 * request type, so retry policy, auth, failure classification, middleware and result shaping
 * are checked in milliseconds.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { bearer, failureBody, type AuthOutcome } from "../../runtime/auth/outcome.js";
import { InvalidCredentials, NetworkError, TimeoutError } from "../../runtime/errors.js";
import type { OperationSpec } from "../../runtime/operation.js";
import { classify } from "../../runtime/pipeline/attempt-timeout.js";
import { authStep, type PipelineAuth } from "../../runtime/pipeline/auth.js";
import { middlewareStep } from "../../runtime/pipeline/middleware.js";
import { retryStep } from "../../runtime/pipeline/retry.js";
import { Failure, Refusal, type CallRequest, type StepResult } from "../../runtime/pipeline/step.js";
import { dictResponse } from "../../runtime/results.js";
import { retryLoop, type RetryPolicy } from "../../runtime/retry.js";
import { createTransport, type WireResponse } from "../../runtime/transport.js";

const GET: OperationSpec = { id: "QueryThings", method: "GET", path: "/things/v1", tag: "t", params: [] };
const POST: OperationSpec = { id: "CreateThing", method: "POST", path: "/things/v1", tag: "t", params: [] };
const T = { connect: 10_000, read: 60_000 };
const POLICY: RetryPolicy = { attempts: 2, maxWaitMs: 1000, retryNonIdempotent: false, baseDelayMs: 0 };

function request(op: OperationSpec = GET, extra: Partial<CallRequest> = {}): CallRequest {
  return {
    op,
    method: op.method,
    path: op.path,
    url: `http://old${op.path}`,
    headers: {},
    body: undefined,
    signal: undefined,
    timeouts: T,
    bodyMode: "parse",
    params: undefined,
    callerAuthorization: false,
    deadline: undefined,
    bodyDeadline: undefined,
    onBodyDone: undefined,
    ...extra,
  };
}
const answer = (status: number, headers: Record<string, string> = {}): StepResult => ({
  status_code: status,
  headers,
  body: {},
});
/** A `next` that answers from a list, recording what it was sent. */
function scripted(...results: StepResult[]) {
  const sent: CallRequest[] = [];
  return { sent, next: async (req: CallRequest) => (sent.push(req), results.shift() ?? answer(200)) };
}
const netFailure = (reached: boolean | undefined) =>
  new Failure(new NetworkError("QueryThings: network error: reset"), reached);

describe("retry step", () => {
  it("a 429 is retried for any method; a 503 only for a replayable request", async () => {
    let s = scripted(answer(429), answer(200));
    expect(await retryStep(POLICY, undefined, undefined, s.next)(request(POST))).toMatchObject({ status_code: 200 });
    expect(s.sent).toHaveLength(2);
    s = scripted(answer(503), answer(200));
    expect(await retryStep(POLICY, undefined, undefined, s.next)(request(GET))).toMatchObject({ status_code: 200 });
    s = scripted(answer(503), answer(200));
    expect(await retryStep(POLICY, undefined, undefined, s.next)(request(POST))).toMatchObject({ status_code: 503 });
    expect(s.sent).toHaveLength(1);
  });
  it("network failures: not sent -> any method; reached -> replayable only; undefined -> never; the final error says so", async () => {
    let s = scripted(netFailure(false), answer(200));
    expect(await retryStep(POLICY, undefined, undefined, s.next)(request(POST))).toMatchObject({ status_code: 200 });
    s = scripted(netFailure(true), answer(200));
    expect(await retryStep(POLICY, undefined, undefined, s.next)(request(POST))).toBeInstanceOf(Failure);
    s = scripted(netFailure(undefined), answer(200));
    expect(await retryStep(POLICY, undefined, undefined, s.next)(request(GET))).toBeInstanceOf(Failure);
    s = scripted(netFailure(true), netFailure(true), netFailure(true));
    const last = await retryStep(POLICY, undefined, undefined, s.next)(request(GET));
    expect((last as Failure).error.message).toMatch(/\(gave up after 2 retries\)$/);
    expect(s.sent).toHaveLength(3);
  });
  it("a refused login is never retried", async () => {
    const refusal = new Refusal({
      ok: false,
      status: 401,
      body: failureBody(401, "no"),
      error: new InvalidCredentials("no"),
      headers: {},
    });
    const s = scripted(refusal);
    expect(await retryStep(POLICY, undefined, undefined, s.next)(request())).toBe(refusal);
    expect(s.sent).toHaveLength(1);
  });
  it("retryLoop: decide stops or waits; pause runs between attempts", async () => {
    const pauses: number[] = [];
    let n = 0;
    const r = await retryLoop(
      async () => ++n,
      (v, retries) => (v < 3 ? retries * 10 : undefined),
      async (ms) => void pauses.push(ms),
    );
    expect(r).toEqual({ value: 3, retries: 2 });
    expect(pauses).toEqual([0, 10]);
  });
});

class FakeAuth implements PipelineAuth {
  baseUrl = "http://old";
  tokens = ["t1", "t2"];
  rejected: string[] = [];
  outcome: AuthOutcome | undefined;
  /** A token at hand (none unless a test sets one): authorize() is then not asked. */
  now: AuthOutcome | undefined;
  logins = 0;
  authorizedNow(): AuthOutcome | undefined {
    return this.now;
  }
  authorize(): Promise<AuthOutcome> {
    this.logins++;
    // a login that discovers another region
    this.baseUrl = "http://new";
    return Promise.resolve(this.outcome ?? bearer(this.tokens[0]!));
  }
  basicAuthorization(): string {
    return "Basic abc";
  }
  tokenRejected(token: string): void {
    this.rejected.push(token);
    this.tokens.shift();
  }
}

describe("auth step", () => {
  it("takes a token at hand without asking authorize() (no login, no await of one)", async () => {
    const auth = new FakeAuth();
    auth.now = bearer("ready");
    const s = scripted(answer(200));
    await authStep(auth, s.next)(request());
    expect(auth.logins).toBe(0);
    expect(s.sent[0]!.headers.authorization).toBe("Bearer ready");
  });

  it("sets the bearer token and sends to the base URL in effect after the login", async () => {
    const auth = new FakeAuth();
    const s = scripted(answer(200));
    await authStep(auth, s.next)(request());
    expect(s.sent[0]!.headers.authorization).toBe("Bearer t1");
    expect(s.sent[0]!.url).toBe("http://new/things/v1");
  });
  it("a 401 marks the token rejected and resends once with a fresh one", async () => {
    const auth = new FakeAuth();
    const s = scripted(answer(401), answer(401));
    const r = await authStep(auth, s.next)(request());
    expect(s.sent.map((q) => q.headers.authorization)).toEqual(["Bearer t1", "Bearer t2"]);
    expect(auth.rejected).toEqual(["t1"]);
    expect(r).toMatchObject({ status_code: 401 });
  });
  it("a per-call Authorization header is sent as given, without a login", async () => {
    const auth = new FakeAuth();
    const s = scripted(answer(200));
    await authStep(
      auth,
      s.next,
    )(request(GET, { headers: { authorization: "Bearer mine" }, callerAuthorization: true }));
    expect(s.sent[0]!.headers.authorization).toBe("Bearer mine");
    expect(auth.baseUrl).toBe("http://old");
  });
  it("no token: a Refusal, nothing sent; revoke uses Basic; the token route gets no Authorization", async () => {
    const auth = new FakeAuth();
    auth.outcome = {
      ok: false,
      status: 403,
      body: failureBody(403, "bad"),
      error: new InvalidCredentials("bad"),
      headers: {},
    };
    let s = scripted();
    expect(await authStep(auth, s.next)(request())).toBeInstanceOf(Refusal);
    expect(s.sent).toHaveLength(0);
    s = scripted();
    await authStep(auth, s.next)(request({ ...POST, path: "/oauth2/revoke" }));
    expect(s.sent[0]!.headers.authorization).toBe("Basic abc");
    s = scripted();
    await authStep(auth, s.next)(request({ ...POST, path: "/oauth2/token" }));
    expect(s.sent[0]!.headers.authorization).toBeUndefined();
  });
});

describe("failure classification", () => {
  const err = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  it("refused connections were not sent; resets may have been; bad hosts and TLS never retry", () => {
    expect(classify(GET, err("ECONNREFUSED"), undefined, 0, T).reached).toBe(false);
    expect(classify(GET, err("ECONNRESET"), undefined, 0, T).reached).toBe(true);
    expect(classify(GET, err("ENOTFOUND"), undefined, 0, T).reached).toBeUndefined();
    expect(classify(GET, err("CERT_HAS_EXPIRED"), undefined, 0, T).reached).toBeUndefined();
    const headers = classify(GET, err("UND_ERR_HEADERS_TIMEOUT"), undefined, 0, { connect: 10_000, read: 100 });
    expect(headers.error).toBeInstanceOf(TimeoutError);
    expect(headers.error.message).toMatch(/^QueryThings: read timeout: no response headers within 0.1s/);
  });
  it("an abort of the call's signal rethrows its reason", () => {
    const ac = new AbortController();
    ac.abort(new Error("mine"));
    expect(() => classify(GET, err("ECONNRESET"), ac.signal, 0, T)).toThrow("mine");
  });
  it("answers the client refuses to parse (too many headers) and bad header values are never retried", () => {
    expect(classify(GET, err("UND_ERR_HEADERS_OVERFLOW"), undefined, 0, T).reached).toBeUndefined();
    expect(classify(GET, err("UND_ERR_INVALID_ARG"), undefined, 0, T).reached).toBeUndefined();
  });
});

describe("middleware step", () => {
  const wire = (status: number, body = "{}"): WireResponse => ({
    statusCode: status,
    headers: { "content-type": "application/json" },
    body: Readable.from([Buffer.from(body)]),
  });
  const transport = createTransport();
  it("with no middleware the request goes straight through, untouched", async () => {
    const seen: CallRequest[] = [];
    const req = request();
    await middlewareStep(
      [],
      transport,
      () => "http://old",
      async (r) => (seen.push(r), wire(200)),
    )(req);
    expect(seen[0]).toBe(req);
  });
  it("a short-circuit Response never reaches next; a header change does", async () => {
    let calls = 0;
    const next = async (r: CallRequest) => (calls++, wire(200, JSON.stringify(r.headers)));
    const cached = await middlewareStep(
      [{ onRequest: () => new Response("{}", { status: 203 }) }],
      transport,
      () => "http://old",
      next,
    )(request());
    expect(cached.statusCode).toBe(203);
    expect(calls).toBe(0);
    const changed = await middlewareStep(
      [{ onRequest: ({ request }) => void request.headers.set("X-A", "1") }],
      transport,
      () => "http://old",
      next,
    )(request());
    let text = "";
    for await (const c of changed.body) text += String(c);
    expect(JSON.parse(text)).toMatchObject({ "x-a": "1" });
    await transport.close();
  });
});

describe("result shaping", () => {
  it("ok follows 2xx; a failure's body takes the error shape", () => {
    expect(dictResponse({ status_code: 201, headers: {}, body: { resources: [1] } })).toEqual({
      ok: true,
      status_code: 201,
      headers: {},
      body: { resources: [1] },
    });
    expect(dictResponse({ status_code: 404, headers: {}, body: { errors: [{ code: 404, message: "gone" }] } })).toEqual(
      {
        ok: false,
        status_code: 404,
        headers: {},
        body: { meta: {}, errors: [{ code: 404, message: "gone" }], resources: [] },
      },
    );
  });
});
