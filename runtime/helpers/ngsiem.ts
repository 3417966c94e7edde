/** NGSIEM's handwritten base: a search from start to results. */
import { ServiceClass } from "../service-class.js";
import { JobFailed } from "../poll.js";
import { answerField, bodyOf, objectCall, requireId, waitForJob, type WaitOptions } from "./jobs.js";

/** The query job body of StartSearchV1 (api.QueryJobInput): `queryString` and the optional time range and settings. */
export interface SearchRequest {
  queryString: string;
  start?: string;
  end?: string;
  [field: string]: unknown;
}

export class NGSIEMBase<Mode extends boolean = false> extends ServiceClass<Mode> {
  /**
   * Starts a search (StartSearchV1), polls it (GetSearchStatusV1) at the pace the API asks
   * (`metaData.pollAfter`, else a back-off) until `done`, and returns the final status body
   * (`events`, `metaData`, ...). A cancelled search throws JobFailed. On `timeout` (seconds,
   * PollTimeoutError) or abort the search is stopped (StopSearchV1) before the error is thrown.
   */
  async search(repository: string, body: SearchRequest, options: WaitOptions = {}): Promise<Record<string, unknown>> {
    requireId("repository", repository);
    if (body === null || typeof body !== "object" || typeof body.queryString !== "string") {
      throw new TypeError("NGSIEM search: body.queryString (the CQL query) is required");
    }
    options.signal?.throwIfAborted();
    const started = await objectCall(this, "startSearchV1")({ repository, body }, { signal: options.signal });
    const id = answerField(started, bodyOf(started).id, "NGSIEM search id");
    const status = objectCall(this, "getSearchStatusV1");
    try {
      const final = await waitForJob(
        this,
        `NGSIEM search ${id}`,
        ["ngsiemSearch", "ngsiemSearchCancelled"],
        (signal) => status({ repository, id }, { signal }),
        { ...options, after: pollAfterSeconds },
      );
      return bodyOf(final);
    } catch (err) {
      if (!(err instanceof JobFailed)) {
        // the search keeps running server side unless told to stop
        await objectCall(this, "stopSearchV1")({ repository, id }).catch(() => undefined);
      }
      throw err;
    }
  }
}

/** LogScale's `metaData.pollAfter` (milliseconds) as seconds. */
function pollAfterSeconds(last: { body: unknown }): number | undefined {
  const ms = (last.body as { metaData?: { pollAfter?: unknown } } | undefined)?.metaData?.pollAfter;
  return typeof ms === "number" && ms >= 0 ? ms / 1000 : undefined;
}
