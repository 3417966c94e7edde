/**
 * A flow: a stateful behaviour of the mock, asked before the spec-generated answer for every
 * request that passed auth and validation. Return an answer to take the request, or undefined
 * to leave it to the mock (or the next flow). Flows keep their own state (finite data, issued
 * tokens); the mock passes only the request and its clock.
 */
import type { ParsedRequest } from "../validate.js";

export interface FlowRequest {
  readonly operationId: string;
  readonly method: string;
  /** Query, path, header and body values after coercion to their spec types. */
  readonly parsed: ParsedRequest;
  /** The mock's clock, ms since the epoch. */
  readonly now: number;
  readonly trace: string;
}

export interface FlowAnswer {
  readonly status: number;
  /** Sent as JSON. */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface MockFlow {
  answer(request: FlowRequest): FlowAnswer | undefined;
}
