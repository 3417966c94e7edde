/**
 * A file an RTR `get` extracted from a host, downloaded by its SHA-256 as a stream (a 7z archive,
 * password "infected", as the API serves it): never held whole in memory. saveTo() is the only
 * Node-specific part and loads node:fs on first use, so the core import path stays portable.
 */
import type { CallOptions } from "../options.js";
import type { Result } from "../results.js";
import { text } from "./jobs.js";

/** Calls an RTR operation in object mode: a RealTimeResponse method (camelCase) or a RealTimeResponseAdmin operation ID. */
export type RtrCall = (
  operation: string,
  args: object,
  options?: CallOptions<true, boolean>,
) => Promise<Result<unknown>>;

export interface RtrFileInfo {
  readonly sha256: string;
  readonly name: string;
  readonly size: number | undefined;
  readonly sessionId: string;
  readonly cloudRequestId: string | undefined;
}

export class RtrFile implements RtrFileInfo {
  readonly sha256: string;
  readonly name: string;
  readonly size: number | undefined;
  readonly sessionId: string;
  readonly cloudRequestId: string | undefined;

  constructor(
    private readonly call: RtrCall,
    info: RtrFileInfo,
  ) {
    this.sha256 = info.sha256;
    this.name = info.name;
    this.size = info.size;
    this.sessionId = info.sessionId;
    this.cloudRequestId = info.cloudRequestId;
  }

  /** The archive's bytes as they arrive (RTR_GetExtractedFileContents). */
  async stream(options: { signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    const result = await this.call(
      "rtrGetExtractedFileContents",
      { session_id: this.sessionId, sha256: this.sha256 },
      { signal: options.signal, stream: true },
    );
    return result.body as ReadableStream<Uint8Array>;
  }

  /** Streams the archive to `path` (Node); a failed or aborted download leaves no partial file. Resolves with the bytes written. */
  async saveTo(path: string, options: { signal?: AbortSignal } = {}): Promise<number> {
    const [{ createWriteStream }, { rm }, { Readable }, { pipeline }] = await Promise.all([
      import("node:fs"),
      import("node:fs/promises"),
      import("node:stream"),
      import("node:stream/promises"),
    ]);
    const body = await this.stream(options);
    const out = createWriteStream(path);
    try {
      await pipeline(
        Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>),
        out,
        options.signal ? { signal: options.signal } : {},
      );
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    return out.bytesWritten;
  }

  toJSON(): RtrFileInfo {
    return {
      sha256: this.sha256,
      name: this.name,
      size: this.size,
      sessionId: this.sessionId,
      cloudRequestId: this.cloudRequestId,
    };
  }
}

/** An RTR file entry of the API (domain.FileV2, model.File) as RtrFileInfo. */
export function fileInfo(f: Record<string, unknown>, sessionId: string): RtrFileInfo {
  return {
    sha256: text(f.sha256),
    name: text(f.name),
    size: typeof f.size === "number" ? f.size : undefined,
    sessionId: text(f.session_id) || sessionId,
    cloudRequestId: text(f.cloud_request_id) || undefined,
  };
}
