/**
 * Drives the conformance pass over one mock server with shared clients: one APIHarnessV2
 * holds the token, every service class shares it through `authObject`.
 */
import { inspect } from "node:util";
import { ExampleGenerator } from "../../mock/examples.js";
import type { MockFalcon, OpenApiDocument, RecordedRequest } from "../../mock/server.js";
import type { FalconOptions, Logger } from "../../runtime/options.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import {
  buildArgs,
  enumerateOperations,
  importGenerated,
  judge,
  MARK_HEADER,
  pool,
  summarise,
  swaggerOperationIds,
  type CallOutcome,
  type ConformanceReport,
  type OperationUnderTest,
  type Path,
} from "./harness.js";

export interface ConformanceCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly memberCid: string;
}

export interface RunOptions {
  readonly credentials: ConformanceCredentials;
  readonly concurrency?: number;
  /** Receives every debug record (debug: true with sanitizeLog on). */
  readonly logger?: Logger;
  /** Optional parameters and form fields too (default: required ones only). */
  readonly optional?: boolean;
  /** Which ways to call each operation (default: all three). */
  readonly paths?: readonly Path[];
  /** Only these operation IDs (default: all). */
  readonly only?: readonly string[];
}

export interface RunResult {
  readonly report: ConformanceReport;
  readonly outcomes: readonly CallOutcome[];
  /** Every client and auth object the pass used, for the leak checks. */
  readonly clients: readonly object[];
  /** Messages of everything thrown during the pass. */
  readonly thrown: readonly string[];
}

type Method = (args: object, options?: object) => Promise<unknown>;

export async function runConformance(mock: MockFalcon, options: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const all = await enumerateOperations();
  const ops = options.only ? all.filter((o) => options.only!.includes(o.id)) : all;
  const swagger = swaggerOperationIds();
  const { clientId, clientSecret, memberCid } = options.credentials;
  const common: FalconOptions = {
    baseUrl: mock.url,
    debug: options.logger !== undefined,
    sanitizeLog: true,
    ...(options.logger ? { logger: options.logger } : {}),
    // a failure should show as itself, not be retried into a timeout
    retries: 0,
  };
  const paths = new Set<Path>(options.paths ?? ["service", "command", "validated"]);
  const uber = new APIHarnessV2({ ...common, clientId, clientSecret, memberCid });
  // the same calls with the zod schemas checked first: they must accept every valid payload
  const validating = new APIHarnessV2({ ...common, authObject: uber, validatePayloads: true });
  const clients: object[] = [uber, validating];
  const classes = new Map<string, object>();
  const thrown: string[] = [];
  const generators = new Map<OpenApiDocument, ExampleGenerator>();
  const secrets = { client_id: clientId, client_secret: clientSecret, member_cid: memberCid };

  const serviceClient = async (op: OperationUnderTest): Promise<object> => {
    let c = classes.get(op.className);
    if (!c) {
      const mod = (await importGenerated(op.dir, "index")) as Record<string, new (o: object) => object>;
      const Ctor = mod[op.className];
      if (!Ctor) throw new Error(`generated/${op.dir}/index.ts has no class ${op.className}`);
      // OAuth2 is the auth object itself: it gets its own credentials (same tenant)
      c =
        op.className === "OAuth2"
          ? new Ctor({ ...common, clientId, clientSecret, memberCid })
          : new Ctor({ ...common, authObject: uber });
      classes.set(op.className, c);
      clients.push(c);
    }
    return c;
  };

  const byMark = new Map<string, RecordedRequest[]>();
  const seen = mock.requests.length;
  const collect = (): void => {
    for (let i = seenIndex; i < mock.requests.length; i++) {
      const r = mock.requests[i]!;
      const mark = r.headers[MARK_HEADER];
      if (mark) {
        let list = byMark.get(mark);
        if (!list) byMark.set(mark, (list = []));
        list.push(r);
      }
    }
    seenIndex = mock.requests.length;
  };
  let seenIndex = seen;

  const outcomes: CallOutcome[] = [];
  const once = async (
    op: OperationUnderTest,
    path: Path,
    send: (args: Record<string, unknown>) => Promise<unknown>,
    args: Record<string, unknown>,
  ): Promise<void> => {
    const mark = `${path}:${op.id}`;
    let result: unknown;
    try {
      result = await send({ ...args, headers: { [MARK_HEADER]: mark } });
    } catch (err) {
      thrown.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      collect();
      outcomes.push({
        id: op.id,
        path,
        ok: false,
        reason: `threw ${err instanceof Error ? err.name : typeof err}`,
        detail: err instanceof Error ? err.message.slice(0, 400) : String(err),
      });
      return;
    }
    collect();
    outcomes.push(judge(mock, op, path, result, byMark.get(mark) ?? []));
  };

  await pool(ops, options.concurrency ?? 8, async (op) => {
    const entry = mock.spec.operation(op.id);
    if (!entry) {
      for (const path of paths)
        outcomes.push({ id: op.id, path, ok: false, reason: "operation missing from the mock's spec" });
      return;
    }
    let gen = generators.get(entry.doc);
    if (!gen) generators.set(entry.doc, (gen = new ExampleGenerator(entry.doc)));
    const args = buildArgs(entry, op.spec, gen, secrets, options.optional ?? false);
    if (paths.has("service")) {
      if (!op.method) {
        outcomes.push({ id: op.id, path: "service", ok: false, reason: "no service-class method in api-surface.txt" });
      } else {
        const client = await serviceClient(op);
        const method = (client as Record<string, unknown>)[op.method] as Method | undefined;
        if (typeof method !== "function")
          outcomes.push({
            id: op.id,
            path: "service",
            ok: false,
            reason: "method missing on the class prototype",
            detail: `${op.className}.${op.method}`,
          });
        else await once(op, "service", (a) => method.call(client, a), args.service);
      }
    }
    if (paths.has("command")) await once(op, "command", (a) => uber.command(op.id as never, a as never), args.command);
    if (paths.has("validated"))
      await once(op, "validated", (a) => validating.command(op.id as never, a as never), args.command);
  });

  const report = summarise(all.length, swagger ? swagger.length : null, outcomes, performance.now() - t0);
  return { report, outcomes, clients, thrown };
}

/** Every way a client could show its state: toString, JSON.stringify, util.inspect (deep). */
export function renderings(value: object): string[] {
  const out = [String(value), inspect(value, { depth: 6, showHidden: true, getters: true })];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch (err) {
    out.push(`JSON.stringify threw: ${(err as Error).message}`);
  }
  return out;
}
