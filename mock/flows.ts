/**
 * The scenario API: stateful flows that answer requests before the data world does. A flow is
 * named, may answer any operation (or only those it lists) and routes outside the spec (a
 * stream's feed URL), keeps its own state, and is reset with the mock. `mock.on()` handlers are
 * flows of one operation; the pagination, event-stream and RTR behaviours are registered as
 * named scenarios (`defineScenario`) and switched on per test with `mock.scenario(name, options)`.
 */
import type { FileStore } from "./files.js";
import type { Fault } from "./server.js";
import type { FormPart } from "./validate.js";
import type { World } from "./world.js";

/** A request as the mock parsed it from the wire (parameters coerced to their spec types). */
export interface FlowRequest {
  readonly operationId: string;
  readonly method: string;
  /** Raw path and query string, still percent-encoded. */
  readonly url: string;
  readonly query: Record<string, unknown>;
  /** Path parameters, decoded. */
  readonly path: Record<string, unknown>;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON (or text) body; undefined for forms and bodiless requests. */
  readonly body: unknown;
  /** Form fields of a multipart or url-encoded request (file fields as "<file>"); undefined otherwise. */
  readonly form: Record<string, unknown> | undefined;
  /** Multipart parts (file bytes included) and the file of an octet-stream upload. */
  readonly files: readonly FormPart[];
}

/** A request to a route the spec does not have (what a flow's `route` sees). */
export interface RawFlowRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: Uint8Array;
  /** Aborted when the client goes away (a streamed reply that waits for data can stop waiting). */
  readonly signal: AbortSignal;
}

export interface FlowContext {
  readonly world: World;
  /** The mock's clock (ms since the epoch). */
  now(): number;
  /** Base URL of the mock (for URLs a flow hands out, e.g. a feed URL). */
  readonly url: string;
  readonly files: FileStore;
  /** The answer the data world would give (a fresh copy each call); undefined on a raw route. */
  defaultBody(): unknown;
}

/**
 * What a flow answers: a status, body and headers (an object or array is sent as JSON with
 * Falcon's envelope filled in where it lacks `meta`/`errors`; a string as text; bytes as bytes;
 * an async iterable of strings or bytes is streamed as it yields), or a fault.
 */
export type FlowReply =
  | {
      readonly status?: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      readonly contentType?: string;
    }
  | { readonly fault: Fault };

export type MaybePromise<T> = T | Promise<T>;

export interface MockFlow {
  readonly name: string;
  /** Operation IDs it answers (default: every operation). */
  readonly operations?: readonly string[];
  /** Answers a valid, authorised request, or returns undefined to leave it to the next flow and then the data world. */
  answer?(request: FlowRequest, context: FlowContext): MaybePromise<FlowReply | undefined>;
  /** Answers a request to a route the spec does not have (authorisation is the flow's own business). */
  route?(request: RawFlowRequest, context: FlowContext): MaybePromise<FlowReply | undefined>;
  /** Back to its first state (called by `mock.reset()`). */
  reset?(): void;
  /** Ends what it keeps running (open streams, timers); called by `mock.close()` and when the flow is removed. */
  close?(): void;
}

export interface FlowHandle<Flow extends MockFlow = MockFlow> {
  readonly flow: Flow;
  remove(): void;
}

export type ScenarioFactory<Options> = (
  options: Options,
  mock: { readonly world: World; readonly url: string },
) => MockFlow;

const scenarios = new Map<string, ScenarioFactory<never>>();

/**
 * Registers a named scenario that `mock.scenario(name, options)` switches on. Names are global
 * to the process; registering a name again replaces it (a test may refine a built-in one).
 */
export function defineScenario<Options = void>(name: string, factory: ScenarioFactory<Options>): void {
  if (!name) throw new TypeError("a scenario needs a name");
  scenarios.set(name, factory as ScenarioFactory<never>);
}

export function scenarioFactory(name: string): ScenarioFactory<unknown> {
  const f = scenarios.get(name);
  if (!f)
    throw new TypeError(
      `no mock scenario named "${name}" (defined: ${[...scenarios.keys()].sort().join(", ") || "none"})`,
    );
  return f as ScenarioFactory<unknown>;
}

export function scenarioNames(): string[] {
  return [...scenarios.keys()].sort();
}
