/**
 * Stateful long-running jobs for the mock server (the "jobs" scenario): Falcon Sandbox
 * submissions (running -> success | error), scheduled report executions (PENDING -> DONE |
 * FAILED) and their download, NGSIEM searches (running, with `pollAfter`, -> done; stoppable),
 * and MalQuery requests (inprogress -> done | failed). Each job finishes after `polls` status
 * requests; `polls: Infinity` never finishes (for timeout and abort tests).
 *
 * Usage:
 *   const jobs = createJobsWorld();
 *   jobs.submission("sub-1", { polls: 2 });          // or POST a Submit: it starts one
 *   mock.flow(jobs);           // or: const jobs = mock.scenario("jobs").flow
 */
import { randomUUID } from "node:crypto";
import type { FlowReply, FlowRequest, MockFlow } from "../flows.js";
import { errorAnswer, okAnswer } from "./flow.js";

export interface JobSpec<Outcome extends string> {
  /** Status requests before the job is over (default 2). */
  polls?: number;
  /** How it ends (default: success). */
  outcome?: Outcome;
}

interface Job<Outcome extends string> {
  readonly id: string;
  readonly polls: number;
  readonly outcome: Outcome;
  seen: number;
  stopped: boolean;
}

export interface JobsWorldOptions {
  /** NGSIEM `metaData.pollAfter` in milliseconds (default 50). */
  pollAfterMs?: number;
  /** The report a report execution downloads (default a small CSV). */
  reportContent?: string;
}

/** The jobs scenario ("jobs"): a flow answering the waited jobs' operations, and its switches. */
export interface JobsWorld extends MockFlow {
  submission(id: string, spec?: JobSpec<"success" | "error">): void;
  reportExecution(id: string, spec?: JobSpec<"DONE" | "FAILED">): void;
  malqueryRequest(id: string, spec?: JobSpec<"done" | "failed">): void;
  /** The next NGSIEM search started (StartSearchV1) behaves like this. */
  nextSearch(spec: JobSpec<"done" | "cancelled">): void;
  /** Status requests per job ID, and stopped NGSIEM searches. */
  readonly polls: Map<string, number>;
  readonly stoppedSearches: string[];
}

const META = { query_time: 0.001, trace_id: "mock-flow" };

function job<O extends string>(id: string, spec: JobSpec<O> | undefined, fallback: O): Job<O> {
  return { id, polls: spec?.polls ?? 2, outcome: spec?.outcome ?? fallback, seen: 0, stopped: false };
}

export function createJobsWorld(options: JobsWorldOptions = {}): JobsWorld {
  const submissions = new Map<string, Job<"success" | "error">>();
  const executions = new Map<string, Job<"DONE" | "FAILED">>();
  const malquery = new Map<string, Job<"done" | "failed">>();
  const searches = new Map<string, Job<"done" | "cancelled">>();
  const polls = new Map<string, number>();
  const stoppedSearches: string[] = [];
  let nextSearch: JobSpec<"done" | "cancelled"> | undefined;

  /** One status request: true once the job is over. */
  const tick = (j: Job<string>): boolean => {
    j.seen++;
    polls.set(j.id, j.seen);
    return j.seen > j.polls;
  };
  const firstId = (q: Readonly<Record<string, unknown>>): string => {
    const ids = q.ids;
    return String(Array.isArray(ids) ? ids[0] : (ids ?? ""));
  };

  const answer = (req: FlowRequest): FlowReply | undefined => {
    const q = req.query;
    switch (req.operationId) {
      case "Submit": {
        const id = randomUUID();
        submissions.set(id, job(id, undefined, "success"));
        return okAnswer(200, [{ id, state: "created", created_timestamp: new Date().toISOString() }]);
      }
      case "GetSubmissions": {
        const j = submissions.get(firstId(q));
        if (!j) return undefined;
        const state = tick(j) ? j.outcome : "running";
        return okAnswer(200, [
          {
            id: j.id,
            state,
            ...(state === "error" ? { error_message: "sample could not be analysed", error_type: "sandbox" } : {}),
          },
        ]);
      }
      case "GetReports":
      case "GetSummaryReports": {
        const j = submissions.get(firstId(q));
        if (!j || j.seen <= j.polls || j.outcome !== "success") return undefined;
        return okAnswer(200, [
          {
            id: j.id,
            verdict: "malicious",
            sandbox: [{ sha256: "0".repeat(64), threat_score: 90, verdict: "malicious" }],
          },
        ]);
      }
      case "report_executions_get": {
        const j = executions.get(firstId(q));
        if (!j) return undefined;
        const status = tick(j) ? j.outcome : j.seen === 1 ? "PENDING" : "PROCESSING";
        return okAnswer(200, [{ id: j.id, status, status_msg: status === "FAILED" ? "the query failed" : "" }]);
      }
      case "report_executions_download_get": {
        const j = executions.get(firstId(q));
        if (!j) return undefined;
        if (j.seen <= j.polls || j.outcome !== "DONE") return errorAnswer(400, "report is not ready");
        return {
          status: 200,
          body: new TextEncoder().encode(options.reportContent ?? "hostname,platform\nhost-1,Windows\n"),
          contentType: "text/csv",
        };
      }
      case "GetMalQueryRequestV1": {
        const j = malquery.get(firstId(q));
        if (!j) return undefined;
        const status = tick(j) ? j.outcome : "inprogress";
        return {
          status: 200,
          body: {
            meta: { ...META, reqid: j.id, status },
            errors: [],
            resources: status === "done" ? [{ sha256: "1".repeat(64), family: "mock", filesize: 10 }] : [],
          },
        };
      }
      case "StartSearchV1": {
        const id = randomUUID();
        searches.set(id, job(id, nextSearch, "done"));
        nextSearch = undefined;
        return { status: 200, body: { id, hashedQueryOnView: "mock" } };
      }
      case "GetSearchStatusV1": {
        const j = searches.get(String(req.path.id));
        if (!j) return errorAnswer(404, "query job not found");
        const over = !j.stopped && tick(j);
        const metaData = {
          pollAfter: options.pollAfterMs ?? 50,
          eventCount: over ? 2 : 0,
          isAggregate: false,
          processedEvents: j.seen * 100,
        };
        const done = over && j.outcome === "done";
        return {
          status: 200,
          body: {
            done,
            cancelled: j.stopped || (over && j.outcome === "cancelled"),
            events: done ? [{ "@rawstring": "event 1" }, { "@rawstring": "event 2" }] : [],
            metaData,
            filesUsed: [],
            filterMatches: [],
            queryEventDistribution: {},
            warnings: [],
          },
        };
      }
      case "StopSearchV1": {
        const j = searches.get(String(req.path.id));
        if (!j) return errorAnswer(404, "query job not found");
        j.stopped = true;
        stoppedSearches.push(j.id);
        return { status: 204 };
      }
      default:
        return undefined;
    }
  };

  return {
    name: "jobs",
    answer,
    reset: () => {
      for (const m of [submissions, executions, malquery, searches, polls]) m.clear();
      stoppedSearches.length = 0;
      nextSearch = undefined;
    },
    submission: (id, spec) => void submissions.set(id, job(id, spec, "success")),
    reportExecution: (id, spec) => void executions.set(id, job(id, spec, "DONE")),
    malqueryRequest: (id, spec) => void malquery.set(id, job(id, spec, "done")),
    nextSearch: (spec) => void (nextSearch = spec),
    polls,
    stoppedSearches,
  };
}
