/**
 * What the built-in scenarios (mock/flows/*: event streams, RTR, jobs, pagination) share on top
 * of the scenario API (mock/flows.ts): Falcon's envelopes for the replies they build.
 */
import type { FlowReply } from "../flows.js";

/** Falcon's error envelope. */
export function errorAnswer(status: number, message: string): FlowReply {
  return { status, body: { errors: [{ code: status, message }], resources: [] } };
}

/** Falcon's success envelope around `resources` (plus any extra top-level fields). */
export function okAnswer(status: number, resources: unknown, extra: Record<string, unknown> = {}): FlowReply {
  return { status, body: { errors: [], resources, ...extra } };
}
