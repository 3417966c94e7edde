/** FalconXSandbox's handwritten base: waiting for a sandbox submission and fetching its report. */
import { ServiceClass } from "../service-class.js";
import { firstResource, objectCall, requireId, waitForJob, type WaitOptions } from "./jobs.js";

export interface WaitForReportOptions extends WaitOptions {
  /** Fetch the short summary (GetSummaryReports) instead of the full report (GetReports). */
  summary?: boolean;
}

export class FalconXSandboxBase<Mode extends boolean = false> extends ServiceClass<Mode> {
  /**
   * Polls the submission (GetSubmissions) until its state is `success`, then returns its report
   * (a sandbox report's ID is its submission's). An `error` state throws JobFailed with the
   * sandbox's error message; `timeout` (seconds) throws PollTimeoutError; `signal` aborts.
   */
  async waitForReport(submissionId: string, options: WaitForReportOptions = {}): Promise<Record<string, unknown>> {
    const id = requireId("submissionId", submissionId);
    const getSubmissions = objectCall(this, "getSubmissions");
    await waitForJob(
      this,
      `FalconX submission ${id}`,
      ["falconxSubmission"],
      (signal) => getSubmissions({ ids: [id] }, { signal }),
      options,
    );
    const report = await objectCall(this, options.summary ? "getSummaryReports" : "getReports")(
      { ids: [id] },
      { signal: options.signal },
    );
    const resource = firstResource(report);
    if (!resource) throw new TypeError(`FalconX submission ${id} succeeded but its report came back empty`);
    return resource;
  }
}
