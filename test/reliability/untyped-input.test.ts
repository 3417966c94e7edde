/**
 * Property-based tests of untyped input through whole clients, against a recording server on
 * 127.0.0.1: random values for every constructor option, every call option, and the arguments
 * of a sample of operations. Whatever comes in, what comes out is an SDK error (or the result,
 * or an error thrown by the caller's own callback, or the caller's own abort); and when the SDK
 * refuses the input (InvalidOption, InvalidBaseURL, InvalidCredentialFormat, KeywordsOnly,
 * PayloadValidationError), nothing reached the wire. FC_RUNS raises the run count (default 150).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations as customStorage } from "../../generated/custom-storage/index.js";
import { Hosts, operations as hosts } from "../../generated/hosts/index.js";
import { operations as sampleUploads } from "../../generated/sample-uploads/index.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import {
  InvalidBaseURL,
  InvalidCredentialFormat,
  InvalidOption,
  KeywordsOnly,
  PayloadValidationError,
  SDKError,
} from "../../runtime/errors.js";
import type { FalconOptions } from "../../runtime/options.js";
import { startFakeFalcon, type FakeFalcon } from "../support/fake-falcon.js";

const RUNS = Number(process.env.FC_RUNS ?? 150);

/** Thrown by the callbacks the fuzzer hands the SDK (fetch, onWarning, hooks, logger): the caller's own errors. */
class CallerError extends Error {}
/** The reason of the signal that bounds each call. */
const BOUND = new Error("test bound");

let server: FakeFalcon;
beforeAll(async () => {
  server = await startFakeFalcon();
});
afterAll(() => server.close());

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const callbacks = fc.constantFrom<unknown>(
  () => 1,
  () => {
    throw new CallerError("caller");
  },
  async () => new Response("{}", { status: 200, headers: { "content-type": "application/json" } }),
);
/** Any value an untyped caller could pass (no strings that resolve to a host: nothing leaves 127.0.0.1). */
const untyped = fc.oneof(
  fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withDate: true,
    withTypedArray: true,
    withNullPrototype: true,
    withMap: true,
    withSet: true,
  }),
  fc.constantFrom<unknown>(
    "",
    "   ",
    "us2",
    "/missing/ca.pem",
    ".",
    "http://10.0.0.1",
    "a\r\nb",
    [],
    [{}],
    {},
    { beforeRequest: 1 },
    { "x-a": "1" },
    { "bad name": "1" },
    { debug: 1 },
    true,
    false,
    0,
    -1,
    0.001,
    NaN,
    Infinity,
    new AbortController().signal,
    AbortSignal.abort(BOUND),
    Symbol("s"),
  ),
  callbacks,
);

const OPTION_KEYS = [
  "clientId",
  "clientSecret",
  "memberCid",
  "creds",
  "authObject",
  "accessToken",
  "environment",
  "renewWindow",
  "baseUrl",
  "allowInsecureHttp",
  "proxy",
  "timeout",
  "retries",
  "sslVerify",
  "userAgent",
  "extHeaders",
  "fetch",
  "pythonic",
  "validatePayloads",
  "debug",
  "logger",
  "sanitizeLog",
  "debugRecordCount",
  "onWarning",
  "maxResponseBytes",
  "hooks",
  "client_id",
  "base_url",
] as const;
const CALL_KEYS = ["signal", "timeout", "pythonic", "stream", "limit"] as const;

const REFUSALS = [InvalidOption, InvalidBaseURL, InvalidCredentialFormat, PayloadValidationError, KeywordsOnly];

/** The outcome is acceptable, and a refusal sent nothing. */
function judge(err: unknown, before: number): void {
  if (err === BOUND || err instanceof CallerError) return;
  if (!SDKError.isSDKError(err)) throw err;
  if (REFUSALS.some((R) => err instanceof R))
    expect(server.requests.length, `${(err as Error).message}: sent anyway`).toBe(before);
}

async function attempt(fn: () => unknown, before: number): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    judge(err, before);
    return false;
  }
}

describe("untyped input never escapes as a non-SDK error, and refused input never reaches the wire", () => {
  it(`constructor options: ${RUNS} random option objects`, async () => {
    const base = { accessToken: "fuzz-token", baseUrl: server.url, retries: 0, logger: silent };
    const options = fc.oneof(
      {
        weight: 9,
        arbitrary: fc
          .dictionary(fc.constantFrom(...OPTION_KEYS), untyped, { minKeys: 1, maxKeys: 3 })
          .map((random) => ({ random, opts: { ...base, ...random } })),
      },
      // options that are not an object of options at all
      { weight: 1, arbitrary: untyped.map((random) => ({ random: {}, opts: random })) },
    );
    await fc.assert(
      fc.asyncProperty(options, async ({ random, opts }) => {
        const before = server.requests.length;
        let client: Hosts<boolean> | undefined;
        if (!(await attempt(() => (client = new Hosts(opts as FalconOptions)), before))) return;
        // a random host or proxy that happens to be valid would leave the machine: construction only
        if ("baseUrl" in random || "proxy" in random || opts === undefined) return;
        await attempt(
          () => client!.queryDevicesByFilterScroll({ limit: 1 }, { signal: AbortSignal.timeout(3000), timeout: 3 }),
          before,
        );
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it(`call options: ${RUNS} random values for each, and options that are not objects`, async () => {
    const client = new Hosts({ accessToken: "fuzz-token", baseUrl: server.url, retries: 0 });
    const callOptions = fc.oneof(fc.dictionary(fc.constantFrom(...CALL_KEYS), untyped, { maxKeys: 3 }), untyped);
    await fc.assert(
      fc.asyncProperty(callOptions, async (random) => {
        const before = server.requests.length;
        await attempt(() => client.queryDevicesByFilterScroll({ limit: 1 }, random as never), before);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it(`arguments of a sample of operations: ${RUNS} random values each, through command()`, async () => {
    const ops = [
      ...Object.values(customStorage()),
      ...Object.values(sampleUploads()),
      ...Object.values(hosts()),
    ].filter((_, i) => i % 2 === 0);
    const uber = new APIHarnessV2({ accessToken: "fuzz-token", baseUrl: server.url, retries: 0 });
    for (const op of ops) {
      const names = [
        ...op.params.map((p) => p.name),
        ...(op.bodyKeys ?? []),
        "parameters",
        "body",
        "data",
        "files",
        "file_data",
        "file_name",
        "headers",
      ];
      const args = fc.oneof(fc.dictionary(fc.constantFrom(...names), untyped, { maxKeys: 4 }), untyped);
      await fc.assert(
        fc.asyncProperty(args, async (random) => {
          const before = server.requests.length;
          await attempt(
            () => uber.command(op.id as never, random as never, { signal: AbortSignal.timeout(3000) }),
            before,
          );
          // what was sent kept its route: no dot segment, no header injection
          for (const r of server.requests.slice(before)) {
            expect(new URL(`http://x${r.url}`).pathname).toBe(r.path);
            expect(r.headers["x-injected"]).toBeUndefined();
          }
        }),
        { numRuns: Math.max(10, Math.round(RUNS / 5)) },
      );
    }
  }, 120_000);
});
