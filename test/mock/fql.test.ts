/** The FQL the data world filters by (mock/fql.ts): pure, no sockets. */
import { describe, expect, it } from "vitest";
import { FilterError, matches, parseFilter } from "../../mock/fql.js";

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const host = {
  platform_name: "Windows",
  hostname: "FIN-WS-042",
  last_seen: "2026-01-14T10:00:00Z",
  tags: ["FalconGroupingTags/Finance"],
  device: { os: "Windows 11" },
  severity: 70,
  deleted_at: null,
};
const test = (filter: string): boolean => matches(parseFilter(filter, NOW), host);

function problem(filter: string): { problem: string; message: string } {
  try {
    parseFilter(filter, NOW);
  } catch (err) {
    if (err instanceof FilterError) return { problem: err.problem, message: err.message };
    throw err;
  }
  throw new Error(`${filter} parsed`);
}

describe("FQL the world evaluates", () => {
  it("equality: quoted, bare, case-insensitive, lists, negation", () => {
    expect(test("platform_name:'Windows'")).toBe(true);
    expect(test('platform_name:"windows"')).toBe(true);
    expect(test("platform_name:Linux")).toBe(false);
    expect(test("platform_name:['Linux','Windows']")).toBe(true);
    expect(test("platform_name:!'Windows'")).toBe(false);
    expect(test("platform_name:!['Linux','Mac']")).toBe(true);
  });

  it("wildcards, comparisons, dotted fields, array fields", () => {
    expect(test("hostname:'FIN-*'")).toBe(true);
    expect(test("hostname:*'fin-ws-*'")).toBe(true);
    expect(test("hostname:*")).toBe(true);
    expect(test("hostname:*+severity:70")).toBe(true);
    expect(test("deleted_at:*")).toBe(false);
    expect(test("hostname:'HR-*'")).toBe(false);
    expect(test("last_seen:>'2026-01-01'")).toBe(true);
    expect(test("last_seen:<='2026-01-01'")).toBe(false);
    expect(test("last_seen:>'2026-01-14T11:00:00+02:00'")).toBe(true);
    expect(test("severity:>=70")).toBe(true);
    expect(test("severity:>70")).toBe(false);
    expect(test("device.os:'Windows 11'")).toBe(true);
    expect(test("tags:'FalconGroupingTags/Finance'")).toBe(true);
  });

  it("text match, null, relative time", () => {
    expect(test("hostname:~'ws-0'")).toBe(true);
    expect(test("hostname:!~'ws-0'")).toBe(false);
    expect(test("deleted_at:null")).toBe(true);
    expect(test("hostname:null")).toBe(false);
    expect(test("hostname:!null")).toBe(true);
    expect(test("last_seen:>'now-2d'")).toBe(true);
    expect(test("last_seen:>'now-1h'")).toBe(false);
    expect(test("last_seen:<=now")).toBe(true);
    // text that only starts like date math is a value
    expect(test("hostname:'now-ws'")).toBe(false);
  });

  it("+ is and, `,` is or, parentheses group; a field the record lacks leaves its term out", () => {
    expect(test("platform_name:'Windows'+hostname:'FIN-WS-042'")).toBe(true);
    expect(test("platform_name:'Windows'+hostname:'X'")).toBe(false);
    expect(test("platform_name:'Linux',hostname:'FIN-WS-042'")).toBe(true);
    expect(test("platform_name:'Linux',hostname:'X'+severity:70")).toBe(false);
    expect(test("(platform_name:'Linux',(hostname:'X',severity:70))+device.os:'Windows*'")).toBe(true);
    expect(test("platform_name:'Windows' + (severity:<10 , hostname:'FIN*')")).toBe(true);
    expect(test("no_such_field:'x'")).toBe(true);
  });
});

describe("filters the mock cannot use", () => {
  it.each([
    ["platform_name", 'expected ":" after the field "platform_name"'],
    ["platform_name:'Windows", "a quoted value is not closed"],
    ["(platform_name:'Windows'", "a parenthesis is not closed"],
    ["platform_name:'Windows')", 'unexpected ")"'],
    ["platform_name:'Windows'+", "expected a term after an operator"],
    ["platform_name:['a','b'", "a list is not closed"],
    ["platform_name:[]", "an empty list"],
    ["platform_name:", "expected a value"],
    ["'Windows'", "expected a field name"],
  ])("%s is not FQL: a syntax error naming the problem", (filter, what) => {
    const p = problem(filter);
    expect(p.problem).toBe("syntax");
    expect(p.message).toContain(`Invalid filter: ${what}`);
    expect(p.message).toContain(JSON.stringify(filter));
  });

  it.each([
    ["last_seen:>'now-1d/d'", 'the date math "now-1d/d"'],
    ["last_seen:>'now-3M'", 'the date math "now-3M"'],
    ["severity:>[50,70]", '"severity:>[...]" (a comparison against a list)'],
  ])("%s is FQL the mock does not evaluate: says so, naming the construct", (filter, what) => {
    const p = problem(filter);
    expect(p.problem).toBe("unsupported");
    expect(p.message).toContain(`The mock does not support ${what}`);
  });
});
