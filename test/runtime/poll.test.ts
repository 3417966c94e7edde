/** poll(): pure, no sockets. Waits are kept to milliseconds; nothing asserts on timing. */
import { describe, expect, it } from "vitest";
import { InvalidOption, TimeoutError } from "../../runtime/errors.js";
import { outcomeOf, poll, PollTimeoutError, stateOf } from "../../runtime/poll.js";
import * as root from "../../generated/index.js";

describe("poll", () => {
  it("calls until `until` accepts, passing the attempt number and a signal", async () => {
    const seen: number[] = [];
    const value = await poll(
      async (signal, attempt) => {
        expect(signal).toBeInstanceOf(AbortSignal);
        seen.push(attempt);
        return attempt * 10;
      },
      { until: (v) => v >= 30, interval: 0.001, maxInterval: 0.002 },
    );
    expect(value).toBe(30);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("a timeout is a PollTimeoutError (a TimeoutError) carrying the last result, and aborts the call in flight", async () => {
    let inflight: AbortSignal | undefined;
    const err = (await poll(
      async (signal, attempt) => {
        if (attempt === 3) {
          inflight = signal;
          await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
        }
        return { state: "running", attempt };
      },
      // two polls and their 1 ms waits fit in 0.5 s on a loaded machine too; the third is cut
      { until: () => false, interval: 0.001, timeout: 0.5, label: "job 7" },
    ).catch((e: unknown) => e)) as PollTimeoutError<{ state: string; attempt: number }>;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.name).toBe("PollTimeoutError");
    expect(err.message).toBe("job 7: not done after 0.5s (3 polls)");
    expect(err.lastResult).toEqual({ state: "running", attempt: 2 });
    expect(err.polls).toBe(3);
    expect(inflight?.aborted).toBe(true);
  });

  it("an abort rejects with the signal's own reason, during a wait or a call", async () => {
    const c = new AbortController();
    const p = poll(async () => 1, { until: () => false, interval: 5, signal: c.signal });
    setTimeout(() => c.abort(new Error("mine")), 5);
    await expect(p).rejects.toThrow("mine");
    await expect(
      poll(async () => 1, { until: () => true, signal: AbortSignal.abort(new Error("early")) }),
    ).rejects.toThrow("early");
  });

  it("`after` sets the next wait (capped by maxInterval) instead of the back-off", async () => {
    const started = performance.now();
    await poll(async (_s, n) => n, { until: (n) => n === 4, interval: 30, after: () => 0.001 });
    // a 30 s back-off would not let this finish within the test timeout at all
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("bad options are InvalidOption naming the option", async () => {
    await expect(poll(async () => 1, {} as never)).rejects.toThrow(InvalidOption);
    await expect(poll(async () => 1, { until: () => true, interval: -1 })).rejects.toThrow(/interval/);
    await expect(poll(async () => 1, { until: () => true, timeout: 0 })).rejects.toThrow(/timeout/);
    await expect(poll(async () => 1, { until: () => true, maxInterval: Number.NaN })).rejects.toThrow(/maxInterval/);
  });

  it("is exported from the package root", () => {
    expect(root.poll).toBe(poll);
    expect(root.PollTimeoutError).toBe(PollTimeoutError);
    expect(typeof root.JobFailed).toBe("function");
  });
});

describe("job state rules", () => {
  it("read the state from resources, meta or the body; compare strings case-insensitively", () => {
    expect(stateOf({ resources: [{ state: "success" }] }, "resources[].state")).toBe("success");
    expect(stateOf({ meta: { status: "done" } }, "meta.status")).toBe("done");
    expect(stateOf({ done: true }, "done")).toBe(true);
    expect(stateOf({ resources: [] }, "resources[].state")).toBeUndefined();
    expect(stateOf("text", "meta.status")).toBeUndefined();
    const rule = { success: ["DONE"], failure: ["FAILED"] };
    expect(outcomeOf("done", rule)).toBe("success");
    expect(outcomeOf("Failed", rule)).toBe("failure");
    expect(outcomeOf("PENDING", rule)).toBeUndefined();
    expect(outcomeOf(true, { success: [true], failure: [] })).toBe("success");
    expect(outcomeOf("true", { success: [true], failure: [] })).toBeUndefined();
  });
});
