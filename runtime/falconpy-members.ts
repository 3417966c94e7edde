/**
 * FalconPy's members on every service class and on APIHarnessV2, camelCased: the attribute
 * tables of FalconPy's docs (tokenValue, tokenStatus, headers, proxy, timeout, ...) and its
 * methods (tokenExpired(), authenticated(), login(), logout(), childLogin(), childLogout(),
 * override()). All are thin delegations to the auth object and the client's settings, kept
 * here so that auth and the pipeline stay unaware of them.
 */
import {
  DeprecatedClass,
  DeprecatedOperation,
  InvalidMethod,
  PayloadValidationError,
  firstTimeOnly,
} from "./errors.js";
import { ClientBase } from "./client-base.js";
import { emitWarning, type FalconInterface } from "./falcon-interface.js";
import type { OperationSpec, ParamSpec } from "./operation.js";
import type { CallOptions, TimeoutSetting } from "./options.js";
import { dotSegmentIn } from "./payload.js";
import { errorResult } from "./results.js";
import type { DictResult, Outcome } from "./results.js";
import type { BinaryInput, FileTuple } from "./arguments.js";

/** Member names these classes define: a generated method or alias must not take them. */
export const FALCONPY_MEMBERS: readonly string[] = [
  "authObject",
  "baseUrl",
  "headers",
  "proxy",
  "refreshable",
  "timeout",
  "tokenFailReason",
  "tokenRenewWindow",
  "tokenStatus",
  "tokenValue",
  "tokenExpiration",
  "tokenTime",
  "userAgent",
  "sslVerify",
  "validatePayloads",
  "tokenExpired",
  "authenticated",
  "login",
  "logout",
  "childLogin",
  "childLogout",
  "override",
  "commands",
  "creds",
  "pythonic",
  "identity",
  "switchMember",
];

/** What a client resolved from its own options and its auth object's (ServiceClass supplies it). */
export interface ClientSettings {
  readonly validatePayloads: boolean;
  readonly timeout: TimeoutSetting | undefined;
  /** Headers every request of the client carries (user agent, extHeaders, SDK header). */
  readonly baseHeaders: Readonly<Record<string, string>>;
}

type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** Arguments of a call to a route the spec lacks (FalconPy's override() and command(override=)). */
export interface OverrideArgs {
  parameters?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  data?: Readonly<Record<string, unknown>> | BinaryInput | string;
  files?: readonly FileTuple[];
  file_data?: BinaryInput;
  file_name?: string;
  headers?: Readonly<Record<string, string>>;
  content_type?: string;
  ids?: string | readonly string[];
  action_name?: string;
  /** `{name}` placeholders of the route, filled from keywords of the same name. */
  [placeholder: string]: unknown;
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);
const overrides = new Map<string, OperationSpec>();
const MAX_CACHED_OVERRIDES = 256;

/**
 * The table entry for a route the spec lacks, `method` and `route` as FalconPy's override()
 * takes them ("GET", "/devices/queries/devices/v1"); undefined for an unknown method.
 * `ids` (multi) and `action_name` are query parameters; `{name}` placeholders are path ones.
 * A route with a dot segment is a PayloadValidationError.
 */
export function overrideOperation(method: string, route: string): OperationSpec | undefined {
  const verb = method.trim().toUpperCase();
  if (!METHODS.has(verb)) return undefined;
  let path = route.trim();
  if (!path.startsWith("/")) path = `/${path}`;
  const key = `${verb},${path}`;
  const cached = overrides.get(key);
  if (cached) return cached;
  // "\\" is a separator too for URL parsing; a dot segment would send the call (and its token) elsewhere
  const dot = dotSegmentIn(path.split("?")[0]!.split(/[/\\]/));
  if (dot !== undefined) {
    throw new PayloadValidationError(`override ${JSON.stringify(key)}`, [
      { path: ["override"], message: `the path has a dot segment ${JSON.stringify(dot)}: give the route itself` },
    ]);
  }
  const params: ParamSpec[] = [
    { name: "ids", in: "query", type: "array", collectionFormat: "multi" },
    { name: "action_name", in: "query", type: "string" },
  ];
  for (const m of path.matchAll(/\{([^}]+)\}/g))
    params.push({ name: m[1]!, in: "path", type: "string", required: true });
  const op: OperationSpec = { id: key, method: verb as OperationSpec["method"], path, tag: "override", params };
  if (overrides.size >= MAX_CACHED_OVERRIDES) overrides.clear();
  overrides.set(key, op);
  return op;
}

/** A bad override method: InvalidMethod in object mode, FalconPy's 405 result in dict mode. */
export function invalidOverride(method: string, pythonic: boolean): DictResult<unknown> {
  if (pythonic)
    throw new InvalidMethod(
      `override: invalid HTTP method ${JSON.stringify(method)} (expected one of ${[...METHODS].join(", ")})`,
    );
  return errorResult("Invalid HTTP method specified.", 405);
}

/**
 * FalconPy's deprecation warnings, once per process and name: a class with a static
 * `deprecatedClass` (its replacement) at first construction, an operation the API marks
 * deprecated (or called by a deprecated ID, `calledAs`) at first call.
 */
export function warnDeprecated(
  auth: FalconInterface,
  use: { cls?: Function; operation?: OperationSpec; calledAs?: string },
): void {
  const { cls, operation, calledAs } = use;
  if (cls !== undefined && Object.hasOwn(cls, "deprecatedClass") && firstTimeOnly(`class:${cls.name}`)) {
    const replacement = (cls as { deprecatedClass?: string }).deprecatedClass;
    emitWarning(
      auth.config,
      new DeprecatedClass(
        `The ${cls.name} service class has been deprecated.${replacement ? ` Use ${replacement} instead.` : ""}`,
      ),
    );
  }
  if (operation === undefined) return;
  const renamed = calledAs !== undefined && calledAs !== operation.id;
  if ((operation.deprecated || renamed) && firstTimeOnly(`operation:${renamed ? calledAs : operation.id}`)) {
    const message = renamed
      ? `${calledAs} is a deprecated ID of ${operation.id}: use ${operation.id}.`
      : `The ${operation.id} operation has been deprecated (${operation.method} ${operation.path}).`;
    emitWarning(auth.config, new DeprecatedOperation(message));
  }
}

export abstract class FalconPyMembers<Mode extends boolean = false> extends ClientBase {
  /** The auth object (shared with every client built from this one via `authObject`). */
  abstract readonly auth: FalconInterface;
  abstract readonly pythonic: Mode;
  protected abstract readonly clientSettings: ClientSettings;

  /** FalconPy's `auth_object`: the object holding the token (pass it as `authObject` to share it). */
  get authObject(): FalconInterface {
    return this.auth;
  }
  /** The API base URL now (after region autodiscovery). */
  get baseUrl(): string {
    return this.auth.baseUrl;
  }
  /**
   * The headers a request of this client carries, with `authorization: Bearer <token>` once a
   * token is held (FalconPy's `headers`, e.g. for a request FalconTS does not make). Treat the
   * result as a secret.
   */
  get headers(): Record<string, string> {
    const token = this.auth.tokenValue;
    return token === undefined
      ? { ...this.clientSettings.baseHeaders }
      : { ...this.clientSettings.baseHeaders, authorization: `Bearer ${token}` };
  }
  /** The proxy URL given to the constructor (else HTTPS_PROXY / NO_PROXY apply). */
  get proxy(): string | undefined {
    return this.auth.config.proxy;
  }
  /** True when the token is refreshed automatically (client credentials; not a raw accessToken or a context). */
  get refreshable(): boolean {
    return this.auth.basicAuthorization() !== undefined && this.auth.authMode !== "context";
  }
  get timeout(): TimeoutSetting | undefined {
    return this.clientSettings.timeout;
  }
  get tokenFailReason(): string | undefined {
    return this.auth.tokenFailReason;
  }
  /** Seconds before expiry at which the token is refreshed (FalconPy's token_renew_window). */
  get tokenRenewWindow(): number {
    return this.auth.renewWindow;
  }
  get tokenStatus(): number | undefined {
    return this.auth.tokenStatus;
  }
  /** The current bearer token (FalconPy's `token` / `token_value`); `login()` requests one. */
  get tokenValue(): string | undefined {
    return this.auth.tokenValue;
  }
  /** Lifetime of the current token, seconds. */
  get tokenExpiration(): number | undefined {
    return this.auth.tokenExpiration;
  }
  /** When the current token was issued, seconds since the epoch. */
  get tokenTime(): number | undefined {
    return this.auth.tokenTime;
  }
  get userAgent(): string | undefined {
    return this.clientSettings.baseHeaders["user-agent"];
  }
  /** false when TLS verification is off; a CA file path or PEM when one was given. */
  get sslVerify(): boolean | string {
    return this.auth.config.sslVerify ?? true;
  }
  get validatePayloads(): boolean {
    return this.clientSettings.validatePayloads;
  }
  /** FalconPy's `creds` without the secret: `{ client_id, member_cid? }` (undefined without client credentials). */
  get creds(): { client_id: string; member_cid?: string } | undefined {
    return this.auth.identity;
  }

  tokenExpired(): boolean {
    return this.auth.tokenExpired();
  }
  authenticated(): boolean {
    return this.auth.authenticated();
  }
  /** Request a token now; resolves to the token endpoint's result, as FalconPy's login(). */
  login(signal?: AbortSignal): Promise<DictResult<unknown>> {
    return this.auth.login(signal);
  }
  /** Revoke the token (see FalconInterface.logout). */
  logout(signal?: AbortSignal): Promise<DictResult<unknown>> {
    return this.auth.logout(signal);
  }
  /**
   * MSSP: log in as the child `memberCid`; true when the token request succeeded (FalconPy's
   * child_login). Every client sharing the auth object acts for the child from then on.
   */
  async childLogin(memberCid: string, signal?: AbortSignal): Promise<boolean> {
    if (!memberCid || !this.auth.switchMember(memberCid)) return false;
    return isCreated(await this.auth.login(signal));
  }
  /**
   * MSSP: stop acting for the child; log in again as the parent (the default, true when that
   * worked) or only revoke the child's token (`loginAsParent: false`, true when revoked).
   */
  async childLogout(loginAsParent = true, signal?: AbortSignal): Promise<boolean> {
    const token = this.auth.tokenValue;
    if (!loginAsParent) {
      const revoked = token === undefined ? undefined : await this.auth.logout(signal);
      this.auth.switchMember(undefined);
      return revoked !== undefined && revoked.status_code < 300;
    }
    if (!this.auth.switchMember(undefined)) return false;
    return isCreated(await this.auth.login(signal));
  }

  /**
   * A request to a route the spec lacks, through this client's pipeline (auth, retries,
   * results): `override("GET", "/devices/queries/devices/v1", { parameters: { limit: 1 } })`.
   */
  async override<P extends boolean = Mode, S extends boolean = false>(
    method: string,
    route: string,
    args?: OverrideArgs,
    options?: CallOptions<P, S>,
  ): Promise<Outcome<unknown, P, S>> {
    const op = overrideOperation(method, route);
    if (op === undefined) return invalidOverride(method, options?.pythonic ?? this.pythonic) as Outcome<unknown, P, S>;
    return this.call(op, args, options);
  }

  /** util.inspect(client): a summary; the getters above (headers, tokenValue) hold the token and stay unread. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `${this.constructor.name} { auth: ${String(this.auth)}, pythonic: ${this.pythonic} }`;
  }
}

function isCreated(result: DictResult<unknown>): boolean {
  return result.status_code === 201 || result.status_code === 200;
}
