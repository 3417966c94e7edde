/**
 * Issue 13's findings 1-4 and 8-10, each against a recording server on 127.0.0.1: routes that
 * cannot be bent, credentials only over TLS, secrets that never show, untyped input refused
 * with SDK errors, file parts that are files, and limits stated before anything is sent.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CustomStorage } from "../../generated/custom-storage/index.js";
import { Hosts } from "../../generated/hosts/index.js";
import { operations as ngsiemOperations } from "../../generated/ngsiem/index.js";
import { OAuth2 } from "../../generated/oauth2/index.js";
import { SampleUploads } from "../../generated/sample-uploads/index.js";
import { APIHarnessV2 } from "../../generated/uber.js";
import { FalconContext } from "../../runtime/context.js";
import {
  APIError,
  InsecureTransportWarning,
  InvalidBaseURL,
  InvalidCredentials,
  InvalidOption,
  KeywordsOnly,
  PayloadValidationError,
  type SDKError,
  type SDKWarning,
} from "../../runtime/errors.js";
import { fileFromPath } from "../../runtime/node.js";
import type { FalconOptions } from "../../runtime/options.js";
import { parseMultipart, type FakeFalcon } from "../support/fake-falcon.js";
import { useFakeFalcon } from "../support/fake-falcon-suite.js";

const SECRET = "s3cr3t-Value-9f8e7d6c5b4a";
const MEMBER = "member0cid0abcdef0123456789";
let server: FakeFalcon;
useFakeFalcon((fake) => {
  server = fake;
});
afterEach(() => {
  vi.restoreAllMocks();
});

const creds = (extra: FalconOptions = {}): FalconOptions => ({
  clientId: "hardening-id",
  clientSecret: SECRET,
  baseUrl: server.url,
  retries: 0,
  ...extra,
});

async function refused<E extends SDKError>(
  promise: Promise<unknown> | (() => unknown),
  type: abstract new (...a: never[]) => E,
): Promise<E> {
  let err: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    err = e;
  }
  expect(err, "expected an error").toBeInstanceOf(type);
  return err as E;
}

describe("1. path parameters cannot change the route", () => {
  const dots = [".", "..", "%2e", "%2E%2e", ".%2e", "%252e%252E"];

  it.each(dots)(
    "object_key %j: PayloadValidationError naming the parameter, nothing sent (both modes)",
    async (key) => {
      for (const pythonic of [false, true]) {
        const cs = new CustomStorage({ ...creds(), pythonic });
        const err = await refused(cs.deleteObject({ collection_name: "c", object_key: key }), PayloadValidationError);
        expect(err.message).toMatch(/path\.object_key: .*dot segment/);
      }
      expect(server.requests).toHaveLength(0);
    },
  );

  it("every path parameter is checked: collection_name, and the NGSIEM ones", async () => {
    const cs = new CustomStorage(creds());
    expect(
      (await refused(cs.getObject({ collection_name: "..", object_key: "k" }), PayloadValidationError)).message,
    ).toMatch(/path\.collection_name/);
    const uber = new APIHarnessV2(creds());
    const withPath = Object.values(ngsiemOperations()).filter((o) => o.params.some((p) => p.in === "path"));
    expect(withPath.length).toBeGreaterThan(0);
    for (const op of withPath) {
      const params = op.params.filter((p) => p.in === "path").map((p) => p.name);
      const args = Object.fromEntries(params.map((n, i) => [n, i === 0 ? ".." : "x"]));
      const err = await refused(uber.command(op.id as never, args as never), PayloadValidationError);
      expect(err.message).toContain(`path.${params[0]}`);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("dots inside a value are a name, sent as one encoded segment", async () => {
    const cs = new CustomStorage(creds());
    for (const key of ["...", "a..b", ".hidden", "a/../b"]) {
      expect((await cs.deleteObject({ collection_name: "c", object_key: key })).status_code).toBe(200);
      expect(server.last().path).toBe(`/customobjects/v1/collections/c/objects/${encodeURIComponent(key)}`);
    }
  });

  it("Uber override and override(): a dot segment in the route or a placeholder is refused, nothing sent", async () => {
    const uber = new APIHarnessV2(creds());
    for (const override of [
      "DELETE,/customobjects/v1/collections/c/..",
      "GET,/a/%2e%2e/b",
      "GET,/a\\..\\b",
      "GET,/a/./b",
    ]) {
      const err = await refused(uber.command({ override }), PayloadValidationError);
      expect(err.message).toMatch(/override: the path has a dot segment/);
    }
    // FalconPy's override() member shares the route check (issue 16), on any service class
    const viaMember = await refused(
      new Hosts(creds()).override("GET", "/devices/../oauth2/token"),
      PayloadValidationError,
    );
    expect(viaMember.message).toMatch(/override: the path has a dot segment/);
    const err = await refused(
      uber.command({ override: "DELETE,/customobjects/v1/collections/{name}/objects", name: ".." }),
      PayloadValidationError,
    );
    expect(err.message).toContain("path.name");
    expect(server.requests).toHaveLength(0);
    expect((await uber.command({ override: "GET,/things/v1/{name}", name: "a..b" })).status_code).toBe(200);
    expect(server.last().path).toBe("/things/v1/a..b");
  });
});

describe("2. credentials only over TLS, except to loopback hosts", () => {
  it("an http:// base URL to another host is refused at construction, by every client kind", () => {
    for (const make of [
      () => new Hosts(creds({ baseUrl: "http://api.example.com" })),
      () => new OAuth2(creds({ baseUrl: "http://10.0.0.7:8080/gw" })),
    ]) {
      const err = (() => {
        try {
          make();
        } catch (e) {
          return e;
        }
        throw new Error("accepted");
      })();
      expect(err).toBeInstanceOf(InvalidBaseURL);
      expect((err as Error).message).toMatch(/baseUrl .*clear text.*allowInsecureHttp: true/);
    }
  });

  it("loopback hosts need no opt-in", () => {
    for (const baseUrl of [
      "http://127.0.0.1:9",
      "http://localhost:9",
      "http://[::1]:9",
      "http://127.8.9.10",
      "http://api.localhost",
    ]) {
      expect(() => new Hosts(creds({ baseUrl }))).not.toThrow();
    }
  });

  it("allowInsecureHttp: true sends, with one InsecureTransportWarning through onWarning (never the console)", async () => {
    const consoleWarn = vi.spyOn(console, "warn");
    const warnings: SDKWarning[] = [];
    const seen: string[] = [];
    // a fetch standing in for the network: no host outside loopback is contacted
    const fetch = (async (url: string | URL | Request) => {
      seen.push(String(url));
      return new Response(JSON.stringify({ access_token: "t", expires_in: 1799 }), {
        status: 201,
        headers: { "content-type": "application/json" },
      });
    }) as typeof globalThis.fetch;
    const hosts = new Hosts(
      creds({
        baseUrl: "http://gateway.example.net",
        allowInsecureHttp: true,
        onWarning: (w) => warnings.push(w),
        fetch,
      }),
    );
    await hosts.queryDevicesByFilterScroll({});
    await hosts.queryDevicesByFilterScroll({});
    expect(seen[0]).toBe("http://gateway.example.net/oauth2/token");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeInstanceOf(InsecureTransportWarning);
    expect(warnings[0]!.name).toBe("InsecureTransportWarning");
    expect(consoleWarn).not.toHaveBeenCalled();
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    new Hosts(creds({ baseUrl: "http://gateway.example.net", allowInsecureHttp: true, logger }));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]![0])).toMatch(
      /^InsecureTransportWarning: baseUrl http:\/\/gateway\.example\.net uses plain http/,
    );
  });

  it("a context's csCloud follows the same rule", () => {
    expect(() => FalconContext.run({ accessToken: "t", csCloud: "http://10.1.2.3" }, () => 0)).toThrow(InvalidBaseURL);
    expect(FalconContext.run({ accessToken: "t", csCloud: "http://127.0.0.1:9" }, () => 1)).toBe(1);
    const onWarning = vi.fn();
    for (let i = 0; i < 2; i++)
      FalconContext.run({ accessToken: "t", csCloud: "http://10.1.2.3", allowInsecureHttp: true, onWarning }, () => 0);
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]![0]).toBeInstanceOf(InsecureTransportWarning);
  });
});

describe("3+4. secrets never show: config, echoed server text, errors and their renderings", () => {
  function renderings(value: unknown): string[] {
    return [
      String(value),
      JSON.stringify(value),
      inspect(value),
      inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    ];
  }

  it("auth.config holds no proxy password and no secret extHeaders value", () => {
    const h = new Hosts(
      creds({
        proxy: "http://puser:ppass-Secret1@127.0.0.1:9",
        extHeaders: { authorization: "Bearer gateway-key-123456", "x-team": "blue" },
      }),
    );
    for (const text of [...renderings(h.auth.config), ...renderings(h)]) {
      expect(text).not.toContain("ppass-Secret1");
      expect(text).not.toContain("gateway-key-123456");
    }
    expect(h.auth.config.extHeaders).toEqual({ authorization: "**REDACTED**", "x-team": "blue" });
    expect(h.auth.config.proxy).toBe("http://**REDACTED**@127.0.0.1:9");
  });

  it("a token endpoint that echoes the request: InvalidCredentials, tokenFailReason, dict body and renderings stay clean", async () => {
    const echo = new (await import("node:http")).Server((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        res.writeHead(403, { "content-type": "application/json" });
        // form echo, JSON echo, and the bare value
        res.end(
          JSON.stringify({
            errors: [
              { code: 403, message: `denied: ${body}; {"client_secret": "${SECRET}"}; member ${MEMBER}; ${SECRET}` },
            ],
          }),
        );
      });
    });
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
    try {
      const dict = new Hosts(creds({ baseUrl: url, memberCid: MEMBER }));
      const r = await dict.queryDevicesByFilterScroll({});
      expect(r.status_code).toBe(403);
      const obj = new Hosts(creds({ baseUrl: url, memberCid: MEMBER, pythonic: true }));
      const err = await refused(obj.queryDevicesByFilterScroll({}), InvalidCredentials);
      expect(err.message).toMatch(/client_secret=\*\*REDACTED\*\*/);
      for (const text of [
        JSON.stringify(r),
        String(dict.auth.tokenFailReason),
        obj.auth.tokenFailReason!,
        String(err.stack),
        ...renderings(err),
      ]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(MEMBER);
      }
    } finally {
      await new Promise((r) => echo.close(r));
    }
  });

  it("an API error echoing the bearer token: message, stack, inspect and JSON of the APIError are redacted", async () => {
    server.handler = (req) => ({
      status: 400,
      body: {
        errors: [{ code: 400, message: `bad request, headers: Authorization: ${req.headers.authorization}` }],
        echo: { headers: req.headers },
      },
    });
    const hosts = new Hosts(creds({ pythonic: true }));
    const err = await refused(hosts.queryDevicesByFilterScroll({}), APIError);
    const token = hosts.auth.tokenValue!;
    expect(token).toBeTruthy();
    expect(err.message).toContain("Authorization: Bearer **REDACTED**");
    for (const text of [err.message, String(err.stack), ...renderings(err)]) expect(text).not.toContain(token);
    // the body is the API's answer, kept as it came for code that reads it
    expect(JSON.stringify(err.body)).toContain(token);
  });

  it("an API error echoing the bare token (no Bearer, no key name): the message knows the token and redacts it", async () => {
    server.handler = (req) => ({
      status: 400,
      body: {
        errors: [{ code: 400, message: `session ${String(req.headers.authorization).slice(7)} is not valid here` }],
      },
    });
    const hosts = new Hosts(creds({ pythonic: true }));
    const err = await refused(hosts.queryDevicesByFilterScroll({}), APIError);
    const token = hosts.auth.tokenValue!;
    expect(token).toBeTruthy();
    expect(err.message).toContain("session **REDACTED** is not valid here");
    // the renderings show the body too: the error knows the client's secrets for them
    for (const text of [err.message, String(err.stack), ...renderings(err)]) expect(text).not.toContain(token);
  });

  it("sanitizeLog: false unredacts the debug log only, never an error", async () => {
    server.handler = (req) => ({
      status: 400,
      body: { errors: [{ code: 400, message: `echo Bearer ${String(req.headers.authorization).slice(7)}` }] },
    });
    const lines: string[] = [];
    const logger = { debug: (l: string) => lines.push(l), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const hosts = new Hosts(creds({ pythonic: true, debug: true, sanitizeLog: false, logger }));
    const err = await refused(hosts.queryDevicesByFilterScroll({}), APIError);
    const token = hosts.auth.tokenValue!;
    expect(lines.join("\n")).toContain(token);
    expect(err.message).not.toContain(token);
    expect(inspect(err)).not.toContain(token);
  });
});

describe("redact(): the one redaction function", () => {
  it.each([
    [
      "a form echo",
      "client_id=abc&client_secret=xyz123&member_cid=cid9",
      "client_id=**REDACTED**&client_secret=**REDACTED**&member_cid=**REDACTED**",
    ],
    ["a JSON echo (stays JSON)", '{"access_token": "t0k", "x": 1}', '{"access_token": "**REDACTED**", "x": 1}'],
    ["a Python dict echo", "{'client_secret': 'py'}", "{'client_secret': '**REDACTED**'}"],
    [
      "header lines",
      "Authorization: Bearer eyJ.abc-def\r\nCookie: s=1",
      "Authorization: Bearer **REDACTED**\r\nCookie: **REDACTED**",
    ],
    ["a proxy URL", "via http://user:pw@proxy:8080/", "via http://**REDACTED**@proxy:8080/"],
    ["a known secret, bare", `denied for ${SECRET}.`, "denied for **REDACTED**."],
    [
      "a validation issue on a parameter named like a secret",
      "query.password: expected string, got number",
      "query.password: expected string, got number",
    ],
    [
      "ordinary words",
      "token request failed: basic validation, x-token: keep",
      "token request failed: basic validation, x-token: keep",
    ],
  ])("%s", async (_name, input, output) => {
    const { redact } = await import("../../runtime/redact.js");
    expect(redact(input, { known: [SECRET] })).toBe(output);
  });

  it("at any depth, without touching its input", async () => {
    const { redact } = await import("../../runtime/redact.js");
    const input = { a: [{ headers: { Authorization: "Bearer x" } }], note: `echo ${SECRET}` };
    expect(redact(input, { known: [SECRET] })).toEqual({
      a: [{ headers: { Authorization: "**REDACTED**" } }],
      note: "echo **REDACTED**",
    });
    expect(input.a[0]!.headers.Authorization).toBe("Bearer x");
  });
});

describe("8. untyped input: SDK errors naming the option or keyword, nothing sent", () => {
  const construct: [string, unknown, abstract new (...a: never[]) => SDKError, RegExp][] = [
    ["baseUrl: 123", { baseUrl: 123 }, InvalidBaseURL, /baseUrl must be a string .*got number/],
    ["baseUrl: blanks", { baseUrl: "   " }, InvalidBaseURL, /baseUrl is blank/],
    ["options = null", null, InvalidOption, /^invalid option options: expected an object of options, got null$/],
    ["options = a string", "us2", InvalidOption, /invalid option options/],
    ["extHeaders: a string", { extHeaders: "abc" }, InvalidOption, /^invalid option extHeaders: expected an object/],
    [
      "extHeaders: a bad name",
      { extHeaders: { "bad name": "x" } },
      InvalidOption,
      /extHeaders\.bad name: "bad name" is not a valid header name/,
    ],
    [
      "extHeaders: a CR/LF value",
      { extHeaders: { "x-a": "1\r\nx-injected: 2" } },
      InvalidOption,
      /extHeaders\.x-a: header values must not contain CR, LF or NUL/,
    ],
    [
      "extHeaders: an object value",
      { extHeaders: { "x-a": { v: 1 } } },
      InvalidOption,
      /extHeaders\.x-a: header values must be strings/,
    ],
    [
      "sslVerify: a missing CA file",
      { sslVerify: "/missing/ca.pem" },
      InvalidOption,
      /^invalid option sslVerify: cannot read the CA file "\/missing\/ca\.pem" \(ENOENT\)$/,
    ],
    [
      "sslVerify: a number",
      { sslVerify: 1 },
      InvalidOption,
      /sslVerify: expected a boolean, a PEM string or a CA file path/,
    ],
    ["logger without methods", { logger: {} }, InvalidOption, /logger: .*debug is missing/],
    // issue 12 replaced the hooks option with use(middleware): a leftover hooks option says so
    [
      "hooks (removed)",
      { hooks: [{ beforeRequest() {} }] },
      InvalidOption,
      /hooks were replaced by middleware: register them with client\.use/,
    ],
    ["onWarning: a string", { onWarning: "log" }, InvalidOption, /onWarning: expected a function/],
    ["fetch: an object", { fetch: {} }, InvalidOption, /fetch: expected a function/],
    ["debug: a string", { debug: "yes" }, InvalidOption, /debug: expected true or false/],
    ["pythonic: 1", { pythonic: 1 }, InvalidOption, /pythonic: expected true or false/],
    ["userAgent: a number", { userAgent: 5 }, InvalidOption, /userAgent: expected a string/],
    [
      "proxy: not a URL",
      { proxy: "proxy.local" },
      InvalidOption,
      /^invalid option proxy: expected an http:\/\/ or https:\/\/ proxy URL$/,
    ],
    ["renewWindow: a string", { renewWindow: "300" }, InvalidOption, /renewWindow: expected a number/],
    [
      "environment.prefix: a number",
      { environment: { prefix: 5 } },
      InvalidOption,
      /environment\.prefix: expected a string/,
    ],
    [
      "FalconPy's base_url",
      { base_url: "us2" },
      InvalidOption,
      /^invalid option base_url: FalconTS options are camelCase: use baseUrl$/,
    ],
    [
      "allowInsecureHttp: a string",
      { allowInsecureHttp: "yes" },
      InvalidOption,
      /allowInsecureHttp: expected true or false/,
    ],
  ];

  it.each(construct)("%s", async (_name, options, type, message) => {
    const opts =
      options !== null && typeof options === "object" && !("baseUrl" in options) ? { ...creds(), ...options } : options;
    // the auth object alone reads no CA file until its first request (its transport is built then)
    const kinds = _name.startsWith("sslVerify: a missing") ? [Hosts] : [Hosts, OAuth2];
    for (const make of kinds.map((K) => () => new K(opts as FalconOptions))) {
      const err = await refused(make, type);
      expect(err.message).toMatch(message);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("the auth object's own methods and FalconContext.run check their arguments", async () => {
    const auth = new OAuth2(creds());
    for (const call of [
      () => auth.login({} as AbortSignal),
      () => auth.token("x" as never),
      () => auth.logout({} as AbortSignal),
      () => auth.authorize({} as AbortSignal),
    ]) {
      expect((await refused(call, InvalidOption)).message).toMatch(/^invalid option signal: expected an AbortSignal/);
    }
    expect(
      (await refused(() => FalconContext.run({ accessToken: "t" }, "fn" as never), InvalidOption)).message,
    ).toMatch(/fn: FalconContext\.run needs a function/);
    expect(server.requests).toHaveLength(0);
  });

  it("a client sharing an auth object checks its own options too", async () => {
    const root = new Hosts(creds());
    expect(
      (
        await refused(
          () => new Hosts({ authObject: root, logger: { debug: 1 } } as unknown as FalconOptions),
          InvalidOption,
        )
      ).message,
    ).toMatch(/logger/);
    expect((await refused(() => root.use("x" as never), InvalidOption)).message).toMatch(
      /middleware: expected an object with onRequest/,
    );
  });

  const calls: [string, (h: Hosts) => Promise<unknown>, abstract new (...a: never[]) => SDKError, RegExp][] = [
    [
      "call options: a string",
      (h) => h.queryDevicesByFilterScroll({}, "fast" as never),
      InvalidOption,
      /invalid option options: expected an object of call options/,
    ],
    [
      "signal: {}",
      (h) => h.queryDevicesByFilterScroll({}, { signal: {} as AbortSignal }),
      InvalidOption,
      /^invalid option options\.signal: expected an AbortSignal, got an object$/,
    ],
    [
      "pythonic: 'yes' per call",
      (h) => h.queryDevicesByFilterScroll({}, { pythonic: "yes" as never }),
      InvalidOption,
      /options\.pythonic: expected true or false/,
    ],
    ["stream: 1", (h) => h.queryDevicesByFilterScroll({}, { stream: 1 as never }), InvalidOption, /options\.stream/],
    // FalconPy's KeywordsOnly: only an operation with ids takes a positional argument (issue 16)
    [
      "arguments: a string",
      (h) => h.queryDevicesByFilterScroll("limit=5" as never),
      KeywordsOnly,
      /takes its arguments as an object of keywords/,
    ],
    [
      "arguments: an array",
      (h) => h.queryDevicesByFilterScroll([1] as never),
      KeywordsOnly,
      /takes its arguments as an object of keywords/,
    ],
    [
      "arguments: bytes",
      (h) => h.queryDevicesByFilterScroll(new Uint8Array(2) as never),
      PayloadValidationError,
      /arguments must be an object of keywords, got/,
    ],
    [
      "headers: a string",
      (h) => h.queryDevicesByFilterScroll({ headers: "abc" } as never),
      PayloadValidationError,
      /headers must be an object of header names to values, got string/,
    ],
    [
      "headers: a CR/LF value",
      (h) => h.queryDevicesByFilterScroll({ headers: { "x-a": "1\nx-b: 2" } }),
      PayloadValidationError,
      /headers\.x-a: header values must not contain CR, LF or NUL/,
    ],
    [
      "content_type: a number",
      (h) => h.queryDevicesByFilterScroll({ content_type: 5 } as never),
      PayloadValidationError,
      /content_type must be a string, got number/,
    ],
    [
      "parameters: an array",
      (h) => h.queryDevicesByFilterScroll({ parameters: [1] } as never),
      PayloadValidationError,
      /parameters must be an object, got an array/,
    ],
  ];

  it.each(calls)("%s", async (_name, call, type, message) => {
    for (const pythonic of [false, true]) {
      const err = await refused(call(new Hosts({ ...creds(), pythonic }) as Hosts), type);
      expect(err.message).toMatch(message);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("9. file parts are bytes or a Blob", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "falconts-files-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("a string where file bytes belong is refused (file_data, the sample keyword, files), nothing sent", async () => {
    const samples = new SampleUploads(creds());
    const uber = new APIHarnessV2(creds());
    const cases: [Promise<unknown>, RegExp][] = [
      [
        samples.uploadSampleV3({ file_data: "/etc/passwd" as never, file_name: "x" }),
        /file_data: .*a string is not file content \(got string\)/,
      ],
      [
        samples.uploadSampleV3({ sample: "/etc/passwd" as never, file_name: "x" }),
        /formData\.sample: sample is a file part: its content must be bytes/,
      ],
      [
        uber.command("UploadSampleV3", { files: [["sample", ["x.exe", "/etc/passwd" as never]]], file_name: "x" }),
        /files\.0\.content: file content must be bytes/,
      ],
      [
        uber.command("UploadSampleV3", { data: { sample: "text" }, file_name: "x" } as never),
        /data\.sample: sample is a file part/,
      ],
    ];
    for (const [call, message] of cases) expect((await refused(call, PayloadValidationError)).message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it("a missing required file part is refused before sending", async () => {
    const samples = new SampleUploads(creds());
    const err = await refused(
      samples.uploadSampleV3({ file_data: undefined, file_name: "x", comment: "c" }),
      PayloadValidationError,
    );
    expect(err.message).toMatch(/formData\.sample: missing required file part "sample"/);
    expect(server.requests).toHaveLength(0);
  });

  it("Blobs and fileFromPath() files upload as file parts; the file's own name is the default", async () => {
    const path = join(dir, "sample.bin");
    await writeFile(path, Uint8Array.from([1, 2, 3, 4]));
    const samples = new SampleUploads(creds());
    await samples.uploadSampleV3({ file_data: new Blob([Uint8Array.from([9, 9])]), file_name: "blob.exe" });
    let form = await parseMultipart(server.last());
    expect(new Uint8Array(await (form.get("sample") as File).arrayBuffer())).toEqual(Uint8Array.from([9, 9]));
    await samples.uploadSampleV3({
      sample: await fileFromPath(path, { type: "application/x-msdownload" }),
      comment: "from disk",
    } as never);
    form = await parseMultipart(server.last());
    const part = form.get("sample") as File;
    expect(part.name).toBe("sample.bin");
    expect(part.type).toBe("application/x-msdownload");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(Uint8Array.from([1, 2, 3, 4]));
  });

  it("fileFromPath() refuses what is not a readable file with a PayloadValidationError", async () => {
    expect((await refused(fileFromPath(join(dir, "missing.bin")), PayloadValidationError)).message).toMatch(
      /cannot open .*missing\.bin" \(ENOENT\)/,
    );
    expect((await refused(fileFromPath(dir), PayloadValidationError)).message).toMatch(/is not a regular file/);
    expect((await refused(fileFromPath(42 as never), PayloadValidationError)).message).toMatch(
      /expected the path of a file/,
    );
  });
});

// ID chunking (issue 15) would split these calls; the limits are tested with it off.
describe("10. limits stated before anything is sent", () => {
  const NO_CHUNKING = { chunk: false } as const;
  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => i.toString(16).padStart(32, "0"));

  it("validatePayloads: the constraint and what was given", async () => {
    const hosts = new Hosts(creds({ validatePayloads: true }));
    const err = await refused(hosts.getDeviceDetailsV2({ ids: ids(10_000) }, NO_CHUNKING), PayloadValidationError);
    expect(err.message).toBe("GetDeviceDetailsV2: invalid arguments: query.ids: at most 100 items (got 10000)");
    expect(err.issues).toEqual([{ path: ["query", "ids"], message: "at most 100 items (got 10000)" }]);
    const type = await refused(hosts.getDeviceDetailsV2({ ids: 5 as never }), PayloadValidationError);
    expect(type.message).toMatch(/query\.ids: expected array or string, got number/);
    expect(server.requests).toHaveLength(0);
  });

  it("a query string over 8 KB is refused naming the parameter (validation off, no chunking)", async () => {
    const hosts = new Hosts(creds());
    const err = await refused(hosts.getDeviceDetailsV2({ ids: ids(10_000) }, NO_CHUNKING), PayloadValidationError);
    expect(err.issues[0]!.path).toEqual(["query", "ids"]);
    expect(err.message).toMatch(
      /query\.ids: the query string would be \d+ bytes, over the 8192-byte limit; ids takes \d+ \(10000 items\)/,
    );
    expect(server.requests).toHaveLength(0);
    expect((await hosts.getDeviceDetailsV2({ ids: ids(100) })).status_code).toBe(200);
    expect(server.last().query.length).toBeLessThan(8192);
  });

  it("with middleware registered (the router keeps the values for it), the 8 KB refusal still stands", async () => {
    const onRequest = vi.fn();
    const hosts = new Hosts(creds()).use({ onRequest });
    const err = await refused(hosts.getDeviceDetailsV2({ ids: ids(10_000) }, NO_CHUNKING), PayloadValidationError);
    expect(err.issues[0]!.path).toEqual(["query", "ids"]);
    expect(onRequest).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(0);
  });
});
