import { afterEach, describe, expect, it } from "vitest";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { fixtureDoc } from "./fixture.js";

let mock: MockFalcon | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const CREDS = { clientId: "id-1", clientSecret: "secret-1", memberCids: ["child-1"] };

async function token(m: MockFalcon, form: Record<string, string>, base = m.url): Promise<Response> {
  return fetch(`${base}/oauth2/token`, { method: "POST", body: new URLSearchParams(form), redirect: "manual" });
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

describe("token endpoint and bearer checks", () => {
  it("issues a token for valid credentials, records it, and accepts it on API routes", async () => {
    mock = await startMockFalcon({ spec: fixtureDoc, credentials: [CREDS], tokenLifetime: 600 });
    const res = await token(mock, { client_id: "id-1", client_secret: "secret-1", member_cid: "child-1" });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-cs-region")).toBe("us-1");
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toEqual({ access_token: expect.stringMatching(/^mocktok_/), token_type: "bearer", expires_in: 600 });
    expect(mock.tokens).toHaveLength(1);
    expect(mock.tokens[0]).toMatchObject({
      value: body.access_token,
      clientId: "id-1",
      memberCid: "child-1",
      revoked: false,
    });
    expect(mock.requests.at(-1)!.body).toEqual({ client_id: "id-1", client_secret: "secret-1", member_cid: "child-1" });

    const ok = await fetch(`${mock.url}/devices/queries/devices/v1?limit=1`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(ok.status).toBe(200);
  });

  it("rejects bad credentials (403), a foreign member CID (403) and a missing secret (400)", async () => {
    mock = await startMockFalcon({ spec: fixtureDoc, credentials: [CREDS] });
    const bad = await token(mock, { client_id: "id-1", client_secret: "wrong" });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toMatchObject({
      errors: [{ code: 403, message: "Failed to issue access token - Not Authorized" }],
      resources: [],
    });
    expect((await token(mock, { client_id: "id-1", client_secret: "secret-1", member_cid: "other" })).status).toBe(403);
    expect((await token(mock, { client_id: "id-1" })).status).toBe(400);
    expect(mock.tokens).toHaveLength(0);
  });

  it("answers 401 without a token, with an unknown one, and once the token expires", async () => {
    let now = 1_000_000;
    mock = await startMockFalcon({ spec: fixtureDoc, tokenLifetime: 30, now: () => now });
    const url = `${mock.url}/devices/queries/devices/v1?limit=1`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({
      errors: [{ code: 401, message: "access denied, invalid bearer token" }],
    });
    expect((await fetch(url, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    const t = mock.issueToken();
    expect((await fetch(url, { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    now += 31_000;
    expect((await fetch(url, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    const t2 = mock.issueToken();
    mock.expireTokens();
    expect((await fetch(url, { headers: { authorization: `Bearer ${t2}` } })).status).toBe(401);
  });

  it("accepts configured static tokens, or no token when auth is off", async () => {
    mock = await startMockFalcon({ spec: fixtureDoc, acceptTokens: ["legacy"] });
    expect(
      (await fetch(`${mock.url}/devices/queries/devices/v1?limit=1`, { headers: { authorization: "Bearer legacy" } }))
        .status,
    ).toBe(200);
    mock.settings.requireAuth = false;
    expect((await fetch(`${mock.url}/devices/queries/devices/v1?limit=1`)).status).toBe(200);
  });

  it("revokes with Basic auth only, after which the token is refused", async () => {
    mock = await startMockFalcon({ spec: fixtureDoc, credentials: [CREDS] });
    const t = mock.issueToken({ clientId: "id-1" });
    const revoke = (authorization?: string): Promise<Response> =>
      fetch(`${mock!.url}/oauth2/revoke`, {
        method: "POST",
        headers: authorization ? { authorization } : {},
        body: new URLSearchParams({ token: t }),
      });
    expect((await revoke()).status).toBe(401);
    expect((await revoke(`Bearer ${t}`)).status).toBe(401);
    expect((await revoke(basic("id-1", "nope"))).status).toBe(401);
    expect(mock.tokens[0]!.revoked).toBe(false);
    const ok = await revoke(basic("id-1", "secret-1"));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ errors: [], meta: { trace_id: expect.any(String) } });
    expect(mock.tokens[0]!.revoked).toBe(true);
    expect(
      (await fetch(`${mock.url}/devices/queries/devices/v1?limit=1`, { headers: { authorization: `Bearer ${t}` } }))
        .status,
    ).toBe(401);
  });
});
