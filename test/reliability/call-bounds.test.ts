/**
 * Issue 13's pipeline findings, each against a server on 127.0.0.1 with real timers: the call's
 * total time (attempts, back-off and 429 waits, trickles), finite defaults, aborts in every mode,
 * one abort listener per signal, token-request retries, deterministic failures not retried,
 * streaming downloads failing with the SDK's errors, and compressed answers.
 */
import { getEventListeners } from "node:events";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { MockFalcon } from "../../mock/server.js";
import { FalconXSandbox } from "../../generated/falconx-sandbox/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import { NetworkError, TimeoutError } from "../../runtime/errors.js";
import type { OperationSpec } from "../../runtime/operation.js";
import type { FalconOptions } from "../../runtime/options.js";
import { defaultTotalMs } from "../../runtime/pipeline/call-deadline.js";
import { DEFAULT_TIMEOUTS_S, resolveTimeouts } from "../../runtime/transport.js";
import { startFakeFalcon } from "../support/fake-falcon.js";
import { MOCK_CREDS, useHostsMock } from "../support/hosts-mock.js";
import { until } from "../support/until.js";

const CREDS = MOCK_CREDS;
const FAST = { attempts: 3, baseDelay: 0.01 };
const OP = "QueryDevicesByFilterScroll";
const TOKEN = "/oauth2/token";

let mock: MockFalcon;
useHostsMock((m) => {
  mock = m;
});

function hosts<P extends boolean = false>(extra: FalconOptions & { pythonic?: P } = {}): Hosts<P> {
  return new Hosts<P>({ ...CREDS, baseUrl: mock.url, retries: FAST, ...extra });
}
const api = () => mock.requests.filter((r) => r.operationId === OP);
const tokenRequests = () => mock.requests.filter((r) => r.path === TOKEN);

/** A bare socket server: the test writes the HTTP answer byte by byte. */
async function rawServer(
  onRequest: (s: Socket) => void,
): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const srv: NetServer = createNetServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
    s.on("data", () => {
      requests++;
      onRequest(s);
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

/** Writes one byte every `everyMs` until the socket closes (a trickle no per-chunk timer catches). */
function trickle(s: Socket, everyMs: number): void {
  s.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{");
  const t = setInterval(() => (s.destroyed ? clearInterval(t) : s.write(" ")), everyMs);
  s.on("close", () => clearInterval(t));
}

describe("finding 5: `total` bounds the whole call", () => {
  it("a numeric timeout against a silent server ends at that time, after one attempt, not one per retry", async () => {
    mock.hang({ match: OP });
    const t0 = Date.now();
    const err = await hosts({ pythonic: true })
      .queryDevicesByFilterScroll({}, { timeout: 0.5 })
      .catch((e: unknown) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).operation).toBe(OP);
    expect((err as Error).message).toMatch(
      /^QueryDevicesByFilterScroll: request timed out after 0.5s, the call's total time \(\d+ ms elapsed\)$/,
    );
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(1500);
    expect(api()).toHaveLength(1);
  });

  it("`total` covers the back-off between attempts too (three resets and waits stop at the deadline)", async () => {
    mock.resetConnection({ match: OP });
    const t0 = Date.now();
    const r = await hosts({ retries: { attempts: 10, baseDelay: 0.4 } }).queryDevicesByFilterScroll(
      {},
      { timeout: { total: 0.6 } },
    );
    expect(r.status_code).toBe(500);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it("a 429 whose wait would pass the deadline is returned at once (dict) / thrown (object)", async () => {
    mock.rateLimit(2, { match: OP, retryAfter: 5 });
    const t0 = Date.now();
    const r = await hosts().queryDevicesByFilterScroll({}, { timeout: 2 });
    expect(r.status_code).toBe(429);
    const err = await hosts({ pythonic: true })
      .queryDevicesByFilterScroll({}, { timeout: 2 })
      .catch((e: unknown) => e);
    expect((err as { status?: number }).status ?? (err as { statusCode?: number }).statusCode).toBe(429);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(api()).toHaveLength(2);
  });

  it("a 1 byte per 100 ms trickle is caught by `total` (read is the longest gap between chunks)", async () => {
    const srv = await rawServer((s) => trickle(s, 100));
    try {
      const c = new Hosts({ accessToken: "t", baseUrl: srv.url, retries: 0, pythonic: true });
      const t0 = Date.now();
      const err = await c
        .queryDevicesByFilterScroll({}, { timeout: { read: 0.5, total: 0.8 } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await srv.close();
    }
  });

  it("a custom `fetch` is bounded the same: read (headers), total against a silent server, total against a trickle", async () => {
    mock.hang({ match: OP });
    const viaFetch = hosts({ pythonic: true, retries: 0, fetch: (url, init) => globalThis.fetch(url, init) });
    const read = await viaFetch
      .queryDevicesByFilterScroll({}, { timeout: { read: 0.3, total: 5 } })
      .catch((e: unknown) => e);
    expect(read).toBeInstanceOf(TimeoutError);
    expect((read as Error).message).toMatch(/read timeout: no response headers within 0.3s/);
    const total = await viaFetch.queryDevicesByFilterScroll({}, { timeout: 0.4 }).catch((e: unknown) => e);
    expect((total as Error).message).toMatch(/request timed out after 0.4s, the call's total time/);
    const srv = await rawServer((s) => trickle(s, 100));
    try {
      const c = new Hosts({ accessToken: "t", baseUrl: srv.url, retries: 0, pythonic: true, fetch: globalThis.fetch });
      const t0 = Date.now();
      const err = await c
        .queryDevicesByFilterScroll({}, { timeout: { read: 0.5, total: 0.8 } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as Error).message).toMatch(/the call's total time/);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await srv.close();
    }
  });

  it("with `stream: true`, `total` ends when the headers arrive: reading for longer than it is fine", async () => {
    const srv = await rawServer((s) => {
      s.write("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 8\r\n\r\n");
      let n = 0;
      const t = setInterval(() => {
        s.write("x");
        if (++n === 8) clearInterval(t);
      }, 80);
      s.on("close", () => clearInterval(t));
    });
    try {
      const c = new Hosts({ accessToken: "t", baseUrl: srv.url, retries: 0 });
      const r = await c.queryDevicesByFilterScroll({}, { timeout: { total: 0.3 }, stream: true });
      expect(r.status_code).toBe(200);
      const text = await new Response(r.body as unknown as ReadableStream).text();
      expect(text).toBe("xxxxxxxx");
    } finally {
      await srv.close();
    }
  });
});

describe("finding 6: finite defaults, aborts, TimeoutErrors", () => {
  const op = (params: string[], bodyKeys?: string[]): OperationSpec => ({
    id: "X",
    method: "POST",
    path: "/x",
    tag: "t",
    params: params.map((name) => ({ name, in: "query" as const })),
    ...(bodyKeys ? { bodyKeys } : {}),
  });

  it("connect 10 s, read 60 s and total 120 s unless set; a number is { total }", () => {
    expect(DEFAULT_TIMEOUTS_S).toEqual({ connect: 10, read: 60, total: 120 });
    expect(resolveTimeouts(undefined)).toEqual({ connect: 10_000, read: 60_000 });
    expect(resolveTimeouts(5)).toEqual({ connect: 10_000, read: 60_000, total: 5000 });
    expect(resolveTimeouts({ read: 1 })).toEqual({ connect: 10_000, read: 1000 });
    expect(defaultTotalMs(op(["ids"]))).toBe(120_000);
  });

  it("an operation whose API takes its own timeout (RTR, up to 300 s) gets a default total above it", () => {
    expect(defaultTotalMs(op(["timeout", "timeout_duration"]))).toBeGreaterThan(300_000);
    expect(defaultTotalMs(op([], ["timeout", "host_ids"]))).toBeGreaterThan(300_000);
  });

  it("an abort rejects with the signal's reason in dict mode, object mode and while a stream is read", async () => {
    mock.hang({ match: OP });
    const reason = new Error("caller gave up");
    for (const pythonic of [false, true]) {
      const ac = new AbortController();
      setTimeout(() => ac.abort(reason), 100);
      await expect(hosts({ pythonic }).queryDevicesByFilterScroll({}, { signal: ac.signal })).rejects.toBe(reason);
    }
    const srv = await rawServer((s) =>
      s.write("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 100\r\n\r\nabc"),
    );
    try {
      const ac = new AbortController();
      const r = await new Hosts({ accessToken: "t", baseUrl: srv.url }).queryDevicesByFilterScroll(
        {},
        { signal: ac.signal, stream: true },
      );
      const reader = (r.body as unknown as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      setTimeout(() => ac.abort(reason), 50);
      await expect(reader.read()).rejects.toBe(reason);
    } finally {
      await srv.close();
    }
  });
});

describe("finding 11: one abort listener per signal per client", () => {
  it("50 concurrent calls without a signal share their deadline: each times out as itself, no MaxListenersExceededWarning", async () => {
    mock.hang({ match: OP });
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on("warning", onWarning);
    try {
      const c = hosts({ pythonic: true });
      const t0 = Date.now();
      const errors = await Promise.all(
        Array.from({ length: 50 }, () => c.queryDevicesByFilterScroll({}, { timeout: 0.4 }).catch((e: unknown) => e)),
      );
      const took = Date.now() - t0;
      for (const err of errors) {
        expect(err).toBeInstanceOf(TimeoutError);
        expect((err as TimeoutError).operation).toBe(OP);
        expect((err as Error).message).toMatch(/^QueryDevicesByFilterScroll: request timed out after 0.4s/);
      }
      expect(took).toBeGreaterThanOrEqual(380);
      expect(took).toBeLessThan(1500);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("50 concurrent calls sharing one signal add one listener and print no MaxListenersExceededWarning", async () => {
    mock.delay(200, { match: OP });
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on("warning", onWarning);
    try {
      const c = hosts();
      await c.queryDevicesByFilterScroll(); // the login, so the calls below all reach the API
      const ac = new AbortController();
      const calls = Array.from({ length: 50 }, () => c.queryDevicesByFilterScroll({}, { signal: ac.signal }));
      // all 50 reached the API (each held there 200 ms): every one has joined the signal by now
      await until(() => api().length === 51);
      expect(getEventListeners(ac.signal, "abort")).toHaveLength(1);
      const results = await Promise.all(calls);
      expect(results.every((r) => r.status_code === 200)).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});

describe("finding 12: transient token failures are retried inside the login, without the credential back-off", () => {
  it("a reset at /oauth2/token: the login is retried and the call succeeds", async () => {
    mock.resetConnection({ times: 1, match: TOKEN });
    const r = await hosts().queryDevicesByFilterScroll();
    expect(r.status_code).toBe(200);
    expect(tokenRequests()).toHaveLength(2);
  });

  it("a 503 at /oauth2/token: retried; with retries off it fails once and the next call logs in at once", async () => {
    mock.serverError(1, { status: 503, match: TOKEN });
    expect((await hosts().queryDevicesByFilterScroll()).status_code).toBe(200);
    expect(tokenRequests()).toHaveLength(2);

    mock.clearLog();
    mock.serverError(1, { status: 503, match: TOKEN });
    const c = hosts({ retries: 0 });
    const t0 = Date.now();
    expect((await c.queryDevicesByFilterScroll()).status_code).toBe(503);
    expect((await c.queryDevicesByFilterScroll()).status_code).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(tokenRequests()).toHaveLength(2);
  });
});

describe("finding 13: only failures that can change are retried", () => {
  it("an answer with 5,000 headers (header overflow) is sent once, not once per retry", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `x-h-${i}: v\r\n`).join("");
    const srv = await rawServer((s) => s.end(`HTTP/1.1 200 OK\r\n${many}content-length: 2\r\n\r\n{}`));
    try {
      const c = new Hosts({ accessToken: "t", baseUrl: srv.url, retries: FAST, pythonic: true });
      const err = await c.queryDevicesByFilterScroll().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetworkError);
      expect((err as Error).message).toMatch(/UND_ERR_HEADERS_OVERFLOW/);
      expect(srv.requests()).toBe(1);
    } finally {
      await srv.close();
    }
  });
});

describe("finding 14: streaming downloads fail as the rest do", () => {
  it("a reset mid-download is a NetworkError; a stalled download is a TimeoutError", async () => {
    const reset = await rawServer((s) => {
      s.write("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n0123456789");
      setTimeout(() => s.destroy(), 50);
    });
    const stall = await rawServer((s) =>
      s.write("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n0123456789"),
    );
    try {
      const cut = await new Hosts({ accessToken: "t", baseUrl: reset.url }).queryDevicesByFilterScroll(
        {},
        { stream: true },
      );
      const e1 = await new Response(cut.body as unknown as ReadableStream).arrayBuffer().catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(NetworkError);
      expect((e1 as Error).message).toMatch(/^QueryDevicesByFilterScroll: response body cut short after HTTP 200/);

      const slow = await new Hosts({ accessToken: "t", baseUrl: stall.url }).queryDevicesByFilterScroll(
        {},
        { stream: true, timeout: { read: 0.3 } },
      );
      const e2 = await new Response(slow.body as unknown as ReadableStream).arrayBuffer().catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(TimeoutError);
      expect((e2 as Error).message).toMatch(/read timeout: the HTTP 200 body stalled for 0.3s/);
    } finally {
      await reset.close();
      await stall.close();
    }
  });
});

describe("finding 7: compressed answers", () => {
  const body = { meta: { query_time: 0.1 }, resources: ["a", "b"], errors: [] };
  const json = Buffer.from(JSON.stringify(body));
  const encoders: Record<string, (b: Buffer) => Buffer> = {
    gzip: gzipSync,
    deflate: deflateSync,
    br: brotliCompressSync,
  };

  it.each(Object.keys(encoders))(
    "Accept-Encoding is sent; a %s answer is decoded (parsed and streamed)",
    async (coding) => {
      const srv = await startFakeFalcon((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": coding });
        res.end(encoders[coding]!(json));
      });
      try {
        const c = new Hosts({ accessToken: "t", baseUrl: srv.url });
        const r = await c.queryDevicesByFilterScroll();
        expect(srv.last().headers["accept-encoding"]).toBe("gzip, deflate, br");
        expect(r.status_code).toBe(200);
        expect(r.body).toEqual(body);
        expect(r.headers["content-encoding"]).toBeUndefined();
        const s = await c.queryDevicesByFilterScroll({}, { stream: true });
        expect(await new Response(s.body as unknown as ReadableStream).json()).toEqual(body);
      } finally {
        await srv.close();
      }
    },
  );

  it("FalconX: a caller who sets the Accept-Encoding parameter gets the bytes as sent", async () => {
    const gz = gzipSync(Buffer.from("artifact bytes"));
    const srv = await startFakeFalcon((_req, res) => {
      res.writeHead(200, { "content-type": "application/gzip", "content-encoding": "gzip" });
      res.end(gz);
    });
    try {
      const c = new FalconXSandbox({ accessToken: "t", baseUrl: srv.url });
      const raw = await c.getArtifacts({ id: "a", "Accept-Encoding": "gzip" });
      expect(srv.last().headers["accept-encoding"]).toBe("gzip");
      expect(Buffer.from(raw.body as unknown as Uint8Array)).toEqual(gz);
      const plain = await c.getArtifacts({ id: "a" });
      expect(Buffer.from(plain.body as unknown as Uint8Array).toString()).toBe("artifact bytes");
    } finally {
      await srv.close();
    }
  });
});
