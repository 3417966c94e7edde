/**
 * The single list of known conformance exclusions: operations (per path) the suite does not
 * require to pass, each with its reason. Every entry must name the spec patch it waits for
 * (spec/patches.ts). Excluded calls still run and are reported;
 * an excluded call that passes fails the suite, so the list cannot go stale.
 */
export type Path = "service" | "command" | "validated";

export interface Exclusion {
  readonly paths: readonly Path[];
  readonly reason: string;
}

/** Empty: the last entries (bearer token as an `Authorization` header parameter) are fixed by the spec patch `bearer-header-params`. */
export const KNOWN_EXCLUSIONS: Readonly<Record<string, Exclusion>> = {};

/** The exclusion covering this operation on this path, if any. */
export function isExcluded(id: string, path: Path): Exclusion | undefined {
  const entry = Object.hasOwn(KNOWN_EXCLUSIONS, id) ? KNOWN_EXCLUSIONS[id] : undefined;
  return entry?.paths.includes(path) ? entry : undefined;
}
