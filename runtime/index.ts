/**
 * The runtime's public API (re-exported by the package root with every service class).
 * Helpers: append export lines for your modules here.
 */
export * from "./errors.js";
export type * from "./options.js";
export type * from "./arguments.js";
export type { OperationSpec, ParamSpec, ParamLocation, OperationTable, PayloadSchemas, SchemaModule } from "./operation.js";
export { Result } from "./results.js";
export type { DictResult, DictResponse, SuccessResult, FailureResult, SuccessStatus, FailureStatus, Outcome } from "./results.js";
export { FalconInterface } from "./falcon-interface.js";
export { ServiceClass } from "./service-class.js";
export type { ServiceOptions } from "./service-class.js";
export { UberInterface } from "./uber.js";
export { FalconContext } from "./context.js";
export { defineAliases } from "./aliases.js";
export type { FalconConfig, AuthOutcome } from "./falcon-interface.js";
export type { AuthMode } from "./credentials.js";
export type { FalconContextValue } from "./context.js";
export { REGION_URLS, CONTAINER_UPLOAD_URLS, INGEST_URLS, BaseURL, resolveBaseUrl } from "./regions.js";
export type { RegionName } from "./regions.js";
export type { UberOperationMap, UberOperationEntry, OverridePayload } from "./uber.js";
export type { Middleware, MiddlewareCallbackParams, MiddlewareOnRequest, MiddlewareOnResponse, MiddlewareOnError } from "./pipeline/middleware.js";
export type { APIErrorEntry, ErrorBody } from "./results.js";
export { createTransport, SDK_VERSION, version } from "./transport.js";
export type { ClientSettings, OverrideArgs } from "./falconpy-members.js";
export { FalconPyMembers } from "./falconpy-members.js";
export type { Transport } from "./transport.js";
export { sanitizeLog } from "./logging.js";
/** The `validatePayloads` check on its own: routed values against an operation's generated schemas (the test kit's mock uses it). */
export { validatePayload } from "./validation.js";
export type { RoutedValues } from "./payload.js";
