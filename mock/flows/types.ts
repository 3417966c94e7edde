/**
 * The interface between the mock server and a stateful flow (mock/flows/*): the server hands
 * every valid, authorised API request to the installed flows in order (`mock.useFlow(flow)`);
 * the first that returns an answer sends it, and `undefined` lets the request go on to the next
 * flow and finally to the spec-generated answer. Flows own their state and their clock.
 */
export interface FlowRequest {
  readonly operationId: string;
  /** Query parameters coerced to their spec types. */
  readonly query: Readonly<Record<string, unknown>>;
  readonly path: Readonly<Record<string, unknown>>;
  /** The parsed JSON body (or form fields), undefined when none. */
  readonly body: unknown;
}

export interface FlowAnswer {
  readonly status: number;
  /** A JSON value, or bytes (sent as `contentType`, default application/octet-stream). */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type MockFlow = (request: FlowRequest) => FlowAnswer | undefined;

/** Falcon's error envelope. */
export function errorAnswer(status: number, message: string): FlowAnswer {
  return { status, body: { meta: { query_time: 0.001, trace_id: "mock-flow" }, errors: [{ code: status, message }], resources: [] } };
}

/** Falcon's success envelope around `resources` (plus any extra top-level fields). */
export function okAnswer(status: number, resources: unknown, extra: Record<string, unknown> = {}): FlowAnswer {
  return { status, body: { meta: { query_time: 0.001, trace_id: "mock-flow" }, errors: [], resources, ...extra } };
}
