/**
 * A repeating background call (RTR session pulses, batch refreshes) that never keeps the
 * process alive on its own, runs one call at a time, and leaves nothing behind after stop():
 * the timer is cleared and a call in flight is aborted. It stops by itself when `stopOn` aborts
 * (its client closed).
 */
export class KeepAlive {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller = new AbortController();
  #stopped = false;
  /** A beat is in flight: it schedules the next one when it ends. */
  #beating = false;
  /** The last failure of a background call (cleared by the next success). */
  lastError: unknown;

  constructor(
    private readonly intervalMs: number,
    private readonly beat: (signal: AbortSignal) => Promise<void>,
    private readonly stopOn?: AbortSignal,
  ) {}

  readonly #onStop = (): void => this.stop();

  start(): this {
    if (this.stopOn?.aborted) return this;
    this.stopOn?.addEventListener("abort", this.#onStop, { once: true });
    this.#schedule();
    return this;
  }

  /** The timer restarts from now: a command just kept the session busy. */
  reset(): void {
    // during a beat there is no timer: scheduling one here would start a second chain of beats
    if (this.#stopped || this.#beating) return;
    clearTimeout(this.#timer);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.stopOn?.removeEventListener("abort", this.#onStop);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#controller.abort(new Error("keep-alive stopped"));
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#run(), this.intervalMs);
    this.#timer.unref?.();
  }

  async #run(): Promise<void> {
    this.#timer = undefined;
    this.#beating = true;
    try {
      await this.beat(this.#controller.signal);
      this.lastError = undefined;
    } catch (err) {
      if (!this.#stopped) this.lastError = err;
    } finally {
      this.#beating = false;
    }
    this.#schedule();
  }
}
