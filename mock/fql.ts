/**
 * The Falcon Query Language as far as the data world evaluates it: terms `field:value` joined by
 * `+` (and) and `,` (or), grouped with parentheses (`,` binds tighter than `+`, as the world has
 * always read `a,b+c`). A term's value is quoted (`'v'`, `"v"`), bare (`v`, `70`, `true`) or a
 * list (`['a','b']`: any of them); its operator, after the colon, is none (equal, `*` wildcards
 * allowed), `!` (not), `>`, `>=`, `<`, `<=` (numbers as numbers, timestamps as instants, the rest
 * as text), `~` (contains, any case), `*` (wildcard match; `field:*` alone: any value), and `!`
 * before any of them. `null` tests for no value; `now`, `now-7d` (s, m, h, d, w units) are
 * instants before the world's now.
 *
 * Text that is not FQL is a syntax error; FQL the mock cannot evaluate (date math rounding, a
 * comparison against a list) is reported as unsupported, so a test never passes on a filter
 * that was silently ignored. A field the record does not have leaves its term out: the mock's
 * records do not hold every field an API can filter on.
 */

export type Operator = "=" | ">" | ">=" | "<" | "<=" | "~" | "*";

export interface Term {
  readonly path: readonly string[];
  readonly negate: boolean;
  readonly op: Operator;
  /** Any of these (a list's items, else the one value); `null` tests for no value. */
  readonly values: readonly (string | null)[];
}

/** A parsed filter: a term, or all (`and`) or any (`or`) of its parts. */
export type Filter = Term | { readonly and: readonly Filter[] } | { readonly or: readonly Filter[] };

export type FilterProblem = "syntax" | "unsupported";

/** A filter the mock cannot use: `syntax` where Falcon would refuse it too, `unsupported` where only the mock does. */
export class FilterError extends Error {
  constructor(
    readonly problem: FilterProblem,
    message: string,
  ) {
    super(message);
    this.name = "FilterError";
  }
}

const FIELD = /[A-Za-z_][\w.-]*/y;
const OPERATOR = />=|<=|>|<|~|\*/y;
const BARE = /[^\s+,()[\]'"]+/y;
const SPACE = /\s*/y;
const RELATIVE = /^now(?:([+-])(\d+)([smhdw]))?$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3, w: 604_800e3 };

class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly now: number,
  ) {}

  parse(): Filter {
    const filter = this.and();
    this.space();
    if (this.at < this.text.length) this.fail(`unexpected ${JSON.stringify(this.text[this.at])}`);
    return filter;
  }

  private and(): Filter {
    const parts = [this.or()];
    while (this.eat("+")) parts.push(this.or());
    return parts.length === 1 ? parts[0]! : { and: parts };
  }

  private or(): Filter {
    const parts = [this.primary()];
    while (this.eat(",")) parts.push(this.primary());
    return parts.length === 1 ? parts[0]! : { or: parts };
  }

  private primary(): Filter {
    if (this.eat("(")) {
      const inner = this.and();
      if (!this.eat(")")) this.fail("a parenthesis is not closed");
      return inner;
    }
    return this.term();
  }

  private term(): Term {
    this.space();
    const field = this.match(FIELD);
    if (!field) this.fail(this.at < this.text.length ? "expected a field name" : "expected a term after an operator");
    if (this.text[this.at] !== ":") this.fail(`expected ":" after the field "${field}"`);
    this.at++;
    const negate = this.text[this.at] === "!";
    if (negate) this.at++;
    const op = (this.match(OPERATOR) ?? "=") as Operator;
    // `field:*` alone: any value
    if (op === "*" && /^\s*(?:[+,)]|$)/.test(this.text.slice(this.at)))
      return { path: field.split("."), negate, op, values: ["*"] };
    const start = this.at;
    const values = this.text[this.at] === "[" ? this.list() : [this.value()];
    const term: Term = { path: field.split("."), negate, op, values };
    if (this.text[start] === "[" && op !== "=" && op !== "~" && op !== "*")
      this.unsupported(`"${field}:${negate ? "!" : ""}${op}[...]" (a comparison against a list)`);
    return term;
  }

  private list(): (string | null)[] {
    this.at++;
    const values: (string | null)[] = [];
    if (this.eat("]")) this.fail("an empty list");
    do values.push(this.value());
    while (this.eat(","));
    if (!this.eat("]")) this.fail("a list is not closed");
    return values;
  }

  private value(): string | null {
    this.space();
    const quote = this.text[this.at];
    if (quote === "'" || quote === '"') {
      let out = "";
      for (let i = this.at + 1; i < this.text.length; i++) {
        const c = this.text[i]!;
        if (c === "\\" && i + 1 < this.text.length) out += this.text[++i];
        else if (c === quote) {
          this.at = i + 1;
          return this.resolve(out);
        } else out += c;
      }
      this.fail("a quoted value is not closed");
    }
    const bare = this.match(BARE);
    if (bare === undefined) this.fail("expected a value");
    return bare.toLowerCase() === "null" ? null : this.resolve(bare);
  }

  /** `now` and `now-7d` as the instants they name. */
  private resolve(value: string): string {
    if (!/^now(?:[+-]\d|\/|$)/.test(value)) return value;
    const m = RELATIVE.exec(value);
    if (!m) this.unsupported(`the date math "${value}" (the mock understands now and now-<n><s|m|h|d|w>)`);
    const offset = m[1] ? (m[1] === "-" ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]!]! : 0;
    return new Date(this.now + offset).toISOString();
  }

  private eat(token: string): boolean {
    this.space();
    if (this.text[this.at] !== token) return false;
    this.at++;
    return true;
  }

  private space(): void {
    this.match(SPACE);
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.at;
    const m = re.exec(this.text);
    if (!m || (m[0] === "" && re !== SPACE)) return undefined;
    this.at += m[0].length;
    return m[0];
  }

  private fail(what: string): never {
    throw new FilterError("syntax", `Invalid filter: ${what} at position ${this.at} of ${JSON.stringify(this.text)}`);
  }

  private unsupported(what: string): never {
    throw new FilterError(
      "unsupported",
      `The mock does not support ${what} in the filter ${JSON.stringify(this.text)}; answer this request with mock.on()`,
    );
  }
}

/** Parses an FQL filter; throws a FilterError for text that is not FQL or FQL the mock cannot evaluate. */
export function parseFilter(text: string, now: number = Date.now()): Filter {
  return new Parser(text, now).parse();
}

function lookup(record: unknown, path: readonly string[]): unknown {
  let node = record;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function wildcard(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "i");
}

function compare(actual: unknown, op: Operator, expected: string | null): boolean {
  if (Array.isArray(actual)) return actual.some((a) => compare(a, op, expected));
  const empty = actual === null || actual === undefined || actual === "";
  if (expected === null) return empty;
  if (empty) return false;
  const a = String(actual);
  switch (op) {
    case "=":
      return expected.includes("*") ? wildcard(expected).test(a) : a.toLowerCase() === expected.toLowerCase();
    case "*":
      return wildcard(expected).test(a);
    case "~":
      return a.toLowerCase().includes(expected.toLowerCase());
  }
  let diff: number;
  if (typeof actual === "number" && Number.isFinite(Number(expected))) diff = actual - Number(expected);
  else if (INSTANT.test(a) && INSTANT.test(expected)) diff = Date.parse(a) - Date.parse(expected);
  else diff = a < expected ? -1 : a > expected ? 1 : 0;
  return op === ">" ? diff > 0 : op === ">=" ? diff >= 0 : op === "<" ? diff < 0 : diff <= 0;
}

export function matches(filter: Filter, record: unknown): boolean {
  if ("and" in filter) return filter.and.every((f) => matches(f, record));
  if ("or" in filter) return filter.or.some((f) => matches(f, record));
  const actual = lookup(record, filter.path);
  if (actual === undefined) return true;
  const hit = filter.values.some((v) => compare(actual, filter.op, v));
  return filter.negate ? !hit : hit;
}

/** The field paths a filter reads (what a record must hold for `matches` to judge it). */
export function filterPaths(filter: Filter): string[][] {
  if ("and" in filter) return filter.and.flatMap(filterPaths);
  if ("or" in filter) return filter.or.flatMap(filterPaths);
  return [[...filter.path]];
}
