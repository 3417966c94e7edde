/** No socket or timer outlives the calls: a child process runs every waiting path and must exit on its own. */
import { expect, it } from "vitest";
import { runUntilExit } from "./exits-by-itself.js";
import { CHILD_TEST_MS } from "./run-child.js";

it(
  "a process that used retries, cool-downs, timeouts and aborts exits by itself",
  async () => {
    const { results, lingeredMs } = await runUntilExit(new URL("./handles-child.ts", import.meta.url));
    expect(results.slice(0, 4)).toEqual(["limited:200", "reset:500", "read-timeout:500", "total-timeout:500"]);
    // the two aborts settle in the same tick: their order is not part of the contract
    expect(results.slice(4).sort()).toEqual(["abort-in-cooldown:aborted", "abort-queued:aborted"]);
    // it ended right after its work, not when some 30 s cool-down or keep-alive timer ran out
    expect(lingeredMs).toBeLessThan(3000);
  },
  CHILD_TEST_MS,
);
