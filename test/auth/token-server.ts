/**
 * A small Falcon token server for the auth tests: real HTTP on 127.0.0.1, one listener per
 * "region" (us1, us2, usgov1), sharing one state. It issues tokens, answers 308 + X-Cs-Region
 * when a client's home is another region, revokes tokens, and serves one protected route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Listener = "us1" | "us2" | "usgov1";

export interface RecordedRequest {
  listener: Listener;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  form: Record<string, string>;
}

export interface ServerBehaviour {
  /** client_id -> client_secret that are accepted. */
  clients: Map<string, string>;
  /** client_id -> 403 instead of 401 when rejected. */
  forbidden: Set<string>;
  /** client_id -> its home region: a token POST elsewhere gets 308 to it. */
  home: Map<string, Listener>;
  expiresIn: number;
  /** Delay before answering a token request (ms), to let concurrent callers pile up. */
  tokenDelayMs: number;
  /** Header sent with every 201 (name as written on the wire), e.g. ["x-cs-region", "US-2"]. */
  regionHeader: [string, string] | undefined;
  /** Where a 308 points instead of the home region (to test refused redirects). */
  redirectOverride: string | undefined;
}

const REAL_HOST: Record<Listener, string> = {
  us1: "api.crowdstrike.com",
  us2: "api.us-2.crowdstrike.com",
  usgov1: "api.laggar.gcw.crowdstrike.com",
};
const HEADER_VALUE: Record<Listener, string> = { us1: "us-1", us2: "us-2", usgov1: "us-gov-1" };

export interface TokenServer {
  readonly origin: Record<Listener, string>;
  readonly behaviour: ServerBehaviour;
  readonly requests: RecordedRequest[];
  /** Token requests (POST /oauth2/token), optionally only those answered 201. */
  tokenRequests(listener?: Listener): RecordedRequest[];
  revokeRequests(): RecordedRequest[];
  /** Make `token` valid without a token request (legacy and context tests). */
  issue(token: string, listener?: Listener): void;
  revokeOutOfBand(token: string): void;
  /** A fetch that sends requests for the real region hosts to the matching listener. */
  readonly regionFetch: typeof globalThis.fetch;
  /** GET the protected route with `headers` at `baseUrl`; resolves status and the serving listener. */
  probe(baseUrl: string, headers: Record<string, string>, fetchImpl?: typeof globalThis.fetch): Promise<{ status: number; servedBy?: string }>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...extra });
  res.end(JSON.stringify(body));
}

export async function startTokenServer(): Promise<TokenServer> {
  const behaviour: ServerBehaviour = {
    clients: new Map(),
    forbidden: new Set(),
    home: new Map(),
    expiresIn: 1799,
    tokenDelayMs: 0,
    regionHeader: undefined,
    redirectOverride: undefined,
  };
  const requests: RecordedRequest[] = [];
  const issued = new Map<string, Listener>();
  let counter = 0;
  const origin = {} as Record<Listener, string>;

  const handler = (listener: Listener) => async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://x");
    const text = await readBody(req);
    const form = Object.fromEntries(new URLSearchParams(text));
    requests.push({ listener, method: req.method ?? "", path: url.pathname, headers: req.headers, form });

    if (req.method === "POST" && url.pathname === "/oauth2/token") {
      if (behaviour.tokenDelayMs) await new Promise((r) => setTimeout(r, behaviour.tokenDelayMs));
      const id = form["client_id"] ?? "";
      const home = behaviour.home.get(id);
      if (home && home !== listener) {
        res.writeHead(308, {
          location: behaviour.redirectOverride ?? `https://${REAL_HOST[home]}/oauth2/token`,
          "X-Cs-Region": HEADER_VALUE[home],
        });
        res.end();
        return;
      }
      if (behaviour.clients.get(id) !== form["client_secret"]) {
        const status = behaviour.forbidden.has(id) ? 403 : 401;
        json(res, status, { meta: { trace_id: "t-1" }, errors: [{ code: status, message: status === 403 ? "Forbidden" : "access denied, invalid client" }] });
        return;
      }
      const token = `tok-${listener}-${++counter}`;
      issued.set(token, listener);
      const extra: Record<string, string> = {};
      if (behaviour.regionHeader) extra[behaviour.regionHeader[0]] = behaviour.regionHeader[1];
      else extra["X-Cs-Region"] = HEADER_VALUE[listener];
      json(res, 201, { access_token: token, token_type: "bearer", expires_in: behaviour.expiresIn }, extra);
      return;
    }
    if (req.method === "POST" && url.pathname === "/oauth2/revoke") {
      const auth = req.headers.authorization ?? "";
      const [id, secret] = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString("utf8").split(":");
      const home = behaviour.home.get(id ?? "");
      if (home && home !== listener) {
        res.writeHead(308, { location: `https://${REAL_HOST[home]}/oauth2/revoke`, "X-Cs-Region": HEADER_VALUE[home] });
        res.end();
        return;
      }
      if (!auth.startsWith("Basic ") || !id || behaviour.clients.get(id) !== secret) {
        json(res, 401, { meta: {}, errors: [{ code: 401, message: "access denied" }] });
        return;
      }
      issued.delete(form["token"] ?? "");
      json(res, 200, { meta: {}, resources: [], errors: [] });
      return;
    }
    if (req.method === "GET" && url.pathname === "/devices/queries/devices-scroll/v1") {
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (!issued.has(token)) {
        json(res, 401, { meta: {}, errors: [{ code: 401, message: "access denied, authorization failed" }] });
        return;
      }
      json(res, 200, { meta: {}, resources: [listener], errors: [] });
      return;
    }
    json(res, 404, { meta: {}, errors: [{ code: 404, message: "Not Found" }] });
  };

  const servers: Server[] = [];
  for (const listener of ["us1", "us2", "usgov1"] as Listener[]) {
    const server = createServer((req, res) => {
      handler(listener)(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin[listener] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(server);
  }

  const hostToOrigin = new Map<string, string>((Object.keys(REAL_HOST) as Listener[]).map((l) => [REAL_HOST[l], origin[l]]));
  const regionFetch: typeof globalThis.fetch = (input, init) => {
    const raw = input instanceof Request ? input.url : String(input);
    const u = new URL(raw);
    const target = u.protocol === "https:" ? hostToOrigin.get(u.host) : undefined;
    return globalThis.fetch(target ? new URL(u.pathname + u.search, target) : u, init);
  };

  return {
    origin,
    behaviour,
    requests,
    tokenRequests: (listener) => requests.filter((r) => r.path === "/oauth2/token" && (!listener || r.listener === listener)),
    revokeRequests: () => requests.filter((r) => r.path === "/oauth2/revoke"),
    issue: (token, listener = "us1") => void issued.set(token, listener),
    revokeOutOfBand: (token) => void issued.delete(token),
    regionFetch,
    async probe(baseUrl, headers, fetchImpl = globalThis.fetch) {
      const res = await fetchImpl(`${baseUrl}/devices/queries/devices-scroll/v1`, { headers });
      const body = (await res.json()) as { resources?: string[] };
      return { status: res.status, servedBy: body.resources?.[0] };
    },
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
