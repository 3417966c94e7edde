/**
 * Runs a script in its own process and checks it exits on its own: the script does its work,
 * prints `{ results, done }` as its last line and simply ends. A socket or timer left behind
 * keeps it alive until it is killed (run-child.ts).
 */
import { expect } from "vitest";
import { runChild } from "./run-child.js";

export async function runUntilExit(script: URL): Promise<{ results: string[]; lingeredMs: number }> {
  const { code, signal, out, err, exitedAt } = await runChild(script);
  expect(signal, `killed: something kept the process alive\n${out}\n${err}`).toBeNull();
  expect(code, err).toBe(0);
  const report = JSON.parse(out.trim().split("\n").at(-1)!) as { results: string[]; done: number };
  return { results: report.results, lingeredMs: exitedAt - report.done };
}
