/**
 * Reading an HTTP answer, for API calls and token/revoke requests alike: the one header
 * normaliser (lower-case names, repeated values joined) and the one body parser.
 */
import { constants as bufferConstants } from "node:buffer";
import { Readable, pipeline } from "node:stream";
import { NetworkError, NoContentWarning, ResponseTooLarge, type SDKWarning } from "./errors.js";
import { redact } from "./redact.js";
import type { WireResponse } from "./transport.js";

/**
 * Network failures that come out the same however often the request is sent (programming or
 * configuration errors, answers the client refuses to parse, such as too many headers): never retried.
 */
export const PERMANENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ENOTFOUND",
  "UND_ERR_INVALID_ARG",
  "UND_ERR_NOT_SUPPORTED",
  "UND_ERR_HEADERS_OVERFLOW",
  "UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE",
  "HPE_HEADER_OVERFLOW",
  "ERR_INVALID_URL",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_INVALID_CHAR",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_HAS_EXPIRED",
]);

/** The error code of a transport failure (undici puts it on the error or on its cause). */
export function networkErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** Header names in lower case (a custom fetch may send others), repeated values joined by ", ". */
export function lowerHeaders(h: WireResponse["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v === undefined) continue;
    out[k.toLowerCase()] = typeof v === "string" ? v : v.join(", ");
  }
  return out;
}

/**
 * The largest body the SDK collects by default, decoded (`maxResponseBytes`): 256 MiB. Falcon's
 * largest JSON pages (5,000-10,000 records of a few KB) are tens of MB, so this leaves a wide
 * margin, and it stays under V8's longest string (512 MiB), which JSON text must fit in.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** What every request accepts unless the caller asks for its own encoding (`Accept-Encoding`). */
export const ACCEPT_ENCODING = "gzip, deflate, br";

type Coding = "unzip" | "br";

/** node:zlib, loaded by the first compressed answer, not at import (cold start). */
const zlib = (): typeof import("node:zlib") => process.getBuiltinModule("node:zlib");

/** The decoder for an answer's Content-Encoding (gzip, deflate, br), if it has one we decode. */
function codingOf(headers: Record<string, string>): Coding | undefined {
  const enc = headers["content-encoding"];
  if (enc === undefined) return undefined;
  const coding = enc.trim().toLowerCase();
  return coding === "gzip" || coding === "x-gzip" || coding === "deflate"
    ? "unzip"
    : coding === "br"
      ? "br"
      : undefined;
}

/** The headers now describe the decoded body. */
function markDecoded(headers: Record<string, string>): void {
  delete headers["content-encoding"];
  delete headers["content-length"];
}

/**
 * The answer with its body decoded as it streams in (gzip, deflate, br, through node:zlib), for
 * bodies handed over unread. Any other encoding, or none, is returned as it came.
 */
export function decoded(res: WireResponse, headers: Record<string, string>): WireResponse {
  const coding = codingOf(headers);
  if (coding === undefined) return res;
  markDecoded(headers);
  // pipeline() passes a failed read (a reset) on to the decoder, and a decoding error back
  const body = pipeline(
    res.body,
    coding === "br" ? zlib().createBrotliDecompress() : zlib().createUnzip(),
    () => undefined,
  ) as WireResponse["body"];
  return { statusCode: res.statusCode, headers: res.headers, body };
}

/**
 * A collected body decoded in one go: the parser holds it whole anyway, and a one-shot decode
 * costs a fifth of a zlib stream's CPU (the body is parsed synchronously right after). zlib
 * stops at `maxBytes` of output (a zip bomb expands no further than that).
 */
async function decodedWhole(
  ctx: BodyContext,
  res: WireResponse,
  headers: Record<string, string>,
  coding: Coding,
  maxBytes: number,
): Promise<WireResponse> {
  const encoding = headers["content-encoding"];
  const raw = await collectBytes(res.body, Number(headers["content-length"]), maxBytes, (got) =>
    tooLarge(ctx, res.statusCode, maxBytes, `at least ${got} bytes before ${encoding} decoding`),
  );
  markDecoded(headers);
  // zlib refuses a maxOutputLength above the largest Buffer
  const options = { maxOutputLength: Math.min(maxBytes, bufferConstants.MAX_LENGTH) };
  let bytes: Buffer;
  try {
    bytes = coding === "br" ? zlib().brotliDecompressSync(raw, options) : zlib().unzipSync(raw, options);
  } catch (err) {
    if ((err as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE")
      throw tooLarge(ctx, res.statusCode, maxBytes, `${raw.byteLength} bytes of ${encoding} expand past it`);
    throw err;
  }
  return { statusCode: res.statusCode, headers: res.headers, body: Readable.from([bytes]) as WireResponse["body"] };
}

function tooLarge(ctx: BodyContext, status: number, maxBytes: number, detail: string): ResponseTooLarge {
  return new ResponseTooLarge(
    `${ctx.id}: the HTTP ${status} response body is larger than ${maxBytes} bytes (maxResponseBytes; ${detail}): reading stopped`,
    ctx.id,
    maxBytes,
  );
}

/** Drops a body nobody will read, so the connection goes back to the pool. */
export async function discard(res: WireResponse): Promise<void> {
  try {
    if (res.body.dump) await res.body.dump();
    else res.body.resume();
  } catch {
    /* the body is being thrown away */
  }
}

/** How a client reads bodies (set once per client). */
export interface BodyOptions {
  readonly onWarning?: (w: SDKWarning) => void;
  /** The most a JSON or text body, or a decompressed one, may hold (bytes); undecoded binary is not bounded. */
  readonly maxBytes?: number;
  /** Hides the client's own secrets in body text an error message quotes. */
  readonly redact?: (text: string) => string;
}

/** What the body parser needs to know of the request: who asked (for messages) and what it expects. */
export interface BodyContext {
  readonly id: string;
  readonly method: string;
  /** The success response is raw bytes. */
  readonly binary?: boolean;
}

function isJsonType(ct: string): boolean {
  return ct.includes("json");
}
function isTextType(ct: string): boolean {
  return ct === "" || ct.startsWith("text/") || ct.includes("xml") || ct.includes("html") || ct.includes("javascript");
}

const NO_CONTENT = "No content was received for this request.";

/**
 * The body of an answer, decoded (gzip, deflate, br): JSON parsed, text kept as text (a
 * gateway's HTML error page), bytes as a Uint8Array. Throws NetworkError for a success whose JSON cannot be parsed; an error status
 * keeps whatever text came. A read that fails midway throws the transport's error.
 */
export async function readBody(
  ctx: BodyContext,
  wire: WireResponse,
  headers: Record<string, string>,
  options: BodyOptions = {},
  /** false: the caller asked for an encoding of its own and gets the bytes as sent. */
  decode = true,
): Promise<unknown> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const status = wire.statusCode;
  const ct = (headers["content-type"] ?? "").toLowerCase();
  if (ctx.method === "HEAD" || status === 204 || status === 304) {
    await discard(wire);
    return {};
  }
  const coding = decode ? codingOf(headers) : undefined;
  const res = coding === undefined ? wire : await decodedWhole(ctx, wire, headers, coding, maxBytes);
  if (ctx.binary && status < 300 && !isJsonType(ct)) return collectBytes(res.body, Number(headers["content-length"]));
  if (isJsonType(ct) || isTextType(ct)) {
    const text = await readText(ctx, res, headers, maxBytes);
    if (isJsonType(ct) || (ct === "" && /^\s*[[{]/.test(text))) {
      if (text.trim() === "") {
        // FalconPy's NoContentWarning: say so instead of failing inside JSON.parse
        const what = `HTTP ${status} with an empty body (Content-Type ${ct || "none"})`;
        if (status >= 400) return { errors: [{ code: status, message: `${ctx.id}: ${what}` }], resources: [] };
        options.onWarning?.(new NoContentWarning(`${ctx.id}: ${what}`));
        return { message: NO_CONTENT, resources: [] };
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // An error status keeps its status and the text that came (a gateway page labelled JSON).
        if (status >= 400) return text;
        throw new NetworkError(
          `${ctx.id}: the API returned an unparseable JSON body (HTTP ${status}, ${ct || "no Content-Type"}, ${text.length} chars: ${snippet(text, options.redact)})`,
        );
      }
    }
    return text;
  }
  return collectBytes(res.body, Number(headers["content-length"]));
}

/**
 * The body as text, at most `maxBytes` of it: a Content-Length within the limit bounds
 * undici's own reader; otherwise the bytes are counted (a Content-Length over it fails unread).
 */
function readText(
  ctx: BodyContext,
  res: WireResponse,
  headers: Record<string, string>,
  maxBytes: number,
): Promise<string> {
  const length = Number(headers["content-length"]);
  // not async: the common case costs no extra promise
  if (res.body.text && Number.isSafeInteger(length) && length <= maxBytes) return res.body.text();
  return collectBytes(res.body, length, maxBytes, (got) =>
    tooLarge(ctx, res.statusCode, maxBytes, `at least ${got} bytes`),
  ).then((bytes) => new TextDecoder().decode(bytes));
}

/** The start of what arrived, redacted (before it is cut: a cut secret is no longer found) and on one line, for error messages. */
function snippet(text: string, redactSecrets: (text: string) => string = redact): string {
  const one = redactSecrets(text.replace(/\s+/g, " ").trim());
  return JSON.stringify(one.length > 120 ? `${one.slice(0, 120)}...` : one);
}

/**
 * Collects a body into one Uint8Array. With a Content-Length the buffer is allocated once
 * and filled in place, so a large download is held once, not as chunks plus a copy. Past
 * `maxBytes` the body is destroyed (the connection closes) and `tooLong(bytes read)` thrown.
 */
export async function collectBytes(
  body: Readable,
  length: number,
  maxBytes = Infinity,
  tooLong?: (got: number) => Error,
): Promise<Uint8Array> {
  const over = (got: number): Error => {
    body.destroy();
    return tooLong?.(got) ?? new Error(`response body longer than ${maxBytes} bytes`);
  };
  if (length > maxBytes) throw over(length);
  if (Number.isSafeInteger(length) && length >= 0) {
    const out = new Uint8Array(length);
    let off = 0;
    for await (const chunk of body) {
      if (off + chunk.byteLength > length) throw new Error(`response body longer than its Content-Length (${length})`);
      out.set(chunk, off);
      off += chunk.byteLength;
    }
    if (off !== length) throw new Error(`response body cut short: ${off} of ${length} bytes`);
    return out;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw over(total);
    chunks.push(chunk);
  }
  if (chunks.length === 1) return new Uint8Array(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength);
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/**
 * A pull-based web stream over the response: one chunk read per pull, so the consumer's pace
 * is the network's pace (Readable.toWeb buffers ahead without bound on Node 20). A read that
 * fails errors the stream with `describe(error)` (the SDK's NetworkError/TimeoutError);
 * `done` runs once the body has ended, failed or been cancelled.
 */
export function toWebStream(
  body: Readable,
  describe: (err: unknown) => unknown = (e) => e,
  done?: () => void,
): ReadableStream<Uint8Array> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let step: IteratorResult<Buffer>;
        try {
          step = await it.next();
        } catch (err) {
          done?.();
          throw describe(err);
        }
        if (step.done) {
          done?.();
          controller.close();
        } else controller.enqueue(new Uint8Array(step.value.buffer, step.value.byteOffset, step.value.byteLength));
      },
      async cancel() {
        done?.();
        // undici reports a body dropped before its end as an "aborted" error: expected here
        body.on("error", () => undefined);
        await it.return?.();
        body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
