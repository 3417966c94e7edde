/** ReportExecutions' handwritten base: waiting for a scheduled report execution and downloading it. */
import { ServiceClass } from "../service-class.js";
import { objectCall, requireId, waitForJob, type WaitOptions } from "./jobs.js";

export interface WaitForDownloadOptions extends WaitOptions {
  /** Return the report as a stream of bytes instead of collecting it. */
  stream?: boolean;
}

export class ReportExecutionsBase<Mode extends boolean = false> extends ServiceClass<Mode> {
  /**
   * Polls the execution (report_executions_get) until its status is DONE, then downloads it
   * (report_executions_download_get): parsed JSON, text (CSV), bytes, or with `stream: true` a
   * ReadableStream. FAILED / NO_DATA throw JobFailed; `timeout` (seconds) throws
   * PollTimeoutError; `signal` aborts.
   */
  waitForDownload(
    executionId: string,
    options: WaitForDownloadOptions & { stream: true },
  ): Promise<ReadableStream<Uint8Array>>;
  waitForDownload(executionId: string, options?: WaitForDownloadOptions): Promise<unknown>;
  async waitForDownload(executionId: string, options: WaitForDownloadOptions = {}): Promise<unknown> {
    const id = requireId("executionId", executionId);
    const get = objectCall(this, "reportExecutionsGet");
    await waitForJob(
      this,
      `report execution ${id}`,
      ["reportExecution"],
      (signal) => get({ ids: [id] }, { signal }),
      options,
    );
    const download = await objectCall(this, "reportExecutionsDownloadGet")(
      { ids: id },
      { signal: options.signal, stream: options.stream === true },
    );
    return download.body;
  }
}
