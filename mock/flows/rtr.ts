/**
 * A stateful Real Time Response world for the mock server (the "rtr" scenario): hosts,
 * sessions that expire when not pulsed, commands that complete after N status polls with their
 * output chunked across sequences, offline hosts (refused, or queued with queue_offline, their
 * commands PENDING in the offline queue until `connect(aid)` brings the host back), batch
 * sessions with mixed per-host outcomes, and `get` files that reach the cloud after a delay.
 *
 * Usage:
 *   const rtr = createRtrWorld({ hosts: { [aid]: { files: { "C:\\x.exe": bytes } } } });
 *   mock.flow(rtr);            // or: const rtr = mock.scenario("rtr", { hosts: ... }).flow
 *   rtr.connect(offlineAid);   // the host is back: its queued commands run
 *   ... rtr.sessions, rtr.commands, rtr.calls (per operation ID) for assertions.
 */
import { createHash, randomUUID } from "node:crypto";
import { RTR_COMMAND_LEVELS } from "../../generated/helper-data.js";
import type { FlowReply, FlowRequest, MockFlow } from "../flows.js";
import { errorAnswer, okAnswer } from "./flow.js";

export type RtrLevel = "read-only" | "active-responder" | "admin";

export interface RtrHost {
  /** false: the host does not answer (default true). */
  online?: boolean;
  /** Online, but too slow for batch host timeouts: batch answers say complete: false, no error. */
  slow?: boolean;
  /** Batch commands on this host fail with this error. */
  commandError?: { code: number; message: string };
  /** Files `get` can fetch, by path on the host. */
  files?: Record<string, Uint8Array>;
}

export interface RtrWorldOptions {
  /** Known hosts; any other device ID uses `defaultHost` (when set) or is unknown (404). */
  hosts?: Record<string, RtrHost>;
  defaultHost?: RtrHost;
  /** Milliseconds of inactivity after which a session expires (default 600_000: Falcon's ~10 minutes). */
  sessionIdleMs?: number;
  /** Status polls (sequence 0) before a command is complete (default 2). */
  pollsToComplete?: number;
  /** Characters of output per sequence (default 64). */
  chunkSize?: number;
  /** File-list polls before a `get`'s file is in the cloud (default 2). */
  filePolls?: number;
  /** stdout/stderr of a command (default: a few lines naming the command and host). */
  output?: (commandString: string, aid: string) => { stdout: string; stderr?: string };
  now?: () => number;
}

export interface MockSession {
  readonly id: string;
  readonly aid: string;
  readonly queued: boolean;
  readonly createdAt: number;
  lastActive: number;
  deleted: boolean;
  pulses: number;
}

export interface MockCommand {
  readonly cloudRequestId: string;
  readonly sessionId: string;
  readonly aid: string;
  readonly operationId: string;
  readonly baseCommand: string;
  readonly commandString: string;
  readonly stdout: string;
  readonly stderr: string;
  polls: number;
  /** Sent to the offline queue (the host was offline). */
  readonly offlineQueued: boolean;
  /** Queued and not run yet (PENDING): `connect(aid)` runs it. */
  pending: boolean;
  /** Deleted from the offline queue (RTR_DeleteQueuedSession) before the host ran it. */
  deleted: boolean;
  readonly createdAt: number;
  updatedAt: number;
}

interface MockFile {
  readonly sha256: string;
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sessionId: string;
  readonly cloudRequestId: string;
  readonly aid: string;
  listPolls: number;
}

interface MockBatch {
  readonly id: string;
  readonly hosts: string[];
  readonly sessions: Map<string, MockSession>;
}

/** The RTR scenario ("rtr"): a flow answering the RTR operations, and what it holds for assertions. */
export interface RtrWorld extends MockFlow {
  readonly sessions: Map<string, MockSession>;
  readonly commands: Map<string, MockCommand>;
  readonly batches: Map<string, MockBatch>;
  /** Requests per operation ID, with their query (to check timeouts were sent). */
  readonly calls: { operationId: string; query: Readonly<Record<string, unknown>>; body: unknown }[];
  /**
   * An offline host comes back: it runs the commands queued for it (they become FINISHED, their
   * output read as any command's), and new sessions on it open as online ones.
   */
  connect(aid: string): void;
}

const EXECUTE: Readonly<Record<string, RtrLevel>> = {
  RTR_ExecuteCommand: "read-only",
  RTR_ExecuteActiveResponderCommand: "active-responder",
  RTR_ExecuteAdminCommand: "admin",
};
const STATUS: Readonly<Record<string, RtrLevel>> = {
  RTR_CheckCommandStatus: "read-only",
  RTR_CheckActiveResponderCommandStatus: "active-responder",
  RTR_CheckAdminCommandStatus: "admin",
};
const BATCH: Readonly<Record<string, RtrLevel>> = {
  BatchCmd: "read-only",
  BatchActiveResponderCmd: "active-responder",
  BatchAdminCmd: "admin",
};
const RANK: Readonly<Record<RtrLevel, number>> = { "read-only": 0, "active-responder": 1, admin: 2 };

/** The level a command needs, by the same two-word-then-one-word keys as the API's lists. */
function neededLevel(commandString: string): RtrLevel | undefined {
  const words = commandString.trim().toLowerCase().split(/\s+/);
  return RTR_COMMAND_LEVELS[`${words[0]} ${words[1] ?? ""}`] ?? RTR_COMMAND_LEVELS[words[0]!];
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};

/** The path argument of a `get` command line (quotes removed). */
function getPath(commandString: string): string {
  return commandString
    .trim()
    .replace(/^get\s+/i, "")
    .replace(/^"(.*)"$/, "$1");
}

export function createRtrWorld(options: RtrWorldOptions = {}): RtrWorld {
  const now = options.now ?? Date.now;
  const idle = options.sessionIdleMs ?? 600_000;
  const pollsToComplete = options.pollsToComplete ?? 2;
  const chunkSize = options.chunkSize ?? 64;
  const filePolls = options.filePolls ?? 2;
  const output =
    options.output ??
    ((cmd: string, aid: string) => ({ stdout: `> ${cmd}\nhost ${aid}\n${"output line\n".repeat(8)}` }));
  const sessions = new Map<string, MockSession>();
  const commands = new Map<string, MockCommand>();
  const files = new Map<string, MockFile>();
  const batches = new Map<string, MockBatch>();
  const batchGets = new Map<string, { batch: MockBatch; files: Map<string, MockFile>; polls: number }>();
  const calls: RtrWorld["calls"] = [];

  const connected = new Set<string>();

  const hostOf = (aid: string): RtrHost | undefined => options.hosts?.[aid] ?? options.defaultHost;
  const isOnline = (aid: string): boolean => connected.has(aid) || hostOf(aid)?.online !== false;
  const live = (s: MockSession | undefined): s is MockSession => !!s && !s.deleted && now() - s.lastActive <= idle;

  const openSession = (aid: string, queueOffline: boolean): MockSession | FlowReply => {
    const host = hostOf(aid);
    if (!host) return errorAnswer(404, `device ${aid} not found`);
    const online = isOnline(aid);
    if (!online && !queueOffline) return errorAnswer(404, `Could not establish sensor comms with ${aid}: host offline`);
    const s: MockSession = {
      id: randomUUID(),
      aid,
      queued: !online,
      createdAt: now(),
      lastActive: now(),
      deleted: false,
      pulses: 0,
    };
    sessions.set(s.id, s);
    return s;
  };

  /** Runs a command line on a host (synchronously, as batch commands answer): output or a file. */
  const perform = (s: MockSession, operationId: string, commandString: string): MockCommand => {
    const baseCommand = commandString.trim().split(/\s+/, 1)[0]!.toLowerCase();
    let out: { stdout: string; stderr?: string };
    const cloudRequestId = randomUUID();
    if (baseCommand === "get") {
      const path = getPath(commandString);
      const bytes = hostOf(s.aid)?.files?.[path];
      if (bytes) {
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        files.set(`${s.id}:${cloudRequestId}`, {
          sha256,
          name: path,
          bytes,
          sessionId: s.id,
          cloudRequestId,
          aid: s.aid,
          listPolls: 0,
        });
        out = { stdout: "" };
      } else out = { stdout: "", stderr: `Cannot find file ${path}` };
    } else out = output(commandString, s.aid);
    const cmd: MockCommand = {
      cloudRequestId,
      sessionId: s.id,
      aid: s.aid,
      operationId,
      baseCommand,
      commandString,
      stdout: out.stdout,
      stderr: out.stderr ?? "",
      polls: 0,
      // a queued session's host runs it when it is back
      offlineQueued: s.queued && !isOnline(s.aid),
      pending: s.queued && !isOnline(s.aid),
      deleted: false,
      createdAt: now(),
      updatedAt: now(),
    };
    commands.set(cloudRequestId, cmd);
    return cmd;
  };

  const refuse = (operationId: string, level: RtrLevel, commandString: string): FlowReply | undefined => {
    const needed = neededLevel(commandString);
    if (needed === undefined || RANK[needed] > RANK[level]) {
      return errorAnswer(400, `${operationId}: command "${commandString}" is not allowed at the ${level} level`);
    }
    return undefined;
  };

  /** One host's entry in a batch answer (MultiStatusSensorResponse). */
  const hostEntry = (
    aid: string,
    s: MockSession | undefined,
    fields: Partial<Record<string, unknown>> = {},
  ): Record<string, unknown> => ({
    aid,
    session_id: s?.id ?? "",
    complete: false,
    offline_queued: false,
    stdout: "",
    stderr: "",
    errors: [],
    query_time: 0.01,
    ...fields,
  });

  const answer = (req: FlowRequest): FlowReply | undefined => {
    const id = req.operationId;
    const body = record(req.body);
    const q = req.query;
    calls.push({ operationId: id, query: q, body: req.body });
    switch (id) {
      case "RTR_InitSession": {
        const s = openSession(str(body.device_id), body.queue_offline === true);
        if (!("id" in s)) return s;
        return okAnswer(201, [
          {
            session_id: s.id,
            device_id: s.aid,
            offline_queued: s.queued,
            created_at: new Date(now()).toISOString(),
            existing_aid_sessions: 1,
            scripts: [],
            pwd: "C:\\",
          },
        ]);
      }
      case "RTR_PulseSession": {
        const aid = str(body.device_id);
        const s = [...sessions.values()].reverse().find((x) => x.aid === aid && !x.deleted);
        if (!live(s)) return errorAnswer(404, `no live session for ${aid} (expired or deleted)`);
        s.lastActive = now();
        s.pulses++;
        return okAnswer(201, [
          {
            session_id: s.id,
            device_id: aid,
            offline_queued: s.queued,
            created_at: new Date(now()).toISOString(),
            existing_aid_sessions: 1,
            scripts: [],
          },
        ]);
      }
      case "RTR_DeleteSession": {
        const s = sessions.get(str(q.session_id));
        if (!s || s.deleted) return errorAnswer(404, "session not found");
        s.deleted = true;
        return { status: 204 };
      }
      case "RTR_ExecuteCommand":
      case "RTR_ExecuteActiveResponderCommand":
      case "RTR_ExecuteAdminCommand": {
        const s = sessions.get(str(body.session_id));
        if (!live(s)) return errorAnswer(404, `session ${str(body.session_id)} not found or expired`);
        const commandString = str(body.command_string);
        const refused = refuse(id, EXECUTE[id]!, commandString);
        if (refused) return refused;
        s.lastActive = now();
        const cmd = perform(s, id, commandString);
        return okAnswer(201, [
          { cloud_request_id: cmd.cloudRequestId, session_id: s.id, queued_command_offline: cmd.offlineQueued },
        ]);
      }
      case "RTR_CheckCommandStatus":
      case "RTR_CheckActiveResponderCommandStatus":
      case "RTR_CheckAdminCommandStatus": {
        const cmd = commands.get(str(q.cloud_request_id));
        // a batch command's status (a queued host's, by its task_id) is read at its level too
        if (!cmd || (EXECUTE[cmd.operationId] ?? BATCH[cmd.operationId]) !== STATUS[id])
          return errorAnswer(404, `cloud_request_id ${str(q.cloud_request_id)} not found at this level`);
        const seq = Number(q.sequence_id ?? 0);
        // the host has not run a queued command yet: its polls do not count
        if (seq === 0 && !cmd.pending) cmd.polls++;
        const resource = {
          session_id: cmd.sessionId,
          task_id: cmd.cloudRequestId,
          base_command: cmd.baseCommand,
          sequence_id: seq,
        };
        if (cmd.pending || cmd.polls <= pollsToComplete)
          return okAnswer(200, [{ ...resource, complete: false, stdout: "", stderr: "" }]);
        const stdout = cmd.stdout.slice(seq * chunkSize, (seq + 1) * chunkSize);
        const stderr = cmd.stderr.slice(seq * chunkSize, (seq + 1) * chunkSize);
        return okAnswer(200, [{ ...resource, complete: true, stdout, stderr }]);
      }
      case "RTR_ListFilesV2": {
        const sid = str(q.session_id);
        const listed = [...files.values()].filter(
          (f) => f.sessionId === sid && !commands.get(f.cloudRequestId)?.pending,
        );
        return okAnswer(
          200,
          listed.map((f) => {
            const ready = ++f.listPolls > filePolls;
            const at = new Date(now()).toISOString();
            return {
              id: f.cloudRequestId,
              cloud_request_id: f.cloudRequestId,
              session_id: sid,
              name: f.name,
              sha256: ready ? f.sha256 : "",
              size: ready ? f.bytes.length : 0,
              complete: ready,
              progress: ready ? 1 : 0.5,
              stage: ready ? "uploaded" : "uploading",
              status: ready ? "complete" : "pending",
              error_message: "",
              created_at: at,
              updated_at: at,
              deleted_at: "",
            };
          }),
        );
      }
      case "RTR_GetExtractedFileContents": {
        const f = [...files.values()].find(
          (x) => x.sessionId === str(q.session_id) && x.sha256 === str(q.sha256) && x.listPolls > filePolls,
        );
        if (!f) return errorAnswer(404, "file not found in this session");
        // stands in for the 7z archive the API serves (password "infected")
        return { status: 200, body: f.bytes, contentType: "application/x-7z-compressed" };
      }
      case "BatchInitSessions": {
        const batch: MockBatch = { id: randomUUID(), hosts: [], sessions: new Map() };
        const resources: Record<string, unknown> = {};
        for (const aid of (body.host_ids as string[] | undefined) ?? []) {
          batch.hosts.push(aid);
          const host = hostOf(aid);
          const s = openSession(aid, body.queue_offline === true);
          if (!("id" in s)) {
            resources[aid] = hostEntry(aid, undefined, {
              errors: [{ code: 40401, message: host ? "host offline" : "device not found" }],
            });
            continue;
          }
          batch.sessions.set(aid, s);
          resources[aid] = hostEntry(
            aid,
            s,
            s.queued ? { offline_queued: true } : host?.slow ? {} : { complete: true, stdout: "C:\\>" },
          );
        }
        batches.set(batch.id, batch);
        return {
          status: 201,
          body: { meta: { query_time: 0.01, trace_id: "mock-flow" }, errors: [], batch_id: batch.id, resources },
        };
      }
      case "BatchRefreshSessions": {
        const batch = batches.get(str(body.batch_id));
        if (!batch) return errorAnswer(404, "batch not found");
        const resources: Record<string, unknown> = {};
        for (const [aid, s] of batch.sessions) {
          if (live(s)) s.lastActive = now();
          s.pulses++;
          resources[aid] = hostEntry(aid, s, { complete: live(s) });
        }
        return okAnswer(201, resources);
      }
      case "BatchCmd":
      case "BatchActiveResponderCmd":
      case "BatchAdminCmd":
      case "BatchGetCmd": {
        const batch = batches.get(str(body.batch_id));
        if (!batch) return errorAnswer(404, "batch not found");
        const commandString = id === "BatchGetCmd" ? `get ${str(body.file_path)}` : str(body.command_string);
        const refused = id === "BatchGetCmd" ? undefined : refuse(id, BATCH[id]!, commandString);
        if (refused) return refused;
        const only = (body.optional_hosts as string[] | undefined) ?? [];
        const targets = only.length ? only : batch.hosts;
        const resources: Record<string, unknown> = {};
        const fetched = new Map<string, MockFile>();
        for (const aid of targets) {
          const s = batch.sessions.get(aid);
          const host = hostOf(aid);
          if (!s) {
            resources[aid] = hostEntry(aid, undefined, {
              errors: [{ code: 40401, message: "no session for this host" }],
            });
          } else if (s.queued && !isOnline(aid)) {
            // persist_all queues the command for the host (its task_id is the cloud request ID)
            const queued =
              body.persist_all === true && id !== "BatchGetCmd" ? perform(s, id, commandString) : undefined;
            resources[aid] = hostEntry(aid, s, {
              offline_queued: true,
              ...(queued ? { task_id: queued.cloudRequestId, base_command: queued.baseCommand } : {}),
            });
          } else if (host?.slow) {
            resources[aid] = hostEntry(aid, s);
          } else if (host?.commandError) {
            resources[aid] = hostEntry(aid, s, { errors: [host.commandError] });
          } else {
            s.lastActive = now();
            const cmd = perform(s, id, commandString);
            const file = files.get(`${s.id}:${cmd.cloudRequestId}`);
            if (file) fetched.set(aid, file);
            resources[aid] = hostEntry(aid, s, {
              complete: true,
              stdout: cmd.stdout,
              stderr: cmd.stderr,
              base_command: cmd.baseCommand,
              task_id: cmd.cloudRequestId,
            });
          }
        }
        const combined = { resources };
        if (id !== "BatchGetCmd")
          return { status: 201, body: { meta: { query_time: 0.01, trace_id: "mock-flow" }, errors: [], combined } };
        const reqId = randomUUID();
        batchGets.set(reqId, { batch, files: fetched, polls: 0 });
        return {
          status: 201,
          body: {
            meta: { query_time: 0.01, trace_id: "mock-flow" },
            errors: [],
            combined,
            batch_get_cmd_req_id: reqId,
          },
        };
      }
      case "BatchGetCmdStatus": {
        const get = batchGets.get(str(q.batch_get_cmd_req_id));
        if (!get) return errorAnswer(404, "batch get request not found");
        const ready = ++get.polls > filePolls;
        const resources: Record<string, unknown> = {};
        if (ready) {
          for (const [aid, f] of get.files) {
            f.listPolls = filePolls + 1;
            const at = new Date(now()).toISOString();
            resources[aid] = {
              cloud_request_id: f.cloudRequestId,
              session_id: f.sessionId,
              sha256: f.sha256,
              name: f.name,
              size: f.bytes.length,
              id: 1,
              created_at: at,
              updated_at: at,
              deleted_at: "",
            };
          }
        }
        return okAnswer(200, resources);
      }
      case "RTR_ListQueuedSessions": {
        const ids = new Set((body.ids as string[] | undefined) ?? []);
        const iso = (ms: number) => new Date(ms).toISOString();
        // a required date-time: "not deleted" is Go's zero time
        const never = "0001-01-01T00:00:00Z";
        const listed = [...sessions.values()].filter((s) => s.queued && ids.has(s.id));
        return okAnswer(
          200,
          listed.map((s) => {
            const queue = [...commands.values()].filter((c) => c.sessionId === s.id && c.offlineQueued && !c.deleted);
            return {
              id: s.id,
              aid: s.aid,
              status: queue.some((c) => c.pending) ? "PENDING" : "FINISHED",
              created_at: iso(s.createdAt),
              updated_at: iso(now()),
              deleted_at: never,
              user_id: "mock-user",
              user_uuid: "00000000-0000-4000-8000-000000000000",
              Commands: queue.map((c) => ({
                cloud_request_id: c.cloudRequestId,
                base_command: c.baseCommand,
                command_string: c.commandString,
                status: c.pending ? "PENDING" : "FINISHED",
                status_text: "",
                created_at: iso(c.createdAt),
                updated_at: iso(c.updatedAt),
                deleted_at: never,
              })),
            };
          }),
        );
      }
      case "RTR_DeleteQueuedSession": {
        const cmd = commands.get(str(q.cloud_request_id));
        if (!cmd || cmd.sessionId !== str(q.session_id) || cmd.deleted || !cmd.pending)
          return errorAnswer(404, "queued command not found");
        cmd.deleted = true;
        return okAnswer(200, []);
      }
      default:
        return undefined;
    }
  };

  const connect = (aid: string): void => {
    connected.add(aid);
    for (const cmd of commands.values()) {
      if (cmd.aid !== aid || !cmd.pending || cmd.deleted) continue;
      cmd.pending = false;
      cmd.updatedAt = now();
    }
  };

  return {
    name: "rtr",
    answer,
    reset: () => {
      for (const m of [sessions, commands, files, batches, batchGets, connected]) m.clear();
      calls.length = 0;
    },
    connect,
    sessions,
    commands,
    batches,
    calls,
  };
}
