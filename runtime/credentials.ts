/**
 * Which credentials a client authenticates with, by FalconPy's precedence:
 * authObject > accessToken (legacy) > creds > direct > context > environment.
 * authObject is resolved by FalconInterface (it shares the other object's state) and the
 * context is read at call time (token.ts), so this module covers the static sources.
 */
import { InvalidCredentialFormat } from "./errors.js";
import type { FalconOptions } from "./options.js";

export type AuthMode = "object" | "legacy" | "creds" | "direct" | "context" | "environment" | "none";

/** Client credentials for the token request. */
export interface ClientGrant {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly memberCid: string | undefined;
}

export type AuthSource =
  | { readonly mode: "legacy"; readonly token: string }
  | { readonly mode: "creds" | "direct" | "environment"; readonly grant: ClientGrant }
  | { readonly mode: "none" };

export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  const proc = (globalThis as { process?: { env?: Env } }).process;
  return proc?.env ?? {};
}

// Messages name the offending field only; values are never echoed (they may be secrets).
function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new InvalidCredentialFormat(`${field} must be a string`);
  return value;
}

/** Validate FalconPy's `creds` dictionary. */
export function grantFromCreds(creds: unknown, fallbackMemberCid?: string): ClientGrant {
  if (typeof creds !== "object" || creds === null || Array.isArray(creds)) {
    throw new InvalidCredentialFormat("creds must be an object { client_id, client_secret, member_cid? }");
  }
  const c = creds as Record<string, unknown>;
  const clientId = optionalString(c.client_id, "creds.client_id");
  const clientSecret = optionalString(c.client_secret, "creds.client_secret");
  if (!clientId || !clientSecret) {
    const missing = [clientId ? undefined : "client_id", clientSecret ? undefined : "client_secret"].filter(Boolean);
    throw new InvalidCredentialFormat(`creds is missing ${missing.join(" and ")}`);
  }
  const memberCid = optionalString(c.member_cid, "creds.member_cid") ?? fallbackMemberCid;
  return Object.freeze({ clientId, clientSecret, memberCid });
}

/** Environment credentials: `${prefix}${idName}` / `${prefix}${secretName}`, default FALCON_CLIENT_ID/SECRET. */
export function grantFromEnvironment(options: FalconOptions, env: Env): ClientGrant | undefined {
  const cfg = options.environment ?? {};
  if (typeof cfg !== "object") throw new InvalidCredentialFormat("environment must be an object");
  const prefix = cfg.prefix ?? "FALCON_";
  const idName = cfg.idName ?? "CLIENT_ID";
  const secretName = cfg.secretName ?? "CLIENT_SECRET";
  const clientId = env[`${prefix}${idName}`];
  const clientSecret = env[`${prefix}${secretName}`];
  if (!clientId || !clientSecret) return undefined;
  const memberCid = optionalString(options.memberCid, "memberCid") ?? (env[`${prefix}MEMBER_CID`] || undefined);
  return Object.freeze({ clientId, clientSecret, memberCid });
}

/** The static credential source of `options` (everything but authObject and context). */
export function resolveAuthSource(options: FalconOptions, env: Env = processEnv()): AuthSource {
  if (options.accessToken !== undefined && options.accessToken !== null && options.accessToken !== "") {
    if (typeof options.accessToken !== "string") throw new InvalidCredentialFormat("accessToken must be a string");
    return { mode: "legacy", token: options.accessToken };
  }
  const memberCid = optionalString(options.memberCid, "memberCid");
  if (options.creds !== undefined && options.creds !== null) {
    return { mode: "creds", grant: grantFromCreds(options.creds, memberCid) };
  }
  const clientId = optionalString(options.clientId, "clientId");
  const clientSecret = optionalString(options.clientSecret, "clientSecret");
  if (clientId && clientSecret) {
    return { mode: "direct", grant: Object.freeze({ clientId, clientSecret, memberCid }) };
  }
  if (clientId || clientSecret) {
    throw new InvalidCredentialFormat(
      `${clientId ? "clientSecret" : "clientId"} is missing (clientId and clientSecret go together)`,
    );
  }
  const fromEnv = grantFromEnvironment(options, env);
  if (fromEnv) return { mode: "environment", grant: fromEnv };
  return { mode: "none" };
}

/** Clamp FalconPy's renew_window to 120-1200 seconds (default 120). */
export function clampRenewWindow(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return 120;
  return Math.min(1200, Math.max(120, value));
}
