/**
 * User middleware in openapi-fetch's shape (`onRequest`, `onResponse`, `onError`), so one
 * middleware object serves a FalconTS client and any openapi-fetch client alike. It runs once
 * per attempt, after auth, right above the transport; never for the token and revoke requests
 * (a login's own requests do not go through this chain; the OAuth2 class's token and revoke
 * operations skip this step). WHATWG Request/Response objects are built only when a
 * middleware is registered. A GET that carries a body (two Falcon operations) shows the
 * middleware a body-less Request and sends its original body.
 */
import { Readable } from "node:stream";
import { InvalidOption } from "../errors.js";
import { typeOf } from "../options.js";
import { encodeStrict } from "../payload.js";
import type { Transport } from "../transport.js";
import type { WireResponse } from "../transport.js";
import type { CallRequest, WireNext } from "./step.js";

/** openapi-fetch's MiddlewareCallbackParams, declared here so the core needs no openapi-fetch types. */
export interface MiddlewareCallbackParams {
  /** The request about to be sent (after auth: it carries the Authorization header). */
  request: Request;
  /** The operation's route with `{name}` placeholders. */
  readonly schemaPath: string;
  readonly params: {
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
    path?: Record<string, unknown>;
    cookie?: Record<string, unknown>;
  };
  /** Unique per call (the attempts of one call share it). */
  readonly id: string;
  readonly options: {
    baseUrl: string;
    parseAs: "json" | "text" | "blob" | "arrayBuffer" | "stream";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- openapi-fetch's serializers are generic over the schema
    querySerializer: (query: any) => string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    bodySerializer: (body: any) => any;
    pathSerializer: (pathname: string, pathParams: Record<string, unknown>) => string;
    fetch: typeof globalThis.fetch;
  };
}

export type MiddlewareOnRequest = (
  options: MiddlewareCallbackParams,
) => void | Request | Response | undefined | Promise<Request | Response | undefined | void>;
export type MiddlewareOnResponse = (
  options: MiddlewareCallbackParams & { response: Response },
) => void | Response | undefined | Promise<Response | undefined | void>;
export type MiddlewareOnError = (
  options: MiddlewareCallbackParams & { error: unknown },
) => void | Response | Error | Promise<void | Response | Error>;

/** openapi-fetch's Middleware: an object with at least one of the three callbacks. */
export type Middleware =
  | { onRequest: MiddlewareOnRequest; onResponse?: MiddlewareOnResponse; onError?: MiddlewareOnError }
  | { onRequest?: MiddlewareOnRequest; onResponse: MiddlewareOnResponse; onError?: MiddlewareOnError }
  | { onRequest?: MiddlewareOnRequest; onResponse?: MiddlewareOnResponse; onError: MiddlewareOnError };

/** Checks a middleware as openapi-fetch's use() does; throws TypeError naming the problem. */
/** use()'s argument: an object with at least one of the three hooks, each a function (else InvalidOption naming it). */
export function checkMiddleware(m: unknown): asserts m is Middleware {
  if (typeof m !== "object" || m === null || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
    throw new InvalidOption(
      "middleware",
      `expected an object with onRequest(), onResponse() or onError(), got ${typeOf(m)}`,
    );
  }
  for (const hook of ["onRequest", "onResponse", "onError"] as const) {
    const f = (m as Record<string, unknown>)[hook];
    if (f !== undefined && typeof f !== "function")
      throw new InvalidOption(`middleware.${hook}`, `expected a function, got ${typeOf(f)}`);
  }
}

let callIds = 0;

/** Their forms carry the client secret or the token: no user code sees them. */
const OAUTH2_ROUTES = new Set(["/oauth2/token", "/oauth2/revoke"]);

export function middlewareStep(
  list: readonly Middleware[],
  transport: Transport,
  baseUrl: () => string,
  next: WireNext,
): WireNext {
  return (req) =>
    list.length === 0 || OAUTH2_ROUTES.has(req.op.path)
      ? next(req)
      : runMiddleware([...list], transport, baseUrl(), req, next);
}

async function runMiddleware(
  list: Middleware[],
  transport: Transport,
  baseUrl: string,
  req: CallRequest,
  next: WireNext,
): Promise<WireResponse> {
  const bodyless = req.method === "GET" || req.method === "HEAD";
  const shown =
    bodyless || req.body === null || req.body === undefined || req.body instanceof Readable ? null : req.body;
  const original = new Request(req.url, { method: req.method, headers: req.headers, body: shown as BodyInit | null });
  // a Content-Type the Request derived from the body (text/plain, a multipart boundary), not ours
  const derivedType = req.headers["content-type"] === undefined ? original.headers.get("content-type") : null;
  const params: MiddlewareCallbackParams = {
    request: original,
    schemaPath: req.op.path,
    params: req.params ?? {},
    id: `falconts-${++callIds}`,
    options: optionsFor(baseUrl, transport),
  };
  let response: Response | undefined;
  for (const m of list) {
    if (typeof m.onRequest !== "function") continue;
    const r = await m.onRequest(params);
    if (!r) continue;
    if (isKind(r, "Request")) params.request = r;
    else if (isKind(r, "Response")) {
      response = r;
      break;
    } else throw new TypeError("onRequest: must return new Request() or Response() when modifying the request");
  }
  if (response) return toWire(response);
  const sent = await fromRequest(params.request, original, derivedType, req);
  // a Response is built from the answer only for an onResponse to see
  const wantsResponse = list.some((m) => typeof m.onResponse === "function");
  try {
    const answer = await next(sent);
    if (!wantsResponse) return answer;
    response = toResponse(answer);
  } catch (error) {
    let failed: unknown = error;
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i]!;
      if (typeof m.onError !== "function") continue;
      const r = await m.onError({ ...params, error: failed });
      if (!r) continue;
      if (isKind(r, "Response")) {
        response = r;
        failed = undefined;
        break;
      }
      if (r instanceof Error) failed = r;
      else throw new TypeError("onError: must return new Response() or instance of Error");
    }
    if (!response) throw failed;
  }
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i]!;
    if (typeof m.onResponse !== "function") continue;
    const r = await m.onResponse({ ...params, response });
    if (!r) continue;
    if (!isKind(r, "Response"))
      throw new TypeError("onResponse: must return new Response() when modifying the response");
    response = r;
  }
  return toWire(response);
}

/** By tag, not instanceof: Node's global classes and undici's own are different constructors. */
function isKind(value: unknown, kind: "Request" | "Response"): value is Request & Response {
  return Object.prototype.toString.call(value) === `[object ${kind}]`;
}

/** What to send after onRequest: the middleware's URL, method, headers and, when it replaced the request, its body. */
async function fromRequest(
  r: Request,
  original: Request,
  derivedType: string | null,
  req: CallRequest,
): Promise<CallRequest> {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k] = v));
  let body = req.body;
  if (r !== original && r.body !== null) body = new Uint8Array(await r.arrayBuffer());
  else if (r !== original && !(r.method === "GET" || r.method === "HEAD")) body = undefined;
  else if (derivedType !== null && headers["content-type"] === derivedType) delete headers["content-type"];
  return { ...req, url: r.url, method: r.method, headers, body };
}

function toResponse(w: WireResponse): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(w.headers)) {
    if (v === undefined) continue;
    if (typeof v === "string") headers.append(k, v);
    else for (const one of v) headers.append(k, one);
  }
  const status = w.statusCode;
  const nullBody = status === 204 || status === 304 || status < 200;
  if (nullBody) w.body.resume();
  return new Response(nullBody ? null : (Readable.toWeb(w.body) as ReadableStream<Uint8Array>), { status, headers });
}

function toWire(r: Response): WireResponse {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k] = v));
  const body = r.body ? Readable.fromWeb(r.body as import("node:stream/web").ReadableStream) : Readable.from([]);
  return { statusCode: r.status, headers, body };
}

function optionsFor(baseUrl: string, transport: Transport): MiddlewareCallbackParams["options"] {
  return Object.freeze({
    baseUrl,
    parseAs: "json" as const,
    querySerializer: serializeQuery,
    bodySerializer: (body: unknown) =>
      body instanceof FormData || typeof body === "string" ? body : JSON.stringify(body),
    pathSerializer: (pathname: string, pathParams: Record<string, unknown>) =>
      pathname.replace(/\{([^}]+)\}/g, (whole, name: string) =>
        pathParams[name] === undefined ? whole : encodeStrict(String(pathParams[name])),
      ),
    fetch: transport.fetch,
  });
}

function serializeQuery(query: Record<string, unknown> | undefined): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, String(one));
  }
  return out.toString();
}
