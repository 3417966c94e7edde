/**
 * The mock's one flow hook (mock/flows/flow.ts) on the wire: what a flow sees, the order flows
 * are asked in, passing, answering on the response itself, removal and close.
 */
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { operationFlow, type FlowRequest, type MockFlow } from "../../mock/flows/flow.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";

const SPEC = fileURLToPath(new URL("../../generated/hosts/openapi.json", import.meta.url));

let mock: MockFalcon | undefined;
afterEach(() => mock?.close());

async function start(flows: MockFlow[] = []): Promise<{ url: string; bearer: Record<string, string> }> {
  mock = await startMockFalcon({ spec: SPEC, flows });
  return { url: mock.url, bearer: { authorization: `Bearer ${mock.issueToken()}` } };
}

it("asks flows in install order with the validated operation; undefined passes to the next, then to the spec answer", async () => {
  const seen: FlowRequest[] = [];
  const passing: MockFlow = { handle: (request) => void seen.push(request) };
  const answering = operationFlow((call) =>
    call.operationId === "GetDeviceDetailsV2" ? { status: 200, body: { resources: call.query.ids, errors: [] } } : undefined,
  );
  const { url, bearer } = await start([passing]);
  const handle = mock!.useFlow(answering);

  const details = await fetch(`${url}/devices/entities/devices/v2?ids=a&ids=b`, { headers: bearer });
  expect(details.status).toBe(200);
  expect(await details.json()).toEqual({ resources: ["a", "b"], errors: [] });
  expect(seen[0]).toMatchObject({ method: "GET", path: "/devices/entities/devices/v2", operationId: "GetDeviceDetailsV2" });
  expect(seen[0]!.parsed?.query.ids).toEqual(["a", "b"]);
  expect(seen[0]!.authorised()).toBe(true);
  expect(handle.hits).toBe(1);

  // every flow passes: the spec-generated answer
  const query = await fetch(`${url}/devices/queries/devices/v1`, { headers: bearer });
  expect(query.status).toBe(200);
  expect(((await query.json()) as { resources: unknown[] }).resources).toBeInstanceOf(Array);

  handle.remove();
  const after = await fetch(`${url}/devices/entities/devices/v2?ids=a`, { headers: bearer });
  expect(((await after.json()) as { resources: unknown }).resources).not.toEqual(["a"]);
  expect(handle.hits).toBe(1);
});

it("never shows a flow an unauthorised or invalid spec request; routes outside the spec reach it without an operation", async () => {
  const seen: FlowRequest[] = [];
  const { url, bearer } = await start([{ handle: (request) => void seen.push(request) }]);
  expect((await fetch(`${url}/devices/entities/devices/v2?ids=a`)).status).toBe(401);
  expect((await fetch(`${url}/devices/entities/devices/v2`, { headers: bearer })).status).toBe(400);
  expect(seen).toEqual([]);

  const outside = await fetch(`${url}/not/in/the/spec?x=1`, { headers: bearer });
  expect(outside.status).toBe(404);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ method: "GET", path: "/not/in/the/spec", operationId: undefined, parsed: undefined });
  expect(seen[0]!.searchParams.get("x")).toBe("1");
});

it("lets a flow answer on the response itself, and closes flows with the mock", async () => {
  let closed = 0;
  const streaming: MockFlow = {
    handle(request, res) {
      if (request.path !== "/raw") return undefined;
      request.record.status = 200;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("raw body");
      return "sent";
    },
    close: () => void closed++,
  };
  const { url } = await start([streaming]);
  const res = await fetch(`${url}/raw`);
  expect(await res.text()).toBe("raw body");
  expect(mock!.requests.at(-1)?.status).toBe(200);
  await mock!.close();
  mock = undefined;
  expect(closed).toBe(1);
});
