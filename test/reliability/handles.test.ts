/** No socket or timer outlives the calls: a child process runs every waiting path and must exit on its own. */
import { expect, it } from "vitest";
import { runChild } from "./run-child.js";

it("a process that used retries, cool-downs, timeouts and aborts exits by itself", async () => {
  const { code, signal, out, err, exitedAt } = await runChild(new URL("./handles-child.ts", import.meta.url));
  expect(signal, `killed: something kept the process alive\n${out}\n${err}`).toBeNull();
  expect(code, err).toBe(0);
  const report = JSON.parse(out.trim().split("\n").at(-1)!) as { results: string[]; done: number };
  // the two aborts settle in the same tick: their order is not part of the contract
  expect(report.results.slice(0, 4)).toEqual(["limited:200", "reset:500", "read-timeout:500", "total-timeout:500"]);
  expect(report.results.slice(4).sort()).toEqual(["abort-in-cooldown:aborted", "abort-queued:aborted"]);
  // it ended right after its work, not when some 30 s cool-down or keep-alive timer ran out
  expect(exitedAt - report.done).toBeLessThan(2000);
});
