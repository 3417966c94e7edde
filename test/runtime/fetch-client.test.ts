/**
 * falconts/fetch: an openapi-fetch client whose requests run through the FalconTS pipeline,
 * against the spec-driven mock (real HTTP on 127.0.0.1).
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { ENTITY_FAMILIES } from "../../mock/world.js";
import { Hosts, type paths } from "../../generated/hosts/index.js";
import { ClientClosed, NetworkError } from "../../runtime/errors.js";
import { createFalconFetchClient } from "../../runtime/fetch-client.js";

const HOSTS_SPEC = fileURLToPath(new URL("../../generated/hosts/openapi.json", import.meta.url));
const CREDS = { clientId: "mock-client-id", clientSecret: "mock-client-secret" };

let mock: MockFalcon;
beforeAll(async () => {
  mock = await startMockFalcon({ spec: HOSTS_SPEC });
});
afterAll(() => mock.close());

const apiRequests = () => mock.requests.filter((r) => r.path !== "/oauth2/token");

describe("createFalconFetchClient", () => {
  it("a typed GET by path: logs in, sends the bearer token, returns the data", async () => {
    mock.clearLog();
    const falcon = createFalconFetchClient<paths>({ ...CREDS, baseUrl: mock.url });
    const { data, error, response } = await falcon.GET("/devices/queries/devices-scroll/v1", {
      params: { query: { limit: 2 } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expectTypeOf(data!.resources).toEqualTypeOf<string[]>();
    expect(Array.isArray(data!.resources)).toBe(true);
    const sent = apiRequests().at(-1)!;
    expect(sent.operationId).toBe("QueryDevicesByFilterScroll");
    expect(sent.headers.authorization).toMatch(/^Bearer /);
    expect(sent.query).toContain("limit=2");
    await falcon.close();
  });

  it("a 429 is waited out and retried by the pipeline: the caller gets the 200", async () => {
    mock.clearLog();
    const falcon = createFalconFetchClient<paths>({
      ...CREDS,
      baseUrl: mock.url,
      retries: { attempts: 2, baseDelay: 0.01 },
    });
    mock.rateLimit(1, { retryAfter: 0, match: "QueryDevicesByFilterScroll" });
    const { data, response } = await falcon.GET("/devices/queries/devices-scroll/v1", {});
    expect(response.status).toBe(200);
    expect(data!.resources).toBeDefined();
    expect(apiRequests().map((r) => r.status)).toEqual([429, 200]);
    mock.clearFaults();
    await falcon.close();
  });

  it("shares the token with service classes through authObject; a POST body reaches the API", async () => {
    mock.clearLog();
    const hosts = new Hosts({ ...CREDS, baseUrl: mock.url });
    const falcon = createFalconFetchClient<paths>({ authObject: hosts });
    await hosts.queryDevicesByFilterScroll({ limit: 1 });
    const ids = mock.world.ids(ENTITY_FAMILIES.hosts).slice(0, 1);
    const { response } = await falcon.POST("/devices/entities/devices/v2", { body: { ids } });
    expect(response.status).toBe(200);
    const sent = apiRequests().at(-1)!;
    expect(sent.operationId).toBe("PostDeviceDetailsV2");
    expect(JSON.parse(Buffer.from(sent.raw).toString())).toEqual({ ids });
    expect(mock.requests.filter((r) => r.path === "/oauth2/token")).toHaveLength(1);
    await falcon.close();
    await hosts.close();
  });

  it("a failed login is an error response; a network failure rejects; a closed client rejects with ClientClosed", async () => {
    const bad = createFalconFetchClient<paths>({ clientId: "nope", clientSecret: "wrong", baseUrl: mock.url });
    const { error, response } = await bad.GET("/devices/queries/devices-scroll/v1", {});
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(error).toMatchObject({ errors: [expect.objectContaining({ message: expect.any(String) })] });
    await bad.close();
    const dead = createFalconFetchClient<paths>({ accessToken: "t", baseUrl: "http://127.0.0.1:9", retries: 0 });
    await expect(dead.GET("/devices/queries/devices-scroll/v1", {})).rejects.toBeInstanceOf(NetworkError);
    await dead.close();
    await expect(dead.GET("/devices/queries/devices-scroll/v1", {})).rejects.toBeInstanceOf(ClientClosed);
  });
});
