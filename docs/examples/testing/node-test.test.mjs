// node --test — the test kit with node:test (ESM, no dependencies beyond the two packages).
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { Hosts } from "falconts/hosts";
import { startMockFalcon } from "falconts-testing";
import { containWindowsHosts } from "./contain.cjs";

let mock;
let hosts;
before(async () => {
  mock = await startMockFalcon({ seed: 7 });
  hosts = new Hosts({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
});
afterEach(() => mock.reset());
after(() => mock.close());

test("contains the Windows hosts of the default data", async () => {
  const contained = await containWindowsHosts(hosts, "");
  assert.equal(mock.calls("PostDeviceDetailsV2")[0].body.ids.length, 25);
  assert.ok(contained.length > 0);
  const [action] = mock.calls("PerformActionV2");
  assert.equal(action.query.action_name, "contain");
  assert.deepEqual(action.body.ids, contained);
});

test("a handler decides which hosts exist", async () => {
  mock.on("PostDeviceDetailsV2", (_request, context) => {
    const body = context.defaultBody();
    body.resources = body.resources.map((d, i) => ({ ...d, platform_name: i === 0 ? "Windows" : "Linux" }));
    return { body };
  });
  assert.equal((await containWindowsHosts(hosts, "")).length, 1);
});

test("survives a rate limit", async () => {
  mock.fault("QueryDevicesByFilterScroll", { kind: "rateLimit", retryAfter: 0 }, { times: 1 });
  await containWindowsHosts(hosts, "");
  assert.deepEqual(
    mock.calls("QueryDevicesByFilterScroll").map((c) => c.status),
    [429, 200, 200, 200],
  );
});
