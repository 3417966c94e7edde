/**
 * `falconts/fetch`: an openapi-fetch client whose requests run through the FalconTS pipeline
 * (auth and token refresh, regions, the 429 cool-down, retries, timeouts, logging), for users
 * who prefer path-typed calls:
 *
 *   import { createFalconFetchClient } from "falconts/fetch";
 *   import type { paths } from "falconts/hosts";
 *   const falcon = createFalconFetchClient<paths>({ clientId, clientSecret });
 *   const { data, error } = await falcon.GET("/devices/queries/devices-scroll/v1", { params: { query: { limit: 10 } } });
 *
 * Middleware goes on the openapi-fetch client (`falcon.use(...)`), as on any openapi-fetch client.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import { ClientClosed } from "./errors.js";
import type { FalconInterface } from "./falcon-interface.js";
import type { OperationSpec } from "./operation.js";
import type { FalconOptions } from "./options.js";
import { Refusal, Failure, type CallRequest } from "./pipeline/step.js";
import { openClient } from "./service-class.js";

export interface FalconFetchOptions extends FalconOptions {
  /** openapi-fetch's own options (serializers, parseAs...); its baseUrl and fetch are FalconTS's. */
  clientOptions?: Omit<ClientOptions, "baseUrl" | "fetch">;
}

export type FalconFetchClient<Paths extends {}> = Client<Paths> & {
  /** The auth object (pass it as `authObject` to service classes to share the token). */
  readonly auth: FalconInterface;
  /** As a service class's close(): the token owner revokes its token; idempotent, never throws. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);

export function createFalconFetchClient<Paths extends {}>(options: FalconFetchOptions = {}): FalconFetchClient<Paths> {
  const { clientOptions, ...falconOptions } = options;
  const { auth, client } = openClient(falconOptions);
  const base = auth.baseUrl;

  const send = async (input: Request): Promise<Response> => {
    if (client.closed) throw new ClientClosed(`${input.method} ${input.url}: this client was closed`);
    const method = input.method.toUpperCase();
    if (!METHODS.has(method)) throw new TypeError(`falconts/fetch: unsupported method ${method}`);
    // the route relative to the base URL (the base may change after region discovery)
    const url = new URL(input.url);
    const path = input.url.startsWith(base) ? input.url.slice(base.length) : url.pathname + url.search;
    const route = path.split("?")[0]!;
    const op: OperationSpec = {
      id: `${method} ${route}`,
      method: method as OperationSpec["method"],
      path: route,
      tag: "fetch",
      params: [],
    };
    const headers: Record<string, string> = { ...client.transport.baseHeaders };
    input.headers.forEach((v, k) => (headers[k] = v));
    const pipeline = client.pipeline;
    const req: CallRequest = {
      op,
      method,
      path,
      url: auth.baseUrl + path,
      headers,
      body: input.body === null ? undefined : new Uint8Array(await input.arrayBuffer()),
      signal: input.signal,
      timeouts: pipeline.timeouts,
      bodyMode: "raw",
      params: undefined,
      callerAuthorization: false,
      deadline: undefined,
      bodyDeadline: undefined,
      onBodyDone: undefined,
    };
    const res = await pipeline.run(req);
    if (res instanceof Failure) throw res.error;
    if (res instanceof Refusal) {
      const o = res.outcome;
      return new Response(JSON.stringify({ ...o.body, resources: [] }), {
        status: o.status,
        headers: { ...o.headers, "content-type": "application/json" },
      });
    }
    return new Response(res.body as ReadableStream<Uint8Array> | null, {
      status: res.status_code,
      headers: res.headers,
    });
  };

  const fetchClient = createClient<Paths>({ ...clientOptions, baseUrl: base, fetch: send as typeof globalThis.fetch });
  return Object.assign(fetchClient, {
    auth,
    close: () => client.close(),
    [Symbol.asyncDispose]: () => client.close(),
  });
}
