/**
 * Waiting on a condition instead of a fixed sleep: tests that need something to have happened
 * wait for exactly that, so a loaded machine makes them slower, never red.
 */

/** Generous: a condition that holds within milliseconds normally may take seconds on a loaded CI. */
export const UNTIL_MS = 10_000;

/** Polls `check` every 10 ms until it holds; fails (naming `what`) after `ms`. */
export async function until(check: () => boolean, ms = UNTIL_MS, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
