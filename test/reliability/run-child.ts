/** Runs a TypeScript file in its own Node process (killed after 20 s, so a process kept alive by a leak fails the test). */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

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
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    child.on("exit", (c, s) => r([c, s])),
  );
  clearTimeout(killer);
  return { code, signal, out, err, exitedAt: Date.now() };
}
