/** MalQuery's handwritten base: waiting for a hunt or exact search to finish. */
import { ServiceClass } from "../service-class.js";
import { bodyOf, objectCall, requireId, waitForJob, type WaitOptions } from "./jobs.js";

export class MalQueryBase<Mode extends boolean = false> extends ServiceClass<Mode> {
  /**
   * Polls a hunt or exact search request (GetMalQueryRequestV1, by the `reqid` its start
   * returned) until `meta.status` is `done`, and returns that answer's body (`meta`, `resources`).
   * `failed` throws JobFailed; `timeout` (seconds) throws PollTimeoutError; `signal` aborts.
   */
  async waitForRequest(requestId: string, options: WaitOptions = {}): Promise<Record<string, unknown>> {
    const id = requireId("requestId", requestId);
    const get = objectCall(this, "getMalQueryRequestV1");
    return bodyOf(
      await waitForJob(
        this,
        `MalQuery request ${id}`,
        ["malqueryRequest"],
        (signal) => get({ ids: [id] }, { signal }),
        options,
      ),
    );
  }
}
