/**
 * One host's RTR session: kept alive by pulses while held, commands sent to the endpoint of
 * their level and waited for, output gathered across sequences, files fetched by `get`.
 *
 * Output: the status of a command (RTR_Check*CommandStatus, by cloud_request_id and
 * sequence_id) says `complete: false` with no output while the host works; once complete,
 * sequence 0 holds the output, and longer output continues in sequences 1, 2, ... ("command
 * responses are chunked across sequences"). gofalcon's waiter and PSFalcon's read sequence 0
 * only; run() reads on until a sequence comes back empty (or 404), so nothing is cut off.
 */
import { APIError, InvalidOperation, InvalidOption } from "../errors.js";
import { JobFailed, poll } from "../poll.js";
import type { Result } from "../results.js";
import { answerField, anySignal, firstResource, secondsLeft, text, type WaitOptions } from "./jobs.js";
import { KeepAlive } from "./keep-alive.js";
import { levelFor, parseCommand, RTR_ENDPOINTS, type RtrLevel } from "./rtr-commands.js";
import { fileInfo, RtrFile, type RtrCall } from "./rtr-file.js";

/** Longest output run() gathers, in sequences (a runaway guard; the API chunks far smaller output). */
const MAX_SEQUENCES = 10_000;

export interface SessionOptions {
  /** Queue commands while the host is offline (queue_offline); run() then returns `queued: true`. */
  queueOffline?: boolean;
  /** Seconds the API waits for the host when opening the session (its `timeout`, 1-300; default 30). */
  timeout?: number;
  /** Seconds between keep-alive pulses while the session is held (default 240; sessions expire after ~600 s idle). */
  pulseInterval?: number;
  signal?: AbortSignal;
}

export interface RunOptions extends WaitOptions {
  /** The endpoint's level; default: the lowest level that allows the command. */
  level?: RtrLevel;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** The host finished the command (false when queued). */
  complete: boolean;
  /**
   * The host is offline and the command waits in its queue (queue_offline sessions): collect
   * it later with `rtr.waitForQueued(result)` or `rtr.queuedResult(result)` (this result, or
   * its `sessionId`, `cloudRequestId` and `level` stored as they are).
   */
  queued: boolean;
  cloudRequestId: string;
  sessionId: string;
  deviceId: string;
  baseCommand: string;
  /** The level the command was sent at: its status endpoint has the output. */
  level: RtrLevel;
}

/** Seconds given as an option: a positive finite number within `max`. */
export function secondsOption(name: string, value: number | undefined, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new InvalidOption(name, `expected seconds in (0, ${max}], got ${String(value)}`);
  }
  return value;
}

/** Polls a command's status until complete, then reads its output sequence by sequence. */
export async function commandOutput(
  call: RtrCall,
  statusOp: string,
  cloudRequestId: string,
  label: string,
  options: WaitOptions,
): Promise<{ stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let seq = 0;
  const readOn = async (signal: AbortSignal): Promise<boolean> => {
    for (; seq < MAX_SEQUENCES; seq++) {
      let part: Record<string, unknown> | undefined;
      try {
        part = firstResource(await call(statusOp, { cloud_request_id: cloudRequestId, sequence_id: seq }, { signal }));
      } catch (err) {
        if (seq > 0 && err instanceof APIError && err.status === 404) return true;
        throw err;
      }
      if (part?.complete !== true) return seq > 0;
      const out = text(part.stdout);
      const err = text(part.stderr);
      if (seq > 0 && out === "" && err === "") return true;
      stdout.push(out);
      stderr.push(err);
    }
    return true;
  };
  await poll(readOn, {
    until: (done) => done,
    interval: options.interval ?? 0.5,
    maxInterval: options.maxInterval ?? 10,
    timeout: options.timeout,
    signal: options.signal,
    label,
  });
  return { stdout: stdout.join(""), stderr: stderr.join("") };
}

export class RtrSession implements AsyncDisposable {
  #sessionId: string;
  #closed = false;
  readonly #keepAlive: KeepAlive;
  /** Aborted by close(): the waits in progress end with it. */
  readonly #closing = new AbortController();

  constructor(
    private readonly call: RtrCall,
    readonly deviceId: string,
    sessionId: string,
    /** The host was offline and the session is queued (offline_queued). */
    readonly queued: boolean,
    private readonly queueOffline: boolean,
    pulseSeconds: number,
    /** Its client's closing: the keep-alive stops with it. */
    private readonly clientClosing?: AbortSignal,
  ) {
    this.#sessionId = sessionId;
    this.#keepAlive = new KeepAlive(pulseSeconds * 1000, (signal) => this.pulse({ signal }), clientClosing).start();
  }

  get sessionId(): string {
    return this.#sessionId;
  }
  get closed(): boolean {
    return this.#closed;
  }
  /** The last failed keep-alive pulse, if the latest one failed. */
  get pulseError(): unknown {
    return this.#keepAlive.lastError;
  }

  /** Refreshes the session now (RTR_PulseSession); the keep-alive does this on its own. */
  async pulse(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#open();
    const r = await this.call(
      "rtrPulseSession",
      { device_id: this.deviceId, origin: "", queue_offline: this.queueOffline },
      { signal: options.signal },
    );
    const id = firstResource(r)?.session_id;
    if (typeof id === "string" && id !== "") this.#sessionId = id;
  }

  /**
   * Runs a command and waits for it: the endpoint of its level (or `level`), polling with a
   * back-off until complete, output joined across sequences. `timeout` (seconds) throws
   * PollTimeoutError; `signal` aborts with its reason, closing the session with
   * InvalidOperation, closing the client with ClientClosed: at once, the request in flight
   * included. On a queued session the command is queued and the result says so (`queued:
   * true`, `complete: false`) without waiting: `rtr.waitForQueued(result)` collects it later.
   */
  async run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    this.#open();
    const signal = this.#until(options.signal);
    const parsed = parseCommand(command);
    const level = await levelFor(parsed, options.level);
    const endpoints = RTR_ENDPOINTS[level];
    const executed = await this.call(
      endpoints.execute,
      {
        base_command: parsed.baseCommand,
        command_string: parsed.commandString,
        device_id: this.deviceId,
        id: 0,
        persist: this.queued || this.queueOffline,
        session_id: this.#sessionId,
      },
      { signal },
    );
    this.#keepAlive.reset();
    const started = firstResource(executed) ?? {};
    const cloudRequestId = answerField(
      executed,
      started.cloud_request_id,
      `RTR ${parsed.baseCommand}: cloud_request_id`,
    );
    const base = {
      cloudRequestId,
      sessionId: this.#sessionId,
      deviceId: this.deviceId,
      baseCommand: parsed.baseCommand,
      level,
    };
    if (started.queued_command_offline === true)
      return { ...base, stdout: "", stderr: "", complete: false, queued: true };
    const output = await commandOutput(
      this.call,
      endpoints.status,
      cloudRequestId,
      `RTR ${parsed.baseCommand} on ${this.deviceId} (${cloudRequestId})`,
      { ...options, signal },
    );
    this.#keepAlive.reset();
    return { ...base, ...output, complete: true, queued: false };
  }

  /**
   * `get`s a file from the host and waits until the cloud has it (RTR_ListFilesV2), then returns
   * it to stream or save. A `get` the host refuses (stderr) throws JobFailed; on a queued
   * session the get is queued and InvalidOperation says so (list it later with files()).
   */
  async get(path: string, options: RunOptions = {}): Promise<RtrFile> {
    if (typeof path !== "string" || path.trim() === "")
      throw new InvalidOption("path", "expected the file's path on the host");
    const started = performance.now();
    const quoted = /\s/.test(path) && !/^".*"$/.test(path) ? `"${path}"` : path;
    const ran = await this.run(`get ${quoted}`, options);
    if (ran.queued)
      throw new InvalidOperation(
        `get ${path}: host ${this.deviceId} is offline; the get is queued (cloud_request_id ${ran.cloudRequestId})`,
      );
    if (ran.stderr.trim() !== "")
      throw new JobFailed(`get ${path} on ${this.deviceId}: ${ran.stderr.trim()}`, "stderr", ran);
    const label = `RTR get ${path} on ${this.deviceId} (${ran.cloudRequestId})`;
    const entry = (r: Result<unknown>) =>
      r.resources.find((f) => (f as { cloud_request_id?: unknown }).cloud_request_id === ran.cloudRequestId) as
        | Record<string, unknown>
        | undefined;
    const listed = await poll((signal) => this.call("rtrListFilesV2", { session_id: this.#sessionId }, { signal }), {
      until: (r) => {
        const f = entry(r);
        return !!f && (text(f.error_message) !== "" || (text(f.sha256) !== "" && f.complete !== false));
      },
      interval: options.interval ?? 1,
      maxInterval: options.maxInterval ?? 10,
      timeout: secondsLeft(options.timeout, started),
      signal: this.#until(options.signal),
      label,
    });
    const f = entry(listed)!;
    if (text(f.error_message) !== "")
      throw new JobFailed(`${label}: ${text(f.error_message)}`, f.status ?? "error", listed);
    return new RtrFile(this.call, fileInfo(f, this.#sessionId));
  }

  /** The files this session has extracted so far (RTR_ListFilesV2). */
  async files(options: { signal?: AbortSignal } = {}): Promise<RtrFile[]> {
    this.#open();
    const r = await this.call(
      "rtrListFilesV2",
      { session_id: this.#sessionId },
      { signal: this.#until(options.signal) },
    );
    return r.resources.map((f) => new RtrFile(this.call, fileInfo(f as Record<string, unknown>, this.#sessionId)));
  }

  /**
   * Ends the waits in progress (run, get: InvalidOperation), stops the keep-alive and deletes
   * the session (RTR_DeleteSession). A queued session is kept: deleting it would drop the
   * commands waiting for the host. Once its client is closed nothing can be sent: the session
   * then expires on its own. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort(new InvalidOperation(`RTR session ${this.#sessionId} was closed`));
    this.#keepAlive.stop();
    if (!this.queued && !this.clientClosing?.aborted)
      await this.call("rtrDeleteSession", { session_id: this.#sessionId });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #open(): void {
    if (this.#closed) throw new InvalidOperation(`RTR session ${this.#sessionId} is closed`);
  }

  /** `signal` joined with this session's closing and its client's: what a wait and its requests stop with. */
  #until(signal: AbortSignal | undefined): AbortSignal {
    return anySignal(signal, this.#closing.signal, this.clientClosing);
  }
}
