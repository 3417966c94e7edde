/**
 * User middleware (openapi-fetch's shape) on FalconTS clients, over real HTTP on 127.0.0.1;
 * the same middleware objects on a plain openapi-fetch client.
 */
import createClient, { type Middleware as FetchMiddleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import { InvalidOption } from "../../runtime/errors.js";
import type { OperationSpec } from "../../runtime/operation.js";
import type { Middleware } from "../../runtime/pipeline/middleware.js";
import { ops, Things } from "./fixtures.js";
import { TOKEN, type FakeFalcon } from "../support/fake-falcon.js";
import { useFakeFalcon } from "../support/fake-falcon-suite.js";

/** The OAuth2 class's shape: an auth object whose own calls go through its pipeline. */
class FalconInterfaceClient extends FalconInterface {
  send(op: OperationSpec, args: object): Promise<{ status_code: number }> {
    return this.call(op, args, undefined);
  }
}

let server: FakeFalcon;
useFakeFalcon((fake) => {
  server = fake;
});

const things = (extra: object = {}): Things =>
  new Things({ clientId: "id", clientSecret: "secret", baseUrl: server.url, retries: 0, ...extra });

// A plain openapi-fetch client on the same server (untyped paths: these tests check the middleware)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const plainClient = () => createClient<any>({ baseUrl: server.url });

const addsHeader: Middleware = {
  onRequest({ request }) {
    request.headers.set("x-request-id", "rid-1");
    return request;
  },
};
const shortCircuits: Middleware = {
  onRequest() {
    return new Response(JSON.stringify({ meta: {}, resources: ["cached"], errors: [] }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  },
};
const recovers: Middleware = {
  onError({ error }) {
    return new Response(
      JSON.stringify({
        meta: {},
        resources: [],
        errors: [{ code: 503, message: `recovered: ${String((error as Error).name)}` }],
      }),
      {
        status: 503,
        headers: { "content-type": "application/json" },
      },
    );
  },
};
const resetEverything = (_req: unknown, res: { socket: { destroy(): void } | null }) => {
  res.socket?.destroy();
};

describe("user middleware on a FalconTS client", () => {
  it("adds a header: it reaches the wire, after auth (the request carries the bearer token)", async () => {
    let seenAuth: string | null = null;
    const c = things().use(addsHeader, {
      onRequest: ({ request }) => void (seenAuth = request.headers.get("authorization")),
    });
    expect((await c.queryThings({ limit: 1 })).status_code).toBe(200);
    expect(server.last().headers["x-request-id"]).toBe("rid-1");
    expect(server.last().url).toBe("/things/queries/things/v1?limit=1");
    expect(seenAuth).toBe(`Bearer ${TOKEN}-${server.tokens}`);
  });

  it("short-circuits with a Response: nothing reaches the server; the Response is the result", async () => {
    const c = things({ accessToken: "t" }).use(shortCircuits);
    const r = await c.queryThings();
    expect(r).toMatchObject({ ok: true, status_code: 200, body: { resources: ["cached"] } });
    expect(server.api()).toHaveLength(0);
  });

  it("recovers in onError: a reset connection becomes the middleware's Response", async () => {
    server.handler = resetEverything as never;
    const r = await things({ accessToken: "t" }).use(recovers).queryThings();
    expect(r.status_code).toBe(503);
    expect(r.body.errors[0]!.message).toMatch(/^recovered: /);
  });

  it("onResponse may replace the Response; runs once per attempt; never sees the token request", async () => {
    const seen: string[] = [];
    let answers = 0;
    server.handler = () => (answers++ === 0 ? { status: 429, headers: { "x-ratelimit-retryafter": "0" } } : {});
    const c = things({ retries: { attempts: 2, baseDelay: 0.01 } }).use({
      onRequest: ({ request }) => void seen.push(new URL(request.url).pathname),
      onResponse: ({ response }) =>
        response.status === 200
          ? new Response('{"resources":["replaced"]}', { status: 200, headers: { "content-type": "application/json" } })
          : undefined,
    });
    const r = await c.queryThings();
    expect(r).toMatchObject({ ok: true, body: { resources: ["replaced"] } });
    expect(seen).toEqual(["/things/queries/things/v1", "/things/queries/things/v1"]);
    expect(server.tokens).toBeGreaterThan(0);
  });

  it("a GET that carries a body: the middleware sees a body-less Request, the server gets the body", async () => {
    let shownBody: ReadableStream | null | undefined;
    const c = things({ accessToken: "t" }).use({ onRequest: ({ request }) => void (shownBody = request.body) });
    await c.send(ops.GetRelays, { ids: ["r1"] });
    expect(shownBody).toBeNull();
    expect(server.last().method).toBe("GET");
    expect(JSON.parse(server.last().body.toString())).toEqual({ ids: ["r1"] });
  });

  it("a replaced Request's body is what is sent; a multipart body keeps its own boundary when untouched", async () => {
    const c = things({ accessToken: "t" }).use({
      onRequest: ({ request }) =>
        new Request(request, {
          body: JSON.stringify({ name: "changed" }),
          headers: { ...Object.fromEntries(request.headers), "content-type": "application/json" },
        }),
    });
    await c.send(ops.CreateThing, { name: "original" });
    expect(JSON.parse(server.last().body.toString())).toEqual({ name: "changed" });
    const form = things({ accessToken: "t" }).use(addsHeader);
    const r = await form.send(ops.UploadSample, { file_data: new Uint8Array([1, 2, 3]), file_name: "a.bin" });
    expect(r.status_code).toBe(200);
    expect(String(server.last().headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("never runs for the OAuth2 token and revoke operations (their forms carry secrets)", async () => {
    let runs = 0;
    const oauth = new FalconInterfaceClient({ clientId: "id", clientSecret: "secret", baseUrl: server.url }).use({
      onRequest: () => void runs++,
    });
    const r = await oauth.send(ops.TokenOp, { client_id: "id", client_secret: "secret" });
    expect(r.status_code).toBe(201);
    expect(runs).toBe(0);
  });

  it("use() and eject() return the client; ejected middleware no longer runs; not inherited through authObject", async () => {
    let runs = 0;
    const counting: Middleware = { onRequest: () => void runs++ };
    const owner = things({ accessToken: "t" });
    expect(owner.use(counting)).toBe(owner);
    const sharer = new Things({ authObject: owner });
    await sharer.queryThings();
    expect(runs).toBe(0);
    await owner.queryThings();
    expect(runs).toBe(1);
    expect(owner.eject(counting)).toBe(owner);
    await owner.queryThings();
    expect(runs).toBe(1);
    expect(() => owner.use({} as Middleware)).toThrow(InvalidOption);
    expect(() => owner.use({ onRequest: "x" } as unknown as Middleware)).toThrow(
      /middleware\.onRequest: expected a function, got string/,
    );
  });
});

describe("the same middleware objects on a plain openapi-fetch client", () => {
  it("adds the header, short-circuits, recovers", async () => {
    const added = plainClient();
    added.use(addsHeader);
    await added.GET("/things/queries/things/v1", {});
    expect(server.last().headers["x-request-id"]).toBe("rid-1");

    const cached = plainClient();
    cached.use(shortCircuits);
    const before = server.api().length;
    const { data } = await cached.GET("/things/queries/things/v1", {});
    expect(data).toMatchObject({ resources: ["cached"] });
    expect(server.api()).toHaveLength(before);

    server.handler = resetEverything as never;
    const recovering = plainClient();
    recovering.use(recovers);
    const { error, response } = await recovering.GET("/things/queries/things/v1", {});
    expect(response.status).toBe(503);
    expect(error).toMatchObject({ errors: [{ message: expect.stringMatching(/^recovered: /) }] });
  });

  it("types: an openapi-fetch Middleware fits client.use(), and a FalconTS Middleware fits openapi-fetch's use()", () => {
    const theirs: FetchMiddleware = { onRequest: ({ request }) => request };
    const ours: Middleware = { onResponse: ({ response }) => response };
    const check = (): void => {
      things().use(theirs);
      plainClient().use(ours);
    };
    void check;
  });
});
