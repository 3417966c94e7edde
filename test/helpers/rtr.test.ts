/**
 * RTR sessions and batches against the mock server with the stateful RTR world
 * (mock/flows/rtr.ts), over real HTTP on 127.0.0.1, with short timings.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRtrWorld, type RtrWorld, type RtrWorldOptions } from "../../mock/flows/rtr.js";
import type { FlowHandle } from "../../mock/flows.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { RealTimeResponse } from "../../generated/real-time-response/index.js";
import { APIError, ClientClosed, InvalidOperation, InvalidOption } from "../../runtime/errors.js";
import { JobFailed, PollTimeoutError } from "../../runtime/poll.js";
import { UNTIL_MS, sleep, until } from "../support/until.js";

const spec = (tag: string) => fileURLToPath(new URL(`../../generated/${tag}/openapi.json`, import.meta.url));
const CREDS = { clientId: "mock-client-id", clientSecret: "mock-client-secret" };
const AID = "a".repeat(32);
const OFFLINE = "b".repeat(32);
const FAST = { interval: 0.01, maxInterval: 0.05 };

let mock: MockFalcon;
let world: RtrWorld;
let handle: FlowHandle | undefined;
let rtr: RealTimeResponse;
let dir: string;

beforeAll(async () => {
  mock = await startMockFalcon({ spec: [spec("real-time-response"), spec("real-time-response-admin")] });
  rtr = new RealTimeResponse({ ...CREDS, baseUrl: mock.url });
  dir = await mkdtemp(join(tmpdir(), "falconts-rtr-"));
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  handle?.remove();
  mock.clearLog();
  mock.clearFaults();
});

function useWorld(options: RtrWorldOptions = {}): RtrWorld {
  world = createRtrWorld({ hosts: { [AID]: {}, [OFFLINE]: { online: false } }, ...options });
  handle = mock.flow(world);
  return world;
}
const requests = (op: string) => mock.requests.filter((r) => r.operationId === op && r.status !== undefined);
/** Requests to `op` the mock received, those still in flight (a hang) included. */
const received = (op: string) => mock.requests.filter((r) => r.operationId === op).length;
/** `promise` caught at once (no unhandled rejection), to look at with settled() later. */
const later = (promise: Promise<unknown>): Promise<unknown> => promise.catch((e: unknown) => e);
/** What `promise` settles with (its error when it rejects), or "pending" if it has not within UNTIL_MS. */
async function settled(promise: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise((r) => {
    timer = setTimeout(() => r("pending"), UNTIL_MS);
  });
  try {
    return await Promise.race([promise, pending]);
  } finally {
    clearTimeout(timer);
  }
}
/** A poll interval no test waits out: a wait that ends, ends because it was stopped. */
const SLOW = { interval: 30, maxInterval: 30 };
/** Session idle expiry in the timing tests: pulses every 100 ms keep it with a wide margin. */
const IDLE_MS = 600;
const PULSE_PATH = "/real-time-response/entities/refresh-session/v1";
const BATCH_REFRESH_PATH = "/real-time-response/combined/batch-refresh-session/v1";

/** A client of its own that counts the keep-alive requests it sends (middleware runs right before the wire). */
function countingClient(): { client: RealTimeResponse; sent: { pulses: number; refreshes: number } } {
  const sent = { pulses: 0, refreshes: 0 };
  const client = new RealTimeResponse({ ...CREDS, baseUrl: mock.url }).use({
    onRequest: ({ schemaPath }) => {
      if (schemaPath === PULSE_PATH) sent.pulses++;
      if (schemaPath === BATCH_REFRESH_PATH) sent.refreshes++;
    },
  });
  return { client, sent };
}

describe("session", () => {
  it("stays alive while held for longer than the idle expiry: pulses keep it", async () => {
    useWorld({ sessionIdleMs: IDLE_MS });
    await using session = await rtr.session(AID, { pulseInterval: 0.1 });
    await sleep(IDLE_MS * 1.5);
    const r = await session.run("ls C:\\Windows", FAST);
    expect(r.complete).toBe(true);
    expect(world.sessions.get(session.sessionId)!.pulses).toBeGreaterThanOrEqual(3);
    expect(session.pulseError).toBeUndefined();
  });

  it("without pulses the same session expires (the control case)", async () => {
    useWorld({ sessionIdleMs: IDLE_MS });
    const session = await rtr.session(AID, { pulseInterval: 60 });
    await sleep(IDLE_MS + 200);
    await expect(session.run("ls", FAST)).rejects.toMatchObject({ name: "APIError", status: 404 });
    await session.close().catch(() => undefined);
  });

  it("runs read-only, active-responder and admin commands on their endpoints and joins output across sequences", async () => {
    const outputs: Record<string, string> = {};
    useWorld({
      chunkSize: 16,
      output: (cmd) => {
        outputs[cmd] = `${cmd}\n${"0123456789".repeat(10)}\nend of ${cmd}\n`;
        return { stdout: outputs[cmd]! };
      },
    });
    await using session = await rtr.session(AID);
    const cases: [string, string, string][] = [
      ["ls C:\\Windows", "RTR_ExecuteCommand", "RTR_CheckCommandStatus"],
      ["reg query HKLM\\Software", "RTR_ExecuteCommand", "RTR_CheckCommandStatus"],
      [
        "reg set HKLM\\Software\\x -Value 1",
        "RTR_ExecuteActiveResponderCommand",
        "RTR_CheckActiveResponderCommandStatus",
      ],
      ["kill 1234", "RTR_ExecuteActiveResponderCommand", "RTR_CheckActiveResponderCommandStatus"],
      ["runscript -CloudFile=collect", "RTR_ExecuteAdminCommand", "RTR_CheckAdminCommandStatus"],
      ["put tool.exe", "RTR_ExecuteAdminCommand", "RTR_CheckAdminCommandStatus"],
    ];
    for (const [command, execute, status] of cases) {
      mock.clearLog();
      const r = await session.run(command, FAST);
      expect(r, command).toMatchObject({
        stdout: outputs[command],
        stderr: "",
        complete: true,
        queued: false,
        sessionId: session.sessionId,
        baseCommand: command.split(" ")[0],
      });
      expect(requests(execute).map((q) => (q.body as { command_string: string }).command_string)).toEqual([command]);
      // polled sequence 0 until complete, then 1, 2, ... until an empty chunk
      const seqs = requests(status).map((q) => Number(q.searchParams.get("sequence_id")));
      const chunks = Math.ceil(outputs[command]!.length / 16);
      expect(seqs.filter((s) => s === 0).length).toBeGreaterThanOrEqual(3);
      expect(seqs.filter((s) => s > 0)).toEqual(Array.from({ length: chunks }, (_, i) => i + 1));
      expect(requests(status).every((q) => q.searchParams.get("cloud_request_id") === r.cloudRequestId)).toBe(true);
    }
  });

  it("`level` overrides the table; an unknown command names itself and asks for a level", async () => {
    useWorld();
    await using session = await rtr.session(AID);
    await session.run("ls", { ...FAST, level: "admin" });
    expect(requests("RTR_ExecuteAdminCommand")).toHaveLength(1);
    await expect(session.run("frobnicate now", FAST)).rejects.toThrow(InvalidOption);
    await expect(session.run("frobnicate now", FAST)).rejects.toThrow(/unknown RTR command "frobnicate"/);
    await expect(session.run("ls", { level: "root" as never })).rejects.toThrow(/level/);
    await expect(session.run("  ")).rejects.toThrow(InvalidOption);
  });

  it("a queued (offline) session says so: the command is queued, not waited for, and close() keeps the queue", async () => {
    useWorld();
    const session = await rtr.session(OFFLINE, { queueOffline: true });
    expect(session.queued).toBe(true);
    const r = await session.run("ls", FAST);
    expect(r).toMatchObject({ queued: true, complete: false, stdout: "", stderr: "" });
    expect(requests("RTR_CheckCommandStatus")).toHaveLength(0);
    expect((requests("RTR_ExecuteCommand")[0]!.body as { persist: boolean }).persist).toBe(true);
    await expect(session.get("C:\\x")).rejects.toThrow(/offline; the get is queued/);
    await session.close();
    expect(requests("RTR_DeleteSession")).toHaveLength(0);
  });

  it("an offline host without queueOffline is an APIError from session()", async () => {
    useWorld();
    await expect(rtr.session(OFFLINE)).rejects.toBeInstanceOf(APIError);
    await expect(rtr.session("")).rejects.toThrow(InvalidOption);
    mock.override("RTR_InitSession", { body: { meta: {}, errors: [], resources: [] } }, { times: 1 });
    const err = await rtr.session(AID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailed);
    expect((err as Error).message).toBe(`RTR session on ${AID}: session_id: the API's answer has none`);
  });

  it("get waits for the upload, then streams the file to disk", async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    useWorld({ hosts: { [AID]: { files: { "C:\\Temp\\evil.exe": bytes } } }, filePolls: 3 });
    await using session = await rtr.session(AID);
    const file = await session.get("C:\\Temp\\evil.exe", FAST);
    expect(file.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(file).toMatchObject({ name: "C:\\Temp\\evil.exe", size: bytes.length, sessionId: session.sessionId });
    expect(requests("RTR_ListFilesV2").length).toBeGreaterThanOrEqual(4);
    const target = join(dir, "evil.7z");
    expect(await file.saveTo(target)).toBe(bytes.length);
    expect(new Uint8Array(await readFile(target))).toEqual(bytes);
    const download = requests("RTR_GetExtractedFileContents")[0]!;
    expect(download.searchParams.get("sha256")).toBe(file.sha256);
    expect((await session.files()).map((f) => f.sha256)).toEqual([file.sha256]);
  });

  it("a get the host refuses is a JobFailed with its stderr; a failed download leaves no partial file", async () => {
    useWorld({ hosts: { [AID]: { files: { "C:\\a.txt": new Uint8Array([1, 2, 3]) } } } });
    await using session = await rtr.session(AID);
    await expect(session.get("C:\\missing.txt", FAST)).rejects.toThrow(JobFailed);
    await expect(session.get("C:\\missing.txt", FAST)).rejects.toThrow(/Cannot find file C:\\missing\.txt/);
    const file = await session.get("C:\\a.txt", FAST);
    mock.truncate({ match: "RTR_GetExtractedFileContents", fraction: 0.5 });
    const target = join(dir, "partial.7z");
    await expect(file.saveTo(target)).rejects.toThrow();
    await expect(stat(target)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("run's timeout is a PollTimeoutError carrying the last status; an abort rejects with the signal's reason", async () => {
    useWorld({ pollsToComplete: Infinity });
    await using session = await rtr.session(AID);
    // long enough for the status polls to answer on a loaded machine: the error carries the last one
    const err = (await session.run("ls", { ...FAST, timeout: 1 }).catch((e: unknown) => e)) as PollTimeoutError;
    expect(err).toBeInstanceOf(PollTimeoutError);
    expect(err.name).toBe("PollTimeoutError");
    expect(err.message).toMatch(/RTR ls on a+ .*not done after 1s/);
    expect(err.lastResult).toBe(false);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop now")), 100);
    await expect(session.run("ls", { ...FAST, signal: controller.signal })).rejects.toThrow("stop now");
  });

  it("close() deletes the session, leaves no keep-alive timer, and the session refuses further use", async () => {
    useWorld();
    const PULSE_MS = 137;
    const pending = new Set<unknown>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number, ...rest: unknown[]) => {
      const t = realSet(
        () => {
          pending.delete(t);
          fn();
        },
        ms,
        ...rest,
      );
      if (ms === PULSE_MS) pending.add(t);
      return t;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((t: Parameters<typeof clearTimeout>[0]) => {
      pending.delete(t);
      realClear(t);
    }) as typeof clearTimeout;
    try {
      const session = await rtr.session(AID, { pulseInterval: PULSE_MS / 1000 });
      await session.run("ls", FAST);
      // pulses repeat, and between two of them exactly one pulse timer is pending (none while one is in flight)
      await until(() => world.sessions.get(session.sessionId)!.pulses >= 2 && pending.size > 0);
      expect(pending.size).toBe(1);
      await session.close(); // at once: stop() clears that timer before any other can fire, so no pulse is in flight
      expect(pending.size).toBe(0);
      const pulses = world.sessions.get(session.sessionId)!.pulses;
      await sleep(400);
      expect(pending.size).toBe(0);
      expect(world.sessions.get(session.sessionId)!.pulses).toBe(pulses);
      expect(requests("RTR_DeleteSession").map((r) => r.searchParams.get("session_id"))).toEqual([session.sessionId]);
      expect(world.sessions.get(session.sessionId)!.deleted).toBe(true);
      await expect(session.run("ls")).rejects.toThrow(InvalidOperation);
      await session.close();
      expect(requests("RTR_DeleteSession")).toHaveLength(1);
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
  });

  it("closing the client stops the pulses of its sessions and batches", async () => {
    useWorld({ defaultHost: {} });
    const { client: own, sent } = countingClient();
    const session = await own.session(AID, { pulseInterval: 0.1 });
    const batch = await own.batch([AID], { pulseInterval: 0.1 });
    await until(() => requests("RTR_PulseSession").length > 0 && requests("BatchRefreshSessions").length > 0);
    await own.close();
    const before = { ...sent };
    await sleep(350);
    // nothing sent after close() (a pulse already on the wire may still land), so the server saw no more
    expect(sent).toEqual(before);
    expect(requests("RTR_PulseSession").length).toBeLessThanOrEqual(before.pulses);
    expect(requests("BatchRefreshSessions").length).toBeLessThanOrEqual(before.refreshes);
    // the session's own close() after its client's: nothing can be sent, so nothing is tried
    await session.close();
    await batch.close();
    expect(world.sessions.get(session.sessionId)!.deleted).toBe(false);
    await expect(own.session(AID)).rejects.toThrow(ClientClosed);
  });
});

describe("batch", () => {
  it("25,000 hosts become 3 batch sessions and 25,000 per-host results with mixed outcomes", async () => {
    const hosts = Array.from({ length: 25_000 }, (_, i) => i.toString(16).padStart(32, "0"));
    const special: RtrWorldOptions["hosts"] = {};
    for (let i = 0; i < 25_000; i += 1000) special[hosts[i]!] = { online: false };
    for (let i = 1; i < 25_000; i += 1000) special[hosts[i]!] = { slow: true };
    for (let i = 2; i < 25_000; i += 1000)
      special[hosts[i]!] = { commandError: { code: 40006, message: "command not supported on this platform" } };
    world = createRtrWorld({ hosts: special, defaultHost: {}, output: (cmd, aid) => ({ stdout: `${cmd} @ ${aid}` }) });
    handle = mock.flow(world);

    await using batch = await rtr.batch([...hosts, hosts[0]!], { hostTimeout: 20, queueOffline: true });
    const inits = requests("BatchInitSessions");
    // sent at once: in any order
    expect(inits.map((r) => (r.body as { host_ids: string[] }).host_ids.length).sort((a, b) => b - a)).toEqual([
      10_000, 10_000, 5_000,
    ]);
    expect(
      inits.every(
        (r) => r.searchParams.get("host_timeout_duration") === "20s" && r.searchParams.get("timeout") === "30",
      ),
    ).toBe(true);
    expect(batch.batchIds).toHaveLength(3);
    expect(new Set(batch.batchIds).size).toBe(3);

    const results = await batch.run("runscript -CloudFile=collect", { timeout: 120 });
    expect(results.size).toBe(25_000);
    expect([...results.keys()]).toEqual(hosts);
    const sent = requests("BatchAdminCmd");
    expect(sent).toHaveLength(3);
    expect(
      sent.every(
        (r) => r.searchParams.get("timeout") === "120" && r.searchParams.get("host_timeout_duration") === "20s",
      ),
    ).toBe(true);
    const count = (s: string) => [...results.values()].filter((r) => r.status === s).length;
    expect({
      complete: count("complete"),
      queued: count("queued"),
      timed_out: count("timed_out"),
      failed: count("failed"),
    }).toEqual({
      complete: 25_000 - 75,
      queued: 25,
      timed_out: 25,
      failed: 25,
    });
    expect(results.get(hosts[5]!)).toMatchObject({
      status: "complete",
      stdout: `runscript -CloudFile=collect @ ${hosts[5]}`,
      stderr: "",
    });
    expect(results.get(hosts[1002]!)).toMatchObject({
      status: "failed",
      error: { code: 40006, message: "command not supported on this platform" },
    });
    expect(results.get(hosts[1001]!)).toMatchObject({
      status: "timed_out",
      error: { message: expect.stringMatching(/host timeout \(20s\)/) },
    });
    expect(results.get(hosts[1000]!)?.status).toBe("queued");
  });

  it("hosts whose session failed keep that failure as their result; commands go only to the others", async () => {
    useWorld({ hosts: { [AID]: {}, [OFFLINE]: { online: false } } });
    const unknown = "c".repeat(32);
    await using batch = await rtr.batch([AID, OFFLINE, unknown], { timeout: 10 });
    expect(batch.sessions.get(OFFLINE)).toMatchObject({
      status: "failed",
      error: { code: 40401, message: "host offline" },
    });
    const results = await batch.run("ps");
    expect([...results].map(([aid, r]) => [aid, r.status])).toEqual([
      [AID, "complete"],
      [OFFLINE, "failed"],
      [unknown, "failed"],
    ]);
    expect((requests("BatchCmd")[0]!.body as { optional_hosts: string[] }).optional_hosts).toEqual([AID]);
  });

  it("get across the batch: files per host, refused gets failed, and every host has an entry", async () => {
    const H2 = "d".repeat(32);
    const bytes = new TextEncoder().encode("evidence");
    useWorld({
      hosts: { [AID]: { files: { "C:\\e.txt": bytes } }, [H2]: {}, [OFFLINE]: { online: false } },
      filePolls: 2,
    });
    await using batch = await rtr.batch([AID, H2, OFFLINE], { queueOffline: true });
    const results = await batch.get("C:\\e.txt", { timeout: 60, hostTimeout: 30 });
    expect(results.get(AID)).toMatchObject({ status: "complete", file: { name: "C:\\e.txt", size: bytes.length } });
    expect(results.get(H2)).toMatchObject({ status: "failed", error: { message: "Cannot find file C:\\e.txt" } });
    expect(results.get(OFFLINE)?.status).toBe("queued");
    expect(requests("BatchGetCmdStatus").length).toBeGreaterThanOrEqual(3);
    expect(requests("BatchGetCmd")[0]!.searchParams.get("host_timeout_duration")).toBe("30s");
    const stream = await results.get(AID)!.file!.stream();
    expect(new Uint8Array(await new Response(stream).arrayBuffer())).toEqual(bytes);
  });

  it("batch sessions are refreshed while held and not after close()", async () => {
    useWorld({ sessionIdleMs: IDLE_MS });
    const { client: own, sent } = countingClient();
    const batch = await own.batch([AID], { pulseInterval: 0.1 });
    await sleep(IDLE_MS * 1.5);
    await until(() => requests("BatchRefreshSessions").length >= 3);
    expect((await batch.run("ls")).get(AID)?.status).toBe("complete");
    expect(batch.refreshError).toBeUndefined();
    await batch.close();
    const before = sent.refreshes;
    await sleep(300);
    expect(sent.refreshes).toBe(before);
    expect(requests("BatchRefreshSessions").length).toBeLessThanOrEqual(before);
    await expect(batch.run("ls")).rejects.toThrow(InvalidOperation);
    await own.close();
  });

  it("timeouts are checked where the API would refuse them", async () => {
    useWorld();
    await expect(rtr.batch([AID], { timeout: 301 })).rejects.toThrow(/timeout/);
    await expect(rtr.batch([AID], { hostTimeout: 30 })).rejects.toThrow(
      /hostTimeout.*below the command's timeout \(30s\)/,
    );
    await expect(rtr.batch([])).rejects.toThrow(InvalidOption);
    await using batch = await rtr.batch([AID]);
    await expect(batch.run("ls", { timeout: 10, hostTimeout: 10 })).rejects.toThrow(InvalidOption);
    expect(requests("BatchCmd")).toHaveLength(0);
  });
});

describe("queued commands (offline hosts)", () => {
  it("a queued run() carries what collects it; waitForQueued returns its output once the host is back", async () => {
    useWorld({ output: (cmd, aid) => ({ stdout: `${cmd} ran on ${aid}\n${"x".repeat(150)}\n` }) });
    const session = await rtr.session(OFFLINE, { queueOffline: true });
    const r = await session.run("ls C:\\Temp", FAST);
    expect(r).toMatchObject({
      queued: true,
      complete: false,
      stdout: "",
      sessionId: session.sessionId,
      deviceId: OFFLINE,
      baseCommand: "ls",
      level: "read-only",
    });
    expect(world.commands.get(r.cloudRequestId)?.pending).toBe(true);
    await session.close(); // a queued session is kept: its queue stays

    // one look while the host is away
    expect(await rtr.queuedResult(r)).toMatchObject({ queued: true, complete: false, stdout: "", deviceId: OFFLINE });
    const waiting = rtr.waitForQueued(r, FAST);
    await until(() => requests("RTR_ListQueuedSessions").length >= 4, UNTIL_MS, "the wait polls the queue");
    expect(requests("RTR_CheckCommandStatus")).toHaveLength(0);
    // the mock's queue answers in the spec's shape (domain.QueuedSessionResponseWrapper)
    const listed = await rtr.rtrListQueuedSessions({ ids: [r.sessionId] });
    expect(mock.validateResponse("RTR_ListQueuedSessions", listed.body)).toEqual([]);
    world.connect(OFFLINE);
    const done = await waiting;
    const expected = `ls C:\\Temp ran on ${OFFLINE}\n${"x".repeat(150)}\n`;
    expect(done).toEqual({
      stdout: expected,
      stderr: "",
      complete: true,
      queued: false,
      cloudRequestId: r.cloudRequestId,
      sessionId: session.sessionId,
      deviceId: OFFLINE,
      baseCommand: "ls",
      level: "read-only",
    });
    expect(
      requests("RTR_ListQueuedSessions").every(
        (q) => JSON.stringify(q.body) === JSON.stringify({ ids: [r.sessionId] }),
      ),
    ).toBe(true);
    const status = requests("RTR_CheckCommandStatus");
    expect(status.every((q) => q.searchParams.get("cloud_request_id") === r.cloudRequestId)).toBe(true);
    // the output spans several sequences (64 characters each)
    expect(Math.max(...status.map((q) => Number(q.searchParams.get("sequence_id"))))).toBeGreaterThan(1);
    expect(await rtr.queuedResult(r)).toMatchObject({ complete: true, queued: false, stdout: expected });
  });

  it("stored IDs are enough, on another client: the level comes from the queue (an admin command)", async () => {
    useWorld();
    const session = await rtr.session(OFFLINE, { queueOffline: true });
    const r = await session.run("runscript -CloudFile=collect", FAST);
    expect(r).toMatchObject({ queued: true, level: "admin" });
    expect(requests("RTR_ExecuteAdminCommand")).toHaveLength(1);
    await session.close();
    const stored: { sessionId: string; cloudRequestId: string } = JSON.parse(
      JSON.stringify({ sessionId: r.sessionId, cloudRequestId: r.cloudRequestId }),
    );
    world.connect(OFFLINE);
    const other = new RealTimeResponse({ ...CREDS, baseUrl: mock.url });
    try {
      const done = await other.waitForQueued(stored, FAST);
      expect(done).toMatchObject({ complete: true, level: "admin", baseCommand: "runscript", deviceId: OFFLINE });
      expect(done.stdout).toContain("runscript -CloudFile=collect");
      expect(requests("RTR_CheckAdminCommandStatus").length).toBeGreaterThan(0);
      expect(requests("RTR_CheckCommandStatus")).toHaveLength(0);
      // bad input names what is wrong, before any request
      mock.clearLog();
      await expect(other.waitForQueued({ sessionId: "", cloudRequestId: "x" })).rejects.toThrow(/sessionId/);
      await expect(other.queuedResult({ sessionId: "s", cloudRequestId: "" })).rejects.toThrow(InvalidOption);
      await expect(other.waitForQueued({ ...stored, level: "root" as never })).rejects.toThrow(/level/);
      expect(mock.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("a queued batch host's result carries its queued command, collected once the host is back", async () => {
    useWorld({ output: (cmd, aid) => ({ stdout: `${cmd} @ ${aid}` }) });
    await using batch = await rtr.batch([AID, OFFLINE], { queueOffline: true });
    const results = await batch.run("kill 1234");
    expect(results.get(AID)).toMatchObject({ status: "complete", stdout: `kill 1234 @ ${AID}` });
    expect(results.get(AID)!.queuedCommand).toBeUndefined();
    const queued = results.get(OFFLINE)!;
    expect(queued).toMatchObject({
      status: "queued",
      queuedCommand: { sessionId: queued.sessionId, level: "active-responder" },
    });
    world.connect(OFFLINE);
    expect(await rtr.waitForQueued(queued.queuedCommand!, FAST)).toMatchObject({
      complete: true,
      stdout: `kill 1234 @ ${OFFLINE}`,
      deviceId: OFFLINE,
      cloudRequestId: queued.queuedCommand!.cloudRequestId,
    });
    expect(requests("RTR_CheckActiveResponderCommandStatus").length).toBeGreaterThan(0);
  });

  it("times out with the last answer, aborts, stops when the client closes, and fails for a command deleted from the queue", async () => {
    useWorld();
    const session = await rtr.session(OFFLINE, { queueOffline: true });
    const r = await session.run("ps", FAST);
    await session.close();

    const err = (await rtr.waitForQueued(r, { ...FAST, timeout: 0.2 }).catch((e: unknown) => e)) as PollTimeoutError;
    expect(err).toBeInstanceOf(PollTimeoutError);
    expect(err.message).toMatch(/RTR queued command .* not done after 0.2s/);
    expect((err.lastResult as { resources: { status: string }[] }).resources[0]!.status).toBe("PENDING");

    const controller = new AbortController();
    const aborted = later(rtr.waitForQueued(r, { ...SLOW, signal: controller.signal }));
    await until(() => requests("RTR_ListQueuedSessions").length > 0, UNTIL_MS, "the first look is answered");
    controller.abort(new Error("stop now"));
    expect(await settled(aborted)).toMatchObject({ message: "stop now" });

    const own = new RealTimeResponse({ ...CREDS, baseUrl: mock.url });
    mock.clearLog();
    const closing = later(own.waitForQueued(r, SLOW));
    await until(() => requests("RTR_ListQueuedSessions").length > 0, UNTIL_MS, "the first look is answered");
    await own.close();
    expect(await settled(closing)).toBeInstanceOf(ClientClosed);
    expect(received("RTR_ListQueuedSessions")).toBe(1);

    // the queue's own verdicts: a failure state with its text, a deletion marked by deleted_at
    const answer = (command: Record<string, unknown>, session: Record<string, unknown> = {}) => ({
      body: {
        meta: {},
        errors: [],
        resources: [
          {
            id: r.sessionId,
            aid: OFFLINE,
            status: "PENDING",
            deleted_at: "0001-01-01T00:00:00Z",
            ...session,
            Commands: [{ cloud_request_id: r.cloudRequestId, base_command: "ps", command_string: "ps", ...command }],
          },
        ],
      },
    });
    mock.override("RTR_ListQueuedSessions", answer({ status: "ERROR", status_text: "sensor refused" }), { times: 1 });
    const failed = (await rtr.waitForQueued(r, FAST).catch((e: unknown) => e)) as JobFailed;
    expect(failed).toBeInstanceOf(JobFailed);
    expect(failed.message).toMatch(/RTR queued command .* ended ERROR: sensor refused$/);
    expect(failed.state).toBe("ERROR");
    mock.override("RTR_ListQueuedSessions", answer({ status: "PENDING" }, { deleted_at: "2026-01-02T03:04:05Z" }), {
      times: 1,
    });
    await expect(rtr.queuedResult(r)).rejects.toThrow(/was deleted from the queue before the host ran it/);

    await rtr.rtrDeleteQueuedSession({ session_id: r.sessionId, cloud_request_id: r.cloudRequestId });
    await expect(rtr.queuedResult(r)).rejects.toThrow(JobFailed);
    await expect(rtr.waitForQueued(r, FAST)).rejects.toThrow(/is not in the queue \(deleted, or expired/);
  });
});

describe("a wait in progress stops at once", () => {
  it("closing the client ends a run's poll (between polls and in flight) with ClientClosed and sends nothing more", async () => {
    useWorld({ pollsToComplete: Infinity });
    const own = new RealTimeResponse({ ...CREDS, baseUrl: mock.url });
    const session = await own.session(AID);
    const between = later(session.run("ls", SLOW));
    await until(() => requests("RTR_CheckCommandStatus").length === 1, UNTIL_MS, "the first poll is answered");
    // the next poll (the second command's) hangs: it is in flight when the client closes
    mock.hang({ match: "RTR_CheckCommandStatus" });
    const inFlight = later(session.run("ps", FAST));
    await until(() => received("RTR_CheckCommandStatus") === 2, UNTIL_MS, "the second command's poll is in flight");
    await own.close();
    expect(await settled(between)).toBeInstanceOf(ClientClosed);
    expect(await settled(inFlight)).toBeInstanceOf(ClientClosed);
    await sleep(100);
    expect(received("RTR_CheckCommandStatus")).toBe(2);
    await session.close();
  });

  it("the caller's signal and session.close() end a run's poll, in flight included, with no request after", async () => {
    useWorld({ pollsToComplete: Infinity });
    const session = await rtr.session(AID);
    const controller = new AbortController();
    const aborted = later(session.run("ls", { ...SLOW, signal: controller.signal }));
    await until(() => requests("RTR_CheckCommandStatus").length === 1, UNTIL_MS, "the first poll is answered");
    controller.abort(new Error("stop now"));
    expect(await settled(aborted)).toMatchObject({ message: "stop now" });

    mock.hang({ match: "RTR_CheckCommandStatus" });
    const closed = later(session.run("ps", FAST));
    await until(() => received("RTR_CheckCommandStatus") === 2, UNTIL_MS, "the poll is in flight");
    await session.close();
    const err = await settled(closed);
    expect(err).toBeInstanceOf(InvalidOperation);
    expect((err as Error).message).toBe(`RTR session ${session.sessionId} was closed`);
    await sleep(100);
    expect(received("RTR_CheckCommandStatus")).toBe(2);
    expect(world.sessions.get(session.sessionId)!.deleted).toBe(true);
  });

  it("closing the client or the batch ends a batch get's wait for the uploads", async () => {
    useWorld({ hosts: { [AID]: { files: { "C:\\e.txt": new Uint8Array([1]) } } }, filePolls: Infinity });
    const own = new RealTimeResponse({ ...CREDS, baseUrl: mock.url });
    const batch = await own.batch([AID]);
    const byBatch = later(batch.get("C:\\e.txt"));
    await until(() => requests("BatchGetCmdStatus").length === 1, UNTIL_MS, "the first status poll is answered");
    await batch.close();
    expect(await settled(byBatch)).toBeInstanceOf(InvalidOperation);

    const again = await own.batch([AID]);
    mock.clearLog();
    const byClient = later(again.get("C:\\e.txt"));
    await until(() => requests("BatchGetCmdStatus").length === 1, UNTIL_MS, "the first status poll is answered");
    await own.close();
    expect(await settled(byClient)).toBeInstanceOf(ClientClosed);
    expect(received("BatchGetCmdStatus")).toBe(1);
  });
});
