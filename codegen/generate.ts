/**
 * The whole pipeline as a function: Swagger 2.0 document -> patched -> OpenAPI 3 -> model ->
 * generated files. main.ts adds the command line; tests call this with a fixture spec.
 */
import { applyPatches, type PatchReport } from "../spec/patches.js";
import { toOpenAPI3 } from "../spec/convert.js";
import type { SwaggerDocument } from "../spec/swagger.js";
import { buildModel, type FalconPyNames, type SpecModel } from "./model.js";
import { emit, type EmitOptions, type GeneratedOutput } from "./emit.js";
import { pagingData, type PaginationReport } from "./pagination.js";

export interface GenerateResult extends GeneratedOutput {
  readonly model: SpecModel;
  readonly patches: readonly PatchReport[];
  readonly warnings: readonly string[];
  /** Operations per pagination style, and those the rules and overrides leave unsettled. */
  readonly pagination: PaginationReport;
}

export async function generate(swagger: SwaggerDocument, names?: FalconPyNames, options: EmitOptions = {}): Promise<GenerateResult> {
  const patches = applyPatches(swagger);
  const openapi = await toOpenAPI3(swagger);
  const model = buildModel(swagger, names);
  const paging = pagingData(swagger);
  const output = await emit(model, openapi, { ...options, paging: paging.byId });
  return { ...output, model, patches, warnings: model.warnings, pagination: paging.report };
}
