/**
 * Bringing generated/ in line with the generator's output: files written only when their text
 * changed, files no longer generated removed, and a folder left empty (a collection that
 * disappeared) removed with them. In check mode nothing is touched; the lists say what would be.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

export interface WriteResult {
  /** Paths (relative to the output folder) written or that would be. */
  readonly changed: readonly string[];
  /** Paths removed or that would be. */
  readonly stale: readonly string[];
}

export function writeGenerated(
  out: string,
  wanted: ReadonlyMap<string, string>,
  { check = false, existing = listFiles(out) }: { check?: boolean; existing?: readonly string[] } = {},
): WriteResult {
  const left = new Set(existing);
  const changed: string[] = [];
  for (const [path, text] of [...wanted].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const target = join(out, path);
    const same = left.has(path) && readFileSync(target, "utf8") === text;
    left.delete(path);
    if (same) continue;
    changed.push(path);
    if (!check) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  const stale = [...left].sort();
  if (!check) {
    for (const path of stale) rmSync(join(out, path));
    for (const dir of new Set(stale.map((p) => dirname(join(out, p))))) {
      if (dir !== out && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    }
  }
  return { changed, stale };
}
