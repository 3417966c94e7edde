/**
 * RTR over many hosts: batch sessions of at most 10,000 hosts each (the API's limit), refreshed
 * while held, commands sent with the API's own `timeout` and `host_timeout_duration`, and one
 * result per host for every host, whatever happened to it. Batch commands answer synchronously;
 * only `get` polls (BatchGetCmdStatus) for the uploaded files.
 */
import { InvalidOperation, InvalidOption } from "../errors.js";
import { poll, PollTimeoutError } from "../poll.js";
import type { Result } from "../results.js";
import { answerField, anySignal, bodyOf, text } from "./jobs.js";
import { KeepAlive } from "./keep-alive.js";
import { levelFor, parseCommand, RTR_ENDPOINTS, type RtrLevel } from "./rtr-commands.js";
import { fileInfo, RtrFile, type RtrCall } from "./rtr-file.js";
import type { QueuedCommand } from "./rtr-queue.js";
import { secondsOption } from "./rtr-session.js";

/** Hosts per batch session (BatchInitSessions: "a maximum of 10000 hosts can be in a single batch session"). */
export const BATCH_SIZE = 10_000;
/** The API's ceiling for `timeout` (5 minutes). */
const MAX_API_TIMEOUT = 300;
/** Extra seconds the HTTP call gets beyond the API's own timeout, so the API answers first. */
const CALL_MARGIN = 30;

export interface BatchOptions {
  queueOffline?: boolean;
  /** Seconds each host has to answer (host_timeout_duration); must be below `timeout`. */
  hostTimeout?: number;
  /** Seconds the API waits for the hosts (its `timeout`, max 300; default 30) when opening the sessions. */
  timeout?: number;
  /** Seconds between batch refreshes while held (default 240). */
  pulseInterval?: number;
  signal?: AbortSignal;
}

export interface BatchRunOptions {
  /** Seconds the API waits for the hosts (its `timeout`, max 300; default 30). */
  timeout?: number;
  /** Seconds each host has (host_timeout_duration, below `timeout`); default the batch's `hostTimeout`. */
  hostTimeout?: number;
  level?: RtrLevel;
  signal?: AbortSignal;
}

export interface BatchGetOptions extends BatchRunOptions {
  /** Seconds to wait for the files to reach the cloud after the hosts answered (default 300). */
  uploadTimeout?: number;
}

export type BatchHostStatus = "complete" | "failed" | "timed_out" | "queued";

export interface BatchHostResult {
  status: BatchHostStatus;
  stdout: string;
  stderr: string;
  error?: { code: number; message: string };
  sessionId?: string;
  /** A `queued` host's command, to collect once the host is back: `rtr.waitForQueued(result.queuedCommand)`. */
  queuedCommand?: QueuedCommand;
}

export interface BatchGetResult extends BatchHostResult {
  /** The extracted file, when the host uploaded it. */
  file?: RtrFile;
}

interface Group {
  readonly batchId: string;
  readonly hosts: readonly string[];
  /** Hosts whose session opened (or is queued): the ones commands go to. */
  readonly usable: readonly string[];
}

/**
 * A host's entry in a batch answer (MultiStatusSensorResponse) as a per-host result; `level`:
 * the command's, for a queued host's `queuedCommand` (its `task_id` is the cloud request ID).
 */
export function hostResult(entry: unknown, hostTimeout: number | undefined, level?: RtrLevel): BatchHostResult {
  if (entry === null || typeof entry !== "object") {
    return {
      status: "failed",
      stdout: "",
      stderr: "",
      error: { code: 0, message: "the API's answer has no entry for this host" },
    };
  }
  const e = entry as Record<string, unknown>;
  const base = {
    stdout: text(e.stdout),
    stderr: text(e.stderr),
    ...(text(e.session_id) ? { sessionId: text(e.session_id) } : {}),
  };
  const errors = Array.isArray(e.errors) ? (e.errors as { code?: unknown; message?: unknown }[]) : [];
  if (errors.length) {
    const first = errors[0] ?? {};
    return {
      ...base,
      status: "failed",
      error: {
        code: typeof first.code === "number" ? first.code : 0,
        message:
          errors
            .map((x) => text(x?.message))
            .filter(Boolean)
            .join("; ") || "failed",
      },
    };
  }
  if (e.complete === true) return { ...base, status: "complete" };
  if (e.offline_queued === true) {
    const queued = { ...base, status: "queued" as const };
    const sessionId = text(e.session_id);
    const cloudRequestId = text(e.task_id);
    if (level === undefined || !sessionId || !cloudRequestId) return queued;
    return { ...queued, queuedCommand: { sessionId, cloudRequestId, level } };
  }
  const within = hostTimeout === undefined ? "within the host timeout" : `within the host timeout (${hostTimeout}s)`;
  return { ...base, status: "timed_out", error: { code: 408, message: `the host did not answer ${within}` } };
}

function hostResources(result: Result<unknown>, path: "resources" | "combined"): Record<string, unknown> {
  const body = bodyOf(result);
  const holder = path === "combined" ? (body.combined as Record<string, unknown> | undefined) : body;
  const r = holder?.resources;
  return r !== null && typeof r === "object" && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
}

export class RtrBatch implements AsyncDisposable {
  /** Per host, how opening its session went. */
  readonly sessions: ReadonlyMap<string, BatchHostResult>;
  readonly #groups: readonly Group[];
  readonly #keepAlive: KeepAlive;
  /** Aborted by close(): the waits in progress end with it. */
  readonly #closing = new AbortController();
  #closed = false;

  private constructor(
    private readonly call: RtrCall,
    groups: readonly Group[],
    sessions: Map<string, BatchHostResult>,
    private readonly options: BatchOptions,
    pulseSeconds: number,
    private readonly clientClosing: AbortSignal | undefined,
  ) {
    this.#groups = groups;
    this.sessions = sessions;
    this.#keepAlive = new KeepAlive(pulseSeconds * 1000, (signal) => this.refresh({ signal }), clientClosing).start();
  }

  /** Opens batch sessions over `hostIds` (duplicates dropped), in groups of at most 10,000. */
  static async open(
    call: RtrCall,
    hostIds: Iterable<string>,
    options: BatchOptions = {},
    clientClosing?: AbortSignal,
  ): Promise<RtrBatch> {
    const hosts = [...new Set(hostIds)];
    if (hosts.length === 0) throw new InvalidOption("hostIds", "expected at least one host ID");
    for (const h of hosts)
      if (typeof h !== "string" || h === "")
        throw new InvalidOption("hostIds", `expected host ID strings, got ${JSON.stringify(h)}`);
    const timeout = secondsOption("timeout", options.timeout, 30, MAX_API_TIMEOUT);
    const hostTimeout = checkHostTimeout(options.hostTimeout, timeout);
    const pulse = secondsOption("pulseInterval", options.pulseInterval, 240);
    const chunks: string[][] = [];
    for (let i = 0; i < hosts.length; i += BATCH_SIZE) chunks.push(hosts.slice(i, i + BATCH_SIZE));
    const sessions = new Map<string, BatchHostResult>();
    const groups = await Promise.all(
      chunks.map(async (chunk) => {
        const r = await call(
          "batchInitSessions",
          {
            host_ids: chunk,
            queue_offline: options.queueOffline === true,
            existing_batch_id: "",
            timeout,
            ...durationArg(hostTimeout),
          },
          { signal: options.signal, timeout: timeout + CALL_MARGIN },
        );
        const batchId = answerField(r, bodyOf(r).batch_id, "RTR batch init: batch_id");
        const answers = hostResources(r, "resources");
        const usable: string[] = [];
        for (const aid of chunk) {
          const outcome = hostResult(answers[aid], hostTimeout);
          // the session's own output (a prompt) is not a command's
          sessions.set(aid, { ...outcome, stdout: "", stderr: "" });
          if (outcome.status === "complete" || outcome.status === "queued") usable.push(aid);
        }
        return { batchId, hosts: chunk, usable };
      }),
    );
    const ordered = new Map(hosts.map((h) => [h, sessions.get(h)!]));
    return new RtrBatch(call, groups, ordered, options, pulse, clientClosing);
  }

  /** The batch session IDs, one per group of at most 10,000 hosts. */
  get batchIds(): string[] {
    return this.#groups.map((g) => g.batchId);
  }

  /** The last failed refresh, if the latest one failed. */
  get refreshError(): unknown {
    return this.#keepAlive.lastError;
  }

  /** Refreshes every batch session now (BatchRefreshSessions); the keep-alive does this on its own. */
  async refresh(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#open();
    await Promise.all(
      this.#groups.map((g) =>
        this.call("batchRefreshSessions", { batch_id: g.batchId, hosts_to_remove: [] }, { signal: options.signal }),
      ),
    );
  }

  /**
   * Runs a command on every host (BatchCmd / BatchActiveResponderCmd / BatchAdminCmd by level),
   * sending `timeout` and `host_timeout_duration`; resolves with one result per host, in the
   * order the hosts were given: complete, failed (with the reason), timed_out or queued.
   */
  async run(command: string, options: BatchRunOptions = {}): Promise<Map<string, BatchHostResult>> {
    this.#open();
    const parsed = parseCommand(command);
    const level = await levelFor(parsed, options.level);
    const op = RTR_ENDPOINTS[level].batch;
    const { timeout, hostTimeout } = this.#timeouts(options);
    const signal = this.#until(options.signal);
    return this.#perHost(async (group) => {
      const r = await this.call(
        op,
        {
          base_command: parsed.baseCommand,
          command_string: parsed.commandString,
          batch_id: group.batchId,
          optional_hosts: optionalHosts(group),
          persist_all: this.options.queueOffline === true,
          timeout,
          ...durationArg(hostTimeout),
        },
        { signal, timeout: timeout + CALL_MARGIN },
      );
      this.#keepAlive.reset();
      const answers = hostResources(r, "combined");
      return (aid) => hostResult(answers[aid], hostTimeout, level);
    });
  }

  /**
   * `get`s a file on every host (BatchGetCmd), then polls BatchGetCmdStatus until every host
   * that ran the get has uploaded its file, or `uploadTimeout` passes (those hosts are then
   * `timed_out`). One result per host; completed ones carry `file` to stream or save.
   */
  async get(path: string, options: BatchGetOptions = {}): Promise<Map<string, BatchGetResult>> {
    this.#open();
    if (typeof path !== "string" || path.trim() === "")
      throw new InvalidOption("path", "expected the file's path on the hosts");
    const { timeout, hostTimeout } = this.#timeouts(options);
    const uploadTimeout = secondsOption("uploadTimeout", options.uploadTimeout, 300);
    const signal = this.#until(options.signal);
    return this.#perHost<BatchGetResult>(async (group) => {
      const r = await this.call(
        "batchGetCmd",
        {
          batch_id: group.batchId,
          file_path: path,
          optional_hosts: optionalHosts(group),
          timeout,
          ...durationArg(hostTimeout),
        },
        { signal, timeout: timeout + CALL_MARGIN },
      );
      this.#keepAlive.reset();
      const requestId = text(bodyOf(r).batch_get_cmd_req_id);
      const answers = hostResources(r, "combined");
      const ran = new Map(group.usable.map((aid) => [aid, refusedGet(hostResult(answers[aid], hostTimeout))] as const));
      const waiting = [...ran].filter(([, h]) => h.status === "complete").map(([aid]) => aid);
      let files: Record<string, unknown> = {};
      if (requestId && waiting.length) {
        const uploaded = (res: Result<unknown>) => hostResources(res, "resources");
        const done = (res: Result<unknown>) =>
          waiting.every((aid) => text((uploaded(res)[aid] as { sha256?: unknown } | undefined)?.sha256) !== "");
        try {
          files = uploaded(
            await poll(
              (each) => this.call("batchGetCmdStatus", { batch_get_cmd_req_id: requestId }, { signal: each }),
              {
                until: done,
                interval: 1,
                maxInterval: 10,
                timeout: uploadTimeout,
                signal,
                label: `RTR batch get ${path} (${requestId})`,
              },
            ),
          );
        } catch (err) {
          // hosts that had not uploaded by then are reported as timed out, the rest as usual
          if (!(err instanceof PollTimeoutError)) throw err;
          files = err.lastResult ? uploaded(err.lastResult as Result<unknown>) : {};
        }
      }
      return (aid) => {
        const h = ran.get(aid) ?? hostResult(undefined, hostTimeout);
        if (h.status !== "complete") return h;
        const f = files[aid] as Record<string, unknown> | undefined;
        if (!f || text(f.sha256) === "")
          return {
            ...h,
            status: "timed_out",
            error: { code: 408, message: `the file did not reach the cloud within ${uploadTimeout}s` },
          };
        return { ...h, file: new RtrFile(this.call, fileInfo(f, h.sessionId ?? "")) };
      };
    });
  }

  /**
   * Ends the waits in progress (run, get: InvalidOperation) and stops refreshing; the batch's
   * sessions then expire on their own (the API has no batch delete). Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort(new InvalidOperation(`RTR batch ${this.batchIds.join(", ")} was closed`));
    this.#keepAlive.stop();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Runs `send` on every group at once and assembles one result per host: the command's, else the session failure's. */
  async #perHost<R extends BatchHostResult>(
    send: (group: Group) => Promise<(aid: string) => R>,
  ): Promise<Map<string, R>> {
    const answered = await Promise.all(this.#groups.map((g) => (g.usable.length ? send(g) : undefined)));
    const out = new Map<string, R>();
    this.#groups.forEach((group, i) => {
      const usable = new Set(group.usable);
      for (const aid of group.hosts) out.set(aid, (usable.has(aid) ? answered[i]!(aid) : this.sessions.get(aid)!) as R);
    });
    return new Map([...this.sessions.keys()].map((aid) => [aid, out.get(aid)!]));
  }

  #timeouts(options: BatchRunOptions): { timeout: number; hostTimeout: number | undefined } {
    const timeout = secondsOption("timeout", options.timeout, 30, MAX_API_TIMEOUT);
    return { timeout, hostTimeout: checkHostTimeout(options.hostTimeout ?? this.options.hostTimeout, timeout) };
  }

  #open(): void {
    if (this.#closed) throw new InvalidOperation(`RTR batch ${this.batchIds.join(", ")} is closed`);
  }

  /** `signal` joined with this batch's closing and its client's: what a wait and its requests stop with. */
  #until(signal: AbortSignal | undefined): AbortSignal {
    return anySignal(signal, this.#closing.signal, this.clientClosing);
  }
}

function checkHostTimeout(hostTimeout: number | undefined, timeout: number): number | undefined {
  if (hostTimeout === undefined) return undefined;
  secondsOption("hostTimeout", hostTimeout, 0, MAX_API_TIMEOUT);
  if (hostTimeout >= timeout)
    throw new InvalidOption("hostTimeout", `must be below the command's timeout (${timeout}s), got ${hostTimeout}s`);
  return hostTimeout;
}

/** The API's duration syntax for host_timeout_duration ("30s", "1500ms"). */
function durationArg(hostTimeout: number | undefined): { host_timeout_duration?: string } {
  if (hostTimeout === undefined) return {};
  return {
    host_timeout_duration: Number.isInteger(hostTimeout) ? `${hostTimeout}s` : `${Math.round(hostTimeout * 1000)}ms`,
  };
}

/** A `get` the host answered with an error (no such file, access denied) uploads nothing: a failure, not a wait. */
function refusedGet(h: BatchHostResult): BatchHostResult {
  if (h.status !== "complete" || h.stderr.trim() === "") return h;
  return { ...h, status: "failed", error: { code: 0, message: h.stderr.trim() } };
}

/** `optional_hosts`: [] (every host of the batch) unless some hosts' sessions failed to open. */
function optionalHosts(group: Group): string[] {
  return group.usable.length === group.hosts.length ? [] : [...group.usable];
}
