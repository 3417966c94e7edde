/**
 * Generated classes that extend a handwritten base under runtime/ instead of ServiceClass: the
 * base adds a workflow built on the class's own generated operations (a stream reader, RTR
 * sessions, job waiters), and the generated class stays a table of one-line methods. The base
 * must extend ServiceClass and may declare the generated methods it uses as abstract, so a spec
 * that renames one fails the type-check instead of the workflow. Reviewed by hand: one entry per
 * class, each saying why. test/codegen/helper-bases.test.ts checks every entry names a class.
 */
export interface HelperBase {
  /** Module path under runtime/, as imported (".js"). */
  readonly module: string;
  /** The exported base class (generic in `Mode`, like ServiceClass). */
  readonly base: string;
  readonly reason: string;
}

export const HELPER_BASES: Readonly<Record<string, HelperBase>> = {
  EventStreams: {
    module: "helpers/event-streams.js",
    base: "EventStreamsBase",
    reason:
      "read(): the resumable, typed reader of the Streaming API, on top of listAvailableStreamsOAuth2 and refreshActiveStreamSession.",
  },
  FalconXSandbox: {
    module: "helpers/falconx-sandbox.js",
    base: "FalconXSandboxBase",
    reason: "waitForReport(): polls a submission until its report is ready or failed (spec/job-states.ts).",
  },
  MalQuery: {
    module: "helpers/malquery.js",
    base: "MalQueryBase",
    reason: "waitForRequest(): polls a MalQuery request until it is done or failed (spec/job-states.ts).",
  },
  NGSIEM: {
    module: "helpers/ngsiem.js",
    base: "NGSIEMBase",
    reason: "search(): starts a search, polls at the API's pollAfter and stops the search on timeout or abort.",
  },
  RealTimeResponse: {
    module: "helpers/real-time-response.js",
    base: "RealTimeResponseBase",
    reason: "session() and batch(): RTR sessions with keep-alive, commands routed by level, output and file retrieval.",
  },
  ReportExecutions: {
    module: "helpers/report-executions.js",
    base: "ReportExecutionsBase",
    reason: "waitForDownload(): polls a report execution until it is done, then downloads the result.",
  },
};
