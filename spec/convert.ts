/**
 * Swagger 2.0 -> OpenAPI 3.0 with swagger2openapi (the converter Mermade keeps for this job).
 */
import { createRequire } from "node:module";
import type { SwaggerDocument } from "./swagger.js";

const require = createRequire(import.meta.url);

interface ConvertResult {
  openapi: OpenAPIDocument;
}
interface Swagger2OpenAPI {
  convertObj(doc: unknown, options: Record<string, unknown>): Promise<ConvertResult>;
}

/** The parts of an OpenAPI 3.0 document the generator reads; everything else passes through. */
export interface OpenAPIDocument {
  openapi: string;
  info: Record<string, unknown>;
  servers?: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

export async function toOpenAPI3(swagger: SwaggerDocument): Promise<OpenAPIDocument> {
  const converter = require("swagger2openapi") as Swagger2OpenAPI;
  // structuredClone: the converter mutates its input and we keep using the Swagger document.
  const { openapi } = await converter.convertObj(structuredClone(swagger), {
    patch: true,
    warnOnly: true,
    resolveInternal: false,
    direct: false,
    targetVersion: "3.0.0",
  });
  return openapi;
}
