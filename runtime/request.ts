/**
 * The request pipeline: route the payload -> (validate) -> authorize -> send -> result.
 * One Pipeline per client holds everything that does not change between calls (mode,
 * base headers, logger, hooks), so a call only does its own work.
 */
import type { Readable } from "node:stream";
import { APIError, NetworkError, SDKError, TimeoutError } from "./errors.js";
import type { SDKWarning } from "./errors.js";
import { runAfter, runBefore } from "./hooks.js";
import type { HookRequest, RequestHook } from "./hooks.js";
import { DebugLog, clampRecordCount, sanitizeString, stderrLogger } from "./logging.js";
import type { OperationSpec } from "./operation.js";
import type { CallOptions, FalconOptions } from "./options.js";
import { baseUrlFor, compileOperation, routeRequest } from "./payload.js";
import { Result, errorResult } from "./results.js";
import type { DictResult } from "./results.js";
import { createTransport, resolveTimeouts } from "./transport.js";
import type { ResolvedTimeouts, SendInit, Transport, WireResponse } from "./transport.js";
import { validatePayload } from "./validation.js";

/** What the pipeline needs from the auth object (FalconInterface satisfies it). */
export interface PipelineAuth {
  readonly baseUrl: string;
  authorize(signal?: AbortSignal): Promise<
    | { ok: true; headers: Record<string, string> }
    | { ok: false; status: number; body: { meta?: object; errors: { code?: number; message: string }[] }; error: SDKError }
  >;
  basicAuthorization(): string | undefined;
  tokenRejected(token: string): void;
}

/** Per-client settings (a client's own options; unset ones fall back to its auth object's). */
export type PipelineSettings = Pick<
  FalconOptions,
  "pythonic" | "validatePayloads" | "debug" | "logger" | "sanitizeLog" | "debugRecordCount" | "timeout" | "onWarning"
> & {
  hooks?: readonly RequestHook[];
};

const transports = new WeakMap<object, Transport>();

/**
 * The transport of an auth object: built once per root auth object, so every client sharing
 * a token also shares its connection pool, proxy and TLS settings.
 */
export function transportFor(key: object, options: FalconOptions): Transport {
  let t = transports.get(key);
  if (t === undefined) {
    t = createTransport(options, (w: SDKWarning) => warn(options, w));
    transports.set(key, t);
  }
  return t;
}

function warn(options: Pick<FalconOptions, "onWarning" | "logger">, w: SDKWarning): void {
  if (options.onWarning) options.onWarning(w);
  else options.logger?.warn(`${w.name}: ${w.message}`);
}

const NO_TOKEN_PATHS = new Set(["/oauth2/token"]);
const BASIC_PATHS = new Set(["/oauth2/revoke"]);

export class Pipeline {
  readonly pythonic: boolean;
  readonly validate: boolean;
  readonly hooks: RequestHook[];
  readonly #log: DebugLog | undefined;
  readonly #timeouts: ResolvedTimeouts;

  constructor(
    readonly auth: PipelineAuth,
    readonly transport: Transport,
    settings: PipelineSettings = {},
  ) {
    this.pythonic = settings.pythonic === true;
    this.validate = settings.validatePayloads === true;
    this.hooks = settings.hooks ? [...settings.hooks] : [];
    this.#timeouts = settings.timeout !== undefined ? resolveTimeouts(settings.timeout) : transport.timeouts;
    this.#log = settings.debug
      ? new DebugLog(settings.logger ?? stderrLogger, {
          redact: settings.sanitizeLog !== false,
          recordCount: clampRecordCount(settings.debugRecordCount),
        })
      : undefined;
  }

  /** Sends one operation; resolves to a DictResult or a Result by mode, or throws (see DESIGN.md). */
  async call(op: OperationSpec, args: object | undefined, options: CallOptions | undefined): Promise<unknown> {
    const pythonic = options?.pythonic ?? this.pythonic;
    const compiled = compileOperation(op);
    const routed = routeRequest(compiled, args as Record<string, unknown> | undefined, this.validate);
    if (this.validate && routed.values) {
      const checked = await validatePayload(op, routed.values);
      if (!checked) this.#log?.record("validation-skipped", { operation: op.id, reason: "no schemas for this operation" });
    }

    const signal = options?.signal;
    const headers: Record<string, string> = { ...this.transport.baseHeaders };
    let token: string | undefined;
    if (BASIC_PATHS.has(op.path)) {
      const basic = this.auth.basicAuthorization();
      if (basic) headers.authorization = basic;
    } else if (!NO_TOKEN_PATHS.has(op.path)) {
      const outcome = await this.auth.authorize(signal);
      if (!outcome.ok) {
        if (pythonic) throw outcome.error;
        return { status_code: outcome.status, headers: {}, body: outcome.body };
      }
      token = applyAuth(headers, outcome.headers);
    }
    if (routed.contentType !== undefined) headers["content-type"] = routed.contentType;
    if (routed.headers !== undefined) Object.assign(headers, routed.headers);

    const hookReq: HookRequest = {
      operation: op,
      method: op.method,
      url: baseUrlFor(op, this.auth.baseUrl) + routed.path,
      headers,
      body: routed.body,
    };
    const hooks = this.hooks;
    if (hooks.length) await runBefore(hooks, hookReq);

    const timeouts = options?.timeout !== undefined ? resolveTimeouts(options.timeout) : this.#timeouts;
    const started = performance.now();
    let mayRetry = true;
    for (;;) {
      try {
        const result = await this.#exchange(op, hookReq, timeouts, signal, options?.stream === true, mayRetry ? token : undefined);
        if (result === RETRY_WITH_NEW_TOKEN) {
          mayRetry = false;
          const outcome = await this.auth.authorize(signal);
          if (!outcome.ok) {
            if (pythonic) throw outcome.error;
            return { status_code: outcome.status, headers: {}, body: outcome.body };
          }
          token = applyAuth(headers, outcome.headers);
          continue;
        }
        if (hooks.length) {
          await runAfter(hooks, {
            operation: op,
            request: hookReq,
            status: result.status_code,
            headers: result.headers,
            durationMs: performance.now() - started,
          });
        }
        if (!pythonic) return result;
        if (result.status_code >= 400) throw apiError(op, result);
        return new Result(result.status_code, result.headers, result.body);
      } catch (err) {
        if (signal?.aborted && err === signal.reason) throw err;
        if (!(err instanceof NetworkError)) throw err;
        if (hooks.length) {
          await runAfter(hooks, { operation: op, request: hookReq, status: 0, headers: {}, durationMs: performance.now() - started, error: err });
        }
        this.#log?.record("network-error", { operation: op.id, message: err.message });
        if (pythonic) throw err;
        return errorResult(err.message, 500);
      }
    }
  }

  /** One HTTP exchange; network failures come out as NetworkError / TimeoutError. */
  async #exchange(
    op: OperationSpec,
    req: HookRequest,
    timeouts: ResolvedTimeouts,
    userSignal: AbortSignal | undefined,
    stream: boolean,
    /** The bearer token sent, when a 401 may be retried once with a fresh one. */
    token: string | undefined,
  ): Promise<DictResult<unknown> | typeof RETRY_WITH_NEW_TOKEN> {
    const log = this.#log;
    if (log) log.record("request", { operation: op.id, method: req.method, url: req.url, headers: req.headers, body: logBody(req.body) });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let signal = userSignal;
    const started = performance.now();
    if (timeouts.total !== undefined) {
      const ac = new AbortController();
      const total = timeouts.total;
      timer = setTimeout(() => ac.abort(new TimeoutError(`${op.id}: request timed out after ${total / 1000}s`, op.id, total)), total);
      signal = userSignal ? AbortSignal.any([userSignal, ac.signal]) : ac.signal;
    }
    const init: SendInit = { method: req.method, headers: req.headers, body: req.body ?? null, signal };
    if (timeouts.read !== undefined) {
      init.headersTimeout = timeouts.read;
      init.bodyTimeout = timeouts.read;
    }
    let res: WireResponse;
    try {
      try {
        res = await this.transport.send(req.url, init);
      } catch (err) {
        throw networkError(op, err, userSignal, started);
      }
      const status = res.statusCode;
      const headers = lowerHeaders(res.headers);
      if (status === 401 && token !== undefined) {
        // The token was refused (revoked, or expired early): get a fresh one and resend once.
        this.auth.tokenRejected(token);
        const fresh = await this.auth.authorize(userSignal);
        if (fresh.ok && bearerOf(fresh.headers) !== token) {
          await discard(res);
          return RETRY_WITH_NEW_TOKEN;
        }
      }
      let body: unknown;
      try {
        if (stream && status < 300) {
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
          body = toWebStream(res.body);
        } else {
          body = await readBody(op, res, headers, status);
        }
      } catch (err) {
        if (err instanceof SDKError) throw err;
        throw networkError(op, err, userSignal, started);
      }
      if (log) log.record("response", { operation: op.id, status, headers, body: body instanceof Uint8Array ? body : stream ? "<stream>" : body, ms: Math.round(performance.now() - started) });
      return { status_code: status, headers, body };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

const RETRY_WITH_NEW_TOKEN = Symbol("retry");

function bearerOf(h: Record<string, string>): string | undefined {
  const v = h.authorization ?? h.Authorization;
  return v?.startsWith("Bearer ") ? v.slice(7) : v;
}

function applyAuth(headers: Record<string, string>, auth: Record<string, string>): string | undefined {
  let token: string | undefined;
  for (const k in auth) {
    const lk = k.toLowerCase();
    const v = auth[k]!;
    headers[lk] = v;
    if (lk === "authorization") token = v.startsWith("Bearer ") ? v.slice(7) : v;
  }
  return token;
}

async function discard(res: WireResponse): Promise<void> {
  try {
    if (res.body.dump) await res.body.dump();
    else res.body.resume();
  } catch {
    /* the body is being thrown away */
  }
}

function lowerHeaders(h: WireResponse["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v === undefined) continue;
    // undici gives lower-case names already; a custom fetch may not.
    out[k.toLowerCase()] = typeof v === "string" ? v : v.join(", ");
  }
  return out;
}

function isJsonType(ct: string): boolean {
  return ct.includes("json");
}
function isTextType(ct: string): boolean {
  return ct === "" || ct.startsWith("text/") || ct.includes("xml") || ct.includes("html") || ct.includes("javascript");
}

async function readBody(op: OperationSpec, res: WireResponse, headers: Record<string, string>, status: number): Promise<unknown> {
  const ct = (headers["content-type"] ?? "").toLowerCase();
  if (op.method === "HEAD" || status === 204 || status === 304) {
    await discard(res);
    return {};
  }
  if (op.binary && status < 300 && !isJsonType(ct)) return collectBytes(res.body, Number(headers["content-length"]));
  if (isJsonType(ct) || isTextType(ct)) {
    const text = res.body.text ? await res.body.text() : new TextDecoder().decode(await collectBytes(res.body, NaN));
    if (isJsonType(ct) || (ct === "" && /^\s*[[{]/.test(text))) {
      if (text === "") return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new NetworkError(`${op.id}: the API returned an unparseable JSON body (HTTP ${status}, ${text.length} bytes)`);
      }
    }
    // A gateway's HTML or text error page: keep its text as the body.
    return text;
  }
  return collectBytes(res.body, Number(headers["content-length"]));
}

/**
 * Collects a body into one Uint8Array. With a Content-Length the buffer is allocated once
 * and filled in place, so a large download is held once, not as chunks plus a copy.
 */
export async function collectBytes(body: AsyncIterable<Uint8Array>, length: number): Promise<Uint8Array> {
  if (Number.isSafeInteger(length) && length >= 0) {
    const out = new Uint8Array(length);
    let off = 0;
    for await (const chunk of body) {
      if (off + chunk.byteLength > length) throw new Error(`response body longer than its Content-Length (${length})`);
      out.set(chunk, off);
      off += chunk.byteLength;
    }
    if (off !== length) throw new Error(`response body cut short: ${off} of ${length} bytes`);
    return out;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  if (chunks.length === 1) return new Uint8Array(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength);
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/**
 * A pull-based web stream over the response: one chunk read per pull, so the consumer's pace
 * is the network's pace (Readable.toWeb buffers ahead without bound on Node 20).
 */
function toWebStream(body: Readable): ReadableStream<Uint8Array> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await it.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      },
      async cancel() {
        await it.return?.();
        body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

function networkError(op: OperationSpec, err: unknown, userSignal: AbortSignal | undefined, started: number): unknown {
  if (userSignal?.aborted && (err === userSignal.reason || (err as Error)?.name === "AbortError")) return userSignal.reason;
  if (err instanceof TimeoutError) return err;
  if (err instanceof SDKError) return err;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  const detail = sanitizeString(String(e?.cause?.message ?? e?.message ?? err));
  const elapsed = Math.round(performance.now() - started);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new TimeoutError(`${op.id}: ${detail} (${code})`, op.id, elapsed);
  }
  const out = new NetworkError(`${op.id}: network error: ${detail}${code ? ` (${code})` : ""}`, { cause: err });
  return out;
}

function apiError(op: OperationSpec, r: DictResult<unknown>): APIError {
  let detail = "";
  const b = r.body;
  if (typeof b === "string") detail = b.slice(0, 200);
  else if (b && typeof b === "object") {
    const errs = (b as { errors?: { message?: string; code?: number }[] }).errors;
    if (Array.isArray(errs) && errs.length) detail = errs.map((e) => e?.message ?? "").filter(Boolean).join("; ");
  }
  const trace = r.headers["x-cs-traceid"];
  return new APIError(r.status_code, `${op.id}: HTTP ${r.status_code}${detail ? `: ${detail}` : ""}${trace ? ` (trace ${trace})` : ""}`, r.body, r.headers);
}

function logBody(body: HookRequest["body"]): unknown {
  if (typeof body === "string" && body.length && (body[0] === "{" || body[0] === "[")) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }
  return body;
}
