/**
 * Runs a TypeScript file in its own Node process, killed after 60 s so a process kept alive by a
 * leak fails the test (callers give their test a longer timeout). Not sooner: starting Node with
 * tsx and doing the work takes a few seconds, several times that on a loaded 2-core CI.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CHILD_KILL_MS = 60_000;
/** Per-test timeout for a test that runs a child: the kill, with room to report it. */
export const CHILD_TEST_MS = CHILD_KILL_MS + 30_000;

export interface ChildRun {
  code: number | null;
  /** Set when the child had to be killed. */
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Date.now() when it exited. */
  exitedAt: number;
}

export async function runChild(file: URL, env: Record<string, string> = {}): Promise<ChildRun> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(file)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), CHILD_KILL_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    child.on("exit", (c, s) => r([c, s])),
  );
  clearTimeout(killer);
  return { code, signal, out, err, exitedAt: Date.now() };
}
