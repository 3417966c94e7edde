/**
 * The one interface between the mock server and a stateful flow (mock/flows/*: event streams,
 * RTR and job waiters, pagination). A flow is its own state plus one request handler; install it
 * with `mock.useFlow(flow)` (or `flows: [...]` at start). The server asks the installed flows in
 * order, after its fault switches, for every request that is either
 *  - a spec operation that passed auth and validation (`operationId` and `parsed` are set), or
 *  - a route outside the spec (no `operationId`: e.g. the event stream feed; the flow checks its
 *    own credentials, `authorised()` tells whether a valid bearer token came with it).
 * The handler returns
 *  - a `FlowAnswer`: the server sends it (after the override/truncate switches) and stops asking;
 *  - `"sent"`: the flow wrote the response on `res` itself (streams); it sets `record.status`;
 *  - `undefined`: pass; the next flow is asked, then the spec-generated answer (or 404) is sent.
 * `close()` runs when the mock closes (timers, open responses). Flows own their clock; `now` is
 * the mock's, for flows that want to follow it.
 */
import type { ServerResponse } from "node:http";
import type { RecordedRequest } from "../server.js";
import type { ParsedRequest } from "../validate.js";

export interface FlowRequest {
  readonly method: string;
  /** URL path, without the query. */
  readonly path: string;
  readonly searchParams: URLSearchParams;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The spec operation of the route; undefined for routes outside the spec. */
  readonly operationId?: string;
  /** Query, path, header and body values coerced to their spec types (set with `operationId`). */
  readonly parsed?: ParsedRequest;
  /** The recorded request (a flow that answers on `res` itself sets `status`, and `errors` when it refuses). */
  readonly record: RecordedRequest;
  /** Base URL of the listener that received it (no trailing slash). */
  readonly origin: string;
  /** The mock's clock, ms since the epoch. */
  readonly now: number;
  readonly trace: string;
  /** Whether it carries a valid bearer token (issued, unexpired, unrevoked, or accepted). */
  authorised(): boolean;
}

export interface FlowAnswer {
  readonly status: number;
  /** A JSON value, or bytes (sent as `contentType`, default application/octet-stream); none: empty body. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type FlowResult = FlowAnswer | "sent" | undefined;

export interface MockFlow {
  handle(request: FlowRequest, res: ServerResponse): FlowResult | Promise<FlowResult>;
  close?(): void;
}

/** Falcon's error envelope. */
export function errorAnswer(status: number, message: string): FlowAnswer {
  return {
    status,
    body: { meta: { query_time: 0.001, trace_id: "mock-flow" }, errors: [{ code: status, message }], resources: [] },
  };
}

/** Falcon's success envelope around `resources` (plus any extra top-level fields). */
export function okAnswer(status: number, resources: unknown, extra: Record<string, unknown> = {}): FlowAnswer {
  return { status, body: { meta: { query_time: 0.001, trace_id: "mock-flow" }, errors: [], resources, ...extra } };
}

/** A spec operation's request, as flows that answer only spec operations read it. */
export interface OperationCall {
  readonly operationId: string;
  /** Query parameters coerced to their spec types. */
  readonly query: Readonly<Record<string, unknown>>;
  readonly path: Readonly<Record<string, unknown>>;
  /** The parsed JSON body (or form fields), undefined when none. */
  readonly body: unknown;
}

/** A flow that answers spec operations only (routes outside the spec pass). */
export function operationFlow(answer: (call: OperationCall) => FlowAnswer | undefined): MockFlow {
  return {
    handle: ({ operationId, parsed }) =>
      operationId && parsed
        ? answer({ operationId, query: parsed.query, path: parsed.path, body: parsed.body })
        : undefined,
  };
}
