/**
 * The one redaction function: every text or value that may carry a credential (debug records,
 * error messages and their renderings, tokenFailReason, a client's config) goes through
 * `redact` before anyone can see it. It hides values under secret keys at any depth, and inside
 * free text (a gateway's echo of the request): URL user-info, `key=value` / `"key": "value"` /
 * `key: value` pairs of secret keys, `Bearer`/`Basic` credentials, and any literal value the
 * caller knows to be secret (the client secret, the token, the member CID).
 */

export const REDACTED = "**REDACTED**";

/** Keys whose values are never shown, compared case-insensitively, at any depth. */
const SECRET_KEYS = [
  "authorization",
  "proxy-authorization",
  "client_id",
  "client_secret",
  "member_cid",
  "token",
  "access_token",
  "refresh_token",
  "x-cs-useruuid",
  "password",
  "cookie",
  "set-cookie",
  "x-api-key",
  "api-key",
];
const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS);
const KEY_ALTERNATIVES = SECRET_KEYS.map((k) => k.replace(/-/g, "\\-")).join("|");

/** Cheap pre-check: text without any of these cannot hold a pattern below. */
const MAYBE_SECRET = new RegExp(`@|bearer|basic|${KEY_ALTERNATIVES}`, "i");
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;
// case-sensitive: "basic" and "bearer" are words too, "Basic x" and "Bearer x" are credentials
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|bearer)(\s+)[A-Za-z0-9._~+/=-]+/g;
/**
 * A secret key followed by its value: `key=value` (query strings and forms), `"key": "value"`
 * (JSON), `'key': 'value'` (Python dicts), `key: value` (header lines). The key must not be
 * part of a longer name (`x-token`, `tokens` are not secret keys) nor end a dotted path
 * (`query.password: expected string` is a validation issue, not a credential).
 */
const KEYED_VALUE = new RegExp(
  `(?<![\\w.-])(["']?)(${KEY_ALTERNATIVES})\\1(\\s*[:=]\\s*)(?!(?:Bearer|Basic|bearer)\\s)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s&,;"'}\\])]+)`,
  "gi",
);

/** Known secrets shorter than this are not searched for in free text (too likely to be a word). */
const MIN_KNOWN_SECRET = 4;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function redactText(text: string, known: readonly string[] | undefined): string {
  let out = text;
  if (known !== undefined) {
    for (const secret of known) {
      if (typeof secret !== "string" || secret.length < MIN_KNOWN_SECRET || !out.includes(secret)) continue;
      // whole values only: a secret that happens to be a word inside a longer name stays
      out = out.replace(new RegExp(`(?<![\\w-])${escapeRegExp(secret)}(?![\\w-])`, "g"), REDACTED);
    }
  }
  if (!MAYBE_SECRET.test(out)) return out;
  if (out.includes("@")) out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
  out = out.replace(SCHEME_CREDENTIAL, `$1$2${REDACTED}`);
  return out.replace(KEYED_VALUE, (_m, quote: string, key: string, sep: string, value: string) => {
    // a quoted value keeps its quotes, so redacted JSON stays JSON
    const q = value[0] === '"' || value[0] === "'" ? value[0] : "";
    return `${quote}${key}${quote}${sep}${q}${REDACTED}${q}`;
  });
}

/** `redact()` with the literal secrets of one holder (an auth object) added to `known`. */
export type SecretRedactor = <T>(value: T, options?: RedactOptions) => T;

/**
 * The key of an auth object's SecretRedactor: a global symbol, so a client finds it on an auth
 * object of another copy of the package; the secrets themselves are never handed out.
 */
export const REDACT_SECRETS = Symbol.for("falconts.redactSecrets");

export interface RedactOptions {
  /** Literal secret values to hide wherever they appear (client secret, token, member CID...). */
  readonly known?: readonly (string | undefined)[];
  /** Longest `resources` array kept (debug records). Default: all. */
  readonly maxRecords?: number;
  /**
   * false: only shorten (bytes, forms and long `resources` summarised), redact nothing. Only the
   * debug log offers this (`sanitizeLog: false`); errors and serialised objects never do.
   */
  readonly redact?: boolean;
}

/**
 * A redacted copy of `value`: strings are searched for credentials, objects copied with every
 * secret key's value replaced, at any depth. Never mutates its input; handles cycles, bytes,
 * Blobs, FormData, Headers, Maps and Errors (as their redacted stack); functions are kept.
 */
export function redact(value: string, options?: RedactOptions): string;
export function redact<T>(value: T, options?: RedactOptions): T;
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  const on = options.redact !== false;
  const known =
    on && options.known
      ? (options.known.filter((s) => typeof s === "string" && s.length >= MIN_KNOWN_SECRET) as string[])
      : undefined;
  if (typeof value === "string") return on ? redactText(value, known) : value;
  const limit = options.maxRecords ?? Infinity;
  const seen = new WeakSet<object>();
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (on && key !== undefined && SECRET_KEY_SET.has(key.toLowerCase()) && v !== undefined && v !== null && v !== "")
      return REDACTED;
    if (typeof v === "string") return on ? redactText(v, known) : v;
    if (typeof v !== "object" || v === null) return v;
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) return `<${v.byteLength} bytes>`;
    if (typeof Blob !== "undefined" && v instanceof Blob) return `<blob ${v.size} bytes>`;
    if (seen.has(v)) return "<cycle>";
    seen.add(v);
    if (typeof FormData !== "undefined" && v instanceof FormData) {
      const parts: Record<string, unknown> = {};
      for (const [k, part] of v.entries())
        parts[k] = typeof part === "string" ? walk(part, k) : `<file ${part.name} ${part.size} bytes>`;
      return { formData: parts };
    }
    if (typeof Headers !== "undefined" && v instanceof Headers) {
      const h: Record<string, unknown> = {};
      v.forEach((val, k) => (h[k] = walk(val, k)));
      return h;
    }
    if (Array.isArray(v)) {
      const max = key === "resources" ? Math.min(v.length, limit) : v.length;
      const out: unknown[] = new Array(max);
      for (let i = 0; i < max; i++) out[i] = walk(v[i], undefined);
      if (max < v.length) out.push(`<${v.length - max} more>`);
      return out;
    }
    if (v instanceof Map) return walk(Object.fromEntries(v), key);
    if (v instanceof Error) {
      const text = String(v.stack ?? `${v.name}: ${v.message}`);
      return on ? redactText(text, known) : text;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = walk((v as Record<string, unknown>)[k], k);
    return out;
  };
  return walk(value, undefined);
}
