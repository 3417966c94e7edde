/** No socket or timer outlives a feed: a child process stops feeds every way and must exit on its own. */
import { expect, it } from "vitest";
import { runUntilExit } from "../reliability/exits-by-itself.js";
import { CHILD_TEST_MS } from "../reliability/run-child.js";

it(
  "a process that aborted, closed and broke out of stream feeds exits by itself",
  async () => {
    const { results, lingeredMs } = await runUntilExit(new URL("./handles-child.ts", import.meta.url));
    expect(results).toEqual([
      "abort:AbortError",
      "backoff:AbortError",
      "backoff-503s:true",
      'close:{"done":true}',
      "break:10",
      "refreshes:true",
    ]);
    // it ended right after its work, not when a refresh, back-off (5-10 s) or keep-alive timer ran out
    expect(lingeredMs).toBeLessThan(3000);
  },
  CHILD_TEST_MS,
);
