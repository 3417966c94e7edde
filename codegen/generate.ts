/**
 * The whole pipeline as a function: Swagger 2.0 document -> patched -> OpenAPI 3 -> model ->
 * generated files. main.ts adds the command line; tests call this with a fixture spec.
 */
import { applyPatches, type PatchReport } from "../spec/patches.js";
import { toOpenAPI3 } from "../spec/convert.js";
import type { SwaggerDocument } from "../spec/swagger.js";
import { applyNamingData, type FalconPyNames, type NamesApplied, type NamingData } from "../spec/names.js";
import { buildModel, type SpecModel } from "./model.js";
import { emit, type EmitOptions, type GeneratedOutput } from "./emit.js";
import { pagingData, type PaginationReport } from "./pagination.js";

/** The naming data (spec/falconpy-names.json, spec/operation-names.json); tests may give only part. */
export interface NamingInputs {
  readonly falconpy?: FalconPyNames;
  readonly operations?: NamingData;
}

export interface GenerateResult extends GeneratedOutput {
  readonly model: SpecModel;
  /** How the operation naming data matched the spec (absent when none was given). */
  readonly naming?: NamesApplied;
  readonly patches: readonly PatchReport[];
  readonly warnings: readonly string[];
  /** Operations per pagination style, and those the rules and overrides leave unsettled. */
  readonly pagination: PaginationReport;
}

export async function generate(
  swagger: SwaggerDocument,
  names: NamingInputs = {},
  options: EmitOptions = {},
): Promise<GenerateResult> {
  const naming = names.operations ? applyNamingData(swagger, names.operations) : undefined;
  const patches = applyPatches(swagger);
  const model = buildModel(swagger, names.falconpy);
  const openapi = await toOpenAPI3(swagger);
  const paging = pagingData(swagger, model);
  const output = await emit(model, openapi, { ...options, paging: paging.byId });
  return {
    ...output,
    model,
    patches,
    warnings: model.warnings,
    pagination: paging.report,
    ...(naming ? { naming } : {}),
  };
}
