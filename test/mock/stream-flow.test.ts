/** The mock's stream flow on the wire, with plain fetch: the contract users' tests rely on. */
import { afterEach, expect, it } from "vitest";
import { StreamFlow } from "../../mock/flows/streams.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { SPEC } from "../streams/fixture.js";

let mock: MockFalcon | undefined;
afterEach(() => mock?.close());

async function start(flow: StreamFlow): Promise<{ url: string; bearer: Record<string, string> }> {
  mock = await startMockFalcon({ spec: SPEC });
  mock.flow(flow);
  return { url: mock.url, bearer: { authorization: `Bearer ${mock.issueToken()}` } };
}

type ListBody = {
  resources: {
    dataFeedURL: string;
    sessionToken: { token: string; expiration: string };
    refreshActiveSessionURL: string;
    refreshActiveSessionInterval: number;
  }[];
};

it("lists one stream per partition and serves events from an offset with blank-line heartbeats", async () => {
  const flow = new StreamFlow({ partitions: 3, events: 60, heartbeat: 0.05, refreshInterval: 900 });
  const { url, bearer } = await start(flow);
  expect((await fetch(`${url}/sensors/entities/datafeed/v2?appId=t`)).status).toBe(401);
  const list = (await (
    await fetch(`${url}/sensors/entities/datafeed/v2?appId=t`, { headers: bearer })
  ).json()) as ListBody;
  expect(list.resources.map((r) => r.dataFeedURL)).toEqual(
    [0, 1, 2].map((p) => `${url}/sensors/entities/datafeed/v1/${p}?appId=t`),
  );
  expect(list.resources[0]!.refreshActiveSessionInterval).toBe(900);
  const r = list.resources[1]!;
  const res = await fetch(`${r.dataFeedURL}&offset=55`, {
    headers: { authorization: `Token ${r.sessionToken.token}` },
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = "";
  while (!text.includes("\n\n\n")) text += new TextDecoder().decode((await reader.read()).value); // events, then heartbeats
  await reader.cancel();
  const lines = text.split("\n").filter((l) => l !== "");
  expect(lines.map((l) => (JSON.parse(l) as { metadata: { offset: number } }).metadata.offset)).toEqual([
    55, 56, 57, 58, 59,
  ]);
  expect(JSON.parse(lines[0]!)).toMatchObject({
    metadata: { customerIDString: flow.customerId, eventType: expect.any(String), version: "1.0" },
    event: expect.any(Object),
  });
  // the feed takes the session token, not a bearer token, and only its own partition's
  expect((await fetch(r.dataFeedURL, { headers: bearer })).status).toBe(401);
  expect(
    (await fetch(list.resources[0]!.dataFeedURL, { headers: { authorization: `Token ${r.sessionToken.token}` } }))
      .status,
  ).toBe(401);
});

it("refreshes live sessions, refuses expired ones, and answers the switched failures", async () => {
  const flow = new StreamFlow({ partitions: 1 });
  const { url, bearer } = await start(flow);
  const list = (await (
    await fetch(`${url}/sensors/entities/datafeed/v2?appId=t`, { headers: bearer })
  ).json()) as ListBody;
  const { refreshActiveSessionURL, dataFeedURL, sessionToken } = list.resources[0]!;
  expect((await fetch(refreshActiveSessionURL, { method: "POST", headers: bearer })).status).toBe(200);
  flow.expireSessions();
  expect((await fetch(refreshActiveSessionURL, { method: "POST", headers: bearer })).status).toBe(404);
  expect((await fetch(dataFeedURL, { headers: { authorization: `Token ${sessionToken.token}` } })).status).toBe(401);
  expect(flow.refreshes.map((r) => r.status)).toEqual([200, 404]);
  expect((await fetch(`${url}/sensors/entities/datafeed/v2?appId=${"x".repeat(33)}`, { headers: bearer })).status).toBe(
    400,
  );
  flow.denyScope();
  expect((await fetch(`${url}/sensors/entities/datafeed/v2?appId=t`, { headers: bearer })).status).toBe(403);
  flow.clearSwitches();
  const fresh = (await (
    await fetch(`${url}/sensors/entities/datafeed/v2?appId=t`, { headers: bearer })
  ).json()) as ListBody;
  flow.failFeed(503);
  const token = { authorization: `Token ${fresh.resources[0]!.sessionToken.token}` };
  expect((await fetch(dataFeedURL, { headers: token })).status).toBe(503);
  const ok = await fetch(dataFeedURL, { headers: token });
  expect(ok.status).toBe(200);
  await ok.body!.cancel();
  expect(flow.connections.map((c) => c.status)).toEqual([401, 503, 200]);
});
