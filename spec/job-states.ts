/**
 * When a long-running job is over, per waiter: the field that says so and the values that mean
 * success or failure (anything else means "still running"). The spec gives most of these only
 * in prose or not at all; each entry says where the values come from. Values compare
 * case-insensitively. codegen emits this table into generated/helper-data.ts for the runtime's
 * waiters (runtime/helpers/*), so a regeneration is the only way it reaches users.
 */
export interface JobStateRule {
  /** The operation whose answer is inspected. */
  readonly operation: string;
  /**
   * Where the state is: `resources[].<field>` (each resource) or `<field>` / `meta.<field>` of the
   * body; `resources[].Commands[].<field>`: the entry of a queued RTR session's commands with the
   * waited command's cloud_request_id (runtime/helpers/rtr-queue.ts finds it).
   */
  readonly field: string;
  readonly success: readonly (string | boolean)[];
  readonly failure: readonly (string | boolean)[];
  readonly source: string;
}

export const JOB_STATES = {
  falconxSubmission: {
    operation: "GetSubmissions",
    field: "resources[].state",
    success: ["success"],
    failure: ["error"],
    source:
      "FalconX submission `state`: created -> queued -> running -> success | error (Falcon Sandbox API guide; the spec has no enum).",
  },
  reportExecution: {
    operation: "report_executions_get",
    field: "resources[].status",
    success: ["DONE"],
    failure: ["FAILED", "NO_DATA"],
    source:
      "Scheduled report execution `status`: PENDING / PROCESSING until DONE, FAILED or NO_DATA (Scheduled reports API guide; the spec has no enum).",
  },
  malqueryRequest: {
    operation: "GetMalQueryRequestV1",
    field: "meta.status",
    success: ["done"],
    failure: ["failed"],
    source: "malquery.QueryMetaInfo.status description: 'Possible values: inprogress, failed, done'.",
  },
  ngsiemSearch: {
    operation: "GetSearchStatusV1",
    field: "done",
    success: [true],
    failure: [],
    source:
      "api.QueryJobsResults.done: 'True if the query has run to completion'; `cancelled` (below) ends it as a failure.",
  },
  ngsiemSearchCancelled: {
    operation: "GetSearchStatusV1",
    field: "cancelled",
    success: [],
    failure: [true],
    source: "api.QueryJobsResults.cancelled: 'Indicates whether the query has been cancelled'.",
  },
  rtrQueuedCommand: {
    operation: "RTR_ListQueuedSessions",
    field: "resources[].Commands[].status",
    success: ["FINISHED"],
    failure: ["ERROR", "FAILED", "CANCELED", "CANCELLED", "EXPIRED"],
    source:
      "domain.QueuedSessionCommand.status has no enum. PENDING until the host runs it (FalconPy samples/rtr/queued_execute.py), FINISHED once its output can be read (PSFalcon Get-FalconQueue reads it only then). No peer names a failure value: these are assumed, so that one ends the wait instead of its timeout; a command gone from the queue (deleted, or expired after 7 days) ends it too.",
  },
} as const satisfies Record<string, JobStateRule>;
