/**
 * Development helper: converts the shared Swagger 2.0 spec to one OpenAPI 3 document for the
 * mock (the finished product reads generated/<tag>/openapi.json instead). The result is cached
 * under .tmp/mock/ because the conversion takes a couple of seconds.
 *
 *   npx tsx mock/dev/convert-spec.ts [swagger.json] [out.json]
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenApiDocument } from "../spec.js";

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SWAGGER = process.env.FALCON_SPEC ?? resolve(here, "../../../shared/falcon-spec/swagger.json");
export const DEFAULT_CACHE = resolve(here, "../../.tmp/mock/openapi.json");

interface Converter {
  convertObj(swagger: unknown, options: Record<string, unknown>): Promise<{ openapi: OpenApiDocument }>;
}

export async function convertSwagger(swagger: unknown): Promise<OpenApiDocument> {
  // swagger2openapi is CommonJS without types
  const s2o = createRequire(import.meta.url)("swagger2openapi") as Converter;
  const result = await s2o.convertObj(swagger, { patch: true, warnOnly: true, resolveInternal: false });
  return result.openapi;
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
  const doc = await convertSwagger(JSON.parse(readFileSync(swaggerFile, "utf8")));
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
