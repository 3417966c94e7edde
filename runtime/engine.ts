/**
 * Fail early, with a clear message, on a Node.js older than package.json's `engines`, rather
 * than with an obscure error deep in undici later. Other runtimes (Bun, Deno) report a
 * compatible Node version or none, and pass.
 */
export const MINIMUM_NODE = "20.18.1";

/** The problem with this Node version, if any. */
export function unsupportedNode(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const have = version
    .replace(/^v/, "")
    .split(".")
    .map((n) => Number.parseInt(n, 10));
  const need = MINIMUM_NODE.split(".").map(Number);
  for (let i = 0; i < need.length; i++) {
    const h = have[i] ?? 0;
    if (h > need[i]!) return undefined;
    if (h < need[i]!)
      return `falconts needs Node.js >= ${MINIMUM_NODE} (package.json "engines"); this is Node.js ${version}. Please upgrade Node.js.`;
  }
  return undefined;
}

const problem = unsupportedNode(typeof process === "object" ? process.versions?.node : undefined);
if (problem) throw new Error(problem);
