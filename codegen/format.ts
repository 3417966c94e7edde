/**
 * Formatting generated code with the repo's formatter (Biome, configured in biome.jsonc), then
 * wrapping JSDoc prose at the formatter's line width, which Biome leaves as written. The files
 * are staged in one temporary folder and formatted by one Biome run (a spawn per file would
 * cost seconds); JSON data files pass through unformatted.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../spec/locate.js";

const BIOME = join(REPO_ROOT, "node_modules", "@biomejs", "biome", "bin", "biome");

interface BiomeConfig {
  formatter?: { lineWidth?: number; [key: string]: unknown };
  javascript?: { formatter?: Record<string, unknown> };
}

/** The formatter part of biome.jsonc (its comments are whole `//` lines). */
function formatterConfig(): { config: BiomeConfig; lineWidth: number } {
  const text = readFileSync(join(REPO_ROOT, "biome.jsonc"), "utf8");
  const parsed = JSON.parse(text.replace(/^\s*\/\/.*$/gm, "")) as BiomeConfig;
  const config: BiomeConfig = { formatter: parsed.formatter, javascript: { formatter: parsed.javascript?.formatter } };
  return { config, lineWidth: parsed.formatter?.lineWidth ?? 80 };
}

/** Formats every .ts file of `files` (path -> text) as the repo's Biome config does. */
export function formatGenerated(files: ReadonlyMap<string, string>): Map<string, string> {
  const { config, lineWidth } = formatterConfig();
  const stage = join(REPO_ROOT, ".tmp", `format-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  const code = [...files.keys()].filter((path) => path.endsWith(".ts"));
  try {
    for (const path of code) {
      mkdirSync(dirname(join(stage, path)), { recursive: true });
      writeFileSync(join(stage, path), files.get(path)!);
    }
    const stagedConfig = {
      root: true,
      vcs: { enabled: false },
      files: { includes: ["**"], maxSize: 50_000_000 },
      ...config,
      linter: { enabled: false },
      assist: { enabled: false },
    };
    writeFileSync(join(stage, "biome.json"), JSON.stringify(stagedConfig));
    try {
      execFileSync(process.execPath, [BIOME, "format", "--write", "--config-path=biome.json", "."], {
        cwd: stage,
        stdio: "pipe",
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`biome format failed on the generated files:\n${stdout ?? ""}${stderr ?? ""}`);
    }
    const out = new Map(files);
    for (const path of code) out.set(path, wrapDocComments(readFileSync(join(stage, path), "utf8"), lineWidth));
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Greedy word wrap; a word longer than the width (a URL, a long literal) keeps its own line. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/ +/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Wraps the prose of JSDoc comments at `width` columns. Code fences, tables and lines that
 * cannot break stay as they are; a one-line `/** ... *\/` too long for the width becomes a block.
 */
export function wrapDocComments(source: string, width: number): string {
  const out: string[] = [];
  let inDoc = false;
  let inFence = false;
  for (const line of source.split("\n")) {
    if (!inDoc) {
      const single = /^(\s*)\/\*\* (.*) \*\/$/.exec(line);
      if (single && line.length > width) {
        const [, indent, text] = single as unknown as [string, string, string];
        const room = width - indent.length - 3;
        if (text.includes("```") || text.startsWith("|") || !text.includes(" ")) out.push(line);
        else out.push(`${indent}/**`, ...wrapWords(text, room).map((l) => `${indent} * ${l}`), `${indent} */`);
        continue;
      }
      if (/^\s*\/\*\*\s*$/.test(line)) inDoc = true;
      out.push(line);
      continue;
    }
    if (/^\s*\*\/\s*$/.test(line)) {
      inDoc = false;
      inFence = false;
      out.push(line);
      continue;
    }
    const m = /^(\s*\* )(.*)$/.exec(line);
    if (m && m[2]!.trimStart().startsWith("```")) inFence = !inFence;
    if (!m || inFence || line.length <= width || m[2]!.startsWith("|") || m[2]!.trimStart().startsWith("```")) {
      out.push(line);
      continue;
    }
    const [, prefix, text] = m as unknown as [string, string, string];
    // A list item's continuation lines align under its text, as markdown expects.
    const bullet = /^(\s*(?:[-*+]|\d+\.)\s+)/.exec(text)?.[1] ?? /^(\s*)/.exec(text)![1]!;
    const room = width - prefix.length;
    const wrapped = wrapWords(text.slice(bullet.length), room - bullet.length);
    out.push(
      `${prefix}${bullet}${wrapped[0] ?? ""}`.trimEnd(),
      ...wrapped.slice(1).map((l) => `${prefix}${" ".repeat(bullet.length)}${l}`),
    );
  }
  return out.join("\n");
}
