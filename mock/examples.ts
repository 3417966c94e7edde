/**
 * A small deterministic example generator: the same schema always gives the same value, and
 * the value validates against the schema (required properties, types, enums, formats, bounds,
 * one-item arrays). Recursive definitions are cut off: past the depth limit only required
 * properties are generated and optional arrays stay empty.
 */
import { BINARY_MARK, componentSchema } from "./schema.js";
import type { OpenApiDocument, Schema } from "./spec.js";
import { numberValue, stringValue, type ValueContext } from "./values.js";

export interface ExampleOptions {
  /** Depth after which only required properties are generated (default 4). */
  readonly fullDepth?: number;
  /** Depth after which nothing more is generated, even if required (default 24). */
  readonly maxDepth?: number;
}

const FORMAT_VALUES: Record<string, string> = {
  "date-time": "2024-01-02T03:04:05Z",
  date: "2024-01-02",
  time: "03:04:05Z",
  uuid: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  email: "user@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "https://example.com/",
  hostname: "host.example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  byte: "ZXhhbXBsZQ==",
  password: "example",
};

const PATTERN_CANDIDATES = [
  "string",
  "example",
  "1",
  "12",
  "123456789012",
  "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  "ab",
  "true",
  "name.asc",
  "o-abcdefghij",
  "arn:aws:iam::123456789012:role/example",
];

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export class ExampleGenerator {
  private readonly fullDepth: number;
  private readonly maxDepth: number;

  constructor(
    /** The document whose `$ref`s the generated schemas resolve in. */
    readonly doc: OpenApiDocument,
    options: ExampleOptions = {},
  ) {
    this.fullDepth = options.fullDepth ?? 4;
    this.maxDepth = options.maxDepth ?? 24;
  }

  /**
   * `schema` must be sanitized (see sanitizeSchema); `$ref`s resolve in this generator's document.
   * With `realistic`, leaves are drawn from its random source by field name and format (see
   * values.ts) wherever the schema allows; without it, the same schema always gives the same value.
   */
  generate(schema: unknown, realistic?: ValueContext, name = ""): unknown {
    this.realistic = realistic;
    this.leafContext = realistic && { ...realistic };
    try {
      return this.gen(schema, 0, [], name);
    } finally {
      this.realistic = undefined;
      this.leafContext = undefined;
    }
  }

  private realistic: ValueContext | undefined;
  /** The record's context, given each leaf's random source in turn (one object per record, not per value). */
  private leafContext: { -readonly [K in keyof ValueContext]: ValueContext[K] } | undefined;

  /** The context of one leaf: its own random source, so a field's value does not depend on the fields before it. */
  private leaf(name: string): ValueContext {
    const ctx = this.leafContext!;
    ctx.rng = this.realistic!.fieldRandom(name);
    return ctx;
  }

  private gen(schema: unknown, depth: number, refs: readonly string[], name: string): unknown {
    if (!isObject(schema)) return {};
    if (typeof schema.$ref === "string") {
      const ref = schema.$ref;
      return this.gen(componentSchema(this.doc, ref), depth, [...refs, ref], name);
    }
    if ("const" in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      // the comma-joined quirk is sanitized to [joined, a, b, ...]: prefer a real single value
      const quirk = schema.enum.length > 1 && typeof schema.enum[0] === "string" && schema.enum[0].includes(",");
      const values = quirk ? schema.enum.slice(1) : schema.enum;
      return this.realistic ? this.leaf(name).rng.pick(values) : values[0];
    }
    if (Array.isArray(schema.allOf)) {
      let merged: unknown;
      const rest = { ...schema };
      delete rest.allOf;
      for (const part of [...schema.allOf, ...(Object.keys(rest).length ? [rest] : [])]) {
        const v = this.gen(part, depth, refs, name);
        merged = isObject(merged) && isObject(v) ? { ...merged, ...v } : merged === undefined ? v : merged;
      }
      return merged ?? {};
    }
    for (const key of ["oneOf", "anyOf"] as const) {
      const list = schema[key];
      if (Array.isArray(list) && list.length > 0) return this.gen(list[0], depth, refs, name);
    }
    if (schema[BINARY_MARK]) return "";
    const type = Array.isArray(schema.type)
      ? (schema.type.find((t) => t !== "null") as string | undefined)
      : (schema.type as string | undefined);
    switch (type ?? (isObject(schema.properties) ? "object" : isObject(schema.items) ? "array" : undefined)) {
      case "object":
        return this.object(schema, depth, refs);
      case "array":
        return this.array(schema, depth, refs, name);
      case "string":
        return this.string(schema, name);
      case "integer":
        return this.number(schema, true, name);
      case "number":
        return this.number(schema, false, name);
      case "boolean":
        if (this.realistic) return this.leaf(name).rng.bool();
        return typeof schema.default === "boolean" ? schema.default : true;
      case "null":
        return null;
      default:
        return {};
    }
  }

  private recursing(refs: readonly string[]): boolean {
    const last = refs[refs.length - 1];
    return last !== undefined && refs.indexOf(last) !== refs.length - 1;
  }

  private object(schema: Schema, depth: number, refs: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const { properties, required } = objectShape(schema);
    if (depth >= this.maxDepth) return out;
    const full = depth < this.fullDepth && !this.recursing(refs);
    for (const [name, sub] of properties) {
      if (!full && !required.has(name)) continue;
      out[name] = this.gen(sub, depth + 1, refs, name);
    }
    for (const name of required) if (!(name in out)) out[name] = "string";
    const minProps = typeof schema.minProperties === "number" ? schema.minProperties : 0;
    for (let i = Object.keys(out).length; i < minProps; i++) out[`key${i}`] = "string";
    return out;
  }

  private array(schema: Schema, depth: number, refs: readonly string[], name: string): unknown[] {
    const min = typeof schema.minItems === "number" ? schema.minItems : 0;
    const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
    const deep = depth >= this.fullDepth || this.recursing(refs);
    const count = Math.min(max, Math.max(min, deep ? 0 : 1));
    const items = Array.isArray(schema.items) ? schema.items : [schema.items];
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const item = this.gen(items[Math.min(i, items.length - 1)], depth + 1, refs, name);
      // uniqueItems with several items of one deterministic value would fail
      out.push(schema.uniqueItems && typeof item === "string" && i > 0 ? `${item}${i}` : item);
    }
    return out;
  }

  private string(schema: Schema, name: string): string {
    const format = typeof schema.format === "string" ? schema.format : undefined;
    if (this.realistic) {
      const candidate = stringValue(name, format, this.leaf(name));
      if (candidate !== undefined && fits(schema, candidate)) return candidate;
    }
    if (typeof schema.default === "string") return schema.default;
    let value = (format && FORMAT_VALUES[format]) || "string";
    if (typeof schema.pattern === "string") value = this.patterned(schema.pattern, value);
    const min = typeof schema.minLength === "number" ? schema.minLength : 0;
    const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
    if (value.length < min) value = value.padEnd(min, "x");
    if (value.length > max) value = value.slice(0, max);
    return value;
  }

  private patterned(pattern: string, preferred: string): string {
    const re = patternRegExp(pattern);
    if (!re) return preferred;
    if (re.test(preferred)) return preferred;
    let built: string | undefined;
    try {
      built = fromPattern(pattern);
    } catch {
      built = undefined;
    }
    if (built !== undefined && re.test(built)) return built;
    return PATTERN_CANDIDATES.find((c) => re.test(c)) ?? preferred;
  }

  private number(schema: Schema, integer: boolean, name: string): number {
    if (this.realistic) {
      const leaf = this.leaf(name);
      const candidate = numberValue(name, leaf) ?? leaf.rng.int(1, 100);
      if (inBounds(schema, candidate)) return integer ? Math.trunc(candidate) : candidate;
    }
    if (typeof schema.default === "number") return schema.default;
    let v = 1;
    if (typeof schema.minimum === "number") v = Math.max(v, schema.minimum);
    if (typeof schema.exclusiveMinimum === "number") v = Math.max(v, schema.exclusiveMinimum + 1);
    else if (schema.exclusiveMinimum === true && typeof schema.minimum === "number" && v <= schema.minimum)
      v = schema.minimum + 1;
    if (typeof schema.maximum === "number") v = Math.min(v, schema.maximum);
    if (typeof schema.exclusiveMaximum === "number") v = Math.min(v, schema.exclusiveMaximum - 1);
    if (typeof schema.multipleOf === "number" && schema.multipleOf > 0)
      v = Math.ceil(v / schema.multipleOf) * schema.multipleOf;
    return integer ? Math.trunc(v) : v;
  }
}

/** Whether a realistic candidate keeps the string schema's pattern and length bounds. */
function fits(schema: Schema, value: string): boolean {
  if (typeof schema.minLength === "number" && value.length < schema.minLength) return false;
  if (typeof schema.maxLength === "number" && value.length > schema.maxLength) return false;
  if (typeof schema.pattern !== "string") return true;
  return patternRegExp(schema.pattern)?.test(value) ?? false;
}

const patterns = new Map<string, RegExp | undefined>();

/** A schema's `pattern` compiled once (undefined when it is not a valid expression). */
function patternRegExp(pattern: string): RegExp | undefined {
  if (patterns.has(pattern)) return patterns.get(pattern);
  let re: RegExp | undefined;
  try {
    re = new RegExp(pattern, "u");
  } catch {
    re = undefined;
  }
  patterns.set(pattern, re);
  return re;
}

interface ObjectShape {
  /** The properties in name order (the order values are drawn in). */
  readonly properties: readonly (readonly [string, unknown])[];
  readonly required: ReadonlySet<string>;
}

const shapes = new WeakMap<Schema, ObjectShape>();

/** An object schema's properties, sorted once: schemas are shared (components), records are many. */
function objectShape(schema: Schema): ObjectShape {
  let shape = shapes.get(schema);
  if (!shape) {
    const props = isObject(schema.properties) ? schema.properties : {};
    shape = {
      properties: Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      required: new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []),
    };
    shapes.set(schema, shape);
  }
  return shape;
}

function inBounds(schema: Schema, v: number): boolean {
  if (typeof schema.minimum === "number" && v < schema.minimum) return false;
  if (typeof schema.maximum === "number" && v > schema.maximum) return false;
  if (typeof schema.exclusiveMinimum === "number" && v <= schema.exclusiveMinimum) return false;
  if (typeof schema.exclusiveMaximum === "number" && v >= schema.exclusiveMaximum) return false;
  if (schema.exclusiveMinimum === true && typeof schema.minimum === "number" && v <= schema.minimum) return false;
  if (schema.exclusiveMaximum === true && typeof schema.maximum === "number" && v >= schema.maximum) return false;
  return typeof schema.multipleOf !== "number" || v % schema.multipleOf === 0;
}

/**
 * The shortest string a simple regular expression accepts: classes give their first member,
 * groups their first alternative, quantifiers their minimum (at least one for `+`). Enough for
 * the spec's patterns; the caller verifies the result and falls back otherwise.
 */
function fromPattern(pattern: string): string {
  let i = 0;
  const escapeChar = (c: string): string => (c === "d" ? "1" : c === "w" ? "a" : c === "s" ? " " : c);
  const sequence = (stop: string): string => {
    let out = "";
    while (i < pattern.length && !stop.includes(pattern[i]!)) {
      let atom: string;
      const c = pattern[i++]!;
      if (c === "^" || c === "$") continue;
      if (c === "\\") atom = escapeChar(pattern[i++]!);
      else if (c === ".") atom = "a";
      else if (c === "[") {
        const negated = pattern[i] === "^";
        if (negated) i++;
        let first: string | undefined;
        while (i < pattern.length && pattern[i] !== "]") {
          const ch = pattern[i++]!;
          const value = ch === "\\" ? escapeChar(pattern[i++]!) : ch;
          first ??= value;
        }
        i++;
        atom = negated ? "\u00e9" : (first ?? "a");
      } else if (c === "(") {
        if (pattern.startsWith("?:", i)) i += 2;
        atom = sequence("|)");
        let depth = 0;
        // skip the other alternatives of this group
        while (i < pattern.length) {
          const ch = pattern[i]!;
          if (ch === "\\") i += 2;
          else if (ch === "(") depth++, i++;
          else if (ch === ")" && depth-- === 0) break;
          else i++;
        }
        i++;
      } else atom = c;
      let times = 1;
      const q = pattern[i];
      if (q === "*" || q === "?") (times = 0), i++;
      else if (q === "+") i++;
      else if (q === "{") {
        const m = /^\{(\d+)(,\d*)?\}/.exec(pattern.slice(i));
        if (m) (times = Number(m[1])), (i += m[0].length);
      }
      if (pattern[i] === "?") i++;
      out += atom.repeat(times);
    }
    return out;
  };
  return sequence("");
}
