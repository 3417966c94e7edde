/**
 * Runs a script in its own process and checks it exits on its own: the script does its work,
 * prints `{ results, done }` as its last line and simply ends. A socket or timer left behind
 * keeps it alive until it is killed (20 s).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export async function runUntilExit(script: URL): Promise<{ results: string[]; lingeredMs: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(script)], { stdio: ["ignore", "pipe", "pipe"] });
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
  return { results: report.results, lingeredMs: exitedAt - report.done };
}
