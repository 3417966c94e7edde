/**
 * 429 handling against a server that rate-limits: X-RateLimit-RetryAfter honoured (epoch
 * seconds, milliseconds accepted), one shared cool-down per token instead of a stampede,
 * bounded retries, abortable waits. Real HTTP on 127.0.0.1, real timers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { APIError } from "../../runtime/errors.js";
import { Things } from "../runtime/fixtures.js";
import { coolDownLog } from "../support/cool-down-log.js";
import { startFakeFalcon, type Recorded, type FakeFalcon } from "../support/fake-falcon.js";
import { until } from "../support/until.js";

let server: FakeFalcon;
beforeAll(async () => {
  server = await startFakeFalcon();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  server.tokens = 0;
  server.handler = undefined;
});

const ok = { meta: { query_time: 0.001 }, resources: ["x"], errors: [] };

/** Every API request's arrival, and the RetryAfter (epoch seconds) a 429 sent back, by call key. */
interface Arrival {
  key: string;
  at: number;
  retryAt?: number;
}

function keyOf(rec: Recorded): string {
  return new URLSearchParams(rec.query).get("filter") ?? "";
}

describe("429: shared cool-down", () => {
  it("200 concurrent calls, the first 100 answered 429 with RetryAfter 2 s ahead: all succeed, no retry before the RetryAfter, one token request", async () => {
    const arrivals: Arrival[] = [];
    let limited = 0;
    server.handler = (rec) => {
      const a: Arrival = { key: keyOf(rec), at: Date.now() };
      arrivals.push(a);
      if (limited < 100) {
        limited++;
        a.retryAt = Math.floor(a.at / 1000) + 2;
        return {
          status: 429,
          headers: { "X-RateLimit-RetryAfter": String(a.retryAt), "X-RateLimit-Remaining": "0" },
          body: { meta: {}, resources: [], errors: [{ code: 429, message: "API rate limit exceeded." }] },
        };
      }
      return { body: ok };
    };
    const client = new Things({ clientId: "id", clientSecret: "secret", baseUrl: server.url });
    const t0 = Date.now();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => client.queryThings({ filter: `n:${i}` })));
    const elapsed = Date.now() - t0;

    expect(results.map((r) => r.status_code)).toEqual(Array(200).fill(200));
    expect(server.tokens).toBe(1);
    // every 429 was followed by exactly one retry of the same call, never before its RetryAfter
    const limitedCalls = arrivals.filter((a) => a.retryAt !== undefined);
    expect(limitedCalls).toHaveLength(100);
    for (const first of limitedCalls) {
      const again = arrivals.filter((a) => a.key === first.key && a.at >= first.at && a !== first);
      expect(again).toHaveLength(1);
      expect(again[0]!.at).toBeGreaterThanOrEqual(first.retryAt! * 1000);
    }
    // one cool-down, not 100 of them back to back
    expect(arrivals).toHaveLength(300);
    expect(elapsed).toBeLessThan(4500);
  });

  it("new requests wait out a cool-down another request started; a caller's signal cancels the wait", async () => {
    const arrivals: Arrival[] = [];
    let first = true;
    server.handler = (rec) => {
      const a: Arrival = { key: keyOf(rec), at: Date.now() };
      arrivals.push(a);
      if (first) {
        first = false;
        // milliseconds (accepted defensively): 1.2 s from now
        a.retryAt = a.at + 1200;
        return {
          status: 429,
          headers: { "X-RateLimit-RetryAfter": String(a.retryAt) },
          body: { errors: [{ message: "slow down" }], resources: [] },
        };
      }
      return { body: ok };
    };
    const log = coolDownLog();
    const client = new Things({
      clientId: "id",
      clientSecret: "secret",
      baseUrl: server.url,
      debug: true,
      logger: log.logger,
    });
    // a second client on the same token shares the cool-down
    const sharer = new Things({ authObject: client });
    const limitedCall = client.queryThings({ filter: "first" });
    await until(() => log.coolDowns() === 1); // the client has read the 429: the cool-down is on
    const ac = new AbortController();
    const cancelled = sharer.queryThings({ filter: "cancelled" }, { signal: ac.signal });
    const later = sharer.queryThings({ filter: "later" });
    setTimeout(() => ac.abort(new Error("caller gave up")), 100);
    await expect(cancelled).rejects.toThrow("caller gave up");
    expect((await later).status_code).toBe(200);
    expect((await limitedCall).status_code).toBe(200);
    const retryAt = arrivals[0]!.retryAt!;
    for (const a of arrivals.slice(1)) expect(a.at).toBeGreaterThanOrEqual(retryAt);
    expect(arrivals.map((a) => a.key).sort()).toEqual(["first", "first", "later"]);
  });

  it("gives up after the configured number of retries and returns (dict) or throws (object) the 429", async () => {
    let hits = 0;
    server.handler = () => {
      hits++;
      return {
        status: 429,
        headers: { "X-RateLimit-RetryAfter": "0" },
        body: { errors: [{ code: 429, message: "API rate limit exceeded." }], resources: [] },
      };
    };
    const dict = new Things({ accessToken: "t", baseUrl: server.url, retries: { attempts: 2, baseDelay: 0.01 } });
    const r = await dict.queryThings();
    expect(r.status_code).toBe(429);
    expect(hits).toBe(3);
    hits = 0;
    const obj = new Things({ accessToken: "t", baseUrl: server.url, retries: 0, pythonic: true });
    const err = await obj.queryThings().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(429);
    expect(hits).toBe(1);
  });

  it("caps each wait at maxWait (a RetryAfter an hour ahead waits maxWait, then retries)", async () => {
    const arrivals: number[] = [];
    server.handler = () => {
      arrivals.push(Date.now());
      if (arrivals.length === 1)
        return {
          status: 429,
          headers: { "X-RateLimit-RetryAfter": String(Math.floor(Date.now() / 1000) + 3600) },
          body: { errors: [], resources: [] },
        };
      return { body: ok };
    };
    const client = new Things({ accessToken: "t", baseUrl: server.url, retries: { maxWait: 0.3 } });
    const r = await client.queryThings();
    expect(r.status_code).toBe(200);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(280);
    expect(arrivals[1]! - arrivals[0]!).toBeLessThan(2000);
  });

  it("POSTs are retried after a 429 too: the API refused them without running them", async () => {
    let hits = 0;
    server.handler = () =>
      ++hits === 1
        ? { status: 429, headers: { "X-RateLimit-RetryAfter": "0" }, body: { errors: [], resources: [] } }
        : { body: ok };
    const client = new Things({ accessToken: "t", baseUrl: server.url, retries: { baseDelay: 0.01 } });
    const r = await client.createThing({ name: "a" });
    expect(r.status_code).toBe(200);
    expect(hits).toBe(2);
  });
});
