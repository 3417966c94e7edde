/**
 * One piece of work in flight at a time, joined by every caller that needs it meanwhile (the
 * token request: 100 concurrent calls at expiry cause one). A caller's abort rejects that
 * caller at once; the work goes on for the others, and is told to stop when none is left.
 */

/** What the work reads to know whether anyone still waits (read it afresh at each wait). */
export interface FlightControl {
  readonly cancelled: AbortSignal;
}

class Flight<T> implements FlightControl {
  promise!: Promise<T>;
  waiters = 0;
  /**
   * Aborted when the last waiter leaves. Replaced when a caller joins after that, so that one
   * caller's short timeout never cuts short a caller who joined later.
   */
  cancel = new AbortController();
  get cancelled(): AbortSignal {
    return this.cancel.signal;
  }
}

export class SingleFlight<T> {
  #flight: Flight<T> | undefined;

  /** The work in flight, if any. */
  get current(): Promise<T> | undefined {
    return this.#flight?.promise;
  }

  /** Joins the work in flight, starting it with `start` when there is none. */
  join(start: (control: FlightControl) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let flight = this.#flight;
    if (flight === undefined) {
      const started = new Flight<T>();
      started.promise = start(started).finally(() => {
        if (this.#flight === started) this.#flight = undefined;
      });
      this.#flight = flight = started;
    } else if (flight.cancelled.aborted) {
      // everyone before had given up; this caller still wants the result
      flight.cancel = new AbortController();
    }
    const f = flight;
    f.waiters++;
    if (!signal) return f.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        if (--f.waiters === 0) f.cancel.abort(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      f.promise.then(
        (v) => {
          signal.removeEventListener("abort", onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }
}
