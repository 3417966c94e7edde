/**
 * RealTimeResponse's handwritten base: `rtr.session(deviceId)`, `rtr.batch(hostIds)`, and the
 * results of commands queued for offline hosts (`rtr.waitForQueued`, `rtr.queuedResult`).
 * Commands of every level go through this client's pipeline (its auth, settings, middleware and
 * rate-limit cool-down); the admin ones are RealTimeResponseAdmin's operations, sent from its
 * generated table, loaded on the first admin command.
 */
import type { OperationSpec } from "../operation.js";
import type { CallOptions } from "../options.js";
import type { Result } from "../results.js";
import { ServiceClass, untilClosed } from "../service-class.js";
import { answerField, firstResource, objectCall, requireId, type WaitOptions } from "./jobs.js";
import { RtrBatch, type BatchOptions } from "./rtr-batch.js";
import type { RtrCall } from "./rtr-file.js";
import { collectQueued, type QueuedCommand } from "./rtr-queue.js";
import { type CommandResult, RtrSession, secondsOption, type SessionOptions } from "./rtr-session.js";

export class RealTimeResponseBase<Mode extends boolean = false> extends ServiceClass<Mode> {
  /** Calls an RTR operation in object mode: a method of this class (camelCase), or an operation ID of RealTimeResponseAdmin (capitalised). */
  #rtrCall: RtrCall = async (
    operation: string,
    args: object,
    options?: CallOptions<true, boolean>,
  ): Promise<Result<unknown>> => {
    if (!/^[A-Z]/.test(operation)) return objectCall(this, operation)(args, options);
    const { operations } = await import("../../generated/real-time-response-admin/index.js");
    const admin: Readonly<Record<string, OperationSpec>> = operations();
    if (!Object.hasOwn(admin, operation)) throw new TypeError(`RealTimeResponseAdmin has no operation ${operation}`);
    return this.call(admin[operation]!, args, { ...options, pythonic: true });
  };

  /**
   * Opens an RTR session on one host (RTR_InitSession) and keeps it alive with pulses every
   * `pulseInterval` seconds while held; `close()` (or `await using`) deletes it. Closing this
   * client stops the pulses (the session then expires on its own).
   */
  async session(deviceId: string, options: SessionOptions = {}): Promise<RtrSession> {
    const id = requireId("deviceId", deviceId);
    const timeout = secondsOption("timeout", options.timeout, 30, 300);
    const pulse = secondsOption("pulseInterval", options.pulseInterval, 240);
    const queueOffline = options.queueOffline === true;
    const r = await this.#rtrCall(
      "rtrInitSession",
      { device_id: id, origin: "", queue_offline: queueOffline, timeout },
      { signal: options.signal, timeout: timeout + 30 },
    );
    const init = firstResource(r) ?? {};
    const sessionId = answerField(r, init.session_id, `RTR session on ${id}: session_id`);
    return new RtrSession(
      this.#rtrCall,
      id,
      sessionId,
      init.offline_queued === true,
      queueOffline,
      pulse,
      untilClosed(this),
    );
  }

  /**
   * Opens batch sessions on any number of hosts (groups of at most 10,000), refreshed while
   * held; `batch.run()` and `batch.get()` answer one result per host.
   */
  batch(hostIds: Iterable<string>, options: BatchOptions = {}): Promise<RtrBatch> {
    return RtrBatch.open(this.#rtrCall, hostIds, options, untilClosed(this));
  }

  /**
   * Waits until the host of a queued command (a `queued: true` result of `session.run`, a
   * batch host's `queuedCommand`, or its `sessionId` + `cloudRequestId` + `level` stored since)
   * has run it, polling RTR_ListQueuedSessions, and returns its output (`complete: true`).
   * A command that failed, was deleted or expired from the queue throws JobFailed; `timeout`
   * (seconds) throws PollTimeoutError; `signal` aborts; closing this client throws ClientClosed.
   */
  waitForQueued(command: QueuedCommand, options: WaitOptions = {}): Promise<CommandResult> {
    return collectQueued(this.#rtrCall, command, { ...options, wait: true, signal: untilClosed(this, options.signal) });
  }

  /**
   * One look at a queued command: `queued: true` while the host has not run it, else its
   * output (`complete: true`); a failed, deleted or expired command throws JobFailed.
   */
  queuedResult(command: QueuedCommand, options: { signal?: AbortSignal } = {}): Promise<CommandResult> {
    return collectQueued(this.#rtrCall, command, { wait: false, signal: untilClosed(this, options.signal) });
  }
}
