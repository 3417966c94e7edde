/**
 * The request pipeline: route the payload -> (validate) -> authorize -> send -> result.
 * One Pipeline per client holds everything that does not change between calls (mode,
 * base headers, logger, hooks), so a call only does its own work.
 */
import type { Readable } from "node:stream";
import { APIError, NetworkError, NoContentWarning, SDKError, TimeoutError } from "./errors.js";
import type { SDKWarning } from "./errors.js";
import { runAfter, runBefore } from "./hooks.js";
import type { HookRequest, RequestHook } from "./hooks.js";
import { DebugLog, clampRecordCount, sanitizeString, stderrLogger } from "./logging.js";
import type { OperationSpec } from "./operation.js";
import type { CallOptions, FalconOptions } from "./options.js";
import { baseUrlFor, compileOperation, routeRequest } from "./payload.js";
import { Result, errorResult } from "./results.js";
import type { DictResult } from "./results.js";
import { CoolDown, backoffMs, isTransientStatus, mayReplay, rateLimitWait, resolveRetries, retryAfterHeader, sleep } from "./retry.js";
import type { RetryPolicy } from "./retry.js";
import { createTransport, resolveTimeouts } from "./transport.js";
import type { ResolvedTimeouts, SendInit, Transport, WireResponse } from "./transport.js";
import { validatePayload } from "./validation.js";

/** What authorize() resolves to: bearer headers, or why there is no token. */
export type PipelineAuthOutcome =
  | { ok: true; headers: Record<string, string> }
  | {
      ok: false;
      status: number;
      body: { meta?: object; errors: { code?: number; message: string }[] };
      error: SDKError;
      /** The token endpoint's response headers (lower-case; cookies withheld), carried into the dict result. */
      headers?: Record<string, string>;
    };

/** What the pipeline needs from the auth object (FalconInterface satisfies it). */
export interface PipelineAuth {
  readonly baseUrl: string;
  /** Shared by every client on the same token: the key of the 429 cool-down (else the object itself). */
  readonly authKey?: object;
  /** `waitMs` bounds the wait for a login; past it the promise rejects with a DOMException named "TimeoutError". */
  authorize(signal?: AbortSignal, waitMs?: number): Promise<PipelineAuthOutcome>;
  basicAuthorization(): string | undefined;
  tokenRejected(token: string): void;
}

/** Per-client settings (a client's own options; unset ones fall back to its auth object's). */
export type PipelineSettings = Pick<
  FalconOptions,
  "pythonic" | "validatePayloads" | "debug" | "logger" | "sanitizeLog" | "debugRecordCount" | "timeout" | "retries" | "onWarning"
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

const coolDowns = new WeakMap<object, CoolDown>();

/** The 429 cool-down shared by every client on one token. */
export function coolDownFor(key: object): CoolDown {
  let c = coolDowns.get(key);
  if (c === undefined) {
    c = new CoolDown();
    coolDowns.set(key, c);
  }
  return c;
}

function warn(options: Pick<FalconOptions, "onWarning" | "logger">, w: SDKWarning): void {
  if (options.onWarning) options.onWarning(w);
  else options.logger?.warn(`${w.name}: ${w.message}`);
}

const NO_TOKEN_PATHS = new Set(["/oauth2/token"]);
const BASIC_PATHS = new Set(["/oauth2/revoke"]);

/** A failed exchange and whether it may have reached the operation (so only idempotent calls replay it). */
class Failure {
  constructor(
    readonly error: NetworkError,
    /** true: retry only replayable requests; false: nothing was sent (connect failed), any request may retry; undefined: never retry. */
    readonly reached: boolean | undefined,
  ) {}
}

export class Pipeline {
  readonly pythonic: boolean;
  readonly validate: boolean;
  readonly hooks: RequestHook[];
  readonly #log: DebugLog | undefined;
  readonly #timeouts: ResolvedTimeouts;
  readonly #retry: RetryPolicy;
  readonly #coolDown: CoolDown | undefined;
  readonly #onWarning: ((w: SDKWarning) => void) | undefined;

  constructor(
    readonly auth: PipelineAuth,
    readonly transport: Transport,
    settings: PipelineSettings = {},
  ) {
    this.pythonic = settings.pythonic === true;
    this.validate = settings.validatePayloads === true;
    this.hooks = settings.hooks ? [...settings.hooks] : [];
    this.#timeouts = settings.timeout !== undefined ? resolveTimeouts(settings.timeout) : transport.timeouts;
    this.#retry = resolveRetries(settings.retries);
    this.#coolDown = this.#retry.attempts > 0 ? coolDownFor(auth.authKey ?? auth) : undefined;
    this.#log = settings.debug
      ? new DebugLog(settings.logger ?? stderrLogger, {
          redact: settings.sanitizeLog !== false,
          recordCount: clampRecordCount(settings.debugRecordCount),
        })
      : undefined;
    const onWarning = settings.onWarning;
    const logger = settings.logger;
    this.#onWarning = onWarning ?? (logger ? (w) => logger.warn(`${w.name}: ${w.message}`) : undefined);
  }

  /** Sends one operation; resolves to a DictResult or a Result by mode, or throws (see DESIGN.md). */
  async call(op: OperationSpec, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    const pythonic = options?.pythonic ?? this.pythonic;
    const compiled = compileOperation(op);
    const routed = routeRequest(compiled, args, this.validate);
    if (this.validate && routed.values) {
      const checked = await validatePayload(op, routed.values);
      if (!checked) this.#log?.record("validation-skipped", { operation: op.id, reason: "no schemas for this operation" });
    }
    const timeouts = options?.timeout !== undefined ? resolveTimeouts(options.timeout, "options.timeout") : this.#timeouts;

    const signal = options?.signal;
    signal?.throwIfAborted();
    const coolDown = this.#coolDown;
    // New requests wait out a cool-down another request's 429 started.
    if (coolDown !== undefined && coolDown.until !== 0) await coolDown.wait(signal);

    const headers: Record<string, string> = { ...this.transport.baseHeaders };
    let token: string | undefined;
    if (BASIC_PATHS.has(op.path)) {
      const basic = this.auth.basicAuthorization();
      if (basic) headers.authorization = basic;
    } else if (!NO_TOKEN_PATHS.has(op.path)) {
      const outcome = await this.#authorize(op, signal, timeouts.total, "while logging in, before the request was sent");
      if (outcome instanceof TimeoutError) return this.#authTimedOut(op, outcome, pythonic);
      if (!outcome.ok) return authFailed(outcome, pythonic);
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

    const policy = this.#retry;
    const started = performance.now();
    let mayRefresh = true;
    let retries = 0;
    for (;;) {
      let result: DictResult<unknown> | typeof RETRY_WITH_NEW_TOKEN | Failure;
      // aborts (the caller's signal) and programming errors throw from here in every mode
      result = await this.#exchange(op, hookReq, timeouts, signal, options?.stream === true, mayRefresh ? token : undefined);
      if (result === RETRY_WITH_NEW_TOKEN) {
        mayRefresh = false;
        const outcome = await this.#authorize(op, signal, timeouts.total, "while logging in again after a 401");
        if (outcome instanceof TimeoutError) return this.#authTimedOut(op, outcome, pythonic);
        if (!outcome.ok) return authFailed(outcome, pythonic);
        token = applyAuth(headers, outcome.headers);
        continue;
      }
      if (result instanceof Failure) {
        const err = result.error;
        if (retries < policy.attempts && result.reached !== undefined && (!result.reached || this.#replayable(op, hookReq))) {
          retries++;
          const wait = backoffMs(retries, policy);
          this.#log?.record("retry", { operation: op.id, retry: retries, reason: err.message, waitMs: wait });
          await sleep(wait, signal);
          if (coolDown !== undefined && coolDown.until !== 0) await coolDown.wait(signal);
          continue;
        }
        const final = retries > 0 ? withRetries(err, retries) : err;
        if (hooks.length) {
          await runAfter(hooks, { operation: op, request: hookReq, status: 0, headers: {}, durationMs: performance.now() - started, error: final });
        }
        this.#log?.record("network-error", { operation: op.id, message: final.message });
        if (pythonic) throw final;
        return errorResult(final.message, 500);
      }
      const status = result.status_code;
      if ((status === 429 || isTransientStatus(status)) && retries < policy.attempts) {
        const now = Date.now();
        if (status === 429) {
          // The API refused the request without running it: any method may be resent.
          const wait = rateLimitWait(result.headers, now, retries + 1, policy).waitMs;
          retries++;
          this.#log?.record("retry", { operation: op.id, retry: retries, reason: "HTTP 429", waitMs: wait });
          if (coolDown !== undefined) {
            coolDown.extend(now + wait);
            await coolDown.wait(signal);
          } else await sleep(wait, signal);
          continue;
        }
        if (this.#replayable(op, hookReq)) {
          retries++;
          const at = retryAfterHeader(result.headers, now);
          const wait = at !== undefined && at > now ? Math.min(at - now, policy.maxWaitMs) : backoffMs(retries, policy);
          this.#log?.record("retry", { operation: op.id, retry: retries, reason: `HTTP ${status}`, waitMs: wait });
          await sleep(wait, signal);
          if (coolDown !== undefined && coolDown.until !== 0) await coolDown.wait(signal);
          continue;
        }
      }
      if (hooks.length) {
        await runAfter(hooks, {
          operation: op,
          request: hookReq,
          status,
          headers: result.headers,
          durationMs: performance.now() - started,
        });
      }
      if (!pythonic) return result;
      if (status >= 400) throw apiError(op, result);
      return new Result(status, result.headers, result.body);
    }
  }

  /**
   * authorize(), bounded by the call's total timeout when it has one (a numeric `timeout`, per
   * call or the client's): the login a call starts or joins ends for this caller by then, as a
   * TimeoutError naming the operation (returned, not thrown). Only this caller stops waiting:
   * the single-flight login goes on for every other caller (AuthCore stops it only when no
   * caller is left). A `{ connect, read }` timeout bounds each token request, not the login.
   * Rejects only when the caller's own signal aborts.
   */
  async #authorize(op: OperationSpec, signal: AbortSignal | undefined, totalMs: number | undefined, what: string): Promise<PipelineAuthOutcome | TimeoutError> {
    if (totalMs === undefined) return this.auth.authorize(signal);
    const started = performance.now();
    try {
      return await this.auth.authorize(signal, totalMs);
    } catch (err) {
      // the caller's own abort stays an abort; the login's time limit becomes a TimeoutError
      if (signal?.aborted || !(err instanceof DOMException && err.name === "TimeoutError")) throw err;
      const elapsed = Math.round(performance.now() - started);
      return new TimeoutError(`${op.id}: request timed out after ${totalMs / 1000}s ${what} (${elapsed} ms elapsed)`, op.id, elapsed);
    }
  }

  /** A call whose login outlasted its timeout: the pipeline's timeout shape (TimeoutError, or a 500 result). */
  #authTimedOut(op: OperationSpec, err: TimeoutError, pythonic: boolean): DictResult<unknown> {
    this.#log?.record("network-error", { operation: op.id, message: err.message });
    if (pythonic) throw err;
    return errorResult(err.message, 500);
  }

  /** May this request be sent again after it may have reached the API? */
  #replayable(op: OperationSpec, req: HookRequest): boolean {
    // a stream body (set by a hook) is consumed by the first attempt
    if (req.body !== undefined && typeof (req.body as { pipe?: unknown }).pipe === "function") return false;
    return mayReplay(op, this.#retry);
  }

  /** One HTTP exchange; network failures come back as a Failure (NetworkError / TimeoutError inside). */
  async #exchange(
    op: OperationSpec,
    req: HookRequest,
    timeouts: ResolvedTimeouts,
    userSignal: AbortSignal | undefined,
    stream: boolean,
    /** The bearer token sent, when a 401 may be retried once with a fresh one. */
    token: string | undefined,
  ): Promise<DictResult<unknown> | typeof RETRY_WITH_NEW_TOKEN | Failure> {
    const log = this.#log;
    if (log) log.record("request", { operation: op.id, method: req.method, url: req.url, headers: req.headers, body: logBody(req.body) });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let signal = userSignal;
    const started = performance.now();
    let timedOut: TimeoutError | undefined;
    if (timeouts.total !== undefined) {
      const ac = new AbortController();
      const total = timeouts.total;
      timer = setTimeout(() => {
        timedOut = new TimeoutError(`${op.id}: request timed out after ${total / 1000}s`, op.id, total);
        ac.abort(timedOut);
      }, total);
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
        return failure(op, err, userSignal, timedOut, started, timeouts, "send");
      }
      const status = res.statusCode;
      const headers = lowerHeaders(res.headers);
      if (status === 401 && token !== undefined) {
        // The token was refused (revoked, or expired early): get a fresh one and resend once.
        this.auth.tokenRejected(token);
        // the refresh gets what is left of this exchange's total time
        const left = timeouts.total === undefined ? undefined : Math.max(1, timeouts.total - (performance.now() - started));
        const fresh = await this.#authorize(op, userSignal, left, "while logging in again after a 401");
        if (fresh instanceof TimeoutError) {
          await discard(res);
          return new Failure(fresh, undefined);
        }
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
          body = await readBody(op, res, headers, status, this.#onWarning);
        }
      } catch (err) {
        if (err instanceof SDKError && !(err instanceof NetworkError)) throw err;
        if (err instanceof NetworkError && !(err instanceof TimeoutError)) return new Failure(err, undefined);
        return failure(op, err, userSignal, timedOut, started, timeouts, "body", status, headers);
      }
      if (log) log.record("response", { operation: op.id, status, headers, body: body instanceof Uint8Array ? body : stream ? "<stream>" : body, ms: Math.round(performance.now() - started) });
      return { status_code: status, headers, body };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

/**
 * A login that failed (bad credentials, the token endpoint's 429 after its retries, no
 * mechanism): the auth error in object mode; in dict mode its status and body, with the token
 * endpoint's response headers (lower-case names, cookies withheld; {} when no answer came).
 */
function authFailed(outcome: Extract<PipelineAuthOutcome, { ok: false }>, pythonic: boolean): DictResult<unknown> {
  if (pythonic) throw outcome.error;
  return { status_code: outcome.status, headers: { ...outcome.headers }, body: outcome.body };
}

/** The final error of a call that was retried says so. */
function withRetries(err: NetworkError, retries: number): NetworkError {
  const message = `${err.message} (gave up after ${retries} ${retries === 1 ? "retry" : "retries"})`;
  if (err instanceof TimeoutError) return new TimeoutError(message, err.operation, err.elapsedMs);
  return new NetworkError(message, { cause: err.cause ?? err });
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

const NO_CONTENT = "No content was received for this request.";

async function readBody(
  op: OperationSpec,
  res: WireResponse,
  headers: Record<string, string>,
  status: number,
  onWarning: ((w: SDKWarning) => void) | undefined,
): Promise<unknown> {
  const ct = (headers["content-type"] ?? "").toLowerCase();
  if (op.method === "HEAD" || status === 204 || status === 304) {
    await discard(res);
    return {};
  }
  if (op.binary && status < 300 && !isJsonType(ct)) return collectBytes(res.body, Number(headers["content-length"]));
  if (isJsonType(ct) || isTextType(ct)) {
    const text = res.body.text ? await res.body.text() : new TextDecoder().decode(await collectBytes(res.body, NaN));
    if (isJsonType(ct) || (ct === "" && /^\s*[[{]/.test(text))) {
      if (text.trim() === "") {
        // FalconPy's NoContentWarning: say so instead of failing inside JSON.parse
        const what = `HTTP ${status} with an empty body (Content-Type ${ct || "none"})`;
        if (status >= 400) return { errors: [{ code: status, message: `${op.id}: ${what}` }], resources: [] };
        onWarning?.(new NoContentWarning(`${op.id}: ${what}`));
        return { message: NO_CONTENT, resources: [] };
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // An error status keeps its status and the text that came (a gateway page labelled JSON).
        if (status >= 400) return text;
        throw new NetworkError(
          `${op.id}: the API returned an unparseable JSON body (HTTP ${status}, ${ct || "no Content-Type"}, ${text.length} chars: ${snippet(text)})`,
        );
      }
    }
    // A gateway's HTML or text error page: keep its text as the body.
    return text;
  }
  return collectBytes(res.body, Number(headers["content-length"]));
}

/** The start of what arrived, redacted and on one line, for error messages. */
function snippet(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(sanitizeString(one.length > 120 ? `${one.slice(0, 120)}...` : one));
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

/** Failed before the request could reach the API: any method may be resent. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
/** Programming or configuration errors: resending cannot help. */
const FATAL_CODES = new Set(["ENOTFOUND", "UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED", "ERR_INVALID_URL", "ERR_TLS_CERT_ALTNAME_INVALID", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_HAS_EXPIRED"]);

/**
 * Classifies a failed exchange. The caller's abort rethrows its reason; timeouts become
 * TimeoutError naming the operation, the phase and the time spent; everything else a
 * NetworkError saying what happened and, after the headers came, what had arrived.
 */
function failure(
  op: OperationSpec,
  err: unknown,
  userSignal: AbortSignal | undefined,
  timedOut: TimeoutError | undefined,
  started: number,
  timeouts: ResolvedTimeouts,
  phase: "send" | "body",
  status?: number,
  headers?: Record<string, string>,
): Failure {
  if (userSignal?.aborted) throw userSignal.reason;
  const elapsed = Math.round(performance.now() - started);
  if (timedOut !== undefined) {
    const what = phase === "body" ? `while reading the HTTP ${status} body` : "before the response";
    return new Failure(new TimeoutError(`${op.id}: request timed out after ${timedOut.elapsedMs! / 1000}s ${what} (${elapsed} ms elapsed)`, op.id, elapsed), true);
  }
  if (err instanceof TimeoutError) return new Failure(err, true);
  if (SDKError.isSDKError(err)) throw err;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  const detail = sanitizeString(String(e?.cause?.message ?? e?.message ?? err));
  const secs = (ms: number | undefined) => (ms === undefined ? "the default time" : `${ms / 1000}s`);
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return new Failure(new TimeoutError(`${op.id}: connect timeout: no connection within ${secs(timeouts.connect)} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed), false);
    case "UND_ERR_HEADERS_TIMEOUT":
      return new Failure(new TimeoutError(`${op.id}: read timeout: no response headers within ${secs(timeouts.read)} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed), true);
    case "UND_ERR_BODY_TIMEOUT":
      return new Failure(
        new TimeoutError(`${op.id}: read timeout: the HTTP ${status ?? ""} body stalled for ${secs(timeouts.read)} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed),
        true,
      );
    case "ETIMEDOUT":
      return new Failure(new TimeoutError(`${op.id}: ${detail} (${code}, ${elapsed} ms elapsed)`, op.id, elapsed), true);
  }
  if (phase === "body") {
    const ct = headers?.["content-type"];
    const len = headers?.["content-length"];
    const what = `HTTP ${status}${ct ? `, ${ct}` : ""}${len ? `, Content-Length ${len}` : ""}`;
    return new Failure(new NetworkError(`${op.id}: response body cut short after ${what}: ${detail}${code ? ` (${code})` : ""}`, { cause: err }), true);
  }
  const out = new NetworkError(`${op.id}: network error: ${detail}${code ? ` (${code})` : ""}`, { cause: err });
  if (code !== undefined && FATAL_CODES.has(code)) return new Failure(out, undefined);
  if (err instanceof TypeError && code === undefined) return new Failure(out, undefined);
  return new Failure(out, code !== undefined && NOT_SENT_CODES.has(code) ? false : true);
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
