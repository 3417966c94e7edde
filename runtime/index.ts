/**
 * The runtime's public API (re-exported by the package root with every service class).
 * Helpers: append export lines for your modules here.
 */
// Named, not `export *`: errors.ts also has internals, and the build links every runtime module
// through one bundle (a star re-export of it would export the whole runtime).
export {
  SDKError,
  APIError,
  CannotRevokeToken,
  InvalidBaseURL,
  InvalidCredentialFormat,
  InvalidCredentials,
  InvalidIndex,
  InvalidMethod,
  InvalidOperation,
  InvalidServiceCollection,
  InvalidOperationSearch,
  InvalidRoute,
  KeywordsOnly,
  RegionSelectError,
  TokenNotSpecified,
  FunctionalityNotImplemented,
  InvalidOption,
  PayloadValidationError,
  NetworkError,
  TimeoutError,
  ResponseTooLarge,
  ClientClosed,
  SDKWarning,
  NoAuthenticationMechanism,
  NoContentWarning,
  SSLDisabledWarning,
  InsecureTransportWarning,
  SDKDeprecationWarning,
  DeprecatedOperation,
  DeprecatedClass,
  RevokeFailed,
  SharedTokenChannel,
  PaginationLimitError,
} from "./errors.js";
export type { ValidationIssue, WarningName, PaginationState } from "./errors.js";
export type * from "./options.js";
export type * from "./arguments.js";
export type {
  OperationSpec,
  ParamSpec,
  ParamLocation,
  OperationTable,
  PayloadSchemas,
  SchemaModule,
} from "./operation.js";
export { Result } from "./results.js";
export type {
  DictResult,
  DictResponse,
  SuccessResult,
  FailureResult,
  SuccessStatus,
  FailureStatus,
  Outcome,
} from "./results.js";
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
export type {
  Middleware,
  MiddlewareCallbackParams,
  MiddlewareOnRequest,
  MiddlewareOnResponse,
  MiddlewareOnError,
} from "./pipeline/middleware.js";
export type { APIErrorEntry, ErrorBody } from "./results.js";
export { createTransport, SDK_VERSION, version } from "./transport.js";
export type { ClientSettings, OverrideArgs } from "./falconpy-members.js";
export { FalconPyMembers } from "./falconpy-members.js";
export type { Transport } from "./transport.js";
export { sanitizeLog } from "./logging.js";
/** The `validatePayloads` check on its own: routed values against an operation's generated schemas (the test kit's mock uses it). */
export { validatePayload } from "./validation.js";
export type { RoutedValues } from "./payload.js";
export { EventStreamsBase } from "./helpers/event-streams.js";
export type { EventFeed } from "./streams/feed.js";
export type { ReadOptions, CheckpointOptions, ReconnectInfo, StreamOffsets } from "./streams/options.js";
export type * from "./streams/events.js";
export { poll, PollTimeoutError, JobFailed } from "./poll.js";
export type { PollOptions } from "./poll.js";
export type { WaitOptions } from "./helpers/jobs.js";
export type { RtrLevel } from "./helpers/rtr-commands.js";
export type { RtrSession, SessionOptions, RunOptions, CommandResult } from "./helpers/rtr-session.js";
export type {
  RtrBatch,
  BatchOptions,
  BatchRunOptions,
  BatchGetOptions,
  BatchHostResult,
  BatchGetResult,
  BatchHostStatus,
} from "./helpers/rtr-batch.js";
export type { RtrFile, RtrFileInfo } from "./helpers/rtr-file.js";
export type { QueuedCommand } from "./helpers/rtr-queue.js";
export type { WaitForReportOptions } from "./helpers/falconx-sandbox.js";
export type { WaitForDownloadOptions } from "./helpers/report-executions.js";
export type { SearchRequest } from "./helpers/ngsiem.js";
export { Paginator } from "./paginate/paginator.js";
export type { PaginateOptions, PageProgress, ItemOf } from "./paginate/paginator.js";
export type { PaginatorMethod } from "./paginate/types.js";
export type { PaginationSpec, PaginationStyle, ChunkSpec } from "./paginate/spec.js";
