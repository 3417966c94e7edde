/**
 * A mock Falcon API on 127.0.0.1, driven by OpenAPI 3 documents: every request is checked
 * against its operation (400 saying what failed); valid requests are answered by the first flow
 * that takes them (`on()` handlers, scenarios), else from the seeded data world (answers.ts);
 * tests can switch on Falcon's behaviours (token lifetime, region redirects, 429s, 5xx, delays,
 * hangs, resets, truncated bodies).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Ajv } from "ajv";
import { Answers, resolveNode, resourceItems, type UnknownIds, type WorldAnswer, worldStatus } from "./answers.js";
import { ExampleGenerator } from "./examples.js";
import { FileStore, type FileStoreLimits, type StoredFile } from "./files.js";
import { FilterError } from "./fql.js";
import { BINARY_MARK, compileSchema, createAjv, describeErrors, sanitizeSchema, type Validator } from "./schema.js";
import { loadSpec, type OperationEntry, type Schema, type SpecIndex, type SpecSource } from "./spec.js";
// the built-in scenarios register themselves (event streams, RTR, jobs, pagination)
import "./scenarios.js";
import type { BuiltInScenarios } from "./scenarios.js";
import {
  scenarioFactory,
  type FlowContext,
  type FlowHandle,
  type FlowReply,
  type FlowRequest,
  type MockFlow,
} from "./flows.js";
import { clientIssues, clientOperation } from "./client-check.js";
import { defaultSpecDir } from "./locate.js";
import type {
  DefaultBodyRequest,
  FaultShorthand,
  HandlerOptions,
  MockCall,
  MockHandler,
  MockReply,
  OperationId,
  ResponseOf,
} from "./types.js";
import { validateRequest, type FormPart, type ParsedRequest } from "./validate.js";
import { routeFamily, World, type WorldOptions } from "./world.js";

export type { FormPart, ParsedRequest } from "./validate.js";
export type { OpenApiDocument, OperationEntry, SpecIndex, SpecSource } from "./spec.js";
export { loadSpec } from "./spec.js";
export { exampleRequest, type ExampleRequest } from "./requests.js";
export { ExampleGenerator } from "./examples.js";
export { FileStore, sha256Hex, type FileStoreLimits, type StoredFile } from "./files.js";

export interface MockCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** When set, `member_cid` must be absent or one of these. */
  readonly memberCids?: readonly string[];
}

export interface MockFalconOptions {
  /** Seed of the data world: the same seed gives the same ids and values (default 1). */
  readonly seed?: number | string;
  /** The client id the mock accepts (default "mock-client-id"); ignored when `credentials` is given. */
  readonly clientId?: string;
  /** The client secret the mock accepts (default "mock-client-secret"); ignored when `credentials` is given. */
  readonly clientSecret?: string;
  /** Size and clock of the data world (entities per family; the moment timestamps lead up to). */
  readonly world?: Omit<WorldOptions, "seed">;
  /**
   * Ids a details, update, delete or action call names that the world does not have (nor an
   * earlier answer of the mock gave out): `"not-found"` (default) reports each in `errors` (code
   * 404), with HTTP 404 when none was found, as Falcon does; `"answer"` makes up a record for each.
   */
  readonly unknownIds?: UnknownIds;
  /** OpenAPI 3 documents, JSON files, or directories of `<tag>/openapi.json` (default: the spec shipped with the kit). */
  readonly spec?: SpecSource | readonly SpecSource[];
  readonly host?: string;
  /** Port of the first region's listener (default 0: any free port). */
  readonly port?: number;
  /** Regions to play, one listener each (default ["us-1"]); the first is `url`. */
  readonly regions?: readonly string[];
  /** The tenant's region: where a redirect sends token requests (default: the first region). */
  readonly homeRegion?: string;
  readonly credentials?: readonly MockCredentials[];
  /** Seconds an issued token lives (`expires_in`, default 1799). */
  readonly tokenLifetime?: number;
  /** Check bearer tokens on API routes (default true). */
  readonly requireAuth?: boolean;
  /** Bearer tokens accepted without having been issued (legacy `accessToken` tests). */
  readonly acceptTokens?: readonly string[];
  /** Validate requests against the spec (default true). */
  readonly validate?: boolean;
  /** Reject query parameters and form fields the operation does not declare (default true). */
  readonly rejectUnknown?: boolean;
  /** X-Ratelimit-Limit (default 6000 per minute). */
  readonly rateLimitPerMinute?: number;
  /** Clock in milliseconds (default Date.now), for token expiry and rate-limit windows. */
  readonly now?: () => number;
  /** Bounds of the uploaded-file store (default 64 files, 64 MiB; oldest evicted). */
  readonly files?: FileStoreLimits;
}

export interface RecordedRequest {
  readonly seq: number;
  /** When it arrived (ms since the epoch, by the mock's clock). */
  readonly receivedAt: number;
  /** Region of the listener that received it. */
  readonly region: string;
  readonly method: string;
  /** Raw path, still percent-encoded. */
  readonly path: string;
  /** Raw query string without `?` ("" when none). */
  readonly query: string;
  readonly searchParams: URLSearchParams;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: Uint8Array;
  operationId?: string;
  pathParams?: Record<string, string>;
  /** Parsed body: JSON value, form fields as an object, text, or undefined. */
  body?: unknown;
  /** Multipart parts (and the file of an octet-stream upload). */
  parts: FormPart[];
  /** Parameters after coercion to their spec types. */
  parsed?: ParsedRequest;
  /** What the validator (or auth) found wrong; empty when the request was accepted. */
  errors: string[];
  /** Status sent (undefined while in flight, or for a hang/reset). */
  status?: number;
  /** Which switch answered, if any. */
  fault?: FaultKind;
  /** For a rateLimit answer: when the 429 told the client to come back (ms since the epoch). */
  retryAt?: number;
  /** SHA-256 digests of the file content this request uploaded (see MockFalcon.files). */
  uploaded?: string[];
}

export interface IssuedToken {
  readonly value: string;
  readonly clientId: string;
  readonly memberCid?: string;
  readonly region: string;
  readonly issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** What a switch applies to: operation ID, "METHOD /path" or "/path" (templates or raw), a RegExp on the path, or a predicate. */
export type RequestMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

export type FaultKind = "rateLimit" | "status" | "delay" | "hang" | "reset" | "truncate" | "override" | "redirect";

export interface ResponseOverride {
  readonly status?: number;
  /** An object/array is sent as JSON, a string as text, bytes as bytes. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

export type Fault =
  /**
   * 429 with X-RateLimit-RetryAfter = now + retryAfter seconds (epoch seconds, as Falcon sends
   * it; default 1), or with `header: "retry-after"` a standard Retry-After of retryAfter seconds.
   */
  | {
      readonly kind: "rateLimit";
      readonly retryAfter?: number;
      readonly header?: "x-ratelimit-retryafter" | "retry-after";
    }
  /** Any status before auth/validation, e.g. 500/502/503; `html` sends an HTML error page. */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly body?: unknown;
      readonly html?: boolean;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Waits before handling the request normally. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Reads the request and never answers (until close()). */
  | { readonly kind: "hang" }
  /** Destroys the connection without answering. */
  | { readonly kind: "reset" }
  /** Sends the normal answer's headers and only `fraction` (default 0.5) of its body, then drops the connection. */
  | { readonly kind: "truncate"; readonly fraction?: number }
  /** Replaces the answer of a valid, authorised request. */
  | ({ readonly kind: "override" } & ResponseOverride)
  /**
   * 308 to the same route on `url` (default: this mock) with X-Cs-Region: `region` (default
   * "us-2"), as Falcon answers a token request sent to the wrong cloud.
   */
  | { readonly kind: "redirect"; readonly region?: string; readonly url?: string };

export interface FaultOptions {
  readonly match?: RequestMatcher;
  /** How many matching requests it applies to (default: all). */
  readonly times?: number;
}

export interface FaultHandle {
  /** Requests it has applied to so far. */
  readonly hits: number;
  remove(): void;
}

export interface MockSettings {
  credentials: MockCredentials[];
  tokenLifetime: number;
  requireAuth: boolean;
  acceptTokens: string[];
  validate: boolean;
  rejectUnknown: boolean;
  homeRegion: string;
  /** Answer requests to a non-home region with 308 + Location + X-Cs-Region. */
  redirectWrongRegion: false | "oauth2" | "all";
  rateLimitPerMinute: number;
}

export interface MockFalcon {
  /** Base URL of the first region's listener (no trailing slash). */
  readonly url: string;
  /** Credentials the mock accepts (the first configured pair). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The seeded data world default answers come from. */
  readonly world: World;
  /** Region -> base URL. */
  readonly urls: Readonly<Record<string, string>>;
  readonly spec: SpecIndex;
  readonly settings: MockSettings;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Every token issued (values included, so tests can look for leaks). */
  readonly tokens: IssuedToken[];
  /**
   * Content uploaded by accepted requests (multipart file parts, raw binary bodies), by SHA-256.
   * Upload answers whose resources have a `sha256` field carry the real digest (and the file's
   * name and size where the resource has such fields; an `id` becomes the digest too), and a
   * binary download whose `ids` / `id` / `sha256` / `hash` query value is a stored digest
   * answers the stored bytes.
   */
  readonly files: FileStore;
  /** Adds a token as if issued by POST /oauth2/token (returns its value). */
  issueToken(options?: { clientId?: string; lifetime?: number; region?: string }): string;
  /** Makes every issued token expired. */
  expireTokens(): void;
  inject(fault: Fault, options?: FaultOptions): FaultHandle;
  /** 429s (e.g. `match: "/oauth2/token"` for the token endpoint): see the rateLimit Fault. */
  rateLimit(
    times: number,
    options?: { retryAfter?: number; match?: RequestMatcher; header?: "x-ratelimit-retryafter" | "retry-after" },
  ): FaultHandle;
  serverError(
    times: number,
    options?: { status?: number; body?: unknown; html?: boolean; match?: RequestMatcher },
  ): FaultHandle;
  delay(ms: number, options?: FaultOptions): FaultHandle;
  hang(options?: FaultOptions): FaultHandle;
  /** Connection resets (the `reset` Fault). */
  resetConnection(options?: FaultOptions): FaultHandle;
  truncate(options?: FaultOptions & { fraction?: number }): FaultHandle;
  override(match: RequestMatcher, response: ResponseOverride, options?: { times?: number }): FaultHandle;
  /** Sends token (and with "all", every) requests at non-home listeners to `homeRegion`. */
  redirectTo(homeRegion: string, scope?: "oauth2" | "all"): void;
  clearFaults(): void;
  clearLog(): void;
  /** Forgets every uploaded file. */
  clearFiles(): void;
  /** Checks a response body against an operation's response schema (default: its success status); [] when it conforms. */
  validateResponse(operationId: string, body: unknown, status?: number): string[];
  /** Adds a flow in front of the scenarios and the data world (`on()` handlers go in front of it). */
  flow<Flow extends MockFlow>(flow: Flow, options?: { readonly front?: boolean }): FlowHandle<Flow>;
  /**
   * Switches on a scenario: a built-in one (`BuiltInScenarios`: "event-streams", "rtr", "jobs",
   * "pagination"; the handle's `flow` has its switches and what it saw), or one registered with
   * `defineScenario(name, factory)`.
   */
  scenario<Name extends keyof BuiltInScenarios>(
    name: Name,
    options?: BuiltInScenarios[Name]["options"],
  ): FlowHandle<BuiltInScenarios[Name]["flow"]>;
  scenario(name: string, options?: unknown): FlowHandle;
  /**
   * Answers `operationId` with `handler` (or a fixed reply) in front of everything else, for
   * `times` requests or until reset; a handler returning undefined leaves the request to the
   * data world. Requests are validated against the spec before a handler sees them.
   */
  on<Id extends OperationId>(
    operationId: Id,
    handler: MockHandler<Id> | MockReply<Id>,
    options?: HandlerOptions,
  ): FlowHandle;
  /**
   * What the data world answers `operationId` (its success body) for a request with these
   * parameters, without a round trip; e.g. to build the expected value of a test.
   */
  defaultBody<Id extends OperationId>(operationId: Id, request?: DefaultBodyRequest): ResponseOf<Id>;
  /** Requests received for `operationId` (every operation when omitted), oldest first. */
  calls<Id extends OperationId>(operationId?: Id): MockCall<Id>[];
  /** Makes `operationId` (or every request, "*": token requests too) fail with `fault`, `times` times (default: until reset). */
  fault(target: OperationId | "*", fault: Fault | FaultShorthand, options?: { readonly times?: number }): FaultHandle;
  /**
   * Back to the start for the next test: `on()` handlers and faults removed, recorded requests
   * and stored files cleared, scenarios and flows kept and reset to their first state. Issued
   * tokens stay valid.
   */
  reset(): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_CREDENTIALS: MockCredentials = { clientId: "mock-client-id", clientSecret: "mock-client-secret" };
const JSON_TYPE = /^application\/(.+\+)?json$/;

interface ActiveFault {
  readonly fault: Fault;
  readonly match: RequestMatcher | undefined;
  remaining: number;
  hits: number;
}

interface Listener {
  readonly region: string;
  readonly server: Server;
  url: string;
}

export async function startMockFalcon(options: MockFalconOptions = {}): Promise<MockFalcon> {
  const mock = new MockFalconServer(options);
  await mock.listen(options.host ?? "127.0.0.1", options.port ?? 0);
  return mock;
}

class MockFalconServer implements MockFalcon {
  readonly spec: SpecIndex;
  readonly settings: MockSettings;
  readonly requests: RecordedRequest[] = [];
  readonly tokens: IssuedToken[] = [];
  readonly files: FileStore;
  private readonly tokenIndex = new Map<string, IssuedToken>();
  private readonly faults: ActiveFault[] = [];
  private readonly listeners: Listener[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly now: () => number;
  private readonly ajv: Ajv;
  private readonly examples = new WeakMap<object, ExampleGenerator>();
  private readonly windowStart = new Map<string, { start: number; count: number }>();
  private readonly flows: MockFlow[] = [];
  /** The flows `on()` added (reset() removes them). */
  private readonly handlers = new Set<MockFlow>();
  readonly world: World;
  private readonly answers: Answers;
  private seq = 0;

  constructor(options: MockFalconOptions) {
    this.spec = loadSpec(options.spec ?? defaultSpecDir());
    this.now = options.now ?? Date.now;
    this.ajv = createAjv();
    this.files = new FileStore(options.files);
    this.world = new World({ ...options.world, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
    this.answers = new Answers(this.world, {
      record: (family) => this.recordSource(family),
      listed: (family) => this.listedFamilies().has(family),
      stored: (id) => this.files.get(id) !== undefined,
      unknownIds: options.unknownIds ?? "not-found",
    });
    const regions = options.regions?.length ? options.regions : ["us-1"];
    const single: MockCredentials = {
      clientId: options.clientId ?? DEFAULT_CREDENTIALS.clientId,
      clientSecret: options.clientSecret ?? DEFAULT_CREDENTIALS.clientSecret,
    };
    this.settings = {
      credentials: [...(options.credentials ?? [single])],
      tokenLifetime: options.tokenLifetime ?? 1799,
      requireAuth: options.requireAuth ?? true,
      acceptTokens: [...(options.acceptTokens ?? [])],
      validate: options.validate ?? true,
      rejectUnknown: options.rejectUnknown ?? true,
      homeRegion: options.homeRegion ?? regions[0]!,
      redirectWrongRegion: false,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 6000,
    };
    for (const region of regions) {
      const server = createServer((req, res) => {
        this.handle(region, req, res).catch((err: unknown) => {
          if (!res.headersSent)
            this.sendJson(
              region,
              res,
              500,
              envelope(500, `mock server error: ${(err as Error).message}`, randomUUID()),
            );
          else res.destroy();
        });
      });
      server.on("connection", (socket) => {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
      });
      this.listeners.push({ region, server, url: "" });
    }
  }

  get url(): string {
    return this.listeners[0]!.url;
  }

  get clientId(): string {
    return this.settings.credentials[0]?.clientId ?? DEFAULT_CREDENTIALS.clientId;
  }

  get clientSecret(): string {
    return this.settings.credentials[0]?.clientSecret ?? DEFAULT_CREDENTIALS.clientSecret;
  }

  get urls(): Record<string, string> {
    return Object.fromEntries(this.listeners.map((l) => [l.region, l.url]));
  }

  async listen(host: string, port: number): Promise<void> {
    for (const [i, l] of this.listeners.entries()) {
      await new Promise<void>((resolve, reject) => {
        l.server.once("error", reject);
        l.server.listen(i === 0 ? port : 0, host, () => resolve());
      });
      const addr = l.server.address() as AddressInfo;
      l.url = `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
    }
  }

  async close(): Promise<void> {
    for (const flow of this.flows.splice(0)) flow.close?.();
    await Promise.all(
      this.listeners.map(
        (l) =>
          new Promise<void>((resolve) => {
            l.server.close(() => resolve());
            l.server.closeAllConnections();
          }),
      ),
    );
    for (const s of this.sockets) s.destroy();
  }

  // ---- switches ----

  issueToken(options: { clientId?: string; lifetime?: number; region?: string; memberCid?: string } = {}): string {
    const now = this.now();
    const token: IssuedToken = {
      value: `mocktok_${randomBytes(24).toString("hex")}`,
      clientId: options.clientId ?? this.settings.credentials[0]?.clientId ?? DEFAULT_CREDENTIALS.clientId,
      ...(options.memberCid ? { memberCid: options.memberCid } : {}),
      region: options.region ?? this.settings.homeRegion,
      issuedAt: now,
      expiresAt: now + (options.lifetime ?? this.settings.tokenLifetime) * 1000,
      revoked: false,
    };
    this.tokens.push(token);
    this.tokenIndex.set(token.value, token);
    return token.value;
  }

  expireTokens(): void {
    const now = this.now();
    for (const t of this.tokens) t.expiresAt = Math.min(t.expiresAt, now - 1);
  }

  inject(fault: Fault, options: FaultOptions = {}): FaultHandle {
    const active: ActiveFault = { fault, match: options.match, remaining: options.times ?? Infinity, hits: 0 };
    this.faults.push(active);
    const faults = this.faults;
    return {
      get hits() {
        return active.hits;
      },
      remove() {
        const i = faults.indexOf(active);
        if (i >= 0) faults.splice(i, 1);
      },
    };
  }

  rateLimit(
    times: number,
    options: { retryAfter?: number; match?: RequestMatcher; header?: "x-ratelimit-retryafter" | "retry-after" } = {},
  ): FaultHandle {
    return this.inject(
      {
        kind: "rateLimit",
        ...(options.retryAfter !== undefined ? { retryAfter: options.retryAfter } : {}),
        ...(options.header !== undefined ? { header: options.header } : {}),
      },
      { times, match: options.match },
    );
  }

  serverError(
    times: number,
    options: { status?: number; body?: unknown; html?: boolean; match?: RequestMatcher } = {},
  ): FaultHandle {
    const { match, status, ...rest } = options;
    return this.inject({ kind: "status", status: status ?? 500, ...rest }, { times, match });
  }

  delay(ms: number, options: FaultOptions = {}): FaultHandle {
    return this.inject({ kind: "delay", ms }, options);
  }

  hang(options: FaultOptions = {}): FaultHandle {
    return this.inject({ kind: "hang" }, options);
  }

  resetConnection(options: FaultOptions = {}): FaultHandle {
    return this.inject({ kind: "reset" }, options);
  }

  truncate(options: FaultOptions & { fraction?: number } = {}): FaultHandle {
    const { fraction, ...rest } = options;
    return this.inject({ kind: "truncate", ...(fraction !== undefined ? { fraction } : {}) }, rest);
  }

  override(match: RequestMatcher, response: ResponseOverride, options: { times?: number } = {}): FaultHandle {
    return this.inject({ kind: "override", ...response }, { match, ...options });
  }

  redirectTo(homeRegion: string, scope: "oauth2" | "all" = "oauth2"): void {
    if (!this.listeners.some((l) => l.region === homeRegion))
      throw new Error(`the mock does not play region ${homeRegion}`);
    this.settings.homeRegion = homeRegion;
    this.settings.redirectWrongRegion = scope;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  clearFiles(): void {
    this.files.clear();
  }

  flow<Flow extends MockFlow>(flow: Flow, options: { readonly front?: boolean } = {}): FlowHandle<Flow> {
    if (options.front) this.flows.unshift(flow);
    else this.flows.push(flow);
    const flows = this.flows;
    return {
      flow,
      remove() {
        const i = flows.indexOf(flow);
        if (i >= 0) flows.splice(i, 1);
        flow.close?.();
      },
    };
  }

  scenario(name: string, options?: unknown): FlowHandle {
    return this.flow<MockFlow>(scenarioFactory(name)(options, { world: this.world, url: this.url }));
  }

  reset(): void {
    // as msw's resetHandlers: per-test handlers go, scenarios stay and start again
    for (const flow of [...this.flows]) {
      if (this.handlers.has(flow)) {
        this.flows.splice(this.flows.indexOf(flow), 1);
        this.handlers.delete(flow);
      } else flow.reset?.();
    }
    this.clearFaults();
    this.clearLog();
    this.clearFiles();
    this.answers.reset();
  }

  on<Id extends OperationId>(
    operationId: Id,
    handler: MockHandler<Id> | MockReply<Id>,
    options: HandlerOptions = {},
  ): FlowHandle {
    const id = this.knownOperation(operationId);
    let remaining = options.times ?? Infinity;
    const answer =
      typeof handler === "function"
        ? (handler as unknown as NonNullable<MockFlow["answer"]>)
        : () => handler as FlowReply;
    let handle: FlowHandle | undefined;
    const flow: MockFlow = {
      name: `on:${operationId}`,
      operations: [id],
      answer: async (request, context) => {
        if (remaining <= 0) return undefined;
        const reply = await answer(request, context);
        if (reply !== undefined && --remaining <= 0) handle?.remove();
        return reply;
      },
    };
    this.handlers.add(flow);
    handle = this.flow(flow, { front: true });
    return handle;
  }

  defaultBody<Id extends OperationId>(operationId: Id, request: DefaultBodyRequest = {}): ResponseOf<Id> {
    const entry = this.spec.operation(this.knownOperation(operationId))!;
    const chosen = chooseResponse(entry, undefined);
    if (!chosen.schema || chosen.binary)
      throw new TypeError(`${operationId} answers ${chosen.binary ? "bytes" : "no body"}, not a JSON body`);
    const parsed: ParsedRequest = {
      query: { ...request.query },
      path: { ...request.path },
      header: {},
      body: request.body,
      parts: [],
    };
    return this.worldBody(entry, chosen, parsed).body as ResponseOf<Id>;
  }

  calls<Id extends OperationId>(operationId?: Id): MockCall<Id>[] {
    const id = operationId === undefined ? undefined : this.knownOperation(operationId);
    return this.requests
      .filter((r) => r.operationId !== undefined && (id === undefined || r.operationId === id))
      .map((r) => toCall(r) as MockCall<Id>);
  }

  fault(
    target: OperationId | "*",
    fault: Fault | FaultShorthand,
    options: { readonly times?: number } = {},
  ): FaultHandle {
    const match = target === "*" ? undefined : this.knownOperation(target);
    const f: Fault = typeof fault === "string" ? ({ kind: fault } as Fault) : fault;
    return this.inject(f, {
      ...(match !== undefined ? { match } : {}),
      ...(options.times !== undefined ? { times: options.times } : {}),
    });
  }

  /** The operation ID the spec knows it by (deprecated IDs are aliases the mock does not serve); throws for an unknown one. */
  private knownOperation(operationId: string): string {
    const entry = this.spec.operation(operationId);
    if (!entry) throw new TypeError(`the mock has no operation "${operationId}"`);
    return entry.id;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  validateResponse(operationId: string, body: unknown, status?: number): string[] {
    const entry = this.spec.operation(operationId);
    if (!entry) return [`unknown operation ${operationId}`];
    const chosen = chooseResponse(entry, undefined, status);
    const v = this.responseValidator(entry, chosen);
    if (!v) return [];
    return v(body) ? [] : describeErrors(v.errors, (p) => (p ? `response${p.replace(/\//g, ".")}` : "response"));
  }

  private responseValidator(entry: OperationEntry, chosen: ChosenResponse): Validator | undefined {
    if (!chosen.schema) return undefined;
    const key = `response:${chosen.status}:${chosen.mediaType}`;
    let v = entry.cache.get(key) as Validator | undefined;
    if (!v) {
      v = compileSchema(this.ajv, entry.doc, sanitizeSchema(chosen.schema));
      entry.cache.set(key, v);
    }
    return v;
  }

  // ---- request handling ----

  private matches(fault: ActiveFault, record: RecordedRequest): boolean {
    const m = fault.match;
    if (m === undefined) return true;
    if (typeof m === "function") return m(record);
    if (m instanceof RegExp) return m.test(record.path);
    if (m.startsWith("/")) return record.path === m || entryPath(this.spec, record) === m;
    const sp = m.indexOf(" ");
    if (sp > 0 && m.slice(sp + 1).startsWith("/")) {
      const method = m.slice(0, sp).toUpperCase();
      const path = m.slice(sp + 1);
      return record.method === method && (record.path === path || entryPath(this.spec, record) === path);
    }
    return record.operationId === m;
  }

  private take(record: RecordedRequest, kinds: readonly FaultKind[]): ActiveFault | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0 || !kinds.includes(f.fault.kind) || !this.matches(f, record)) continue;
      f.remaining--;
      f.hits++;
      return f;
    }
    return undefined;
  }

  private async handle(region: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    const url = new URL(req.url ?? "/", "http://mock.invalid");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const method = (req.method ?? "GET").toUpperCase();
    const record: RecordedRequest = {
      seq: ++this.seq,
      receivedAt: this.now(),
      region,
      method,
      path: url.pathname,
      query: url.search.slice(1),
      searchParams: url.searchParams,
      headers,
      raw,
      parts: [],
      errors: [],
    };
    this.requests.push(record);
    const lookup = this.spec.lookup(method, url.pathname);
    if (lookup.kind === "found") {
      record.operationId = lookup.match.entry.id;
      record.pathParams = lookup.match.pathParams;
    }
    const trace = randomUUID();

    // the API gateway answers these before looking at the request
    const isOAuth = url.pathname === "/oauth2/token" || url.pathname === "/oauth2/revoke";
    const redirect = this.settings.redirectWrongRegion;
    if (redirect && region !== this.settings.homeRegion && (redirect === "all" || isOAuth)) {
      const home = this.listeners.find((l) => l.region === this.settings.homeRegion)!;
      record.status = 308;
      res.writeHead(308, {
        location: `${home.url}${url.pathname}${url.search}`,
        "x-cs-region": this.settings.homeRegion,
        "x-cs-traceid": trace,
        "content-length": "0",
      });
      res.end();
      return;
    }
    let delay = 0;
    for (const f of this.faults) {
      if (f.fault.kind === "delay" && f.remaining > 0 && this.matches(f, record)) {
        f.remaining--;
        f.hits++;
        delay += f.fault.ms;
      }
    }
    if (delay > 0) await sleep(delay, res);
    if (res.destroyed) return;

    const pre = this.take(record, ["redirect", "rateLimit", "status", "hang", "reset"]);
    let answer: Answer | "hang" | "reset" | undefined = pre && this.faultAnswer(record, pre.fault, url, trace);
    let cut: Fault | undefined;
    if (answer === undefined) {
      let computed: Answer;
      let routed: Answer | undefined;
      if (url.pathname === "/oauth2/token" && method === "POST") {
        computed = await this.tokenRequest(region, record, raw, url, headers, trace);
      } else if (url.pathname === "/oauth2/revoke" && method === "POST") {
        computed = await this.revokeRequest(region, record, raw, url, headers, trace);
      } else if (lookup.kind !== "found" && (routed = await this.routeFlows(record, url, raw, trace, res))) {
        computed = routed;
      } else if (lookup.kind !== "found") {
        const msg =
          lookup.kind === "method-not-allowed"
            ? `no operation for ${method} ${url.pathname} (the path takes ${lookup.allowed.join(", ")})`
            : `no operation for ${method} ${url.pathname}`;
        record.errors.push(msg);
        computed = jsonAnswer(404, envelope(404, msg, trace));
      } else {
        computed = await this.apiRequest(record, lookup.match.entry, raw, url, headers, trace);
      }
      if (computed.fault) {
        // a flow answered with a fault: immediate kinds answer now, the others shape the default answer
        const f = computed.fault;
        if (f.kind === "delay") await sleep(f.ms, res);
        if (f.kind === "truncate") cut = f;
        if (f.kind === "override") computed = overrideAnswer(f, computed);
        answer = this.faultAnswer(record, f, url, trace) ?? computed;
        record.fault = f.kind;
      } else answer = computed;
      if (res.destroyed) return;
    }
    if (answer === "hang") return;
    if (answer === "reset") {
      req.socket.destroy();
      return;
    }

    if (record.errors.length === 0 && answer.status < 300 && !record.fault) {
      const o = this.take(record, ["override"]);
      if (o && o.fault.kind === "override") {
        record.fault = "override";
        answer = overrideAnswer(o.fault, answer);
      }
    }
    cut ??= this.take(record, ["truncate"])?.fault;
    record.status = answer.status;
    const hdrs = { "x-cs-traceid": trace, ...answer.headers };
    if (cut && cut.kind === "truncate") {
      record.fault = "truncate";
      const bytes = answer.bytes;
      const keep = Math.max(0, Math.min(bytes.length - 1, Math.floor(bytes.length * (cut.fraction ?? 0.5))));
      res.writeHead(answer.status, {
        ...this.falconHeaders(region),
        ...hdrs,
        "content-type": answer.contentType,
        "content-length": String(bytes.length),
      });
      res.write(bytes.subarray(0, keep), () => res.destroy());
      return;
    }
    if (answer.stream) {
      res.writeHead(answer.status, { ...this.falconHeaders(region), ...hdrs, "content-type": answer.contentType });
      await pipeStream(answer.stream, res);
      return;
    }
    if (answer.contentType === "") {
      res.writeHead(answer.status, { ...this.falconHeaders(region), ...hdrs });
      res.end();
      return;
    }
    this.sendRaw(region, res, answer.status, answer.contentType, answer.bytes, hdrs);
  }

  /**
   * The answer of a fault that replaces the request's handling (redirect, rateLimit, status),
   * "hang" / "reset" for those that answer nothing, undefined for those that shape a normal answer.
   */
  private faultAnswer(
    record: RecordedRequest,
    f: Fault,
    url: URL,
    trace: string,
  ): Answer | "hang" | "reset" | undefined {
    record.fault = f.kind;
    switch (f.kind) {
      case "hang":
      case "reset":
        return f.kind;
      case "redirect": {
        const to = f.url ?? this.url;
        return {
          status: 308,
          contentType: "",
          bytes: new Uint8Array(),
          headers: {
            location: `${to}${url.pathname}${url.search}`,
            "x-cs-region": f.region ?? "us-2",
            "content-length": "0",
          },
        };
      }
      case "rateLimit": {
        const after = f.retryAfter ?? 1;
        const body = envelope(429, "API rate limit exceeded.", trace);
        if (f.header === "retry-after") {
          record.retryAt = this.now() + after * 1000;
          return jsonAnswer(429, body, { "retry-after": String(after), "x-ratelimit-remaining": "0" });
        }
        const retryAt = Math.floor(this.now() / 1000) + after;
        record.retryAt = retryAt * 1000;
        return jsonAnswer(429, body, { "x-ratelimit-retryafter": String(retryAt), "x-ratelimit-remaining": "0" });
      }
      case "status":
        if (f.html) {
          const html = `<html><head><title>${f.status}</title></head><body><h1>${f.status} Mock Gateway Error</h1></body></html>`;
          return { status: f.status, contentType: "text/html", bytes: Buffer.from(html), headers: { ...f.headers } };
        }
        return jsonAnswer(f.status, f.body ?? envelope(f.status, "Internal Server Error", trace), { ...f.headers });
      default:
        return undefined;
    }
  }

  private flowContext(
    entry: OperationEntry | undefined,
    parsed: ParsedRequest | undefined,
    accept: string | undefined,
  ): FlowContext {
    return {
      world: this.world,
      now: this.now,
      url: this.url,
      files: this.files,
      defaultBody: () => {
        if (!entry) return undefined;
        const chosen = chooseResponse(entry, accept);
        return chosen.schema && !chosen.binary ? this.worldBody(entry, chosen, parsed).body : undefined;
      },
    };
  }

  /** A request to a route the spec lacks: the first flow whose `route` answers it. */
  private async routeFlows(
    record: RecordedRequest,
    url: URL,
    raw: Uint8Array,
    trace: string,
    res: ServerResponse,
  ): Promise<Answer | undefined> {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    for (const flow of [...this.flows]) {
      if (!flow.route) continue;
      const reply = await flow.route(
        { method: record.method, url, headers: record.headers, raw, signal: gone.signal },
        this.flowContext(undefined, undefined, undefined),
      );
      if (reply) return replyAnswer(reply, trace, 200);
    }
    return undefined;
  }

  /** A valid, authorised request: the first flow that answers it. */
  private async answerFlows(
    record: RecordedRequest,
    entry: OperationEntry,
    accept: string | undefined,
    trace: string,
  ): Promise<Answer | undefined> {
    const flows = this.flows.filter((f) => f.answer && (!f.operations || f.operations.includes(entry.id)));
    if (flows.length === 0) return undefined;
    const request = flowRequest(record);
    const context = this.flowContext(entry, record.parsed, accept);
    for (const flow of flows) {
      const reply = await flow.answer!(request, context);
      if (reply) return replyAnswer(reply, trace, chooseResponse(entry, accept).status);
    }
    return undefined;
  }

  private authorised(headers: Record<string, string>): boolean {
    const m = /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
    if (!m) return false;
    const value = m[1]!;
    if (this.settings.acceptTokens.includes(value)) return true;
    const t = this.tokenIndex.get(value);
    return t !== undefined && !t.revoked && this.now() < t.expiresAt;
  }

  private async apiRequest(
    record: RecordedRequest,
    entry: OperationEntry,
    raw: Uint8Array<ArrayBuffer>,
    url: URL,
    headers: Record<string, string>,
    trace: string,
  ): Promise<Answer> {
    if (this.settings.requireAuth && !this.authorised(headers)) {
      record.errors.push("access denied, invalid bearer token");
      return jsonAnswer(401, envelope(401, "access denied, invalid bearer token", trace));
    }
    const checked = await this.check(record, entry, raw, url, headers);
    if (checked) return jsonAnswer(checked.status, envelope(checked.status, checked.message, trace));
    const uploads = this.storeUploads(record, entry, raw);
    try {
      const fromFlow = await this.answerFlows(record, entry, headers.accept, trace);
      // a flow's fault still needs the default answer to shape (truncate, override, delay)
      if (fromFlow && !fromFlow.fault) return fromFlow;
      const answer = this.successAnswer(entry, headers.accept, trace, record.parsed, uploads);
      return fromFlow ? { ...answer, fault: fromFlow.fault } : answer;
    } catch (err) {
      // a filter that is not FQL, or FQL the data world cannot evaluate (from the world or a flow's defaultBody())
      if (!(err instanceof FilterError)) throw err;
      record.errors.push(err.message);
      return jsonAnswer(400, envelope(400, err.message, trace));
    }
  }

  /** Keeps the file content of an accepted request: its multipart file parts, else a raw binary body. */
  private storeUploads(record: RecordedRequest, entry: OperationEntry, raw: Uint8Array): Upload[] {
    const parsed = record.parsed;
    if (!parsed) return [];
    const fields = { ...parsed.query, ...(isRecord(parsed.body) ? parsed.body : {}) };
    const field = (name: string): string | undefined => {
      const v = fields[name];
      return typeof v === "string" && v !== "" && v !== "<file>" ? v : undefined;
    };
    const given = field("file_name") ?? field("filename") ?? field("name");
    const found: Array<{ bytes: Uint8Array; name?: string; contentType?: string }> = [];
    for (const p of parsed.parts) {
      // a file part has a file name (FormData gives every Blob one) or a media type; text fields have neither
      if (p.filename === undefined && p.contentType === undefined) continue;
      found.push({ bytes: p.bytes, name: given ?? p.filename, contentType: p.contentType });
    }
    const media = (parsed.mediaType ?? "").split(";")[0]!.trim().toLowerCase();
    if (found.length === 0 && raw.length > 0 && media && isRawFileType(media)) {
      found.push({
        bytes: raw,
        name: given,
        contentType: (record.headers["content-type"] ?? media).split(";")[0]!.trim(),
      });
    }
    if (found.length === 0) return [];
    record.uploaded = [];
    return found.map((f) => {
      const stored = this.files.put(f.bytes, {
        name: f.name,
        contentType: f.contentType,
        operationId: entry.id,
        storedAt: this.now(),
      });
      record.uploaded!.push(stored.sha256);
      return { file: stored, fields: field };
    });
  }

  private async check(
    record: RecordedRequest,
    entry: OperationEntry,
    raw: Uint8Array<ArrayBuffer>,
    url: URL,
    headers: Record<string, string>,
  ): Promise<{ status: number; message: string } | undefined> {
    // the client's validatePayloads check where the operation has generated schemas (client-check.ts)
    const op = await clientOperation(entry);
    const outcome = await validateRequest(
      this.ajv,
      entry,
      { method: record.method, url, headers, pathParams: record.pathParams ?? {}, body: raw },
      { rejectUnknown: this.settings.rejectUnknown, schemas: op === undefined },
    );
    record.parsed = outcome.parsed;
    record.body = outcome.parsed.body;
    record.parts = outcome.parsed.parts;
    const errors = op ? [...outcome.errors, ...(await clientIssues(op, entry, outcome.parsed, raw))] : outcome.errors;
    if (errors.length === 0 || !this.settings.validate) return undefined;
    record.errors.push(...errors);
    const status = outcome.errors.length ? outcome.status : 400;
    return { status, message: `${entry.id}: request does not match the spec: ${errors.join("; ")}` };
  }

  private async tokenRequest(
    region: string,
    record: RecordedRequest,
    raw: Uint8Array<ArrayBuffer>,
    url: URL,
    headers: Record<string, string>,
    trace: string,
  ): Promise<Answer> {
    const entry = this.spec.lookup("POST", "/oauth2/token");
    if (entry.kind === "found") {
      record.operationId = entry.match.entry.id;
      const bad = await this.check(record, entry.match.entry, raw, url, headers);
      if (bad) return jsonAnswer(bad.status, envelope(bad.status, bad.message, trace));
    }
    const form = new URLSearchParams(Buffer.from(raw).toString("utf8"));
    if (entry.kind !== "found") record.body = Object.fromEntries(form);
    const clientId = form.get("client_id") ?? "";
    const secret = form.get("client_secret") ?? "";
    const memberCid = form.get("member_cid") ?? undefined;
    if (!clientId || !secret) {
      record.errors.push("client_id and client_secret are required");
      return jsonAnswer(400, envelope(400, "client_id and client_secret are required", trace));
    }
    const cred = this.settings.credentials.find((c) => c.clientId === clientId && c.clientSecret === secret);
    if (!cred || (memberCid !== undefined && cred.memberCids !== undefined && !cred.memberCids.includes(memberCid))) {
      record.errors.push("invalid client credentials");
      return jsonAnswer(403, envelope(403, "Failed to issue access token - Not Authorized", trace));
    }
    const value = this.issueToken({ clientId, region, ...(memberCid ? { memberCid } : {}) });
    return jsonAnswer(
      201,
      { access_token: value, token_type: "bearer", expires_in: this.settings.tokenLifetime },
      { "x-cs-region": region },
    );
  }

  private async revokeRequest(
    region: string,
    record: RecordedRequest,
    raw: Uint8Array<ArrayBuffer>,
    url: URL,
    headers: Record<string, string>,
    trace: string,
  ): Promise<Answer> {
    const entry = this.spec.lookup("POST", "/oauth2/revoke");
    const basic = /^basic\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
    const decoded = basic ? Buffer.from(basic[1]!, "base64").toString("utf8") : "";
    const sep = decoded.indexOf(":");
    const cred =
      sep > 0
        ? this.settings.credentials.find(
            (c) => c.clientId === decoded.slice(0, sep) && c.clientSecret === decoded.slice(sep + 1),
          )
        : undefined;
    if (!cred) {
      record.errors.push("revoke needs Basic auth with valid client credentials");
      return jsonAnswer(401, envelope(401, "access denied, invalid client credentials", trace));
    }
    if (entry.kind === "found") {
      record.operationId = entry.match.entry.id;
      const bad = await this.check(record, entry.match.entry, raw, url, headers);
      if (bad) return jsonAnswer(bad.status, envelope(bad.status, bad.message, trace));
    }
    const form = new URLSearchParams(Buffer.from(raw).toString("utf8"));
    if (entry.kind !== "found") record.body = Object.fromEntries(form);
    const token = form.get("token");
    if (!token) {
      record.errors.push("token is required");
      return jsonAnswer(400, envelope(400, "token is required", trace));
    }
    const t = this.tokenIndex.get(token);
    if (t && t.clientId === cred.clientId) t.revoked = true;
    void region;
    return jsonAnswer(200, { meta: meta(trace), errors: [], resources: [] });
  }

  private generator(entry: OperationEntry): ExampleGenerator {
    let g = this.examples.get(entry.doc);
    if (!g) {
      g = new ExampleGenerator(entry.doc);
      this.examples.set(entry.doc, g);
    }
    return g;
  }

  private successAnswer(
    entry: OperationEntry,
    accept: string | undefined,
    trace: string,
    parsed?: ParsedRequest,
    uploads: readonly Upload[] = [],
  ): Answer {
    const chosen = chooseResponse(entry, accept);
    if (chosen.status === 204) return { status: 204, contentType: "", bytes: new Uint8Array(), headers: {} };
    const media = chosen.mediaType;
    if (!media) return jsonAnswer(chosen.status, { meta: meta(trace), errors: [], resources: [] });
    const norm = media.split(";")[0]!.trim().toLowerCase();
    if (!chosen.binary && JSON_TYPE.test(norm)) {
      const answer = this.worldBody(entry, chosen, parsed);
      const body = answer.body;
      if (isRecord(body)) {
        if (isRecord(body.meta) && "trace_id" in body.meta) body.meta.trace_id = trace;
        if (uploads.length > 0) this.describeUploads(entry, chosen, body, uploads);
      }
      return jsonAnswer(worldStatus(entry, chosen.status, answer), body, {}, media);
    }
    const stored = parsed && this.storedDownload(parsed);
    if (stored) {
      const offered = Object.keys(entry.responses[String(chosen.status)]?.content ?? {}).map((t) =>
        t.split(";")[0]!.trim().toLowerCase(),
      );
      const type = offered.includes("application/octet-stream") || media === "*/*" ? "application/octet-stream" : media;
      return { status: chosen.status, contentType: type, bytes: stored.bytes, headers: {} };
    }
    return {
      status: chosen.status,
      contentType: media === "*/*" ? "application/octet-stream" : media,
      bytes: sampleContent(entry.id, norm),
      headers: {},
    };
  }

  private readonly recordSources = new Map<string, { items: unknown; generator: ExampleGenerator } | undefined>();

  /** A family's record schema: the resource items of its details (else combined) operation whose items are objects. */
  private recordSource(family: string): { items: unknown; generator: ExampleGenerator } | undefined {
    if (this.recordSources.has(family)) return this.recordSources.get(family);
    const rank = (e: OperationEntry): number => (e.path.includes("/entities/") ? (e.method === "get" ? 0 : 1) : 2);
    const candidates = this.spec
      .operations()
      .filter((e) => routeFamily(e.path)?.family === family && routeFamily(e.path)?.kind !== "queries")
      .sort((a, b) => rank(a) - rank(b));
    let found: { items: unknown; generator: ExampleGenerator } | undefined;
    for (const entry of candidates) {
      const chosen = chooseResponse(entry, undefined);
      if (!chosen.schema || chosen.binary) continue;
      const items = resourceItems(entry, sanitizeSchema(chosen.schema));
      if (items !== undefined && isRecord(resolveNode(entry.doc, items).properties)) {
        found = { items, generator: this.generator(entry) };
        break;
      }
    }
    this.recordSources.set(family, found);
    return found;
  }

  private listed: ReadonlySet<string> | undefined;

  /** The families a queries or combined route lists: the ones whose ids the world can tell a test. */
  private listedFamilies(): ReadonlySet<string> {
    this.listed ??= new Set(
      this.spec.operations().flatMap((e) => {
        const route = routeFamily(e.path);
        return route && route.kind !== "entities" ? [route.family] : [];
      }),
    );
    return this.listed;
  }

  /** The data world's answer to a request (a fresh body: callers may change it). */
  private worldBody(entry: OperationEntry, chosen: ChosenResponse, parsed: ParsedRequest | undefined): WorldAnswer {
    const key = `example:${chosen.status}:${chosen.mediaType}`;
    // one sanitized schema per answer: the generator keeps the plan of each schema (and of its record items) it has seen
    let schema = entry.cache.get(`${key}:schema`);
    if (schema === undefined) {
      schema = sanitizeSchema(chosen.schema ?? {});
      entry.cache.set(`${key}:schema`, schema);
    }
    let text = entry.cache.get(key) as string | undefined;
    if (text === undefined) {
      text = this.answers.baseText(entry, schema, this.generator(entry));
      entry.cache.set(key, text);
    }
    return this.answers.body(entry, schema, this.generator(entry), parsed, this.now(), text);
  }

  /**
   * Puts the uploaded files' real digest (and name, size, id) into the resources of a generated
   * upload answer that describe files (those with a `sha256` field). Each change is kept only
   * when the answer still conforms to its schema.
   */
  private describeUploads(
    entry: OperationEntry,
    chosen: ChosenResponse,
    body: Record<string, unknown>,
    uploads: readonly Upload[],
  ): void {
    const resources = body.resources;
    if (!Array.isArray(resources)) return;
    const validator = this.responseValidator(entry, chosen);
    const conforms = (): boolean => !validator || validator(body);
    if (!conforms()) return;
    resources.forEach((item: unknown, i) => {
      const upload = uploads[i];
      if (!upload || !isRecord(item) || typeof item.sha256 !== "string") return;
      const { file, fields } = upload;
      const set = (key: string, value: unknown): void => {
        if (!(key in item) || typeof item[key] !== typeof value) return;
        const before = item[key];
        item[key] = value;
        if (!conforms()) item[key] = before;
      };
      set("sha256", file.sha256);
      set("id", file.sha256);
      for (const key of NAME_FIELDS) {
        const name = fields(key) ?? file.name;
        if (name !== undefined) set(key, name);
      }
      for (const key of SIZE_FIELDS) set(key, file.bytes.length);
    });
  }

  /** The stored file a download asks for by digest (`ids`, `id`, `sha256` or `hash` query value). */
  private storedDownload(parsed: ParsedRequest): StoredFile | undefined {
    if (this.files.size === 0) return undefined;
    for (const key of DOWNLOAD_KEYS) {
      const v = parsed.query[key];
      for (const candidate of Array.isArray(v) ? v : [v]) {
        if (typeof candidate !== "string" || !SHA256_HEX.test(candidate)) continue;
        const f = this.files.get(candidate);
        if (f) return f;
      }
    }
    return undefined;
  }

  private falconHeaders(region: string): Record<string, string> {
    const now = this.now();
    let w = this.windowStart.get(region);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0 };
      this.windowStart.set(region, w);
    }
    w.count++;
    return {
      "x-cs-region": region,
      "x-ratelimit-limit": String(this.settings.rateLimitPerMinute),
      "x-ratelimit-remaining": String(Math.max(0, this.settings.rateLimitPerMinute - w.count)),
    };
  }

  private sendJson(
    region: string,
    res: ServerResponse,
    status: number,
    body: unknown,
    extra: Record<string, string> = {},
  ): void {
    this.sendRaw(region, res, status, "application/json", Buffer.from(JSON.stringify(body)), extra);
  }

  private sendRaw(
    region: string,
    res: ServerResponse,
    status: number,
    contentType: string,
    bytes: Uint8Array,
    extra: Record<string, string> = {},
  ): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      ...this.falconHeaders(region),
      ...extra,
      "content-type": contentType,
      "content-length": String(bytes.length),
    });
    res.end(bytes);
  }
}

interface Upload {
  readonly file: StoredFile;
  /** A string field of the upload request (form field or query parameter). */
  readonly fields: (name: string) => string | undefined;
}

/** Resource fields an upload answer names the file with, and gives its size in. */
const NAME_FIELDS = ["file_name", "filename", "name"] as const;
const SIZE_FIELDS = ["size", "file_size", "file_size_bytes", "size_bytes"] as const;
/** Query parameters a download names its file by. */
const DOWNLOAD_KEYS = ["ids", "id", "sha256", "hash"] as const;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** A raw request body that is a file (not JSON, a form, text or YAML). */
function isRawFileType(media: string): boolean {
  if (JSON_TYPE.test(media) || media === "multipart/form-data" || media === "application/x-www-form-urlencoded")
    return false;
  return !media.startsWith("text/") && !media.includes("yaml");
}

interface Answer {
  status: number;
  /** "" for no body at all (204). */
  contentType: string;
  bytes: Uint8Array;
  headers: Record<string, string>;
  /** Sent chunk by chunk as it yields (instead of `bytes`). */
  stream?: AsyncIterable<string | Uint8Array>;
  /** A flow answered with a fault. */
  fault?: Fault;
}

function isFormType(mediaType: string | undefined): boolean {
  return (
    mediaType !== undefined &&
    /^(multipart\/form-data|application\/x-www-form-urlencoded)$/i.test(mediaType.split(";")[0]!.trim())
  );
}

/** The request a flow sees, from what the mock parsed. */
function flowRequest(record: RecordedRequest): FlowRequest {
  const parsed = record.parsed;
  const isForm = isFormType(parsed?.mediaType);
  return {
    operationId: record.operationId ?? "",
    method: record.method,
    url: record.query ? `${record.path}?${record.query}` : record.path,
    query: parsed?.query ?? {},
    path: parsed?.path ?? record.pathParams ?? {},
    headers: record.headers,
    body: isForm ? undefined : parsed?.body,
    form: isForm && isRecord(parsed?.body) ? parsed.body : undefined,
    files: parsed?.parts ?? [],
  };
}

function toCall(record: RecordedRequest): MockCall {
  return {
    ...(flowRequest(record) as MockCall),
    seq: record.seq,
    receivedAt: record.receivedAt,
    status: record.status,
    fault: record.fault,
    errors: record.errors,
  };
}

function isAsyncIterable(v: unknown): v is AsyncIterable<string | Uint8Array> {
  return v !== null && typeof v === "object" && Symbol.asyncIterator in v;
}

/** A flow's reply as an answer; JSON objects get Falcon's envelope where they lack it. */
function replyAnswer(reply: FlowReply, trace: string, defaultStatus: number): Answer {
  const none: Answer = { status: defaultStatus, contentType: "application/json", bytes: new Uint8Array(), headers: {} };
  if ("fault" in reply) return { ...none, fault: reply.fault };
  const status = reply.status ?? defaultStatus;
  const headers = { ...reply.headers };
  const body = reply.body;
  if (isAsyncIterable(body))
    return {
      status,
      headers,
      contentType: reply.contentType ?? "application/octet-stream",
      bytes: new Uint8Array(),
      stream: body,
    };
  if (body === undefined)
    return {
      status,
      headers,
      contentType: status === 204 ? "" : (reply.contentType ?? "application/json"),
      bytes: new Uint8Array(),
    };
  if (body instanceof Uint8Array || typeof body === "string")
    return overrideAnswer(
      { status, body, headers, ...(reply.contentType ? { contentType: reply.contentType } : {}) },
      none,
    );
  let json = body;
  if (isRecord(body)) {
    const errors = body.errors ?? (status >= 400 ? [{ code: status, message: `mock: ${status}` }] : []);
    json = { ...body, meta: { ...meta(trace), ...(isRecord(body.meta) ? body.meta : {}) }, errors };
  }
  return {
    status,
    headers,
    contentType: reply.contentType ?? "application/json",
    bytes: Buffer.from(JSON.stringify(json)),
  };
}

/** Writes a streamed body, waiting for the socket to drain; a client that goes away ends it. */
async function pipeStream(stream: AsyncIterable<string | Uint8Array>, res: ServerResponse): Promise<void> {
  try {
    for await (const chunk of stream) {
      if (res.destroyed) break;
      if (!res.write(chunk))
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = "application/json",
): Answer {
  return { status, contentType, bytes: Buffer.from(JSON.stringify(body)), headers };
}

function overrideAnswer(o: ResponseOverride, base: Answer): Answer {
  const status = o.status ?? base.status;
  const headers = { ...base.headers, ...o.headers };
  if (o.body === undefined)
    return { ...base, status, headers, ...(o.contentType ? { contentType: o.contentType } : {}) };
  if (o.body instanceof Uint8Array)
    return { status, headers, contentType: o.contentType ?? "application/octet-stream", bytes: o.body };
  if (typeof o.body === "string")
    return { status, headers, contentType: o.contentType ?? "text/plain", bytes: Buffer.from(o.body) };
  return {
    status,
    headers,
    contentType: o.contentType ?? "application/json",
    bytes: Buffer.from(JSON.stringify(o.body)),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function meta(trace: string): Record<string, unknown> {
  return { query_time: 0.001, powered_by: "falcon-mock", trace_id: trace };
}

/** Falcon's error shape. */
function envelope(code: number, message: string, trace: string): Record<string, unknown> {
  return { meta: meta(trace), errors: [{ code, message }], resources: [] };
}

function entryPath(spec: SpecIndex, record: RecordedRequest): string | undefined {
  return record.operationId ? spec.operation(record.operationId)?.path : undefined;
}

interface ChosenResponse {
  status: number;
  mediaType?: string;
  schema?: Schema;
  binary: boolean;
}

function isBinarySchema(schema: unknown): boolean {
  if (!isRecord(schema)) return false;
  if (schema.format === "binary" || schema.type === "file" || schema[BINARY_MARK]) return true;
  return schema.type === "array" && isRecord(schema.items) && schema.items.type === "integer";
}

/**
 * The success status (lowest 2xx, or `status`) and the media type to answer with: one the
 * client asked for by exact Accept, else bytes when the schema describes bytes and the
 * operation offers a non-JSON type, else JSON.
 */
function chooseResponse(entry: OperationEntry, accept: string | undefined, status?: number): ChosenResponse {
  const codes = Object.keys(entry.responses)
    .filter((c) => /^\d+$/.test(c))
    .map(Number)
    .sort((a, b) => a - b);
  const code = status ?? codes.find((c) => c >= 200 && c < 300) ?? 200;
  const response = entry.responses[String(code)];
  const content = response?.content ?? {};
  const types = Object.keys(content);
  if (types.length === 0) return { status: code, binary: false };
  const isJson = (t: string): boolean => JSON_TYPE.test(t.split(";")[0]!.trim().toLowerCase());
  const accepted = (accept ?? "")
    .split(",")
    .map((a) => a.split(";")[0]!.trim().toLowerCase())
    .filter((a) => a && a !== "*/*");
  const wanted = types.find((t) => accepted.includes(t.toLowerCase()));
  const schemaOf = (t: string): Schema | undefined => content[t]?.schema as Schema | undefined;
  if (wanted) return { status: code, mediaType: wanted, schema: schemaOf(wanted), binary: !isJson(wanted) };
  const nonJson = types.filter((t) => !isJson(t));
  const first = types[0]!;
  const s = schemaOf(first);
  const bytesLike = isBinarySchema(s) || (isRecord(s) && s.type === "string");
  if (nonJson.length > 0 && (bytesLike || nonJson.length === types.length)) {
    const media = nonJson.find((t) => t !== "*/*") ?? "application/octet-stream";
    return { status: code, mediaType: media, schema: schemaOf(media) ?? s, binary: true };
  }
  const json = types.find(isJson) ?? first;
  return { status: code, mediaType: json, schema: schemaOf(json), binary: false };
}

/** Deterministic content for non-JSON answers; binary ones hold every byte value so lossy text decoding shows. */
function sampleContent(operationId: string, mediaType: string): Uint8Array {
  if (mediaType === "text/csv") return Buffer.from("id,name\nexample-1,example\n");
  if (mediaType.includes("yaml")) return Buffer.from(`operation: ${operationId}\nexample: true\n`);
  if (mediaType.includes("ndjson")) return Buffer.from(`{"id":"example-1"}\n{"id":"example-2"}\n`);
  if (mediaType === "text/html") return Buffer.from(`<html><body>${operationId}</body></html>`);
  if (mediaType.startsWith("text/")) return Buffer.from(`${operationId} example\n`);
  const head = Buffer.from(`FALCONMOCK ${operationId}\n`);
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  return Buffer.concat([head, all]);
}

async function readAll(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    // a client that gives up (timeout test) should not keep the timer alive
    res.once("close", () => {
      clearTimeout(t);
      resolve();
    });
  });
}
