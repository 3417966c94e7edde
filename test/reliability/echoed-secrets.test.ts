/**
 * A server (or a proxy's error page) that echoes the client's secrets bare, with no "Bearer "
 * and no key name for the patterns to catch: the client knows its secrets (client secret,
 * current and previous token, a static token) and redacts them wherever server text is shown:
 * dict failure bodies, error messages, stacks and renderings, debug records. Over HTTP on 127.0.0.1.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Hosts } from "../../generated/hosts/index.js";
import { APIError, NetworkError } from "../../runtime/errors.js";
import type { FalconOptions } from "../../runtime/options.js";
import { REDACTED } from "../../runtime/redact.js";
import type { FakeFalcon, Recorded } from "../support/fake-falcon.js";
import { useFakeFalcon } from "../support/fake-falcon-suite.js";

const SECRET = "echo-Secret-0a1b2c3d4e5f";
const STATIC = "static-token-9z8y7x6w5v";
let server: FakeFalcon;
useFakeFalcon((fake) => {
  server = fake;
});

function hosts<P extends boolean = false>(extra: FalconOptions & { pythonic?: P } = {}): Hosts<P> {
  return new Hosts<P>({ clientId: "echo-id", clientSecret: SECRET, baseUrl: server.url, retries: 0, ...extra });
}
const bareToken = (req: Recorded): string => String(req.headers.authorization).slice("Bearer ".length);

/** Every way an error is commonly shown. */
function renderings(err: unknown): string[] {
  const e = err as Error;
  return [e.message, String(e.stack), String(e), JSON.stringify(e), inspect(e), inspect(e, { depth: Infinity })];
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected the call to fail"),
    (e: unknown) => e,
  );
}

function expectClean(texts: string[], secrets: string[]): void {
  for (const text of texts) for (const s of secrets) expect(text).not.toContain(s);
}

describe("secrets echoed bare by the server are redacted", () => {
  it("a JSON error body echoing the token and the client secret: dict body, APIError and its renderings", async () => {
    let token = "";
    server.handler = (req) => {
      token = bareToken(req);
      return {
        status: 400,
        body: {
          meta: { echoed: token },
          errors: [{ code: 400, message: `token ${token} is not valid for client secret ${SECRET}` }],
          resources: [token],
        },
      };
    };
    const r = await hosts().queryDevicesByFilterScroll();
    expect(token).toMatch(/^tok-SECRET/);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.body.errors[0]!.message).toBe(`token ${REDACTED} is not valid for client secret ${REDACTED}`);
    expect(r.body.meta).toEqual({ echoed: REDACTED });
    expect(r.body.resources).toEqual([REDACTED]);
    expectClean([JSON.stringify(r), inspect(r, { depth: Infinity })], [token, SECRET]);

    const err = await rejection(hosts({ pythonic: true }).queryDevicesByFilterScroll());
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toContain(`token ${REDACTED} is not valid for client secret ${REDACTED}`);
    expectClean(renderings(err), [token, SECRET]);
    // the body is the API's answer, kept as it came for code that reads it
    expect(JSON.stringify((err as APIError).body)).toContain(token);
  });

  it("an HTML error page echoing them (a proxy's 502), a secret across the 500-character cut included", async () => {
    let token = "";
    server.handler = (req, res) => {
      token = bareToken(req);
      // the token starts 5 characters before the cut: redacting after cutting would leave its start
      const pad = "x".repeat(500 - "<html><body><p>".length - 5);
      res.writeHead(502, { "content-type": "text/html" });
      res.end(`<html><body><p>${pad} ${token}</p><pre>${SECRET}</pre>\n<p>upstream ${token}</p></body></html>`);
    };
    const r = await hosts().queryDevicesByFilterScroll();
    expect(r.status_code).toBe(502);
    expectClean([JSON.stringify(r)], [token, token.slice(0, 5), SECRET]);
    if (!r.ok) expect(r.body.errors[0]!.message).toMatch(/^HTTP 502: <html><body><p>x+ \*\*RE\.\.\.$/);

    server.handler = (req, res) => {
      token = bareToken(req);
      res.writeHead(502, { "content-type": "text/html" });
      res.end(`<html><body><h1>Bad Gateway</h1><p>${token}</p><pre>${SECRET}</pre></body></html>`);
    };
    const err = await rejection(hosts({ pythonic: true }).queryDevicesByFilterScroll());
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toContain(`<p>${REDACTED}</p><pre>${REDACTED}</pre>`);
    expectClean(renderings(err), [token, SECRET]);
  });

  it("a static accessToken echoed bare", async () => {
    server.issue(STATIC);
    server.handler = () => ({ status: 403, body: { errors: [{ code: 403, message: `${STATIC} lacks scope` }] } });
    const dict = await new Hosts({ accessToken: STATIC, baseUrl: server.url }).queryDevicesByFilterScroll();
    expectClean([JSON.stringify(dict)], [STATIC]);
    const err = await rejection(
      new Hosts({ accessToken: STATIC, baseUrl: server.url, pythonic: true }).queryDevicesByFilterScroll(),
    );
    expect((err as APIError).message).toContain(`${REDACTED} lacks scope`);
    expectClean(renderings(err), [STATIC]);
  });

  it("a success whose JSON does not parse (a login page labelled JSON) quotes its start: the token is not in the quote", async () => {
    server.handler = (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`<html>session ${bareToken(req)} expired</html>`);
    };
    const owner = hosts();
    const r = await owner.queryDevicesByFilterScroll();
    const token = owner.auth.tokenValue!;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.body.errors[0]!.message).toContain(`session ${REDACTED} expired`);
    expectClean([JSON.stringify(r)], [token]);
    const err = await rejection(hosts({ authObject: owner, pythonic: true }).queryDevicesByFilterScroll());
    expect(err).toBeInstanceOf(NetworkError);
    expectClean(renderings(err), [token]);
  });

  it("the previous token, after the client moved on to a new one, is still known", async () => {
    const client = hosts({ pythonic: true });
    await client.queryDevicesByFilterScroll();
    const first = client.auth.tokenValue!;
    await client.logout();
    server.handler = () => ({ status: 400, body: { errors: [{ code: 400, message: `stale ${first}` }] } });
    const err = await rejection(client.queryDevicesByFilterScroll());
    expect(client.auth.tokenValue).not.toBe(first);
    expect((err as APIError).message).toContain(`stale ${REDACTED}`);
    expectClean(renderings(err), [first]);
  });

  it("debug records: the echoed token is redacted (sanitizeLog on), shown only with sanitizeLog: false", async () => {
    let token = "";
    server.handler = (req) => {
      token = bareToken(req);
      return { status: 400, body: { errors: [{ code: 400, message: `no access for ${token}` }] } };
    };
    const record = (sanitizeLog: boolean) => {
      const lines: string[] = [];
      const logger = { debug: (l: string) => lines.push(l), info() {}, warn() {}, error() {} };
      return { lines, client: hosts({ debug: true, logger, sanitizeLog }) };
    };
    const on = record(true);
    await on.client.queryDevicesByFilterScroll();
    expect(on.lines.join("\n")).toContain(`no access for ${REDACTED}`);
    expectClean(on.lines, [token, SECRET]);
    const off = record(false);
    await off.client.queryDevicesByFilterScroll();
    expect(off.lines.join("\n")).toContain(`no access for ${token}`);
  });
});
