/**
 * maxResponseBytes: a body the SDK collects (JSON, text, anything it decompresses) stops at the
 * limit, at once, with ResponseTooLarge in the failure shape of its mode; over real HTTP on
 * 127.0.0.1 (a gzip bomb, a chunked flood, a lying Content-Length), and the decoders without sockets.
 */
import { Readable } from "node:stream";
import { brotliCompressSync, constants as zlibConstants, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { FalconXSandbox } from "../../generated/falconx-sandbox/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import { InvalidOption, NetworkError, ResponseTooLarge } from "../../runtime/errors.js";
import type { WireResponse } from "../../runtime/transport.js";
import { DEFAULT_MAX_RESPONSE_BYTES, readBody } from "../../runtime/wire.js";
import { startFakeFalcon, type FakeFalcon, type Handler } from "../support/fake-falcon.js";

const MiB = 1024 * 1024;
const LIMIT = 4 * MiB;
const OP = "QueryDevicesByFilterScroll";

/** 64 gzip members of 16 MiB of zeros each: about 1 MB on the wire, 1 GiB decoded (gunzip reads every member). */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(16 * MiB));
  return Buffer.concat(Array.from({ length: 64 }, () => member));
}

let srv: FakeFalcon | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

async function serve(handler: Handler): Promise<string> {
  srv = await startFakeFalcon(handler);
  return srv.url;
}

const body = { meta: { query_time: 0.1 }, resources: ["a", "b"], errors: [] };

describe("maxResponseBytes over HTTP", () => {
  it("a 1 MB gzip bomb (1 GiB decoded) fails fast with ResponseTooLarge, memory bounded, not retried; both modes", async () => {
    const bomb = gzipBomb();
    expect(bomb.byteLength).toBeLessThan(1.1 * MiB);
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(bomb);
    });
    const options = { accessToken: "t", baseUrl: url, maxResponseBytes: LIMIT, retries: { attempts: 3 } };
    const peakBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    const dict = await new Hosts(options).queryDevicesByFilterScroll();
    const ms = performance.now() - started;
    const peakGrowthMB = (process.resourceUsage().maxRSS - peakBefore) / 1024;
    console.log(
      `[limits] gzip bomb ${(bomb.byteLength / MiB).toFixed(2)} MB -> 1024 MiB, limit 4 MiB: failed in ${ms.toFixed(0)} ms, peak RSS growth ${peakGrowthMB.toFixed(1)} MB`,
    );
    // decoding it whole would hold 1 GiB; the limit holds 4 MiB of output plus the 1 MB input
    expect(peakGrowthMB).toBeLessThan(64);
    expect(dict.ok).toBe(false);
    if (dict.ok) return;
    expect(dict.status_code).toBe(500);
    expect(dict.body.resources).toEqual([]);
    expect(dict.body.errors).toHaveLength(1);
    expect(dict.body.errors[0]!.message).toMatch(
      new RegExp(`^${OP}: the HTTP 200 response body is larger than ${LIMIT} bytes \\(maxResponseBytes; .*gzip.*\\)`),
    );
    expect(srv!.api()).toHaveLength(1);

    const err = await new Hosts({ ...options, pythonic: true }).queryDevicesByFilterScroll().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ResponseTooLarge);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as ResponseTooLarge).limit).toBe(LIMIT);
    expect((err as ResponseTooLarge).operation).toBe(OP);
    expect(srv!.api()).toHaveLength(2);
  });

  it("a normal gzip body within the limit still parses, with the small limit and the default", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify(body)));
    });
    for (const maxResponseBytes of [LIMIT, undefined]) {
      const r = await new Hosts({ accessToken: "t", baseUrl: url, maxResponseBytes }).queryDevicesByFilterScroll();
      expect(r.ok && r.body).toEqual(body);
    }
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(256 * MiB);
  });

  it("a chunked JSON flood is cut off at the limit: the server sees the connection close long before its end", async () => {
    const TOTAL = 256 * MiB;
    let written = 0;
    let closedEarly = false;
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.on("close", () => (closedEarly = written < TOTAL));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (written < TOTAL && !res.destroyed) {
          written += chunk.byteLength;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.write("[");
      pump();
    });
    const client = new Hosts({ accessToken: "t", baseUrl: url, maxResponseBytes: LIMIT, pythonic: true });
    await expect(client.queryDevicesByFilterScroll()).rejects.toThrow(
      new RegExp(`larger than ${LIMIT} bytes \\(maxResponseBytes; at least \\d+ bytes\\)`),
    );
    await expect.poll(() => closedEarly).toBe(true);
    // what the socket buffers took before the close, far short of the 256 MiB on offer
    expect(written).toBeLessThan(64 * MiB);
  });

  it("a Content-Length over the limit fails before the body is read (the server has sent only its start)", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(100 * MiB) });
      res.write('{"resources": [');
      // the rest never comes: a client that waited for it would time out instead
    });
    const r = await new Hosts({
      accessToken: "t",
      baseUrl: url,
      maxResponseBytes: LIMIT,
      timeout: 5,
    }).queryDevicesByFilterScroll();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.body.errors[0]!.message).toContain(`(maxResponseBytes; at least ${100 * MiB} bytes)`);
  });

  it("a collected binary download is bounded when it is decompressed, not when it comes as sent", async () => {
    const big = Buffer.alloc(LIMIT + 1, 7);
    const url = await serve((req, res) => {
      const gzip = req.query.includes("gz");
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        ...(gzip ? { "content-encoding": "gzip" } : {}),
      });
      res.end(gzip ? gzipSync(big) : big);
    });
    const c = new FalconXSandbox({ accessToken: "t", baseUrl: url, maxResponseBytes: LIMIT });
    const plain = await c.getArtifacts({ id: "plain" });
    expect(plain.ok && (plain.body as unknown as Uint8Array).byteLength).toBe(LIMIT + 1);
    const packed = await c.getArtifacts({ id: "gz" });
    expect(packed.ok).toBe(false);
    if (!packed.ok) expect(packed.body.errors[0]!.message).toContain(`of gzip expand past it`);
  });

  it("a client sharing the token inherits the owner's limit unless it sets its own", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...body, resources: ["x".repeat(2048)] }));
    });
    const owner = new Hosts({ accessToken: "t", baseUrl: url, maxResponseBytes: 1024 });
    expect((await new Hosts({ authObject: owner }).queryDevicesByFilterScroll()).ok).toBe(false);
    expect((await new Hosts({ authObject: owner, maxResponseBytes: MiB }).queryDevicesByFilterScroll()).ok).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "1024", null])(
    "maxResponseBytes %s: InvalidOption naming it (null means unset)",
    (value) => {
      const make = () => new Hosts({ accessToken: "t", maxResponseBytes: value as number });
      if (value === null) expect(make).not.toThrow();
      else expect(make).toThrow(InvalidOption);
      if (value !== null) expect(make).toThrow(/invalid option maxResponseBytes: expected a whole number of bytes/);
    },
  );
});

describe("readBody's decoders stop at maxBytes (no sockets)", () => {
  const wire = (bytes: Buffer, encoding: string): { res: WireResponse; headers: Record<string, string> } => {
    const headers = { "content-type": "application/json", "content-encoding": encoding };
    return { res: { statusCode: 200, headers, body: Readable.from([bytes]) as WireResponse["body"] }, headers };
  };
  const ctx = { id: "Op", method: "GET" };
  const zeros = Buffer.alloc(8 * MiB, 0x20);
  const encoders: Record<string, () => Buffer> = {
    deflate: () => deflateSync(zeros),
    br: () => brotliCompressSync(zeros, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } }),
    gzip: () => gzipSync(zeros),
  };

  it.each(Object.keys(encoders))("%s: 8 MiB of output against a 1 MiB limit is ResponseTooLarge", async (encoding) => {
    const { res, headers } = wire(encoders[encoding]!(), encoding);
    const err = await readBody(ctx, res, headers, { maxBytes: MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLarge);
    expect((err as Error).message).toMatch(new RegExp(`^Op: the HTTP 200 response body is larger than ${MiB} bytes`));
  });

  it("the compressed bytes alone over the limit fail before decoding", async () => {
    const { res, headers } = wire(Buffer.alloc(2048, 1), "gzip");
    const err = await readBody(ctx, res, headers, { maxBytes: 1024 }).catch((e: unknown) => e);
    expect((err as Error).message).toContain("(maxResponseBytes; at least 2048 bytes before gzip decoding)");
  });

  it("exactly the limit is accepted", async () => {
    const text = JSON.stringify({ resources: ["y".repeat(1000)] });
    const { res, headers } = wire(gzipSync(text), "gzip");
    expect(await readBody(ctx, res, headers, { maxBytes: Buffer.byteLength(text) })).toEqual(JSON.parse(text));
  });
});
