/**
 * Where the mock's OpenAPI documents are: beside the bundled kit (`<package>/dist/openapi/`,
 * written by scripts/build-testing.mjs), else the repository's generated/<tag>/openapi.json.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function defaultSpecDir(): string {
  // CommonJS builds have __dirname; ES modules have import.meta.url
  const here = typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url));
  const shipped = join(here, "..", "openapi");
  return existsSync(shipped) ? shipped : join(here, "..", "generated");
}
