/**
 * The mock's content-addressed file store: bytes a request uploads (multipart file parts, or a
 * raw binary body) are kept under their real SHA-256, so a later download by that digest gets
 * the same bytes back. One store per mock server, bounded by entries and total bytes (oldest
 * evicted first).
 */
import { createHash } from "node:crypto";

export interface FileStoreLimits {
  /** Most files kept (default 64). */
  readonly maxEntries?: number;
  /** Most bytes kept across all files (default 64 MiB); a larger single file is not kept. */
  readonly maxBytes?: number;
}

export interface StoredFile {
  /** Lower-case hex SHA-256 of `bytes`. */
  readonly sha256: string;
  readonly bytes: Uint8Array;
  /** File name the upload gave (part file name or a name field), when it gave one. */
  readonly name?: string;
  /** Media type of the uploaded part or body, when it had one. */
  readonly contentType?: string;
  /** Operation that uploaded it. */
  readonly operationId?: string;
  /** When it was stored (ms since the epoch, by the mock's clock). */
  readonly storedAt: number;
}

export const DEFAULT_MAX_FILES = 64;
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export class FileStore {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly entries = new Map<string, StoredFile>();
  private total = 0;

  constructor(limits: FileStoreLimits = {}) {
    this.maxEntries = Math.max(0, Math.floor(limits.maxEntries ?? DEFAULT_MAX_FILES));
    this.maxBytes = Math.max(0, Math.floor(limits.maxBytes ?? DEFAULT_MAX_FILE_BYTES));
  }

  /** Number of files held. */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes held across all files. */
  get totalBytes(): number {
    return this.total;
  }

  /**
   * Keeps a copy of `bytes` under their SHA-256 (storing the same content again makes it the
   * newest) and evicts the oldest files past the limits. Returns the file's record, which is
   * not kept when the file alone exceeds `maxBytes` (or `maxEntries` is 0).
   */
  put(
    bytes: Uint8Array,
    meta: { name?: string; contentType?: string; operationId?: string; storedAt?: number } = {},
  ): StoredFile {
    const file: StoredFile = {
      sha256: sha256Hex(bytes),
      bytes: new Uint8Array(bytes),
      ...(meta.name ? { name: meta.name } : {}),
      ...(meta.contentType ? { contentType: meta.contentType } : {}),
      ...(meta.operationId ? { operationId: meta.operationId } : {}),
      storedAt: meta.storedAt ?? Date.now(),
    };
    this.delete(file.sha256);
    if (this.maxEntries === 0 || file.bytes.length > this.maxBytes) return file;
    this.entries.set(file.sha256, file);
    this.total += file.bytes.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.total <= this.maxBytes) break;
      this.delete(oldest);
    }
    return file;
  }

  /** The file stored under a SHA-256 (hex, any case), if still held. */
  get(sha256: string): StoredFile | undefined {
    return this.entries.get(sha256.toLowerCase());
  }

  has(sha256: string): boolean {
    return this.entries.has(sha256.toLowerCase());
  }

  delete(sha256: string): boolean {
    const key = sha256.toLowerCase();
    const f = this.entries.get(key);
    if (!f) return false;
    this.entries.delete(key);
    this.total -= f.bytes.length;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** Files held, oldest first. */
  list(): StoredFile[] {
    return [...this.entries.values()];
  }
}
