/**
 * The HTTP transport: one undici dispatcher per auth object (connection pool, proxy, TLS),
 * used both through `request` (the pipeline: fast, and able to send a GET with a body, which
 * WHATWG fetch cannot) and through `fetch` (for code that wants the fetch API).
 * undici is imported on the first send, not when a service class module is imported or a
 * client is constructed, and only the parts a send needs (see `part`).
 */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { InvalidOption, SSLDisabledWarning, type SDKWarning } from "./errors.js";
import type { FalconOptions, TimeoutSetting } from "./options.js";
import { checkTimeout } from "./retry.js";
import { ACCEPT_ENCODING } from "./wire.js";

type Undici = typeof import("undici");
let undiciModule: Promise<Undici> | undefined;
/** undici's index: everything, including its fetch, FormData and WebSocket stacks (~110 modules). */
export function loadUndici(): Promise<Undici> {
  undiciModule ??= import("undici");
  return undiciModule;
}

/** undici's request(), called with the dispatcher as `this` (as the index's wrapper does), in its callback form. */
type RequestFunction = (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
  callback: (err: Error | null, data: Dispatcher.ResponseData) => void,
) => void;
interface Parts {
  Agent: Undici["Agent"];
  request: RequestFunction;
}
/*
 * A direct connection needs undici's Agent and request() only: ~25 modules and a third of the
 * index's load time (a process's first call is ~45 ms sooner; `npm run bench`, cold start).
 * The paths are undici's own files (the version is pinned exactly in package.json); should a
 * future undici move them, the index is used instead. Proxy agents come from the index: they
 * use methods the index installs on every dispatcher.
 */
const PART_FILES: { readonly [K in keyof Parts]: () => Promise<{ default: Parts[K] }> } = {
  Agent: () => import("undici/lib/dispatcher/agent.js"),
  request: () => import("undici/lib/api/api-request.js"),
};
async function part<K extends keyof Parts>(name: K): Promise<Parts[K]> {
  try {
    return (await PART_FILES[name]()).default;
  } catch {
    const u = await loadUndici();
    return (name === "request" ? u.Dispatcher.prototype.request : u[name]) as Parts[K];
  }
}

/** Kept in step with package.json (a test checks it). */
export const SDK_VERSION = "0.1.0";

export const SDK_NAME = "falconts";

/**
 * FalconPy's version(): the SDK version, or with `compare` ("1", "1.2", "1.2.3") whether this
 * version is at least that one.
 */
export function version(): string;
export function version(compare: string): boolean;
export function version(compare?: string): string | boolean {
  if (compare === undefined) return SDK_VERSION;
  const parts = (v: string) => v.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const have = parts(SDK_VERSION);
  const want = parts(compare);
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  return true;
}

export interface SendInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData | Blob | Readable | null;
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers / between body chunks (read timeout). */
  headersTimeout?: number;
  bodyTimeout?: number;
}

/** What a send resolves to: undici's shape (lower-case header names, a readable body). */
export interface WireResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { text?: () => Promise<string>; dump?: () => Promise<void> };
}

export interface Transport {
  /** The undici dispatcher (created, with undici loaded, on first use). */
  dispatcher(): Promise<Dispatcher>;
  /** undici's fetch bound to this transport's dispatcher (proxy, CA, pool). */
  readonly fetch: typeof globalThis.fetch;
  /** Headers every request carries: user-agent, crowdstrike-sdk, the client's extHeaders (lower-case). */
  readonly baseHeaders: Readonly<Record<string, string>>;
  /** Connect/read timeouts in ms (from `timeout`); `total` is enforced by the pipeline's call deadline. */
  readonly timeouts: Readonly<ResolvedTimeouts>;
  send(url: string, init: SendInit): Promise<WireResponse>;
  /** One more user of this transport (a client sharing its pool); each user closes once. */
  retain(): Transport;
  /** One user fewer: the connection pool closes when its last user closes. */
  close(): Promise<void>;
}

export interface ResolvedTimeouts {
  /** The whole call (ms); undefined: the operation's default (see defaultTotalMs). */
  total?: number;
  connect: number;
  read: number;
}

/** Documented defaults (seconds): a server that never answers cannot hold a call for long. */
export const DEFAULT_TIMEOUTS_S = Object.freeze({ connect: 10, read: 60, total: 120 });

/**
 * `timeout` in seconds (FalconPy) to milliseconds: a number is `{ total }`; unset parts get the
 * defaults (`total` stays unset, so the operation's own default applies). Negative, zero,
 * non-numeric or absurd (> 1 day) values throw, naming `option`.
 */
export function resolveTimeouts(t: TimeoutSetting | undefined, option = "timeout"): ResolvedTimeouts {
  checkTimeout(t, option);
  const s = typeof t === "number" ? { total: t } : (t ?? {});
  const ms = (v: number | undefined, d: number): number => Math.round((v ?? d) * 1000);
  const out: ResolvedTimeouts = {
    connect: ms(s.connect, DEFAULT_TIMEOUTS_S.connect),
    read: ms(s.read, DEFAULT_TIMEOUTS_S.read),
  };
  if (s.total !== undefined) out.total = ms(s.total, 0);
  return out;
}

/** The CA bundle to trust: a PEM string is used as is, anything else is read as a file path. */
function loadCa(setting: string): string {
  if (setting.includes("-----BEGIN")) return setting;
  try {
    return readFileSync(setting, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new InvalidOption(
      "sslVerify",
      `cannot read the CA file ${JSON.stringify(setting)}${typeof code === "string" ? ` (${code})` : ""}`,
    );
  }
}

export function userAgentFor(options: Pick<FalconOptions, "userAgent">): string {
  return options.userAgent ? options.userAgent : `${SDK_NAME}/${SDK_VERSION}`;
}

/**
 * Builds the transport for a set of options. A custom `fetch` in the options replaces the
 * undici sender for bodies fetch can carry; a GET/HEAD with a body still goes through undici.
 */
export function createTransport(options: FalconOptions = {}, warn?: (w: SDKWarning) => void): Transport {
  const timeouts = resolveTimeouts(options.timeout);
  const tls: { rejectUnauthorized?: boolean; ca?: string } = {};
  if (options.sslVerify === false) {
    tls.rejectUnauthorized = false;
    warn?.(new SSLDisabledWarning("TLS certificate verification is disabled (sslVerify: false)"));
  } else if (typeof options.sslVerify === "string" && options.sslVerify !== "") {
    tls.ca = loadCa(options.sslVerify);
  }
  const connect = { ...tls, timeout: timeouts.connect };
  const agentOptions = { connect, keepAliveTimeout: 30_000 };
  const env = process.env;
  const proxy = options.proxy;
  const envProxy = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
  const build = async (): Promise<Dispatcher> => {
    if (proxy) return new (await loadUndici()).ProxyAgent({ ...agentOptions, uri: proxy, requestTls: tls });
    // EnvHttpProxyAgent honours NO_PROXY and picks HTTP(S)_PROXY per request scheme.
    if (envProxy) return new (await loadUndici()).EnvHttpProxyAgent({ ...agentOptions, requestTls: tls });
    return new (await part("Agent"))(agentOptions);
  };
  let live: Live | undefined;
  let starting: Promise<Live> | undefined;
  const ready = (): Promise<Live> =>
    (starting ??= Promise.all([build(), part("request")]).then(([dispatcher, request]) => {
      live = { dispatcher, request };
      return live;
    }));

  const baseHeaders: Record<string, string> = {
    "user-agent": userAgentFor(options),
    "crowdstrike-sdk": `${SDK_NAME}/${SDK_VERSION}`,
    "accept-encoding": ACCEPT_ENCODING,
  };
  if (options.extHeaders) {
    for (const k of Object.keys(options.extHeaders)) {
      const v = options.extHeaders[k];
      if (v !== undefined && v !== null) baseHeaders[k.toLowerCase()] = String(v);
    }
  }

  const boundFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const [l, u] = await Promise.all([live ?? ready(), loadUndici()]);
    return u.fetch(input as Parameters<Undici["fetch"]>[0], {
      ...(init as Parameters<Undici["fetch"]>[1]),
      dispatcher: l.dispatcher,
    });
  }) as unknown as typeof globalThis.fetch;

  // undici takes a kept-alive connection back one event-loop turn after its response ends
  // (setImmediate in its HTTP/1 client); a request sent sooner opens a second connection. So a
  // send right after an answer ended waits for that turn: a login and the calls after it, or a
  // loop of calls, use one connection (one TLS handshake, one proxy CONNECT).
  let settling: Promise<void> | undefined;
  const settle = (): void => {
    settling ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        settling = undefined;
        resolve();
      }),
    );
  };
  const afterEnd = (res: WireResponse): WireResponse => {
    res.body.on("end", settle); // a body ends once: no once() wrapper per response
    return res;
  };
  const viaUndici = (url: string, init: SendInit): Promise<WireResponse> => {
    if (settling !== undefined) return settling.then(() => viaUndici(url, init));
    return live !== undefined
      ? sendUndici(live, url, init, afterEnd)
      : ready().then((l) => sendUndici(l, url, init, afterEnd));
  };
  const custom = options.fetch;
  const send = custom
    ? (url: string, init: SendInit): Promise<WireResponse> => {
        const m = init.method;
        if ((m === "GET" || m === "HEAD") && init.body != null) return viaUndici(url, init);
        return sendFetch(custom, url, init);
      }
    : viaUndici;

  let users = 1;
  const transport: Transport = {
    dispatcher: async () => (live ?? (await ready())).dispatcher,
    fetch: custom ?? boundFetch,
    baseHeaders,
    timeouts,
    send,
    retain: () => {
      users++;
      return transport;
    },
    close: async () => {
      if (users === 0 || --users > 0) return;
      if (starting !== undefined) await (await starting).dispatcher.close();
    },
  };
  return transport;
}

interface Live {
  readonly dispatcher: Dispatcher;
  readonly request: RequestFunction;
}

/**
 * Without reading the global `FormData`: its first read makes Node load its own bundled copy
 * of undici (~15 ms), which a call without multipart does not need.
 */
function isFormData(body: unknown): body is FormData {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "FormData"
  );
}

/**
 * undici's request() recognises only its own FormData class (Node's global one comes from a
 * bundled undici copy); re-wrapping moves references, not bytes.
 */
async function toUndiciForm(form: FormData): Promise<FormData> {
  const u = await loadUndici();
  if (form instanceof u.FormData) return form;
  const out = new u.FormData();
  for (const [k, v] of form.entries()) {
    if (typeof v === "string") out.append(k, v);
    else out.append(k, v, v.name);
  }
  return out as unknown as FormData;
}

type OnResponse = (res: WireResponse) => WireResponse;

function sendUndici(live: Live, url: string, init: SendInit, onResponse: OnResponse): Promise<WireResponse> {
  if (isFormData(init.body)) return toUndiciForm(init.body).then((form) => dispatch(live, url, init, form, onResponse));
  return dispatch(live, url, init, init.body, onResponse);
}

/** undici's request() in its callback form: the one promise of a send is this one. */
function dispatch(
  live: Live,
  url: string,
  init: SendInit,
  body: SendInit["body"],
  onResponse: OnResponse,
): Promise<WireResponse> {
  const target = new URL(url);
  const options: Dispatcher.RequestOptions = {
    origin: target.origin,
    path: target.pathname + target.search,
    method: init.method as Dispatcher.HttpMethod,
    headers: init.headers,
    body: body as Dispatcher.DispatchOptions["body"],
    signal: init.signal,
    headersTimeout: init.headersTimeout,
    bodyTimeout: init.bodyTimeout,
  };
  return new Promise((resolve, reject) => {
    live.request.call(live.dispatcher, options, (err, data) =>
      err ? reject(err) : resolve(onResponse(data as unknown as WireResponse)),
    );
  });
}

/** A custom fetch knows no `headersTimeout`: the wait for headers is aborted with undici's error for it. */
function headersDeadline(signal: AbortSignal | undefined, ms: number | undefined) {
  if (ms === undefined) return { signal, done: () => undefined };
  const waiting = new AbortController();
  const timer = setTimeout(() => {
    const err = new Error(`no response headers within ${ms} ms`) as Error & { code: string };
    err.name = "HeadersTimeoutError";
    err.code = "UND_ERR_HEADERS_TIMEOUT";
    waiting.abort(err);
  }, ms);
  return {
    signal: signal === undefined ? waiting.signal : AbortSignal.any([signal, waiting.signal]),
    done: () => clearTimeout(timer),
  };
}

async function sendFetch(f: typeof globalThis.fetch, url: string, init: SendInit): Promise<WireResponse> {
  const body = init.body instanceof Readable ? (Readable.toWeb(init.body) as ReadableStream) : init.body;
  const waiting = headersDeadline(init.signal, init.headersTimeout);
  let res: Response;
  try {
    res = await f(url, {
      method: init.method,
      headers: init.headers,
      body: body ?? undefined,
      signal: waiting.signal,
      // As undici's request(): a redirect is the caller's to follow (the token POST carries the secret).
      redirect: "manual",
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
  } catch (err) {
    // fetch rejects with the abort's reason, or a DOMException naming it
    const reason = waiting.signal?.reason as unknown;
    throw waiting.signal?.aborted && init.signal?.aborted !== true ? reason : err;
  } finally {
    waiting.done();
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  // fetch has already decoded the body: its headers describe the bytes on the wire
  if (headers["content-encoding"] !== undefined) {
    delete headers["content-encoding"];
    delete headers["content-length"];
  }
  const stream = res.body ? Readable.fromWeb(res.body as import("node:stream/web").ReadableStream) : Readable.from([]);
  return { statusCode: res.status, headers, body: stream };
}
