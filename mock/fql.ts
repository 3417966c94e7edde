/**
 * A small subset of the Falcon Query Language, enough for the data world to answer filtered
 * queries consistently: `field:'value'`, `field:"value"`, `field:value`, `field:['a','b']`,
 * `field:!'value'`, `field:>'2026-01-01'` (>, >=, <, <=; numbers compare as numbers, the rest as
 * text, which orders ISO timestamps), `*` wildcards, dotted paths (`device.hostname`), `+` for
 * AND and `,` for OR between terms. A field a record does not have leaves the term out (the
 * mock is lenient where the API would validate field names).
 */

type Term = {
  readonly path: string[];
  readonly negate: boolean;
  readonly op: "=" | ">" | ">=" | "<" | "<=";
  readonly values: string[];
};
/** AND of ORs of terms. */
export type Filter = Term[][];

function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

function unquote(v: string): string {
  const t = v.trim();
  return /^(['"]).*\1$/s.test(t) ? t.slice(1, -1) : t;
}

/** Parses a filter; undefined when it is not in the subset (then nothing is filtered). */
export function parseFilter(text: string): Filter | undefined {
  const groups: Filter = [];
  for (const group of splitTop(text, "+")) {
    const terms: Term[] = [];
    for (const raw of splitTop(group.replace(/^\((.*)\)$/s, "$1"), ",")) {
      const m = /^([A-Za-z_][\w.-]*):(!)?(>=|<=|>|<)?(.+)$/s.exec(raw);
      if (!m) return undefined;
      const value = m[4]!.trim();
      const values =
        value.startsWith("[") && value.endsWith("]")
          ? splitTop(value.slice(1, -1), ",").map(unquote)
          : [unquote(value)];
      terms.push({ path: m[1]!.split("."), negate: m[2] === "!", op: (m[3] ?? "=") as Term["op"], values });
    }
    if (terms.length) groups.push(terms);
  }
  return groups;
}

function lookup(record: unknown, path: readonly string[]): unknown {
  let node = record;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function compare(actual: unknown, op: Term["op"], expected: string): boolean {
  if (Array.isArray(actual)) return actual.some((a) => compare(a, op, expected));
  if (actual === null || actual === undefined) return false;
  const a = String(actual);
  if (op === "=") {
    if (!expected.includes("*")) return a.toLowerCase() === expected.toLowerCase();
    const re = new RegExp(
      `^${expected
        .split("*")
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
      "i",
    );
    return re.test(a);
  }
  const numeric = typeof actual === "number" && Number.isFinite(Number(expected));
  const diff = numeric ? (actual as number) - Number(expected) : a < expected ? -1 : a > expected ? 1 : 0;
  return op === ">" ? diff > 0 : op === ">=" ? diff >= 0 : op === "<" ? diff < 0 : diff <= 0;
}

export function matches(filter: Filter, record: unknown): boolean {
  return filter.every((group) =>
    group.some((term) => {
      const actual = lookup(record, term.path);
      if (actual === undefined) return true;
      const hit = term.values.some((v) => compare(actual, term.op, v));
      return term.negate ? !hit : hit;
    }),
  );
}
