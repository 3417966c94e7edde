/**
 * Commands queued for an offline host (queue_offline sessions and batches): the host runs them
 * when it comes back (the queue keeps them 7 days), and their output is then read like any
 * command's, from the status endpoint of the level they were sent at. RTR_ListQueuedSessions
 * says where a command stands: its entry in the session's `Commands` is PENDING until the host
 * ran it, then FINISHED (the rule is spec/job-states.ts's `rtrQueuedCommand`). What identifies
 * a queued command is plain data, so it can be stored and collected later by another process.
 */
import type { JobStateRule } from "../../generated/helper-data.js";
import { JobFailed, outcomeOf, poll } from "../poll.js";
import type { Result } from "../results.js";
import { requireId, secondsLeft, text, type WaitOptions } from "./jobs.js";
import { checkLevel, levelFor, parseCommand, RTR_ENDPOINTS, type RtrLevel } from "./rtr-commands.js";
import type { RtrCall } from "./rtr-file.js";
import { type CommandResult, commandOutput } from "./rtr-session.js";

/** A queued command, enough to collect its result later: a queued `run()`'s result is one. */
export interface QueuedCommand {
  readonly sessionId: string;
  readonly cloudRequestId: string;
  /** The level it was sent at (its output is read there); default: the level of its command line by the table. */
  readonly level?: RtrLevel;
}

type Entry = Record<string, unknown>;
interface Look {
  readonly finished: boolean;
  readonly command: Entry;
  readonly session: Entry;
}

const record = (v: unknown): Entry | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Entry) : undefined;

/** A `deleted_at` that says deleted: not null, "" or Go's zero time (how a required date-time says "never"). */
const deleted = (v: unknown): boolean => text(v) !== "" && !text(v).startsWith("0001-01-01");

/** Where the command stands in an RTR_ListQueuedSessions answer; a failure, or a command no longer queued, throws JobFailed. */
function lookAt(result: Result<unknown>, ref: QueuedCommand, rule: JobStateRule, label: string): Look {
  const session = result.resources.map(record).find((s) => s?.id === ref.sessionId);
  const commands = session?.Commands ?? session?.commands;
  const command = Array.isArray(commands)
    ? commands.map(record).find((c) => c?.cloud_request_id === ref.cloudRequestId)
    : undefined;
  if (!session || !command)
    throw new JobFailed(`${label} is not in the queue (deleted, or expired after 7 days)`, undefined, result);
  const outcome = outcomeOf(command.status, rule);
  const why = text(command.status_text);
  if (outcome === "failure")
    throw new JobFailed(`${label} ended ${String(command.status)}${why ? `: ${why}` : ""}`, command.status, result);
  if (outcome === undefined && (deleted(command.deleted_at) || deleted(session.deleted_at)))
    throw new JobFailed(`${label} was deleted from the queue before the host ran it`, command.status, result);
  return { finished: outcome === "success", command, session };
}

/**
 * The result of a queued command: with `wait`, polls RTR_ListQueuedSessions until the host ran
 * it (`timeout` throws PollTimeoutError, `signal` aborts), else looks once and answers
 * `queued: true` while it waits; once run, its output joined across sequences.
 */
export async function collectQueued(
  call: RtrCall,
  ref: QueuedCommand,
  options: WaitOptions & { wait: boolean },
): Promise<CommandResult> {
  const sessionId = requireId("sessionId", ref?.sessionId);
  const cloudRequestId = requireId("cloudRequestId", ref?.cloudRequestId);
  const given = ref.level === undefined ? undefined : checkLevel(ref.level);
  const { JOB_STATES } = await import("../../generated/helper-data.js");
  const rule = JOB_STATES.rtrQueuedCommand!;
  const label = `RTR queued command ${cloudRequestId} (session ${sessionId})`;
  const started = performance.now();
  const list = (signal: AbortSignal | undefined) => call("rtrListQueuedSessions", { ids: [sessionId] }, { signal });
  const listed = options.wait
    ? await poll(list, {
        until: (r) => lookAt(r, ref, rule, label).finished,
        interval: options.interval ?? 2,
        maxInterval: options.maxInterval ?? 30,
        timeout: options.timeout,
        signal: options.signal,
        label,
      })
    : await list(options.signal);
  const { finished, command, session } = lookAt(listed, ref, rule, label);
  const parsed = parseCommand(text(command.command_string) || text(command.base_command));
  const level = await levelFor(parsed, given);
  const base = {
    sessionId,
    cloudRequestId,
    deviceId: text(session.aid),
    baseCommand: text(command.base_command) || parsed.baseCommand,
    level,
  };
  if (!finished) return { ...base, stdout: "", stderr: "", complete: false, queued: true };
  const output = await commandOutput(call, RTR_ENDPOINTS[level].status, cloudRequestId, label, {
    ...options,
    timeout: secondsLeft(options.timeout, started),
  });
  return { ...base, ...output, complete: true, queued: false };
}
