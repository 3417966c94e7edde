/**
 * Before-request / after-response hooks: headers, metrics, tracing without forking the
 * runtime. Hooks run in registration order; a hook may change the request's url, headers
 * and body before it is sent. No hook registered means no extra work per call.
 */
import type { OperationSpec } from "./operation.js";
import type { WireBody } from "./payload.js";

export interface HookRequest {
  readonly operation: OperationSpec;
  readonly method: string;
  /** Full URL with query string; a hook may replace it. */
  url: string;
  /** Header names in lower case; a hook may add, change or delete entries. */
  headers: Record<string, string>;
  body: WireBody | undefined;
}

export interface HookResponse {
  readonly operation: OperationSpec;
  readonly request: HookRequest;
  /** HTTP status, or 0 when the request failed before an answer (see `error`). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds from send to the parsed body (or to the headers when streaming). */
  readonly durationMs: number;
  readonly error?: unknown;
}

export interface RequestHook {
  beforeRequest?(request: HookRequest): void | Promise<void>;
  afterResponse?(response: HookResponse): void | Promise<void>;
}

export async function runBefore(hooks: readonly RequestHook[], req: HookRequest): Promise<void> {
  for (const h of hooks) if (h.beforeRequest) await h.beforeRequest(req);
}

export async function runAfter(hooks: readonly RequestHook[], res: HookResponse): Promise<void> {
  for (const h of hooks) if (h.afterResponse) await h.afterResponse(res);
}
