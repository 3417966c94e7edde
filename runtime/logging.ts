/**
 * Debug logging with redaction. Records are built only when `debug` is on, so the normal
 * path pays nothing; every record goes through `sanitizeLog` unless the user turned it off.
 */
import type { Logger } from "./options.js";

/** Keys whose values never reach a log, compared case-insensitively, at any depth. */
const SECRET_KEYS = new Set([
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
]);
export const REDACTED = "**REDACTED**";

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;
const QUERY_SECRET = /((?:^|[?&;])(?:token|access_token|refresh_token|client_id|client_secret|member_cid)=)[^&#\s]*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Redacts credentials inside a free-form string: URL user-info, secret query values, bearer/basic tokens. */
export function sanitizeString(value: string): string {
  // Cheap pre-checks keep the common case (no URL, no token) allocation-free.
  let out = value;
  if (out.includes("@")) out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
  if (out.includes("=")) out = out.replace(QUERY_SECRET, `$1${REDACTED}`);
  if (out.includes("Bearer") || out.includes("Basic")) out = out.replace(BEARER, `$1 ${REDACTED}`);
  return out;
}

export interface SanitizeOptions {
  /** Redact secrets (sanitizeLog). Default true. */
  redact?: boolean;
  /** Longest `resources` array kept (debugRecordCount). Default 100. */
  recordCount?: number;
}

/**
 * A redacted, truncated copy of `value` for logging. Never mutates its input; handles cycles,
 * bytes, FormData and Headers.
 */
export function sanitizeLog(value: unknown, options: SanitizeOptions = {}): unknown {
  const redact = options.redact !== false;
  const limit = clampRecordCount(options.recordCount);
  const seen = new WeakSet<object>();
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (redact && key !== undefined && SECRET_KEYS.has(key.toLowerCase()) && v !== undefined && v !== null) {
      return REDACTED;
    }
    if (typeof v === "string") return redact ? sanitizeString(v) : v;
    if (typeof v !== "object" || v === null) return v;
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) return `<${v.byteLength} bytes>`;
    if (typeof Blob !== "undefined" && v instanceof Blob) return `<blob ${v.size} bytes>`;
    if (seen.has(v)) return "<cycle>";
    seen.add(v);
    if (typeof FormData !== "undefined" && v instanceof FormData) {
      const parts: Record<string, unknown> = {};
      for (const [k, part] of v.entries()) {
        parts[k] = typeof part === "string" ? walk(part, k) : `<file ${part.name} ${part.size} bytes>`;
      }
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
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = walk((v as Record<string, unknown>)[k], k);
    return out;
  };
  return walk(value, undefined);
}

export function clampRecordCount(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n)) return 100;
  return Math.min(5000, Math.max(1, Math.trunc(n)));
}

/** The logger used when `debug` is on and none was given: stderr, never console.log. */
export const stderrLogger: Logger = {
  debug: (...a: unknown[]) => writeStderr("DEBUG", a),
  info: (...a: unknown[]) => writeStderr("INFO", a),
  warn: (...a: unknown[]) => writeStderr("WARN", a),
  error: (...a: unknown[]) => writeStderr("ERROR", a),
};
function writeStderr(level: string, args: unknown[]): void {
  const text = args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" ");
  process.stderr.write(`[falconts] ${level} ${text}\n`);
}

export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A debug sink bound to one client's settings. */
export class DebugLog {
  constructor(
    private readonly logger: Logger,
    private readonly options: SanitizeOptions,
  ) {}
  /**
   * One line per record, as a single string argument: that is the one call shape console,
   * pino and winston all print in full.
   */
  record(event: string, data: Record<string, unknown>): void {
    this.logger.debug(`falconts ${event} ${safeJson(sanitizeLog(data, this.options))}`);
  }
}
