/**
 * What asking for authorization ends with: bearer headers, or why there is none (status, the
 * error body a dict result carries, the error object mode throws, the token endpoint's headers).
 */
import { InvalidCredentials, TokenNotSpecified, type SDKError } from "../errors.js";

export interface AuthErrorBody {
  meta?: Record<string, unknown>;
  errors: { code?: number; message: string }[];
}

/**
 * Why a call could not get a token. `headers` are the token endpoint's answer's headers (lower-case
 * names, see authResultHeaders: X-Cs-TraceId, X-RateLimit-*, X-Cs-Region...), so that a dict
 * result of a failed login carries them; empty when no answer came (network failure, timeout,
 * no credentials). A failure answered from memory during the back-off keeps the headers of the
 * answer that caused it.
 */
export type AuthFailure = {
  ok: false;
  status: number;
  body: AuthErrorBody;
  error: SDKError;
  headers: Record<string, string>;
};
export type AuthOutcome = { ok: true; headers: Record<string, string> } | AuthFailure;

export const NO_MECHANISM_MESSAGE =
  "no authentication mechanism: give clientId/clientSecret, creds, authObject, accessToken, " +
  "run inside FalconContext.run(), or set FALCON_CLIENT_ID/FALCON_CLIENT_SECRET";

export function failureBody(status: number, message: string, meta?: Record<string, unknown>): AuthErrorBody {
  return { meta: meta ?? {}, errors: [{ code: status, message }] };
}

export function bearer(token: string): AuthOutcome {
  return { ok: true, headers: { authorization: `Bearer ${token}` } };
}

export function noMechanism(): AuthFailure {
  return {
    ok: false,
    status: 401,
    body: failureBody(401, NO_MECHANISM_MESSAGE),
    error: new TokenNotSpecified(NO_MECHANISM_MESSAGE),
    headers: {},
  };
}

export function noToken(): AuthFailure {
  const message = "no token available";
  return {
    ok: false,
    status: 401,
    body: failureBody(401, message),
    error: new InvalidCredentials(message),
    headers: {},
  };
}

/**
 * Response headers that never leave the auth layer in another call's result or error: cookies a
 * gateway may set on the token exchange, and any credential header an odd proxy echoes back.
 * FalconPy's OAuth2.token() result still shows the token endpoint's answer whole.
 */
const WITHHELD_HEADERS = new Set(["set-cookie", "set-cookie2", "authorization", "proxy-authorization", "cookie"]);

/** The token endpoint's response headers as a failed call's result carries them: everything but WITHHELD_HEADERS (a copy). */
export function authResultHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!WITHHELD_HEADERS.has(k)) out[k] = v;
  return out;
}
