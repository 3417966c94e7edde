/**
 * The request pipeline of one client: the named steps composed once, in this one visible
 * place, and `call()`, which routes the payload, runs the chain and shapes the result by mode.
 */
import { APIError, type SDKWarning } from "../errors.js";
import { DebugLog, clampRecordCount, stderrLogger } from "../logging.js";
import type { OperationSpec } from "../operation.js";
import type { CallOptions, FalconOptions } from "../options.js";
import { baseUrlFor, compileOperation, routeRequest } from "../payload.js";
import { Result, dictResponse, errorResult } from "../results.js";
import type { DictResult } from "../results.js";
import { CoolDown, resolveRetries } from "../retry.js";
import { resolveTimeouts } from "../transport.js";
import type { ResolvedTimeouts, Transport } from "../transport.js";
import { validatePayload } from "../validation.js";
import { REDACT_SECRETS, type SecretRedactor } from "../redact.js";
import { attemptTimeoutStep } from "./attempt-timeout.js";
import { authStep, type PipelineAuth } from "./auth.js";
import { callDeadlineStep } from "./call-deadline.js";
import { coolDownStep } from "./cool-down.js";
import { loggingStep } from "./logging.js";
import { middlewareStep, type Middleware } from "./middleware.js";
import { readBodyStep } from "./read-body.js";
import { retryStep } from "./retry.js";
import { sendStep } from "./send.js";
import { Failure, Refusal, type CallRequest, type Next, type StepResult } from "./step.js";

export type { PipelineAuth };

/** Per-client settings (a client's own options; unset ones fall back to its auth object's). */
export type PipelineSettings = Pick<
  FalconOptions,
  | "pythonic"
  | "validatePayloads"
  | "debug"
  | "logger"
  | "sanitizeLog"
  | "debugRecordCount"
  | "timeout"
  | "retries"
  | "onWarning"
  | "maxResponseBytes"
>;

const coolDowns = new WeakMap<object, CoolDown>();

/** The 429 cool-down shared by every client on one token. */
function coolDownFor(key: object): CoolDown {
  let c = coolDowns.get(key);
  if (c === undefined) {
    c = new CoolDown();
    coolDowns.set(key, c);
  }
  return c;
}

export class Pipeline {
  readonly pythonic: boolean;
  readonly validate: boolean;
  readonly #log: DebugLog | undefined;
  readonly #timeouts: ResolvedTimeouts;
  readonly #chain: Next;
  readonly #middleware: readonly Middleware[];
  /** The token owner's secrets hidden in what the server said: errors, failure bodies, debug records. */
  readonly #redact: SecretRedactor;

  constructor(
    readonly auth: PipelineAuth & { readonly authKey: object; readonly [REDACT_SECRETS]: SecretRedactor },
    readonly transport: Transport,
    settings: PipelineSettings,
    /** The client's user middleware (use()/eject() change it in place). */
    middleware: readonly Middleware[],
  ) {
    this.pythonic = settings.pythonic === true;
    this.validate = settings.validatePayloads === true;
    this.#middleware = middleware;
    this.#timeouts = settings.timeout !== undefined ? resolveTimeouts(settings.timeout) : transport.timeouts;
    const redact: SecretRedactor = (value, options) => auth[REDACT_SECRETS](value, options);
    this.#redact = redact;
    const retry = resolveRetries(settings.retries);
    const log = settings.debug
      ? new DebugLog(
          settings.logger ?? stderrLogger,
          { redact: settings.sanitizeLog !== false, recordCount: clampRecordCount(settings.debugRecordCount) },
          redact,
        )
      : undefined;
    this.#log = log;
    const logger = settings.logger;
    const onWarning =
      settings.onWarning ?? (logger ? (w: SDKWarning) => logger.warn(`${w.name}: ${w.message}`) : undefined);
    const coolDown = retry.attempts > 0 ? coolDownFor(auth.authKey) : undefined;

    // Outermost first: call deadline (the call's signal) -> rate-limit cool-down -> retry ->
    // auth (refresh on 401) -> per-attempt timeouts -> logging -> (body reader) -> user
    // middleware -> transport. Steps that have nothing to do for this client are left out.
    const transportStep = sendStep(transport);
    const userStep = middlewareStep(middleware, transport, () => auth.baseUrl, transportStep);
    const bodyStep = readBodyStep(userStep, { onWarning, maxBytes: settings.maxResponseBytes, redact });
    const logStep = log ? loggingStep(log, bodyStep) : bodyStep;
    const attempt = attemptTimeoutStep(logStep);
    const authorized = authStep(auth, attempt);
    const retried = retry.attempts > 0 ? retryStep(retry, coolDown, log, authorized) : authorized;
    this.#chain = callDeadlineStep(coolDown ? coolDownStep(coolDown, retried) : retried);
  }

  /** Sends one operation; resolves to a dict result or a Result by mode, or throws (see DESIGN.md). */
  async call(op: OperationSpec, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    const pythonic = options?.pythonic ?? this.pythonic;
    const withParams = this.#middleware.length > 0;
    const routed = routeRequest(compileOperation(op), args, this.validate || withParams);
    if (this.validate && routed.values) {
      const checked = await validatePayload(op, routed.values);
      if (!checked)
        this.#log?.record("validation-skipped", { operation: op.id, reason: "no schemas for this operation" });
    } else if (routed.values?.deferred) {
      // values kept only for middleware: the router's refusal (the 8 KB query) still stands
      throw routed.values.deferred;
    }
    const timeouts =
      options?.timeout !== undefined ? resolveTimeouts(options.timeout, "options.timeout") : this.#timeouts;
    const signal = options?.signal;
    signal?.throwIfAborted();
    const base = this.transport.baseHeaders;
    const ct = routed.contentType;
    // a new property first: V8 copies `{ ...base, name }` ~10x slower than `{ name, ...base }`
    let headers = ct === undefined ? base : { "content-type": ct, ...base };
    if (routed.headers !== undefined) headers = { ...headers, ...routed.headers };
    const v = routed.values;
    const req: CallRequest = {
      op,
      method: op.method,
      path: routed.path,
      url: baseUrlFor(op, this.auth.baseUrl) + routed.path,
      headers,
      body: routed.body,
      signal,
      timeouts,
      bodyMode: options?.stream === true ? "stream" : "parse",
      params: withParams && v ? { query: v.query, header: v.header, path: v.path } : undefined,
      callerAuthorization: routed.headers !== undefined && routed.headers.authorization !== undefined,
      deadline: undefined,
      bodyDeadline: undefined,
      onBodyDone: undefined,
    };
    return this.shape(op, await this.#chain(req), pythonic);
  }

  /** The client's timeouts (a call may give its own). */
  get timeouts(): ResolvedTimeouts {
    return this.#timeouts;
  }

  /** Runs a prepared request through the chain (the fetch client's entry: `bodyMode: "raw"`). */
  run(req: CallRequest): Promise<StepResult> {
    return this.#chain(req);
  }

  /** The chain's answer as the caller sees it: a dict result, a Result, or a thrown error. */
  shape(op: OperationSpec, res: StepResult, pythonic: boolean): unknown {
    if (res instanceof Refusal) {
      if (pythonic) throw res.outcome.error;
      return dictResponse({
        status_code: res.outcome.status,
        headers: { ...res.outcome.headers },
        body: res.outcome.body,
      });
    }
    if (res instanceof Failure) {
      this.#log?.record("network-error", { operation: op.id, message: res.error.message });
      if (pythonic) throw res.error;
      return errorResult(res.error.message, 500);
    }
    if (!pythonic) return dictResponse(res, this.#redact);
    if (res.status_code >= 400) throw apiError(op, res, this.#redact);
    return new Result(res.status_code, res.headers, res.body);
  }
}

/**
 * The message names what the API said, taken from the body once redacted with the client's
 * secrets (a cut through an echoed secret would leave its start); the error keeps `redact` for
 * its renderings, and the body and headers as they came.
 */
function apiError(op: OperationSpec, r: DictResult<unknown>, redact: SecretRedactor): APIError {
  let detail = "";
  const b = redact(r.body);
  if (typeof b === "string") detail = b.slice(0, 200);
  else if (b && typeof b === "object") {
    const errs = (b as { errors?: { message?: string; code?: number }[] }).errors;
    if (Array.isArray(errs) && errs.length)
      detail = errs
        .map((e) => e?.message ?? "")
        .filter(Boolean)
        .join("; ");
  }
  const trace = r.headers["x-cs-traceid"];
  return new APIError(
    r.status_code,
    `${op.id}: HTTP ${r.status_code}${detail ? `: ${detail}` : ""}${trace ? ` (trace ${trace})` : ""}`,
    r.body,
    r.headers,
    redact,
  );
}
