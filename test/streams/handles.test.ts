/** No socket or timer outlives a feed: a child process stops feeds every way and must exit on its own. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("a process that aborted, closed and broke out of stream feeds exits by itself", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./handles-child.ts", import.meta.url))], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on("exit", (c, s) => r([c, s])));
  clearTimeout(killer);
  const exitedAt = Date.now();
  expect(signal, `killed: something kept the process alive\n${out}\n${err}`).toBeNull();
  expect(code, err).toBe(0);
  const report = JSON.parse(out.trim().split("\n").at(-1)!) as { results: string[]; done: number };
  expect(report.results).toEqual(["abort:AbortError", "backoff:AbortError", "backoff-503s:true", 'close:{"done":true}', "break:10"]);
  // it ended right after its work, not when a refresh, back-off or keep-alive timer ran out
  expect(exitedAt - report.done).toBeLessThan(2000);
});
