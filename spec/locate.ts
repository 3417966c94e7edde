/**
 * Where the Swagger 2.0 spec comes from: `--spec FILE`, else FALCON_SPEC, else the committed
 * copy (spec/swagger.json), refreshed from the upstream by `npm run spec:refresh`.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SPEC_DIR = resolve(REPO_ROOT, "spec");
export const DEFAULT_SPEC = resolve(SPEC_DIR, "swagger.json");
/** FalconPy's classes, methods and aliases (copied from upstream). */
export const DEFAULT_NAMES = resolve(SPEC_DIR, "falconpy-names.json");
/** Every operation's names keyed by method + path (derived from the committed spec). */
export const DEFAULT_OPERATION_NAMES = resolve(SPEC_DIR, "operation-names.json");
/** Where `npm run spec:refresh` copies from: the shared reconstruction beside the checkout. */
export const UPSTREAM_SPEC_DIR = resolve(REPO_ROOT, "..", "shared", "falcon-spec");

export class SpecNotFound extends Error {
  constructor(readonly looked: readonly string[]) {
    super(
      `No Falcon swagger.json found. Looked at: ${looked.join(", ")}.\n` +
        "Download swagger.json from your Falcon console (Support and resources > API documentation > " +
        "Swagger) and pass it with `npm run generate -- --spec path/to/swagger.json` or FALCON_SPEC=path.",
    );
    this.name = "SpecNotFound";
  }
}

export interface SpecLocation {
  readonly path: string;
  readonly source: "--spec" | "FALCON_SPEC" | "default";
}

/** The value of `--spec FILE` or `--spec=FILE` in argv, if any. */
export function specArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--spec") return argv[i + 1];
    if (arg.startsWith("--spec=")) return arg.slice("--spec=".length);
  }
  return undefined;
}

export function locateSpec(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  fallback: string = DEFAULT_SPEC,
): SpecLocation {
  const given = specArgument(argv);
  const candidate: SpecLocation = given
    ? { path: resolve(given), source: "--spec" }
    : env.FALCON_SPEC
      ? { path: resolve(env.FALCON_SPEC), source: "FALCON_SPEC" }
      : { path: fallback, source: "default" };
  if (!existsSync(candidate.path)) {
    throw new SpecNotFound([`${candidate.path} (${candidate.source})`]);
  }
  return candidate;
}
