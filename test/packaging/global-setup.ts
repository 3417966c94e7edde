/**
 * Packs both packages once for every packaging test file (`npm pack` builds each through its
 * `prepack`): building dist/ twice would double the step's time, and two files packing at once
 * would rebuild dist/ under each other.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

export interface PackedTarball {
  /** Absolute path of the .tgz. */
  readonly file: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { path: string; size: number }[];
}

declare module "vitest" {
  export interface ProvidedContext {
    packed: { readonly main: PackedTarball; readonly kit: PackedTarball };
  }
}

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

async function pack(cwd: string, dir: string): Promise<PackedTarball> {
  const { stdout } = await run(npm, ["pack", "--json", "--pack-destination", dir], { cwd, maxBuffer: 64 << 20 });
  // prepack's build log precedes the JSON on stdout.
  const p = JSON.parse(stdout.slice(stdout.indexOf("[")))[0] as { filename: string } & Omit<PackedTarball, "file">;
  return { file: join(dir, p.filename), size: p.size, unpackedSize: p.unpackedSize, files: p.files };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "falconts-tarballs-"));
  const main = await pack(repo, dir);
  const kit = await pack(join(repo, "packages", "testing"), dir);
  project.provide("packed", { main, kit });
  return () => rm(dir, { recursive: true, force: true });
}
