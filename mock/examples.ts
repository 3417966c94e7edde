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

/**
 * Which parts of a record to generate: a name maps to the part of that property to generate, or
 * to `true` for all of it. Properties left out are skipped (their values are not drawn at all).
 */
export type Projection = ReadonlyMap<string, Projection | true>;

/** The projection that keeps the values at `paths` (each a list of property names) and everything under them. */
export function projectionOf(paths: readonly (readonly string[])[]): Projection {
  type Building = Map<string, Building | true>;
  const root: Building = new Map();
  for (const path of paths) {
    let node = root;
    for (const [i, key] of path.entries()) {
      const child = node.get(key);
      if (child === true) break;
      if (i === path.length - 1) node.set(key, true);
      else {
        const next: Building = child ?? new Map();
        node.set(key, next);
        node = next;
      }
    }
  }
  return root;
}

/**
 * A field whose value is drawn from its record's context: the record's n-th field named `name`,
 * counted in generation order, whose random source is keyed `${name}#${n}`.
 */
interface Leaf {
  readonly name: string;
  readonly key: string;
}

/**
 * What `generate` produces for a schema, worked out once: the shape of a value depends on the
 * schema only (which properties, how many items, where recursion stops), so records of one
 * schema differ only in their leaves.
 */
type Plan =
  | { readonly kind: "empty" }
  | { readonly kind: "fixed"; readonly value: unknown }
  | { readonly kind: "enum"; readonly values: readonly unknown[]; readonly leaf: Leaf }
  | { readonly kind: "boolean"; readonly fallback: boolean; readonly leaf: Leaf }
  | { readonly kind: "string"; readonly schema: Schema; readonly fallback: string; readonly leaf: Leaf }
  | {
      readonly kind: "number";
      readonly schema: Schema;
      readonly integer: boolean;
      readonly fallback: number;
      readonly leaf: Leaf;
    }
  | {
      readonly kind: "object";
      readonly properties: readonly (readonly [string, Plan])[];
      /** Required properties the schema does not describe, and padding to minProperties: all "string". */
      readonly placeholders: readonly string[];
    }
  | { readonly kind: "array"; readonly items: readonly Plan[]; readonly uniqueItems: boolean }
  | { readonly kind: "allOf"; readonly parts: readonly Plan[] };

/** The plans of one generator's schemas, by root schema and root name. */
type PlanCache = WeakMap<object, Map<string, Plan>>;

export class ExampleGenerator {
  private readonly fullDepth: number;
  private readonly maxDepth: number;
  private readonly plans: PlanCache = new WeakMap();

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
   * With `only`, just those parts of the value are generated; they are what the whole value has there.
   */
  generate(schema: unknown, realistic?: ValueContext, name = "", only?: Projection): unknown {
    const run = new PlanRun(realistic);
    return run.value(this.plan(schema, name), only);
  }

  private plan(schema: unknown, name: string): Plan {
    if (!isObject(schema)) return EMPTY;
    let byName = this.plans.get(schema);
    if (!byName) {
      byName = new Map();
      this.plans.set(schema, byName);
    }
    let plan = byName.get(name);
    if (!plan) {
      plan = new PlanBuilder(this.doc, this.fullDepth, this.maxDepth).build(schema, name);
      byName.set(name, plan);
    }
    return plan;
  }
}

/** Works out a schema's plan: the walk the generator used to make for every value, made once. */
class PlanBuilder {
  /** Fields per name so far: a leaf's occurrence in its record. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly doc: OpenApiDocument,
    private readonly fullDepth: number,
    private readonly maxDepth: number,
  ) {}

  build(schema: unknown, name: string): Plan {
    return this.node(schema, 0, [], name);
  }

  private leaf(name: string): Leaf {
    const occurrence = this.seen.get(name) ?? 0;
    this.seen.set(name, occurrence + 1);
    return { name, key: `${name}#${occurrence}` };
  }

  private node(schema: unknown, depth: number, refs: readonly string[], name: string): Plan {
    if (!isObject(schema)) return EMPTY;
    if (typeof schema.$ref === "string") {
      const ref = schema.$ref;
      return this.node(componentSchema(this.doc, ref), depth, [...refs, ref], name);
    }
    if ("const" in schema) return { kind: "fixed", value: schema.const };
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      // the comma-joined quirk is sanitized to [joined, a, b, ...]: prefer a real single value
      const quirk = schema.enum.length > 1 && typeof schema.enum[0] === "string" && schema.enum[0].includes(",");
      return { kind: "enum", values: quirk ? schema.enum.slice(1) : schema.enum, leaf: this.leaf(name) };
    }
    if (Array.isArray(schema.allOf)) {
      const rest = { ...schema };
      delete rest.allOf;
      const parts = [...schema.allOf, ...(Object.keys(rest).length ? [rest] : [])];
      return { kind: "allOf", parts: parts.map((part) => this.node(part, depth, refs, name)) };
    }
    for (const key of ["oneOf", "anyOf"] as const) {
      const list = schema[key];
      if (Array.isArray(list) && list.length > 0) return this.node(list[0], depth, refs, name);
    }
    if (schema[BINARY_MARK]) return { kind: "fixed", value: "" };
    const type = Array.isArray(schema.type)
      ? (schema.type.find((t) => t !== "null") as string | undefined)
      : (schema.type as string | undefined);
    switch (type ?? (isObject(schema.properties) ? "object" : isObject(schema.items) ? "array" : undefined)) {
      case "object":
        return this.object(schema, depth, refs);
      case "array":
        return this.array(schema, depth, refs, name);
      case "string":
        return { kind: "string", schema, fallback: this.string(schema), leaf: this.leaf(name) };
      case "integer":
        return { kind: "number", schema, integer: true, fallback: numberFallback(schema, true), leaf: this.leaf(name) };
      case "number":
        return {
          kind: "number",
          schema,
          integer: false,
          fallback: numberFallback(schema, false),
          leaf: this.leaf(name),
        };
      case "boolean":
        return {
          kind: "boolean",
          fallback: typeof schema.default === "boolean" ? schema.default : true,
          leaf: this.leaf(name),
        };
      case "null":
        return { kind: "fixed", value: null };
      default:
        return EMPTY;
    }
  }

  private recursing(refs: readonly string[]): boolean {
    const last = refs[refs.length - 1];
    return last !== undefined && refs.indexOf(last) !== refs.length - 1;
  }

  private object(schema: Schema, depth: number, refs: readonly string[]): Plan {
    const { properties, required } = objectShape(schema);
    if (depth >= this.maxDepth) return EMPTY;
    const full = depth < this.fullDepth && !this.recursing(refs);
    const planned: (readonly [string, Plan])[] = [];
    // the keys a generated object has, to tell which placeholders it needs (`in` sees inherited names too)
    const keys: Record<string, unknown> = {};
    for (const [name, sub] of properties) {
      if (!full && !required.has(name)) continue;
      planned.push([name, this.node(sub, depth + 1, refs, name)]);
      keys[name] = true;
    }
    const placeholders: string[] = [];
    const placeholder = (name: string): void => {
      placeholders.push(name);
      keys[name] = true;
    };
    for (const name of required) if (!(name in keys)) placeholder(name);
    const minProps = typeof schema.minProperties === "number" ? schema.minProperties : 0;
    for (let i = Object.keys(keys).length; i < minProps; i++) placeholder(`key${i}`);
    return { kind: "object", properties: planned, placeholders };
  }

  private array(schema: Schema, depth: number, refs: readonly string[], name: string): Plan {
    const min = typeof schema.minItems === "number" ? schema.minItems : 0;
    const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
    const deep = depth >= this.fullDepth || this.recursing(refs);
    const count = Math.min(max, Math.max(min, deep ? 0 : 1));
    const items = Array.isArray(schema.items) ? schema.items : [schema.items];
    const planned: Plan[] = [];
    for (let i = 0; i < count; i++)
      planned.push(this.node(items[Math.min(i, items.length - 1)], depth + 1, refs, name));
    return { kind: "array", items: planned, uniqueItems: Boolean(schema.uniqueItems) };
  }

  /** A string schema's value when no realistic one fits it. */
  private string(schema: Schema): string {
    if (typeof schema.default === "string") return schema.default;
    const format = typeof schema.format === "string" ? schema.format : undefined;
    let value = (format && FORMAT_VALUES[format]) || "string";
    if (typeof schema.pattern === "string") value = patterned(schema.pattern, value);
    const min = typeof schema.minLength === "number" ? schema.minLength : 0;
    const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
    if (value.length < min) value = value.padEnd(min, "x");
    if (value.length > max) value = value.slice(0, max);
    return value;
  }
}

const EMPTY: Plan = { kind: "empty" };

/** A number schema's value when no realistic one fits it. */
function numberFallback(schema: Schema, integer: boolean): number {
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

function patterned(pattern: string, preferred: string): string {
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

/** One value made from a plan: draws each leaf from the record's context, if there is one. */
class PlanRun {
  /** The record's context, given each leaf's random source in turn (one object per value, not per leaf). */
  private readonly leafContext: { -readonly [K in keyof ValueContext]: ValueContext[K] } | undefined;

  constructor(private readonly realistic: ValueContext | undefined) {
    this.leafContext = realistic && { ...realistic };
  }

  /** The context of one leaf: its own random source, so a field's value does not depend on the fields before it. */
  private leaf(leaf: Leaf): ValueContext {
    const ctx = this.leafContext!;
    ctx.rng = this.realistic!.fieldRandom(leaf.key);
    return ctx;
  }

  value(plan: Plan, only?: Projection): unknown {
    switch (plan.kind) {
      case "empty":
        return {};
      case "fixed":
        return plan.value;
      case "enum":
        return this.realistic ? this.leaf(plan.leaf).rng.pick(plan.values) : plan.values[0];
      case "boolean":
        return this.realistic ? this.leaf(plan.leaf).rng.bool() : plan.fallback;
      case "string":
        return this.string(plan.schema, plan.fallback, plan.leaf);
      case "number":
        return this.number(plan.schema, plan.integer, plan.fallback, plan.leaf);
      case "object":
        return this.object(plan.properties, plan.placeholders, only);
      case "array": {
        const out: unknown[] = [];
        plan.items.forEach((itemPlan, i) => {
          const item = this.value(itemPlan);
          // uniqueItems with several items of one deterministic value would fail
          out.push(plan.uniqueItems && typeof item === "string" && i > 0 ? `${item}${i}` : item);
        });
        return out;
      }
      case "allOf": {
        let merged: unknown;
        for (const part of plan.parts) {
          const v = this.value(part, only);
          merged = isObject(merged) && isObject(v) ? { ...merged, ...v } : merged === undefined ? v : merged;
        }
        return merged ?? {};
      }
    }
  }

  private object(
    properties: readonly (readonly [string, Plan])[],
    placeholders: readonly string[],
    only: Projection | undefined,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, plan] of properties) {
      if (!only) out[name] = this.value(plan);
      else {
        const part = only.get(name);
        if (part !== undefined) out[name] = this.value(plan, part === true ? undefined : part);
      }
    }
    for (const name of placeholders) if (!only || only.has(name)) out[name] = "string";
    return out;
  }

  private string(schema: Schema, fallback: string, leaf: Leaf): string {
    if (this.realistic) {
      const format = typeof schema.format === "string" ? schema.format : undefined;
      const candidate = stringValue(leaf.name, format, this.leaf(leaf));
      if (candidate !== undefined && fits(schema, candidate)) return candidate;
    }
    return fallback;
  }

  private number(schema: Schema, integer: boolean, fallback: number, leaf: Leaf): number {
    if (this.realistic) {
      const ctx = this.leaf(leaf);
      const candidate = numberValue(leaf.name, ctx) ?? ctx.rng.int(1, 100);
      if (inBounds(schema, candidate)) return integer ? Math.trunc(candidate) : candidate;
    }
    return fallback;
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
