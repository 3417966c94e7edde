/**
 * Newline-delimited JSON framing of the stream feed: complete lines out of arbitrary chunks,
 * blank lines (heartbeats, with or without `\r`) skipped, the unfinished tail kept for the next
 * chunk and bounded, so a feed that never sends a newline cannot grow memory without limit.
 */
const NEWLINE = 0x0a;
const CR = 0x0d;

/** Longest line accepted (16 MiB): Falcon events are a few KB. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export class LineSplitter {
  #tail: Buffer | undefined;

  /** Bytes held from an unfinished line. */
  get pending(): number {
    return this.#tail?.length ?? 0;
  }

  /** Calls `onLine` for each complete, non-blank line of `chunk` (text without the line break). */
  push(chunk: Uint8Array, onLine: (line: string) => void): void {
    const buf =
      this.#tail === undefined
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : Buffer.concat([this.#tail, chunk]);
    this.#tail = undefined;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      let end = nl;
      if (end > start && buf[end - 1] === CR) end--;
      if (end > start && !isBlank(buf, start, end)) onLine(buf.toString("utf8", start, end));
      start = nl + 1;
    }
    if (start < buf.length) {
      if (buf.length - start > MAX_LINE_BYTES)
        throw new RangeError(`a feed line is longer than ${MAX_LINE_BYTES} bytes`);
      // a copy: the chunk's memory may be a slab shared with other data
      this.#tail = Buffer.from(buf.subarray(start));
    }
  }

  /** Forgets an unfinished line (the connection ended mid-event: it is read again on resume). */
  reset(): void {
    this.#tail = undefined;
  }
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}
