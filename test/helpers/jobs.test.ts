/**
 * The job waiters (FalconX reports, report executions, NGSIEM searches, MalQuery requests)
 * against the mock server with the stateful jobs world (mock/flows/jobs.ts): each until done,
 * until its timeout, and aborted; a failure state is a typed error; a 429 cool-down is waited out.
 */
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJobsWorld, type JobsWorld } from "../../mock/flows/jobs.js";
import type { FlowHandle } from "../../mock/flows.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { FalconXSandbox } from "../../generated/falconx-sandbox/index.js";
import { MalQuery } from "../../generated/malquery/index.js";
import { NGSIEM } from "../../generated/ngsiem/index.js";
import { ReportExecutions } from "../../generated/report-executions/index.js";
import { ClientClosed, InvalidOption, TimeoutError } from "../../runtime/errors.js";
import { JobFailed, PollTimeoutError } from "../../runtime/poll.js";
import { until } from "../support/until.js";

const spec = (tag: string) => fileURLToPath(new URL(`../../generated/${tag}/openapi.json`, import.meta.url));
const CREDS = { clientId: "mock-client-id", clientSecret: "mock-client-secret" };
const FAST = { interval: 0.01, maxInterval: 0.05 };
const NEVER = { polls: Infinity };

let mock: MockFalcon;
let jobs: JobsWorld;
let handle: FlowHandle;
let opts: { clientId: string; clientSecret: string; baseUrl: string };

beforeAll(async () => {
  mock = await startMockFalcon({ spec: ["falconx-sandbox", "report-executions", "ngsiem", "malquery"].map(spec) });
  opts = { ...CREDS, baseUrl: mock.url };
});
afterAll(() => mock.close());
afterEach(() => {
  handle.remove();
  mock.clearLog();
  mock.clearFaults();
});
function useJobs(options: Parameters<typeof createJobsWorld>[0] = {}): JobsWorld {
  jobs = createJobsWorld(options);
  handle = mock.flow(jobs);
  return jobs;
}
const requests = (op: string) => mock.requests.filter((r) => r.operationId === op && r.status !== undefined);
const abortAfter = (ms: number) => {
  const c = new AbortController();
  setTimeout(() => c.abort(new Error("user abort")), ms);
  return c.signal;
};
/** Aborts once `op` has been answered `times` times: the wait is under way, whatever the machine's load. */
const abortOnceAnswered = (op: string, times = 1) => {
  const c = new AbortController();
  void until(() => requests(op).length >= times)
    .catch(() => undefined) // not polled in time: abort anyway, and the test's checks say what is missing
    .then(() => c.abort(new Error("user abort")));
  return c.signal;
};

describe("FalconXSandbox.waitForReport", () => {
  it("polls the submission until success, then returns its report (full or summary)", async () => {
    useJobs().submission("sub-1", { polls: 3 });
    const falconx = new FalconXSandbox(opts);
    const report = await falconx.waitForReport("sub-1", FAST);
    expect(report).toMatchObject({ id: "sub-1", verdict: "malicious" });
    expect(requests("GetSubmissions")).toHaveLength(4);
    expect(requests("GetReports")).toHaveLength(1);
    jobs.submission("sub-2", { polls: 1 });
    await falconx.waitForReport("sub-2", { ...FAST, summary: true });
    expect(requests("GetSummaryReports")).toHaveLength(1);
  });

  it("an `error` state is a JobFailed carrying the sandbox's message and the last result", async () => {
    useJobs().submission("sub-bad", { polls: 1, outcome: "error" });
    const err = (await new FalconXSandbox(opts).waitForReport("sub-bad", FAST).catch((e: unknown) => e)) as JobFailed;
    expect(err).toBeInstanceOf(JobFailed);
    expect(err.message).toBe("FalconX submission sub-bad ended error: sample could not be analysed");
    expect(err.state).toBe("error");
    expect(requests("GetReports")).toHaveLength(0);
  });

  it("times out with the last result, and stops at an abort", async () => {
    useJobs().submission("sub-slow", NEVER);
    const falconx = new FalconXSandbox(opts);
    // long enough for the login and a poll on a loaded machine: the error carries the last result
    const err = (await falconx
      .waitForReport("sub-slow", { ...FAST, timeout: 1 })
      .catch((e: unknown) => e)) as PollTimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toBeInstanceOf(PollTimeoutError);
    expect(err.message).toMatch(/^FalconX submission sub-slow: not done after 1s \(\d+ polls\)$/);
    expect((err.lastResult as { resources: { state: string }[] }).resources[0]!.state).toBe("running");
    await expect(falconx.waitForReport("sub-slow", { ...FAST, signal: abortAfter(100) })).rejects.toThrow("user abort");
    await expect(falconx.waitForReport("")).rejects.toThrow(InvalidOption);
  });

  it("closing the client ends a wait in progress with ClientClosed, leaving no poll timer", async () => {
    useJobs().submission("sub-closed", NEVER);
    const falconx = new FalconXSandbox(opts);
    const wait = falconx.waitForReport("sub-closed", { interval: 30, maxInterval: 30 }).catch((e: unknown) => e);
    await until(() => requests("GetSubmissions").length === 1); // the first poll is answered; the 30 s wait begins
    const started = Date.now();
    await falconx.close();
    expect(await wait).toBeInstanceOf(ClientClosed);
    expect(Date.now() - started).toBeLessThan(5000); // well before the 30 s wait would have ended
  });

  it("a 429 on the way is waited out through the client's cool-down; the wait still resolves", async () => {
    useJobs().submission("sub-rl", { polls: 2 });
    mock.rateLimit(1, { match: "GetSubmissions", retryAfter: 1 });
    const report = await new FalconXSandbox(opts).waitForReport("sub-rl", FAST);
    expect(report.id).toBe("sub-rl");
    const polls = requests("GetSubmissions");
    expect(polls[0]!.status).toBe(429);
    expect(polls[1]!.receivedAt).toBeGreaterThanOrEqual(polls[0]!.retryAt! - 5);
  });
});

describe("ReportExecutions.waitForDownload", () => {
  it("waits for DONE, then downloads the report (text, or a stream)", async () => {
    useJobs({ reportContent: "a,b\n1,2\n" }).reportExecution("rep-1", { polls: 2 });
    const reports = new ReportExecutions(opts);
    expect(await reports.waitForDownload("rep-1", FAST)).toBe("a,b\n1,2\n");
    jobs.reportExecution("rep-2", { polls: 1 });
    const stream = await reports.waitForDownload("rep-2", { ...FAST, stream: true });
    expect(await new Response(stream).text()).toBe("a,b\n1,2\n");
  });

  it("FAILED is a JobFailed with the status message; timeout and abort as every waiter", async () => {
    useJobs().reportExecution("rep-bad", { polls: 1, outcome: "FAILED" });
    const reports = new ReportExecutions(opts);
    await expect(reports.waitForDownload("rep-bad", FAST)).rejects.toThrow(
      "report execution rep-bad ended FAILED: the query failed",
    );
    jobs.reportExecution("rep-slow", NEVER);
    await expect(reports.waitForDownload("rep-slow", { ...FAST, timeout: 0.2 })).rejects.toBeInstanceOf(
      PollTimeoutError,
    );
    await expect(reports.waitForDownload("rep-slow", { ...FAST, signal: abortAfter(100) })).rejects.toThrow(
      "user abort",
    );
    expect(requests("report_executions_download_get")).toHaveLength(0);
  });
});

describe("NGSIEM.search", () => {
  it("starts, polls at the API's pollAfter pace until done, and returns the results", async () => {
    useJobs({ pollAfterMs: 20 }).nextSearch({ polls: 3 });
    const started = performance.now();
    // a 10 s back-off would make this take 30 s: pollAfter (20 ms) sets the pace
    const result = await new NGSIEM(opts).search(
      "search-all",
      { queryString: "#event_simpleName=ProcessRollup2", start: "1d" },
      { interval: 10, maxInterval: 10 },
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ done: true, events: [{ "@rawstring": "event 1" }, { "@rawstring": "event 2" }] });
    expect(requests("GetSearchStatusV1")).toHaveLength(4);
    expect(requests("StartSearchV1")[0]!.body).toEqual({
      queryString: "#event_simpleName=ProcessRollup2",
      start: "1d",
    });
    expect(jobs.stoppedSearches).toEqual([]);
  });

  it("stops the search on timeout and on abort", async () => {
    useJobs().nextSearch(NEVER);
    const ngsiem = new NGSIEM(opts);
    await expect(ngsiem.search("search-all", { queryString: "*" }, { ...FAST, timeout: 0.2 })).rejects.toBeInstanceOf(
      PollTimeoutError,
    );
    expect(jobs.stoppedSearches).toHaveLength(1);
    jobs.nextSearch(NEVER);
    // aborted once polling has begun (the search started): it is stopped too
    const polled = requests("GetSearchStatusV1").length;
    await expect(
      ngsiem.search(
        "search-all",
        { queryString: "*" },
        { ...FAST, signal: abortOnceAnswered("GetSearchStatusV1", polled + 1) },
      ),
    ).rejects.toThrow("user abort");
    expect(jobs.stoppedSearches).toHaveLength(2);
    expect(requests("StopSearchV1").map((r) => r.path.split("/").at(-1))).toEqual(jobs.stoppedSearches);
  });

  it("a cancelled search is a JobFailed; a body without queryString is refused before sending", async () => {
    useJobs().nextSearch({ polls: 1, outcome: "cancelled" });
    const ngsiem = new NGSIEM(opts);
    await expect(ngsiem.search("search-all", { queryString: "*" }, FAST)).rejects.toBeInstanceOf(JobFailed);
    await expect(ngsiem.search("search-all", {} as never)).rejects.toThrow(/queryString/);
    expect(requests("StartSearchV1")).toHaveLength(1);
  });
});

describe("MalQuery.waitForRequest", () => {
  it("waits until done and returns the body; failed, timeout and abort are errors", async () => {
    useJobs().malqueryRequest("req-1", { polls: 2 });
    const malquery = new MalQuery(opts);
    const body = await malquery.waitForRequest("req-1", FAST);
    expect(body).toMatchObject({ meta: { status: "done", reqid: "req-1" }, resources: [{ family: "mock" }] });
    jobs.malqueryRequest("req-bad", { polls: 0, outcome: "failed" });
    await expect(malquery.waitForRequest("req-bad", FAST)).rejects.toThrow(/MalQuery request req-bad ended failed/);
    jobs.malqueryRequest("req-slow", NEVER);
    await expect(malquery.waitForRequest("req-slow", { ...FAST, timeout: 0.2 })).rejects.toBeInstanceOf(
      PollTimeoutError,
    );
    await expect(malquery.waitForRequest("req-slow", { ...FAST, signal: abortAfter(100) })).rejects.toThrow(
      "user abort",
    );
  });
});
