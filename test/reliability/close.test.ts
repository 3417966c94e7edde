/**
 * close() and `await using`: the token owner revokes its token, later calls through any client
 * on that token fail with ClientClosed, pools close with their last user, nothing stays open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientClosed, type SDKWarning } from "../../runtime/errors.js";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import { Things } from "../runtime/fixtures.js";
import { startFakeFalcon, TOKEN, type FakeFalcon } from "../support/fake-falcon.js";
import { CHILD_TEST_MS, runChild } from "./run-child.js";

let server: FakeFalcon;
beforeAll(async () => {
  // answers 200 to everything, /oauth2/revoke included, unless a test sets a handler
  server = await startFakeFalcon();
});
afterAll(() => server.close());

const revokes = () => server.requests.filter((r) => r.path === "/oauth2/revoke");

describe("close()", () => {
  it(
    "`await using` in a child process: the revoke arrives and the process exits at once",
    async () => {
      server.requests.length = 0;
      const { code, signal, out, err, exitedAt } = await runChild(new URL("./close-child.ts", import.meta.url), {
        FALCON_TEST_URL: server.url,
      });
      expect(signal, `killed: something kept the process alive\n${out}\n${err}`).toBeNull();
      expect(code, err).toBe(0);
      expect(out).toMatch(/^call:200$/m);
      const done = Number(/^done:(\d+)$/m.exec(out)?.[1]);
      // at once: not when the pool's 30 s keep-alive or a token timer ran out
      expect(exitedAt - done).toBeLessThan(3000);
      const revoke = revokes();
      expect(revoke).toHaveLength(1);
      expect(String(revoke[0]!.headers.authorization)).toMatch(/^Basic /);
      expect(new URLSearchParams(revoke[0]!.body.toString()).get("token")).toMatch(new RegExp(`^${TOKEN}-\\d+$`));
    },
    CHILD_TEST_MS,
  );

  it("the owner revokes; sharers then fail with ClientClosed; close is idempotent and never throws", async () => {
    server.requests.length = 0;
    const owner = new Things({ clientId: "id", clientSecret: "secret", baseUrl: server.url });
    const sharer = new Things({ authObject: owner });
    const oauth = new FalconInterface({ authObject: owner });
    await sharer.queryThings();
    await owner.close();
    await owner.close();
    expect(revokes()).toHaveLength(1);
    await expect(owner.queryThings()).rejects.toBeInstanceOf(ClientClosed);
    await expect(sharer.queryThings()).rejects.toThrow(/the client owning this token was closed/);
    expect(oauth.closed).toBe(true);
    await sharer.close();
    await oauth.close();
  });

  it("a sharer's close leaves the owner working; an owner without a token revokes nothing", async () => {
    server.requests.length = 0;
    const owner = new Things({ clientId: "id", clientSecret: "secret", baseUrl: server.url });
    const sharer = new Things({ authObject: owner, extHeaders: { "x-own": "1" } });
    await sharer.close();
    await expect(sharer.queryThings()).rejects.toBeInstanceOf(ClientClosed);
    expect((await owner.queryThings()).status_code).toBe(200);
    await owner.close();
    const idle = new Things({ clientId: "id", clientSecret: "secret", baseUrl: server.url });
    await idle.close();
    expect(revokes()).toHaveLength(1);
  });

  it("a failed revoke is a warning, not an error", async () => {
    const warnings: SDKWarning[] = [];
    const owner = new Things({
      clientId: "id",
      clientSecret: "secret",
      baseUrl: server.url,
      retries: 0,
      onWarning: (w) => warnings.push(w),
    });
    await owner.queryThings();
    server.handler = (rec) =>
      rec.path === "/oauth2/revoke" ? { status: 500, body: { errors: [{ code: 500, message: "down" }] } } : undefined;
    try {
      await expect(owner.close()).resolves.toBeUndefined();
    } finally {
      server.handler = undefined;
    }
    expect(warnings.map((w) => w.name)).toEqual(["RevokeFailed"]);
    expect(warnings[0]!.message).toMatch(/HTTP 500/);
  });
});
