/** KeepAlive (RTR pulses, batch refreshes) on fake timers: one call at a time, one timer, none after stop(). */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeepAlive } from "../../runtime/helpers/keep-alive.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A beat that holds until released, counting how many run at once. */
function beats() {
  let running = 0;
  const state = { started: 0, mostAtOnce: 0, release: [] as (() => void)[] };
  const beat = (): Promise<void> => {
    state.started++;
    state.mostAtOnce = Math.max(state.mostAtOnce, ++running);
    return new Promise<void>((resolve) =>
      state.release.push(() => {
        running--;
        resolve();
      }),
    );
  };
  const releaseAll = (): void => {
    for (const r of state.release.splice(0)) r();
  };
  return { state, beat, releaseAll };
}

describe("KeepAlive", () => {
  it("beats every interval, one timer pending between beats", async () => {
    const { state, beat, releaseAll } = beats();
    const keepAlive = new KeepAlive(100, beat).start();
    for (let i = 1; i <= 3; i++) {
      await vi.advanceTimersByTimeAsync(100);
      expect(state.started).toBe(i);
      releaseAll();
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount()).toBe(1);
    }
    keepAlive.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reset() while a beat is in flight starts no second chain of beats (a command ended during a pulse)", async () => {
    const { state, beat, releaseAll } = beats();
    const keepAlive = new KeepAlive(100, beat).start();
    await vi.advanceTimersByTimeAsync(100);
    expect(state.started).toBe(1);
    keepAlive.reset(); // the beat is still in flight
    await vi.advanceTimersByTimeAsync(150); // longer than the interval: still one call at a time
    expect(state.mostAtOnce).toBe(1);
    releaseAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    // from here on, one beat per interval (two chains would make it two)
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(100);
      releaseAll();
    }
    expect(state.started).toBe(6);
    expect(state.mostAtOnce).toBe(1);
    keepAlive.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.started).toBe(6);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reset() between beats restarts the wait from now", async () => {
    const { state, beat } = beats();
    const keepAlive = new KeepAlive(100, beat).start();
    await vi.advanceTimersByTimeAsync(80);
    keepAlive.reset();
    await vi.advanceTimersByTimeAsync(80);
    expect(state.started).toBe(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(state.started).toBe(1);
    keepAlive.stop();
  });
});
