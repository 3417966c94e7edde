/**
 * The test kit's typed surface: requests, replies and recorded calls typed by operation ID from
 * the same operation table the client's `command()` is typed by (generated/uber.ts), so a
 * handler for QueryDevicesByFilterScroll sees its query parameters and returns its response body.
 */
import type { OperationTypes } from "../generated/uber.js";
import type { FlowContext, FlowRequest, MaybePromise } from "./flows.js";
import type { Fault, FaultKind } from "./server.js";

/** Every operation ID of the spec (deprecated IDs included). */
export type OperationId = Extract<keyof OperationTypes, string>;

type ArgsOf<Id extends OperationId> = OperationTypes[Id]["args"];
type QueryOf<A> = [A] extends [{ parameters?: infer P }] ? NonNullable<P> : Record<string, unknown>;
type BodyOf<A> = [A] extends [{ body?: infer B }] ? NonNullable<B> : unknown;

/** The success body of an operation, as the client types it. */
export type ResponseOf<Id extends OperationId> = OperationTypes[Id]["response"];

/** Falcon's error envelope (any failure status). */
export interface MockErrorBody {
  meta?: Record<string, unknown>;
  errors?: { code?: number; message?: string; [key: string]: unknown }[];
  resources?: unknown[];
  [key: string]: unknown;
}

/** A success body whose envelope the mock completes: `meta` and `errors` may be left out. */
export type ReplyBody<R> = R extends { meta: infer M }
  ? Omit<R, "meta" | "errors"> & {
      meta?: Partial<M> & Record<string, unknown>;
      errors?: R extends { errors?: infer E } ? E : unknown;
    }
  : R;

/** A request to `Id` as the mock parsed it from the wire (parameters coerced to their spec types). */
export interface MockRequest<Id extends OperationId = OperationId>
  extends Omit<FlowRequest, "operationId" | "query" | "body"> {
  readonly operationId: Id;
  readonly query: Partial<QueryOf<ArgsOf<Id>>> & Record<string, unknown>;
  /** The JSON body (undefined for forms: see `form`). */
  readonly body: BodyOf<ArgsOf<Id>> | undefined;
}

/** A request the mock received, with what it answered. */
export interface MockCall<Id extends OperationId = OperationId> extends MockRequest<Id> {
  readonly seq: number;
  /** When it arrived (ms since the epoch, by the mock's clock). */
  readonly receivedAt: number;
  /** Status sent (undefined for a hang or reset, or while in flight). */
  readonly status: number | undefined;
  /** The fault that answered it, if any. */
  readonly fault: FaultKind | undefined;
  /** Why the mock rejected it (spec validation, auth); empty when accepted. */
  readonly errors: readonly string[];
}

/** Statuses a success body is sent with (an error status takes Falcon's error envelope instead). */
export type SuccessStatus = 200 | 201 | 202 | 203 | 206 | 207;

/**
 * What a handler answers: a body typed from the operation's success response (status default:
 * the operation's success status); or any status with Falcon's error envelope (or text/bytes);
 * headers; or a fault. Returning undefined leaves the request to the data world.
 */
export type MockReply<Id extends OperationId = OperationId> =
  | {
      readonly status?: SuccessStatus;
      readonly body?: ReplyBody<ResponseOf<Id>> | string | Uint8Array;
      readonly headers?: Readonly<Record<string, string>>;
      readonly contentType?: string;
    }
  | {
      readonly status: number;
      readonly body?: MockErrorBody | string | Uint8Array;
      readonly headers?: Readonly<Record<string, string>>;
      readonly contentType?: string;
    }
  | { readonly fault: Fault };

export type MockHandler<Id extends OperationId = OperationId> = (
  request: MockRequest<Id>,
  context: Omit<FlowContext, "defaultBody"> & {
    /** The answer the data world would give this request (a fresh copy to change and return). */
    defaultBody(): ResponseOf<Id>;
  },
) => MaybePromise<MockReply<Id> | undefined>;

/** The parameters `mock.defaultBody()` answers for (values as parsed from the wire: numbers, arrays). */
export interface DefaultBodyRequest {
  readonly query?: Record<string, unknown>;
  readonly path?: Record<string, unknown>;
  readonly body?: unknown;
}

/** Fault shorthands: `mock.fault("*", "reset")`. */
export type FaultShorthand = "hang" | "reset" | "truncate" | "rateLimit" | "redirect";

export interface HandlerOptions {
  /** How many matching requests it answers before it is removed (default: until reset). */
  readonly times?: number;
}
