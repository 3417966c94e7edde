/**
 * The one HTTP fake of Falcon for suites that need the wire (no mocks of our modules): real HTTP on
 * 127.0.0.1, one listener per region (us1, us2, usgov1) sharing one state. It records every request,
 * issues, expires and revokes tokens, answers 308 + X-Cs-Region when a client's home is another
 * region, counts connections, and lets a test program the API answers with a handler.
 *
 * It is open until a test registers a client: then unknown credentials are refused and API calls
 * need a token this fake issued (the answer names the region that served it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Region = "us1" | "us2" | "usgov1";

export interface Recorded {
  /** The region listener that received the request. */
  listener: Region;
  method: string;
  /** Raw request target: path plus query string, exactly as sent. */
  url: string;
  path: string;
  /** Raw query string without "?" ("" when none). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body's fields when it is form-encoded (token and revoke requests), else empty. */
  form: Record<string, string>;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Answers an API request; returning nothing (without writing to `res`) leaves it to the fake. */
export type Handler = (req: Recorded, res: ServerResponse) => Reply | void | Promise<Reply | void>;

export interface Behaviour {
  /** client_id -> accepted client_secret; while empty, any credentials are accepted. */
  clients: Map<string, string>;
  /** client_ids refused with 403 instead of 401. */
  forbidden: Set<string>;
  /** client_id -> its home region: a token or revoke POST elsewhere gets 308 to it. */
  home: Map<string, Region>;
  expiresIn: number;
  /** Delay before answering a token request (ms), to let concurrent callers pile up. */
  tokenDelayMs: number;
  /** Header sent with every 201 instead of the listener's X-Cs-Region (name as on the wire). */
  regionHeader: [string, string] | undefined;
  /** Where a 308 points instead of the home region (to test refused redirects). */
  redirectOverride: string | undefined;
}

export interface FakeFalcon {
  /** The us1 listener's origin. */
  url: string;
  readonly origin: Record<Region, string>;
  readonly behaviour: Behaviour;
  requests: Recorded[];
  /** API requests only (not /oauth2/token). */
  api(): Recorded[];
  /** The last API request. */
  last(): Recorded;
  tokenRequests(listener?: Region): Recorded[];
  revokeRequests(): Recorded[];
  handler: Handler | undefined;
  /** Tokens issued so far (also the suffix of the latest one). */
  tokens: number;
  /** TCP connections accepted so far, all listeners. */
  connections: number;
  /** Make `token` valid without a token request (legacy and context tests). */
  issue(token: string, listener?: Region): void;
  revokeOutOfBand(token: string): void;
  /** A fetch that sends requests for the real region hosts to the matching listener. */
  readonly regionFetch: typeof globalThis.fetch;
  /** GET an API route with `headers` at `baseUrl`; resolves status and the serving listener. */
  probe(
    baseUrl: string,
    headers: Record<string, string>,
    fetchImpl?: typeof globalThis.fetch,
  ): Promise<{ status: number; servedBy?: string }>;
  close(): Promise<void>;
}

/** Issued tokens are `${TOKEN}-<n>`, so tests can check none leaks. */
export const TOKEN = "tok-SECRET-abc123";

const REGIONS: readonly Region[] = ["us1", "us2", "usgov1"];
const REAL_HOST: Record<Region, string> = {
  us1: "api.crowdstrike.com",
  us2: "api.us-2.crowdstrike.com",
  usgov1: "api.laggar.gcw.crowdstrike.com",
};
const HEADER_VALUE: Record<Region, string> = { us1: "us-1", us2: "us-2", usgov1: "us-gov-1" };
const EMPTY_ENVELOPE = { meta: { query_time: 0.01, trace_id: "trace-1" }, resources: [], errors: [] };

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...extra });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, message: string): void {
  json(res, status, { meta: { trace_id: "t-1" }, errors: [{ code: status, message }] });
}

async function record(listener: Region, req: IncomingMessage): Promise<Recorded> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const formEncoded = String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  return {
    listener,
    method: req.method ?? "",
    url,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? "" : url.slice(q + 1),
    headers: req.headers,
    body,
    form: formEncoded ? Object.fromEntries(new URLSearchParams(body.toString("utf8"))) : {},
  };
}

export async function startFakeFalcon(handler?: Handler): Promise<FakeFalcon> {
  const behaviour: Behaviour = {
    clients: new Map(),
    forbidden: new Set(),
    home: new Map(),
    expiresIn: 1799,
    tokenDelayMs: 0,
    regionHeader: undefined,
    redirectOverride: undefined,
  };
  const issued = new Map<string, Region>();
  const origin = {} as Record<Region, string>;
  const servers: Server[] = [];
  const accepts = (id: string, secret: string | undefined) =>
    behaviour.clients.size === 0 || behaviour.clients.get(id) === secret;

  /** A 308 to the client's home region when this listener is not it; true when sent. */
  const redirectHome = (
    res: ServerResponse,
    id: string,
    listener: Region,
    path: string,
    override?: string,
  ): boolean => {
    const home = behaviour.home.get(id);
    if (!home || home === listener) return false;
    res.writeHead(308, {
      location: override ?? `https://${REAL_HOST[home]}${path}`,
      "X-Cs-Region": HEADER_VALUE[home],
    });
    res.end();
    return true;
  };

  const token = async (rec: Recorded, res: ServerResponse): Promise<void> => {
    if (behaviour.tokenDelayMs) await new Promise((r) => setTimeout(r, behaviour.tokenDelayMs));
    const id = rec.form.client_id ?? "";
    if (redirectHome(res, id, rec.listener, rec.path, behaviour.redirectOverride)) return;
    if (!accepts(id, rec.form.client_secret)) {
      const forbidden = behaviour.forbidden.has(id);
      refuse(res, forbidden ? 403 : 401, forbidden ? "Forbidden" : "access denied, invalid client");
      return;
    }
    const access = `${TOKEN}-${++fake.tokens}`;
    issued.set(access, rec.listener);
    const region = behaviour.regionHeader ?? ["X-Cs-Region", HEADER_VALUE[rec.listener]];
    json(
      res,
      201,
      { access_token: access, token_type: "bearer", expires_in: behaviour.expiresIn },
      { [region[0]]: region[1] },
    );
  };

  const revoke = (rec: Recorded, res: ServerResponse): void => {
    const auth = String(rec.headers.authorization ?? "");
    const [id = "", secret] = Buffer.from(auth.replace(/^Basic /, ""), "base64")
      .toString("utf8")
      .split(":");
    if (redirectHome(res, id, rec.listener, rec.path)) return;
    if (behaviour.clients.size > 0 && (!auth.startsWith("Basic ") || !id || !accepts(id, secret))) {
      refuse(res, 401, "access denied");
      return;
    }
    issued.delete(rec.form.token ?? "");
    json(res, 200, { meta: {}, resources: [], errors: [] });
  };

  const api = (rec: Recorded, res: ServerResponse): void => {
    if (behaviour.clients.size === 0) return json(res, 200, EMPTY_ENVELOPE);
    if (!issued.has(String(rec.headers.authorization ?? "").replace(/^Bearer /, "")))
      return refuse(res, 401, "access denied, authorization failed");
    json(res, 200, { meta: {}, resources: [rec.listener], errors: [] });
  };

  const serve = async (listener: Region, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rec = await record(listener, req);
    fake.requests.push(rec);
    if (rec.path === "/oauth2/token") return token(rec, res);
    const reply = fake.handler ? await fake.handler(rec, res) : undefined;
    if (res.headersSent || res.writableEnded) return;
    if (reply) {
      const body = reply.body === undefined ? EMPTY_ENVELOPE : reply.body;
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body));
      return;
    }
    if (req.method === "POST" && rec.path === "/oauth2/revoke") return revoke(rec, res);
    api(rec, res);
  };

  const hostToOrigin = new Map<string, string>();
  const fake: FakeFalcon = {
    url: "",
    origin,
    behaviour,
    requests: [],
    api: () => fake.requests.filter((r) => r.path !== "/oauth2/token"),
    last: () => fake.api().at(-1)!,
    tokenRequests: (listener) =>
      fake.requests.filter((r) => r.path === "/oauth2/token" && (!listener || r.listener === listener)),
    revokeRequests: () => fake.requests.filter((r) => r.path === "/oauth2/revoke"),
    handler,
    tokens: 0,
    connections: 0,
    issue: (access, listener = "us1") => void issued.set(access, listener),
    revokeOutOfBand: (access) => void issued.delete(access),
    regionFetch: (input, init) => {
      const u = new URL(input instanceof Request ? input.url : String(input));
      const target = u.protocol === "https:" ? hostToOrigin.get(u.host) : undefined;
      return globalThis.fetch(target ? new URL(u.pathname + u.search, target) : u, init);
    },
    async probe(baseUrl, headers, fetchImpl = globalThis.fetch) {
      const res = await fetchImpl(`${baseUrl}/devices/queries/devices-scroll/v1`, { headers });
      const body = (await res.json()) as { resources?: string[] };
      return { status: res.status, servedBy: body.resources?.[0] };
    },
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };

  for (const listener of REGIONS) {
    const server = createServer((req, res) => {
      serve(listener, req, res).catch((err: unknown) => {
        if (!res.headersSent) res.statusCode = 500;
        res.end(String(err));
      });
    });
    server.on("connection", () => fake.connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin[listener] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    hostToOrigin.set(REAL_HOST[listener], origin[listener]);
    servers.push(server);
  }
  fake.url = origin.us1;
  return fake;
}

/** Parses a recorded multipart body with the platform's own parser. */
export async function parseMultipart(rec: Recorded): Promise<FormData> {
  return new Request("http://x/", {
    method: "POST",
    headers: { "content-type": String(rec.headers["content-type"]) },
    body: new Uint8Array(rec.body),
  }).formData();
}
