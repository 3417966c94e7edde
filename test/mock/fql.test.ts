/** The FQL subset the data world filters by (mock/fql.ts): pure, no sockets. */
import { describe, expect, it } from "vitest";
import { matches, parseFilter } from "../../mock/fql.js";

const host = {
  platform_name: "Windows",
  hostname: "FIN-WS-042",
  last_seen: "2026-01-14T10:00:00Z",
  tags: ["FalconGroupingTags/Finance"],
  device: { os: "Windows 11" },
  severity: 70,
};
const test = (filter: string): boolean => matches(parseFilter(filter)!, host);

describe("FQL subset", () => {
  it("equality: quoted, bare, case-insensitive, lists, negation", () => {
    expect(test("platform_name:'Windows'")).toBe(true);
    expect(test('platform_name:"windows"')).toBe(true);
    expect(test("platform_name:Linux")).toBe(false);
    expect(test("platform_name:['Linux','Windows']")).toBe(true);
    expect(test("platform_name:!'Windows'")).toBe(false);
  });

  it("wildcards, comparisons, dotted fields, array fields", () => {
    expect(test("hostname:'FIN-*'")).toBe(true);
    expect(test("hostname:'HR-*'")).toBe(false);
    expect(test("last_seen:>'2026-01-01'")).toBe(true);
    expect(test("last_seen:<='2026-01-01'")).toBe(false);
    expect(test("severity:>=70")).toBe(true);
    expect(test("severity:>70")).toBe(false);
    expect(test("device.os:'Windows 11'")).toBe(true);
    expect(test("tags:'FalconGroupingTags/Finance'")).toBe(true);
  });

  it("+ is and, `,` is or; a field the record lacks leaves its term out", () => {
    expect(test("platform_name:'Windows'+hostname:'FIN-WS-042'")).toBe(true);
    expect(test("platform_name:'Windows'+hostname:'X'")).toBe(false);
    expect(test("platform_name:'Linux',hostname:'FIN-WS-042'")).toBe(true);
    expect(test("no_such_field:'x'")).toBe(true);
  });

  it("outside the subset: not parsed (the world does not filter)", () => {
    expect(parseFilter("platform_name")).toBeUndefined();
    expect(parseFilter("")).toEqual([]);
  });
});
