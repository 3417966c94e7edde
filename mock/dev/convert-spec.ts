/**
 * Development helper: the committed Swagger 2.0 spec (spec/swagger.json) as one OpenAPI 3 document for the mock (the
 * finished product reads generated/<tag>/openapi.json instead), through the generator's own
 * pipeline (spec/: checks, reviewed patches, swagger2openapi), so the mock sees what the
 * generated client was built from. Cached under .tmp/mock/ (the conversion takes seconds).
 *
 *   npx tsx mock/dev/convert-spec.ts [swagger.json] [out.json]
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { toOpenAPI3 } from "../../spec/convert.js";
import { DEFAULT_SPEC } from "../../spec/locate.js";
import { applyPatches } from "../../spec/patches.js";
import { parseSwagger } from "../../spec/swagger.js";
import type { OpenApiDocument } from "../spec.js";

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SWAGGER = process.env.FALCON_SPEC ?? DEFAULT_SPEC;
export const DEFAULT_CACHE = resolve(here, "../../.tmp/mock/openapi.json");

export async function convertSwagger(text: string, file: string): Promise<OpenApiDocument> {
  const swagger = parseSwagger(text, file);
  applyPatches(swagger);
  return (await toOpenAPI3(swagger)) as unknown as OpenApiDocument;
}

/** The converted full spec, from the cache when it is newer than the swagger file. */
export async function fullOpenApi(swaggerFile = DEFAULT_SWAGGER, cacheFile = DEFAULT_CACHE): Promise<OpenApiDocument> {
  try {
    if (statSync(cacheFile).mtimeMs >= statSync(swaggerFile).mtimeMs) {
      return JSON.parse(readFileSync(cacheFile, "utf8")) as OpenApiDocument;
    }
  } catch {
    // no cache yet
  }
  const doc = await convertSwagger(readFileSync(swaggerFile, "utf8"), swaggerFile);
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(doc));
  return doc;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input = DEFAULT_SWAGGER, output = DEFAULT_CACHE] = process.argv.slice(2);
  const t0 = performance.now();
  await fullOpenApi(input, output);
  console.log(`wrote ${output} in ${Math.round(performance.now() - t0)} ms`);
}
