// npx jest — the test kit with jest (CommonJS, no transform).
const { Hosts } = require("falconts/hosts");
const { startMockFalcon } = require("falconts-testing");
const { containWindowsHosts } = require("./contain.cjs");

let mock;
let hosts;
beforeAll(async () => {
  mock = await startMockFalcon({ seed: 7 });
  hosts = new Hosts({ clientId: mock.clientId, clientSecret: mock.clientSecret, baseUrl: mock.url });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

test("contains the Windows hosts of the default data", async () => {
  const contained = await containWindowsHosts(hosts, "");
  expect(mock.calls("PostDeviceDetailsV2")[0].body.ids).toHaveLength(25);
  expect(contained.length).toBeGreaterThan(0);
  const [action] = mock.calls("PerformActionV2");
  expect(action.query.action_name).toBe("contain");
  expect(action.body.ids).toEqual(contained);
});

test("a handler decides which hosts exist", async () => {
  mock.on("PostDeviceDetailsV2", (_request, context) => {
    const body = context.defaultBody();
    body.resources = body.resources.map((d, i) => ({ ...d, platform_name: i === 0 ? "Windows" : "Linux" }));
    return { body };
  });
  expect(await containWindowsHosts(hosts, "")).toHaveLength(1);
});

test("survives a rate limit", async () => {
  mock.fault("QueryDevicesByFilterScroll", { kind: "rateLimit", retryAfter: 0 }, { times: 1 });
  await containWindowsHosts(hosts, "");
  expect(mock.calls("QueryDevicesByFilterScroll").map((c) => c.status)).toEqual([429, 200, 200, 200]);
});
