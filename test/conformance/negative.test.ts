/**
 * The conformance suite cannot pass vacuously: requests that break the spec (a wrong type, a
 * missing required field, an unknown enum value, an unknown query field), sent through the SDK
 * with validatePayloads off, are rejected by the mock and judged as failures; with
 * validatePayloads on, the SDK throws PayloadValidationError naming the same issue in the same
 * words (the mock runs the client's check: mock/client-check.ts) and nothing reaches the mock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIHarnessV2 } from "../../generated/uber.js";
import { startMockFalcon, type MockFalcon } from "../../mock/server.js";
import { PayloadValidationError } from "../../runtime/errors.js";
import { enumerateOperations, importGenerated, judge, MARK_HEADER, type OperationUnderTest } from "./harness.js";

type Client = Record<string, (a: object) => Promise<unknown>>;

const credentials = { clientId: "neg-client", clientSecret: "neg-secret" };

const BROKEN: readonly { what: string; id: string; args: Record<string, unknown>; expect: RegExp }[] = [
  {
    what: "wrong type (ids a string, not an array)",
    id: "PerformActionV2",
    args: { action_name: "contain", body: { ids: "abc" } },
    expect: /body\.ids: expected array, got string/,
  },
  { what: "missing required field (ids)", id: "GetDeviceDetailsV2", args: {}, expect: /ids/ },
  {
    what: "missing required body property (ids)",
    id: "PerformActionV2",
    args: { action_name: "contain", body: {} },
    expect: /ids/,
  },
  {
    what: "unknown enum value (action_name)",
    id: "performGroupAction",
    args: { action_name: "explode", body: { ids: ["abc"] } },
    expect: /query\.action_name: expected one of "add-hosts", "remove-hosts", got "explode"/,
  },
  {
    what: "unknown query field",
    id: "QueryDevicesByFilterScroll",
    args: { parameters: { not_a_param: "x" } },
    expect: /not_a_param/,
  },
];

describe("requests that break the spec", () => {
  let mock: MockFalcon;
  let ops: Map<string, OperationUnderTest>;
  beforeAll(async () => {
    mock = await startMockFalcon({ credentials: [credentials] });
    ops = new Map((await enumerateOperations()).map((o) => [o.id, o]));
  });
  afterAll(() => mock?.close());

  /** The operation's service class, built like a user would. */
  const serviceClient = async (op: OperationUnderTest, options: object): Promise<Client> => {
    const mod = (await importGenerated(op.dir, "index")) as Record<string, new (o: object) => Client>;
    return new mod[op.className]!({ ...credentials, baseUrl: mock.url, retries: 0, ...options });
  };

  describe("validatePayloads off: the mock rejects them, and the harness judges them failures", () => {
    for (const c of BROKEN) {
      it(c.what, async () => {
        const mark = `neg:${c.id}:${c.what}`;
        const op = ops.get(c.id)!;
        const client = await serviceClient(op, {});
        const uber = new APIHarnessV2({ ...credentials, baseUrl: mock.url, retries: 0 });
        for (const send of [
          (a: object) => client[op.method]!.call(client, a),
          (a: object) => uber.command(c.id as never, a as never),
        ]) {
          const before = mock.requests.length;
          const result = (await send({ ...c.args, headers: { [MARK_HEADER]: mark } })) as {
            status_code: number;
            body: { errors: { message: string }[] };
          };
          const records = mock.requests.slice(before).filter((r) => r.headers[MARK_HEADER] === mark);
          expect(records).toHaveLength(1);
          expect(records[0]!.operationId).toBe(c.id);
          expect(records[0]!.errors.join("; ")).toMatch(c.expect);
          expect(result.status_code).toBe(400);
          expect(result.body.errors[0]!.message).toMatch(c.expect);
          const verdict = judge(mock, op, "service", result, records);
          expect(verdict.ok).toBe(false);
          expect(verdict.reason).toBe("request rejected by the mock");
        }
      });
    }
  });

  describe("validatePayloads on: PayloadValidationError, and nothing reaches the mock", () => {
    for (const c of BROKEN.filter((b) => !b.what.startsWith("unknown query"))) {
      it(c.what, async () => {
        const op = ops.get(c.id)!;
        const client = await serviceClient(op, { validatePayloads: true });
        const uber = new APIHarnessV2({ ...credentials, baseUrl: mock.url, validatePayloads: true });
        for (const send of [
          () => client[op.method]!.call(client, c.args),
          () => uber.command(c.id as never, c.args as never),
        ]) {
          const before = mock.requests.length;
          const err = await send().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(PayloadValidationError);
          // the mock checks with the client's own function and schemas: the same issue, worded the same
          expect((err as Error).message).toMatch(c.expect);
          expect(mock.requests.slice(before).filter((r) => r.path !== "/oauth2/token")).toEqual([]);
        }
      });
    }
  });
});
