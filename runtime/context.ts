/**
 * Context authentication: FalconPy's ContextVar auth as an AsyncLocalStorage. A client built
 * without credentials uses the token and cloud of the active context (e.g. per request in a
 * serverless handler), ahead of environment credentials.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { InvalidOption, TokenNotSpecified, type SDKWarning } from "./errors.js";
import { StaticToken } from "./auth/static-token.js";
import { requireSecureTransport, resolveBaseUrl } from "./regions.js";

export interface FalconContextValue {
  /** Bearer token for the calls made in this context (never refreshed). */
  accessToken: string;
  /** Region name, full URL or bare host, resolved like `baseUrl`. Default US1. */
  csCloud?: string;
  /** Allow an `http://` csCloud to a host that is not loopback (the token travels unencrypted). Default false. */
  allowInsecureHttp?: boolean;
  /** Receives the InsecureTransportWarning of an allowed plain-http csCloud (once per origin). */
  onWarning?: (warning: SDKWarning) => void;
}

/** The active context as the auth layer sees it: a ready token and its cloud. */
export type ActiveContext = StaticToken;

const storage = new AsyncLocalStorage<ActiveContext>();

export class FalconContext {
  private constructor() {}

  /** Run `fn` with this token and cloud; clients without credentials inside it use them. */
  static run<R>(value: FalconContextValue, fn: () => R): R {
    if (!value || typeof value.accessToken !== "string" || value.accessToken === "") {
      throw new TokenNotSpecified("FalconContext.run needs a non-empty accessToken");
    }
    const { allowInsecureHttp, onWarning } = value;
    if (allowInsecureHttp !== undefined && typeof allowInsecureHttp !== "boolean")
      throw new InvalidOption("allowInsecureHttp", "expected true or false");
    if (onWarning !== undefined && typeof onWarning !== "function")
      throw new InvalidOption("onWarning", "expected a function");
    if (typeof fn !== "function")
      throw new InvalidOption("fn", "FalconContext.run needs a function to run in the context");
    const base = resolveBaseUrl(value.csCloud, "csCloud");
    requireSecureTransport(base.url, "csCloud", { allowInsecureHttp, warn: onWarning });
    return storage.run(new StaticToken(value.accessToken, base, "context"), fn);
  }

  /** The active context, if any. */
  static current(): ActiveContext | undefined {
    return storage.getStore();
  }
}
