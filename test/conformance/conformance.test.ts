/**
 * Issue 5: every operation of generated/ through its service-class method, through
 * `APIHarnessV2.command()`, and through command() with validatePayloads on, against the mock
 * with validation on and unknown query/form fields rejected. Issue 6: the same pass runs with
 * `debug: true` and `sanitizeLog` on, and no credential or issued token may show anywhere.
 * Writes .tmp/conformance-report.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format, inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import type { Logger } from "../../runtime/options.js";
import { KNOWN_EXCLUSIONS } from "./exclusions.js";
import { enumerateOperations, formatReport, swaggerOperationIds } from "./harness.js";
import { renderings, runConformance, type RunResult } from "./run.js";

const REPORT = fileURLToPath(new URL("../../.tmp/conformance-report.json", import.meta.url));

// distinctive values, so a leak cannot hide behind a common word
const credentials = {
  clientId: "confClientId4c7e1b9a0d2f",
  clientSecret: "confSecret8Hq2ZpL6vW3xN5tY",
  memberCid: "confMemberCid7a91e3c5",
};

describe("conformance: every operation through the generated client", () => {
  let mock: MockFalcon;
  let run: RunResult;
  const log: string[] = [];
  const capture = (...args: unknown[]): void => {
    log.push(format(...args));
  };
  const logger: Logger = { debug: capture, info: capture, warn: capture, error: capture };

  beforeAll(async () => {
    // arguments are built from the schemas, ids included: a record for each, as the suite checks the SDK's path, not the world's data
    mock = await startMockFalcon({
      credentials: [credentials],
      validate: true,
      rejectUnknown: true,
      unknownIds: "answer",
    });
    run = await runConformance(mock, { credentials, logger, concurrency: 8 });
    console.log(formatReport(run.report));
    mkdirSync(fileURLToPath(new URL("../../.tmp/", import.meta.url)), { recursive: true });
    writeFileSync(REPORT, `${JSON.stringify(run.report, null, 2)}\n`);
  }, 300_000); // every operation three ways: ~25 s alone, a few times that beside other suites on 2 cores
  afterAll(() => mock?.close());

  it("enumerates every operation of the tables, the mock's spec and (when present) swagger.json", async () => {
    const ops = await enumerateOperations();
    const ids = new Set(ops.map((o) => o.id));
    expect(ids.size).toBe(ops.length);
    expect(new Set(mock.spec.operations().map((e) => e.id))).toEqual(ids);
    const swagger = swaggerOperationIds();
    if (swagger) expect(new Set(swagger)).toEqual(ids);
    expect(ops.every((o) => o.className && o.method)).toBe(true);
    expect(run.report.operations).toBe(ops.length);
  });

  it("every known exclusion names a real operation and says why", async () => {
    const ids = new Set((await enumerateOperations()).map((o) => o.id));
    for (const [id, e] of Object.entries(KNOWN_EXCLUSIONS)) {
      expect(ids.has(id), id).toBe(true);
      expect(e.reason.length).toBeGreaterThan(20);
    }
  });

  for (const path of ["service", "command", "validated"] as const) {
    it(`${path}: the mock accepts every request and every response has the operation's shape`, () => {
      const s = run.report.paths[path]!;
      expect(run.report.failures.filter((f) => f.path === path)).toEqual([]);
      expect(s.attempted).toBe(run.report.operations);
      expect(s.passed + s.excluded).toBe(s.attempted);
    });
  }

  it("exercised the payload styles: JSON bodies, forms with files, raw uploads, binary downloads", () => {
    const api = mock.requests.filter((r) => r.headers["x-conformance-call"] !== undefined && r.errors.length === 0);
    const ct = (r: (typeof api)[number]): string => r.headers["content-type"] ?? "";
    expect(api.filter((r) => ct(r).includes("json") && r.raw.length > 2).length).toBeGreaterThan(900);
    expect(
      api.filter((r) => ct(r).startsWith("multipart/form-data") && r.parts.some((p) => p.filename !== undefined))
        .length,
    ).toBeGreaterThan(40);
    expect(api.filter((r) => ct(r) === "application/x-www-form-urlencoded").length).toBeGreaterThan(0);
    expect(api.filter((r) => /octet-stream|zip|7z/.test(ct(r))).length).toBeGreaterThan(0);
    expect(api.filter((r) => r.method === "GET" && r.raw.length > 0).length).toBeGreaterThan(0);
  });

  describe("secrets under load (issue 6)", () => {
    const secrets = (): string[] => [
      credentials.clientId,
      credentials.clientSecret,
      credentials.memberCid,
      ...mock.tokens.map((t) => t.value),
    ];

    it("debug logging captured the whole pass", () => {
      expect(mock.tokens.length).toBeGreaterThan(0);
      expect(log.length).toBeGreaterThan(run.report.operations);
    });

    it("no log line holds the client id, secret, member CID or an issued token", () => {
      const text = log.join("\n");
      // the records did carry credentials (token form, Authorization headers): redacted, not absent
      expect(text).toContain("**REDACTED**");
      for (const s of secrets()) expect(text.includes(s), `log leaks ${s.slice(0, 6)}...`).toBe(false);
    });

    it("no thrown message, toString(), JSON.stringify() or util.inspect() of a client or auth object holds them", () => {
      const objects: object[] = [];
      for (const c of run.clients) {
        objects.push(c);
        const auth = (c as { auth?: unknown }).auth;
        if (auth && typeof auth === "object") objects.push(auth);
      }
      const texts = [...run.thrown, ...objects.flatMap(renderings), inspect(run.clients, { depth: 4 })];
      for (const s of secrets())
        for (const t of texts) expect(t.includes(s), `leaks ${s.slice(0, 6)}... in ${t.slice(0, 80)}`).toBe(false);
    });
  });
});
