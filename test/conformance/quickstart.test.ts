/**
 * CI coverage of the README's main command: `npm run demo` runs examples/quickstart.ts's
 * main(), called here in-process (no subprocess). The tour against the embedded mock filters and
 * sorts a seeded world of 2,345 hosts and hydrates 1,436 host records (~25 MB of JSON): ~1.5 s of
 * CPU (2026-11), so its timeout leaves room for a loaded 2-core CI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../examples/quickstart.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";

const TOUR_MS = 60_000;

describe("examples/quickstart.ts", () => {
  it(
    "without credentials: the full tour against the embedded mock",
    async () => {
      const lines: string[] = [];
      const summary = await main({ print: (l) => lines.push(l), env: {} });
      const text = lines.join("\n");
      expect(summary.target).toBe("mock");
      expect(summary.steps).toHaveLength(8);
      expect(text).toMatch(/auth\.login\(\) -> authenticated: true, token status 201/);
      expect(text).toMatch(/queryDevicesByFilterScroll\(.*\) -> 200/);
      // the kit's seeded world: the filter holds, and details resolve the queried ids
      expect(text).toMatch(/total: \d+\n/);
      const ids = /device IDs: (.*) {3}total/.exec(text)![1]!.split(", ");
      expect(ids).toHaveLength(3);
      for (const id of ids)
        expect(text).toMatch(
          new RegExp(`${id} {2}hostname=[A-Z]+-(WS|LT|SRV)-\\d{3} {2}platform=Windows {2}agent=7\\.\\d+\\.\\d+\\.0`),
        );
      // every filtered host of the 2,345, page by page, each hydrated to its record
      const pages = [...text.matchAll(/page (\d+): ([\d,]+) of ([\d,]+) hosts/g)];
      expect(pages.length).toBeGreaterThan(1);
      const last = pages.at(-1)!;
      expect(last[2]).toBe(last[3]);
      expect(text).toContain(`.details() -> ${last[3]} device records`);
      expect(text).toMatch(/action_name: "contain".* -> 202/);
      expect(text).toMatch(/uploadSampleV3\(.*\) -> 200, sha256 [0-9a-f]{64}/);
      expect(text).toMatch(/getSampleV3\(.*\) -> 200, \d+ bytes \(application\/octet-stream\)/);
      expect(text).toMatch(/X-Ratelimit-Limit: \d+ {3}X-Ratelimit-Remaining: \d+/);
      expect(text).toMatch(/auth\.logout\(\) -> 200, authenticated: false/);
    },
    TOUR_MS,
  );

  describe("with FALCON_CLIENT_ID / FALCON_CLIENT_SECRET (a mock standing in for the cloud)", () => {
    let cloud: MockFalcon;
    const creds = { clientId: "cloud-id", clientSecret: "cloud-secret" };
    beforeAll(async () => {
      cloud = await startMockFalcon({ credentials: [creds] });
    });
    afterAll(() => cloud?.close());

    it("makes only read-only calls, every one accepted", async () => {
      const lines: string[] = [];
      const summary = await main({
        print: (l) => lines.push(l),
        env: { FALCON_CLIENT_ID: creds.clientId, FALCON_CLIENT_SECRET: creds.clientSecret, FALCON_BASE_URL: cloud.url },
      });
      expect(summary.target).toBe("cloud");
      const api = cloud.requests.filter((r) => !r.path.startsWith("/oauth2/"));
      expect(api.length).toBeGreaterThan(0);
      expect(api.every((r) => r.method === "GET")).toBe(true);
      expect(cloud.requests.every((r) => r.errors.length === 0)).toBe(true);
      expect(cloud.requests.map((r) => r.operationId)).toContain("oauth2RevokeToken");
      expect(lines.join("\n")).not.toContain(creds.clientSecret);
    });
  });
});
