/** A recording HTTP server on 127.0.0.1 for the runtime tests (no mocks of our modules). */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  /** Raw request target: path plus query string, exactly as sent. */
  url: string;
  path: string;
  /** Raw query string without "?" ("" when none). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Handler = (req: Recorded, res: ServerResponse) => Reply | void | Promise<Reply | void>;

export interface TestServer {
  url: string;
  requests: Recorded[];
  /** API requests only (not /oauth2/token). */
  api(): Recorded[];
  last(): Recorded;
  handler: Handler | undefined;
  tokens: number;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
  server: Server;
}

export const TOKEN = "tok-SECRET-abc123";

export async function startServer(handler?: Handler): Promise<TestServer> {
  const state: TestServer = {
    url: "",
    requests: [],
    api: () => state.requests.filter((r) => r.path !== "/oauth2/token"),
    last: () => state.api().at(-1)!,
    handler,
    tokens: 0,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    server: undefined as unknown as Server,
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rec: Recorded = {
      method: req.method ?? "",
      url,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? "" : url.slice(q + 1),
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    state.requests.push(rec);
    if (rec.path === "/oauth2/token") {
      state.tokens++;
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: `${TOKEN}-${state.tokens}`, expires_in: 1799, token_type: "bearer" }));
      return;
    }
    const reply = state.handler ? await state.handler(rec, res) : undefined;
    if (res.headersSent || res.writableEnded) return;
    const r: Reply = reply ?? {};
    const status = r.status ?? 200;
    const body = r.body === undefined ? { meta: { query_time: 0.01, trace_id: "trace-1" }, resources: [], errors: [] } : r.body;
    const headers = { "content-type": "application/json", ...r.headers };
    const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
    res.writeHead(status, headers);
    res.end(payload);
  });
  server.on("connection", () => state.connections++);
  state.server = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Parses a recorded multipart body with the platform's own parser. */
export async function parseMultipart(rec: Recorded): Promise<FormData> {
  return new Request("http://x/", {
    method: "POST",
    headers: { "content-type": String(rec.headers["content-type"]) },
    body: new Uint8Array(rec.body),
  }).formData();
}
