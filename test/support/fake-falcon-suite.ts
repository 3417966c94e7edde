/** The shared HTTP fake for a whole suite file: the hooks that start, reset and close it. */
import { afterAll, afterEach, beforeAll } from "vitest";
import { type FakeFalcon, startFakeFalcon } from "./fake-falcon.js";

/**
 * Registers the file's hooks: the fake starts before the first test (`started` receives it),
 * its handler and request log are cleared after each test, and it closes after the last.
 */
export function useFakeFalcon(started: (fake: FakeFalcon) => void): void {
  let fake: FakeFalcon | undefined;
  beforeAll(async () => {
    fake = await startFakeFalcon();
    started(fake);
  });
  afterAll(() => fake?.close());
  afterEach(() => {
    if (fake === undefined) return;
    fake.handler = undefined;
    fake.requests.length = 0;
  });
}
