// npx vitest run — the test kit with vitest (ESM, TypeScript).
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Hosts } from "falconts/hosts";
import { startMockFalcon, type MockFalcon } from "falconts-testing";
import { containWindowsHosts } from "./contain.cjs";

let mock: MockFalcon;
let hosts: Hosts;
beforeAll(async () => {
  mock = await startMockFalcon({ seed: 7 });
  hosts = new Hosts({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

it("contains the Windows hosts of the default data", async () => {
  const contained = await containWindowsHosts(hosts, "");
  // the seeded world: 25 hosts, ids that resolve in the details call, realistic platforms
  const details = mock.calls("PostDeviceDetailsV2")[0]!;
  expect(details.body?.ids).toHaveLength(25);
  expect(contained.length).toBeGreaterThan(0);
  const [action] = mock.calls("PerformActionV2");
  expect(action!.query.action_name).toBe("contain");
  expect(action!.body?.ids).toEqual(contained);
});

it("a typed handler decides which hosts exist", async () => {
  mock.on("PostDeviceDetailsV2", (request, context) => {
    const body = context.defaultBody();
    body.resources = body.resources.map((d, i) => ({ ...d, platform_name: i === 0 ? "Windows" : "Linux" }));
    expect(request.body?.ids?.length).toBe(25);
    return { body };
  });
  const contained = await containWindowsHosts(hosts, "");
  expect(contained).toHaveLength(1);
});

it("survives a rate limit", async () => {
  mock.fault("QueryDevicesByFilterScroll", { kind: "rateLimit", retryAfter: 0 }, { times: 1 });
  await containWindowsHosts(hosts, "");
  expect(mock.calls("QueryDevicesByFilterScroll").map((c) => c.status)).toEqual([429, 200, 200, 200]);
});
