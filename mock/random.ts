/**
 * Deterministic randomness for the mock's data: every value is drawn from a generator keyed by
 * (seed, what it is for), never from a shared stream, so an answer does not depend on which
 * requests came before it and the same seed gives the same world in every run.
 */

const FNV_OFFSET = 0x811c9dc5;

/**
 * 32-bit FNV-1a of a string: turns a key into a seed. FNV-1a reads one character at a time, so
 * `hash32(b, hash32(a))` is `hash32(a + b)`: a record's field keys share the hash of its prefix.
 */
export function hash32(text: string, from = FNV_OFFSET): number {
  let h = from;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const HEX = "0123456789abcdef";
const HEX_CODES = Array.from(HEX, (c) => c.charCodeAt(0));

function stateOf(keyHash: number): number {
  return keyHash || 0x9e3779b9;
}

export class Random {
  private state: number;

  /** A generator for `key` under `seed`: the same pair always draws the same sequence. */
  constructor(seed: number | string, key = "") {
    this.state = stateOf(hash32(`${seed}\u0000${key}`));
  }

  /**
   * The generators of the keys that start with `prefix`: `Random.under(seed, prefix)(rest)` draws
   * what `new Random(seed, prefix + rest)` draws, without hashing the prefix again for each key.
   */
  static under(seed: number | string, prefix: string): (rest: string) => Random {
    const prefixHash = hash32(`${seed}\u0000${prefix}`);
    return (rest) => {
      const r = new Random("");
      r.state = stateOf(hash32(rest, prefixHash));
      return r;
    };
  }

  /** A uniform float in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  bool(): boolean {
    return this.next() < 0.5;
  }

  hex(length: number): string {
    // one flat string: appending a character at a time leaves a chain of string pieces per value,
    // which a world's thousands of ids keep alive
    const codes: number[] = [];
    for (let i = 0; i < length; i++) codes.push(HEX_CODES[Math.floor(this.next() * 16)]!);
    return String.fromCharCode(...codes);
  }

  /** A version-4 UUID. */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${HEX[8 + Math.floor(this.next() * 4)]}${h.slice(17, 20)}-${h.slice(20)}`;
  }
}
