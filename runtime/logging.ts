/**
 * Debug logging with redaction. Records are built only when `debug` is on, so the normal
 * path pays nothing; every record goes through `sanitizeLog` unless the user turned it off.
 */
import type { Logger } from "./options.js";
import { redact, type SecretRedactor } from "./redact.js";

export { REDACTED } from "./redact.js";

export interface SanitizeOptions {
  /** Redact secrets (sanitizeLog). Default true. */
  redact?: boolean;
  /** Longest `resources` array kept (debugRecordCount). Default 100. */
  recordCount?: number;
}

/**
 * A copy of `value` for the debug log: redacted unless `sanitizeLog: false`, `resources`
 * truncated, bytes and forms summarised. Never mutates its input.
 */
export function sanitizeLog(
  value: unknown,
  options: SanitizeOptions = {},
  redactWith: SecretRedactor = redact,
): unknown {
  return redactWith(value, { redact: options.redact !== false, maxRecords: clampRecordCount(options.recordCount) });
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
    /** redact() with the client's own secrets (a response may echo them bare). */
    private readonly redactWith: SecretRedactor = redact,
  ) {}
  /**
   * One line per record, as a single string argument: that is the one call shape console,
   * pino and winston all print in full.
   */
  record(event: string, data: Record<string, unknown>): void {
    this.logger.debug(`falconts ${event} ${safeJson(sanitizeLog(data, this.options, this.redactWith))}`);
  }
}
