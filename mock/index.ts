/**
 * falconts-testing: a mock Falcon API for users' tests, from the same code FalconTS's own
 * suites use. `startMockFalcon()` serves every operation of the spec on 127.0.0.1, validates
 * each request against it, and answers from a seeded world of realistic entities; `on()`,
 * `calls()`, `fault()` and scenarios (built in: "event-streams", "rtr", "jobs", "pagination";
 * or your own with `defineScenario`) shape it per test.
 *
 *   await using mock = await startMockFalcon({ seed: 7 });
 *   const hosts = new Hosts({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
 */
export {
  startMockFalcon,
  type Fault,
  type FaultHandle,
  type FaultKind,
  type FaultOptions,
  type IssuedToken,
  type MockCredentials,
  type MockFalcon,
  type MockFalconOptions,
  type MockSettings,
  type RecordedRequest,
  type RequestMatcher,
  type ResponseOverride,
} from "./server.js";
export type {
  DefaultBodyRequest,
  FaultShorthand,
  HandlerOptions,
  MockCall,
  MockErrorBody,
  MockHandler,
  MockReply,
  MockRequest,
  OperationId,
  ReplyBody,
  ResponseOf,
  SuccessStatus,
} from "./types.js";
export {
  defineScenario,
  scenarioNames,
  type FlowContext,
  type FlowHandle,
  type FlowReply,
  type FlowRequest,
  type MockFlow,
  type RawFlowRequest,
  type ScenarioFactory,
} from "./flows.js";
export type { BuiltInScenarios } from "./scenarios.js";
export { StreamFlow, type StreamFlowOptions, type PublishedEvent, type FeedConnection } from "./flows/streams.js";
export {
  createRtrWorld,
  type RtrWorld,
  type RtrWorldOptions,
  type RtrHost,
  type RtrLevel,
  type MockSession,
  type MockCommand,
} from "./flows/rtr.js";
export { createJobsWorld, type JobsWorld, type JobsWorldOptions, type JobSpec } from "./flows/jobs.js";
export {
  PaginationFlow,
  type PaginationOptions,
  type PaginationWorld,
  type PagedOperation,
} from "./flows/pagination.js";
export { ENTITY_FAMILIES, World, routeFamily, type EntityName, type RouteFamily, type WorldOptions } from "./world.js";
export { pageToken, type UnknownIds } from "./answers.js";
export { FilterError, type FilterProblem } from "./fql.js";
export type { FormPart } from "./validate.js";
export type { FileStore, FileStoreLimits, StoredFile } from "./files.js";
