/**
 * One test per network fault, against the spec-driven mock (fault switches) or a bare
 * misbehaving socket server, all on 127.0.0.1 with real timers: resets, 502/503/504, HTML
 * error pages, truncated and invalid JSON, empty JSON bodies, hangs (read timeout), stalls
 * mid-body, connects that never complete, the 401 refresh, and aborts during retry waits.
 */
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { MockFalcon } from "../../mock/server.js";
import { Hosts } from "../../generated/hosts/index.js";
import {
  APIError,
  NetworkError,
  NoContentWarning,
  SDKError,
  TimeoutError,
  type SDKWarning,
} from "../../runtime/errors.js";
import type { FalconOptions } from "../../runtime/options.js";
import { startFakeFalcon } from "../support/fake-falcon.js";
import { MOCK_CREDS, useHostsMock } from "../support/hosts-mock.js";
import { ENTITY_FAMILIES } from "../../mock/world.js";

const CREDS = MOCK_CREDS;
/** Fast back-off so retries take milliseconds. */
const FAST = { attempts: 3, baseDelay: 0.01 };

let mock: MockFalcon;
useHostsMock((m) => {
  mock = m;
});

function hosts<P extends boolean = false>(extra: FalconOptions & { pythonic?: P } = {}): Hosts<P> {
  return new Hosts<P>({ ...CREDS, baseUrl: mock.url, retries: FAST, ...extra });
}
/** A host of the mock's world (made-up ids are not found). */
const hostId = (): string => mock.world.ids(ENTITY_FAMILIES.hosts)[0]!;
const api = (op: string) => mock.requests.filter((r) => r.operationId === op);
const tokenRequests = () => mock.requests.filter((r) => r.path === "/oauth2/token");

describe("connection reset", () => {
  it("a GET is retried and succeeds; the caller never sees the reset", async () => {
    mock.resetConnection({ times: 2, match: "QueryDevicesByFilterScroll" });
    const r = await hosts().queryDevicesByFilterScroll({ limit: 1 });
    expect(r.status_code).toBe(200);
    expect(api("QueryDevicesByFilterScroll")).toHaveLength(3);
  });

  it("a POST that writes is never replayed unless the caller opts in", async () => {
    mock.resetConnection({ times: 1, match: "PerformActionV2" });
    const r = await hosts().performActionV2({ action_name: "contain", ids: [hostId()] });
    expect(r.status_code).toBe(500);
    expect(r.body.errors![0]!.message).toMatch(/^PerformActionV2: network error: /);
    expect(api("PerformActionV2")).toHaveLength(1);

    mock.clearLog();
    mock.resetConnection({ times: 1, match: "PerformActionV2" });
    const opted = await hosts({ retries: { ...FAST, retryNonIdempotent: true } }).performActionV2({
      action_name: "contain",
      ids: [hostId()],
    });
    expect(opted.status_code).toBe(202);
    expect(api("PerformActionV2")).toHaveLength(2);
  });

  it("a POST listed as read-only (PostDeviceDetailsV2) is replayed", async () => {
    mock.resetConnection({ times: 1, match: "PostDeviceDetailsV2" });
    const r = await hosts().postDeviceDetailsV2({ ids: [hostId()] });
    expect(r.status_code).toBe(200);
    expect(api("PostDeviceDetailsV2")).toHaveLength(2);
  });

  it("after the last retry: NetworkError in object mode, saying it gave up", async () => {
    mock.resetConnection({ match: "QueryDevicesByFilterScroll" });
    const err = await hosts({ pythonic: true })
      .queryDevicesByFilterScroll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(
      /^QueryDevicesByFilterScroll: network error: .*\(gave up after 3 retries\)$/,
    );
    expect(api("QueryDevicesByFilterScroll")).toHaveLength(4);
  });
});

describe("502 / 503 / 504", () => {
  it.each([502, 503, 504])("HTTP %i is retried for a GET", async (status) => {
    mock.serverError(2, { status, match: "QueryDevicesByFilterScroll" });
    const r = await hosts().queryDevicesByFilterScroll();
    expect(r.status_code).toBe(200);
    expect(api("QueryDevicesByFilterScroll")).toHaveLength(3);
  });

  it("a persistent HTML 502 page keeps its status and text (dict) / APIError with the page's text (object)", async () => {
    mock.serverError(100, { status: 502, html: true, match: "QueryDevicesByFilterScroll" });
    const r = await hosts({ retries: { attempts: 1, baseDelay: 0.01 } }).queryDevicesByFilterScroll();
    expect(r.status_code).toBe(502);
    expect(r.ok).toBe(false);
    // the page's text is the one error message (on one line); the body has the error shape
    expect(r.body.errors[0]!.message).toMatch(/^HTTP 502: .*<h1>502 Mock Gateway Error<\/h1>/);
    expect(r.body.resources).toEqual([]);
    const err = await hosts({ pythonic: true, retries: 0 })
      .queryDevicesByFilterScroll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(502);
    expect((err as APIError).message).toMatch(/HTTP 502: .*502 Mock Gateway Error/);
  });

  it("a 500 is not retried (the operation failed, not the gateway), nor is a 503 to a writing POST", async () => {
    mock.serverError(1, { status: 500, match: "QueryDevicesByFilterScroll" });
    expect((await hosts().queryDevicesByFilterScroll()).status_code).toBe(500);
    mock.serverError(1, { status: 503, match: "PerformActionV2" });
    expect((await hosts().performActionV2({ action_name: "contain", ids: ["a"] })).status_code).toBe(503);
    expect(mock.requests.filter((r) => r.path !== "/oauth2/token")).toHaveLength(2);
  });
});

describe("bodies that are not what they claim", () => {
  it("a 200 JSON body cut short is retried for a GET; with no retries left it says what arrived", async () => {
    mock.truncate({ times: 1, match: "QueryDevicesByFilterScroll" });
    expect((await hosts().queryDevicesByFilterScroll()).status_code).toBe(200);
    mock.truncate({ match: "QueryDevicesByFilterScroll" });
    const r = await hosts({ retries: 0 }).queryDevicesByFilterScroll();
    expect(r.status_code).toBe(500);
    expect(r.body.errors![0]!.message).toMatch(
      /^QueryDevicesByFilterScroll: response body cut short after HTTP 200, application\/json, Content-Length \d+: /,
    );
    const err = await hosts({ retries: 0, pythonic: true })
      .queryDevicesByFilterScroll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
  });

  it("invalid JSON after a 200: a 500-style result / NetworkError quoting the start of what came", async () => {
    mock.override(
      "QueryDevicesByFilterScroll",
      { status: 200, body: '{"resources": [1, 2', contentType: "application/json" },
      { times: 1 },
    );
    const r = await hosts().queryDevicesByFilterScroll();
    expect(r.status_code).toBe(500);
    expect(r.body.errors![0]!.message).toBe(
      'QueryDevicesByFilterScroll: the API returned an unparseable JSON body (HTTP 200, application/json, 19 chars: "{\\"resources\\": [1, 2")',
    );
    // not a transient fault: sent once
    expect(api("QueryDevicesByFilterScroll")).toHaveLength(1);
    mock.override("QueryDevicesByFilterScroll", {
      status: 200,
      body: "<html>proxy login</html>",
      contentType: "application/json",
    });
    const err = await hosts({ pythonic: true })
      .queryDevicesByFilterScroll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/<html>proxy login<\/html>/);
  });

  it("an empty body with a JSON content type: FalconPy's NoContentWarning, not a parser crash", async () => {
    const warnings: SDKWarning[] = [];
    mock.override("QueryDevicesByFilterScroll", { status: 200, body: "", contentType: "application/json" });
    const r = await hosts({ onWarning: (w) => warnings.push(w) }).queryDevicesByFilterScroll();
    expect(r.status_code).toBe(200);
    expect(r.body).toEqual({ message: "No content was received for this request.", resources: [] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeInstanceOf(NoContentWarning);
    expect(warnings[0]).toMatchObject({
      name: "NoContentWarning",
      code: 204,
      message: "QueryDevicesByFilterScroll: HTTP 200 with an empty body (Content-Type application/json)",
    });
  });

  it("an error status with an empty JSON body says so in errors[]", async () => {
    const srv = await startFakeFalcon(() => ({ status: 500, body: "" }));
    try {
      const r = await new Hosts({ accessToken: "t", baseUrl: srv.url }).queryDevicesByFilterScroll();
      expect(r.status_code).toBe(500);
      expect(r.body.errors![0]!.message).toBe(
        "QueryDevicesByFilterScroll: HTTP 500 with an empty body (Content-Type application/json)",
      );
    } finally {
      await srv.close();
    }
  });
});

/** A raw TCP server: `onSocket` decides what (if anything) a connection gets. */
async function rawServer(onSocket: (s: Socket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: NetServer = createNetServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
    onSocket(s);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as AddressInfo).port;
  return {
    url: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

describe("timeouts that fire", () => {
  it("read timeout: a server that accepts and never answers -> TimeoutError (object) / 500 (dict), naming operation and time", async () => {
    mock.hang({ match: "QueryDevicesByFilterScroll" });
    const t0 = Date.now();
    const err = await hosts({ pythonic: true, retries: 0, timeout: { read: 0.3 } })
      .queryDevicesByFilterScroll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).operation).toBe("QueryDevicesByFilterScroll");
    expect((err as TimeoutError).elapsedMs).toBeGreaterThanOrEqual(250);
    expect((err as Error).message).toMatch(
      /^QueryDevicesByFilterScroll: read timeout: no response headers within 0.3s \(UND_ERR_HEADERS_TIMEOUT, \d+ ms elapsed\)$/,
    );
    expect(Date.now() - t0).toBeLessThan(3000);
    const r = await hosts({ retries: 0 }).queryDevicesByFilterScroll({}, { timeout: 0.2 });
    expect(r.status_code).toBe(500);
    expect(r.body.errors![0]!.message).toMatch(
      /^QueryDevicesByFilterScroll: request timed out after 0.2s, the call's total time \(\d+ ms elapsed\)$/,
    );
  });

  it("a GET whose attempt timed out (read) is retried (the next attempt answers)", async () => {
    mock.hang({ times: 1, match: "QueryDevicesByFilterScroll" });
    // read 0.5 s: the answered attempt must not time out too on a loaded machine
    const r = await hosts().queryDevicesByFilterScroll({}, { timeout: { read: 0.5 } });
    expect(r.status_code).toBe(200);
    expect(api("QueryDevicesByFilterScroll")).toHaveLength(2);
  });

  it("a body that stalls mid-way: read timeout while reading the body", async () => {
    const srv = await rawServer((s) => {
      s.once("data", () => {
        s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"resources": [');
      });
    });
    try {
      const c = new Hosts({ accessToken: "t", baseUrl: `http://${srv.url}`, retries: 0, pythonic: true });
      const err = await c.queryDevicesByFilterScroll({}, { timeout: { read: 0.3 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as Error).message).toMatch(
        /^QueryDevicesByFilterScroll: read timeout: the HTTP 200 body stalled for 0.3s \(UND_ERR_BODY_TIMEOUT, \d+ ms elapsed\)$/,
      );
      const total = await c.queryDevicesByFilterScroll({}, { timeout: 0.3, pythonic: false });
      expect(total.body.errors![0]!.message).toMatch(/request timed out after 0.3s, the call's total time/);
    } finally {
      await srv.close();
    }
  });

  it("connect timeout: a TLS endpoint that accepts TCP and never handshakes", async () => {
    const srv = await rawServer(() => undefined);
    try {
      const c = new Hosts({ accessToken: "t", baseUrl: `https://${srv.url}`, retries: 0, timeout: { connect: 0.3 } });
      const t0 = Date.now();
      const r = await c.queryDevicesByFilterScroll();
      expect(r.status_code).toBe(500);
      expect(r.body.errors![0]!.message).toMatch(
        /^QueryDevicesByFilterScroll: connect timeout: no connection within 0.3s \(UND_ERR_CONNECT_TIMEOUT, \d+ ms elapsed\)$/,
      );
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await srv.close();
    }
  });

  it("a refused connection is retried for any method (nothing reached the API)", async () => {
    const srv = await rawServer(() => undefined);
    const url = `http://${srv.url}`;
    await srv.close();
    const c = new Hosts({ accessToken: "t", baseUrl: url, retries: FAST, pythonic: true });
    const err = await c.performActionV2({ action_name: "contain", ids: ["a"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/ECONNREFUSED.*gave up after 3 retries/);
  });
});

describe("401 and the token", () => {
  it("a 401 from an API call refreshes the token once and resends", async () => {
    const c = hosts();
    expect((await c.queryDevicesByFilterScroll()).status_code).toBe(200);
    mock.expireTokens();
    expect((await c.queryDevicesByFilterScroll()).status_code).toBe(200);
    expect(tokenRequests()).toHaveLength(2);
    expect(api("QueryDevicesByFilterScroll").map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it("a legacy token cannot refresh: the 401 comes back after one request", async () => {
    const token = mock.issueToken();
    mock.expireTokens();
    const r = await new Hosts({ accessToken: token, baseUrl: mock.url, retries: FAST }).queryDevicesByFilterScroll();
    expect(r.status_code).toBe(401);
    expect(tokenRequests()).toHaveLength(0);
    expect(api("QueryDevicesByFilterScroll")).toHaveLength(1);
  });
});

describe("signal", () => {
  it("aborts a call waiting in the back-off between retries, and leaves no timer behind", async () => {
    mock.resetConnection({ match: "QueryDevicesByFilterScroll" });
    const c = hosts({ retries: { attempts: 3, baseDelay: 30 } });
    const ac = new AbortController();
    const p = c.queryDevicesByFilterScroll({}, { signal: ac.signal });
    while (api("QueryDevicesByFilterScroll").length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    ac.abort(new Error("stop now"));
    await expect(p).rejects.toThrow("stop now");
  });

  it("an already-aborted signal sends nothing", async () => {
    const ac = new AbortController();
    ac.abort(new Error("too late"));
    await expect(hosts().queryDevicesByFilterScroll({}, { signal: ac.signal })).rejects.toThrow("too late");
    expect(mock.requests).toHaveLength(0);
  });
});

describe("SDK error types only", () => {
  it("every failure above is an SDKError (or the caller's abort reason)", async () => {
    mock.resetConnection({ match: "QueryDevicesByFilterScroll" });
    const err = await hosts({ pythonic: true, retries: 0 })
      .queryDevicesByFilterScroll()
      .catch((e: unknown) => e);
    expect(SDKError.isSDKError(err)).toBe(true);
  });
});
