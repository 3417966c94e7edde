import { inspect } from "node:util";
import { createServer as createHttpsServer } from "node:https";
import { createServer } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SDKWarning } from "../../runtime/errors.js";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import { Things } from "./fixtures.js";
import { startFakeFalcon } from "../support/fake-falcon.js";
import type { FakeFalcon } from "../support/fake-falcon.js";

const certFile = fileURLToPath(new URL("./tls/cert.pem", import.meta.url));
const cert = readFileSync(certFile, "utf8");
const key = readFileSync(fileURLToPath(new URL("./tls/key.pem", import.meta.url)), "utf8");

let plain: FakeFalcon;
let tls: ReturnType<typeof createHttpsServer>;
let tlsUrl: string;
let proxy: ReturnType<typeof createServer>;
let proxyUrl: string;
const tunnels: string[] = [];

beforeAll(async () => {
  plain = await startFakeFalcon();
  tls = createHttpsServer({ key, cert }, (req, res) => {
    if (req.url === "/oauth2/token") {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "tls-token", expires_in: 1799 }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ resources: [req.headers["user-agent"]], meta: {}, errors: [] }));
  });
  await new Promise<void>((r) => tls.listen(0, "127.0.0.1", () => r()));
  tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  // A CONNECT proxy that records the tunnels it opens.
  proxy = createServer();
  proxy.on("connect", (req, socket, head) => {
    tunnels.push(`${req.url} auth=${req.headers["proxy-authorization"] ?? "-"}`);
    const [host, port] = String(req.url).split(":");
    const up = connect(Number(port), host!, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on("error", () => socket.destroy());
    socket.on("error", () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await plain.close();
  tls.closeAllConnections();
  proxy.closeAllConnections();
  await new Promise((r) => tls.close(r));
  await new Promise((r) => proxy.close(r));
});

describe("TLS", () => {
  it("rejects an unknown CA by default, as a 500-style result", async () => {
    const r = await new Things({ accessToken: "t", baseUrl: tlsUrl }).queryThings();
    expect(r.status_code).toBe(500);
    expect(JSON.stringify(r.body)).toMatch(/self-signed|certificate/i);
  });
  it("trusts a CA given as PEM or as a file path", async () => {
    expect((await new Things({ accessToken: "t", baseUrl: tlsUrl, sslVerify: cert }).queryThings()).status_code).toBe(
      200,
    );
    expect(
      (await new Things({ accessToken: "t", baseUrl: tlsUrl, sslVerify: certFile }).queryThings()).status_code,
    ).toBe(200);
  });
  it("sslVerify: false connects and warns through onWarning", async () => {
    const warnings: SDKWarning[] = [];
    const c = new Things({
      accessToken: "t",
      baseUrl: tlsUrl,
      sslVerify: false,
      onWarning: (w) => warnings.push(w),
      userAgent: "my-tool/1.2",
    });
    const r = await c.queryThings();
    expect(r.status_code).toBe(200);
    expect(r.body.resources).toEqual(["my-tool/1.2"]);
    expect(warnings.map((w) => w.name)).toContain("SSLDisabledWarning");
  });
});

describe("proxy", () => {
  it("an explicit proxy (with credentials) tunnels the request", async () => {
    tunnels.length = 0;
    const withCreds = proxyUrl.replace("http://", "http://puser:ppass@");
    const client = new Things({ accessToken: "t", baseUrl: tlsUrl, sslVerify: cert, proxy: withCreds });
    const r = await client.queryThings();
    expect(r.status_code).toBe(200);
    expect(tunnels).toHaveLength(1);
    expect(tunnels[0]).toMatch(/^127\.0\.0\.1:\d+ auth=Basic /);
    // the proxy got its password; the config (documented as safe to log) does not show it
    expect(Buffer.from(tunnels[0]!.replace(/.*auth=Basic /, ""), "base64").toString()).toBe("puser:ppass");
    expect(client.auth.config.proxy).toBe(proxyUrl.replace("http://", "http://**REDACTED**@"));
    for (const text of [
      JSON.stringify(client.auth.config),
      inspect(client.auth.config, { showHidden: true, depth: Infinity }),
      inspect(client, { showHidden: true, depth: Infinity }),
    ]) {
      expect(text).not.toContain("ppass");
    }
  });
  it("HTTPS_PROXY from the environment is used, NO_PROXY honoured", async () => {
    const saved = { ...process.env };
    try {
      tunnels.length = 0;
      process.env.HTTPS_PROXY = proxyUrl;
      process.env.HTTP_PROXY = proxyUrl;
      process.env.NO_PROXY = "";
      expect((await new Things({ accessToken: "t", baseUrl: tlsUrl, sslVerify: cert }).queryThings()).status_code).toBe(
        200,
      );
      expect(tunnels).toHaveLength(1);
      process.env.NO_PROXY = "127.0.0.1";
      expect((await new Things({ accessToken: "t", baseUrl: tlsUrl, sslVerify: cert }).queryThings()).status_code).toBe(
        200,
      );
      expect(tunnels).toHaveLength(1);
    } finally {
      for (const k of ["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});

describe("one connection pool per client", () => {
  it("token then three API calls, keep-alive: the server sees one TCP connection", async () => {
    const server = await startFakeFalcon();
    try {
      const c = new Things({ clientId: "id", clientSecret: "secret", baseUrl: server.url });
      for (let i = 0; i < 3; i++) expect((await c.queryThings()).status_code).toBe(200);
      expect(server.tokens).toBe(1);
      expect(server.api()).toHaveLength(3);
      expect(server.connections).toBe(1);
      await c.close();
    } finally {
      await server.close();
    }
  });
  it("through an HTTP proxy: one CONNECT for the token and the API calls", async () => {
    tunnels.length = 0;
    const c = new Things({ clientId: "id", clientSecret: "secret", baseUrl: tlsUrl, sslVerify: cert, proxy: proxyUrl });
    for (let i = 0; i < 3; i++) expect((await c.queryThings()).status_code).toBe(200);
    expect(tunnels).toHaveLength(1);
    await c.close();
  });
});

describe("clients built with authObject keep their own transport settings", () => {
  it("their own extHeaders and userAgent reach the wire; the owner's calls keep the owner's", async () => {
    const server = await startFakeFalcon();
    try {
      const owner = new FalconInterface({
        clientId: "id",
        clientSecret: "secret",
        baseUrl: server.url,
        extHeaders: { "X-Owner": "o" },
      });
      const sharer = new Things({ authObject: owner, userAgent: "sharer-tool/2.0", extHeaders: { "X-Team": "blue" } });
      const plainSharer = new Things({ authObject: owner });
      await sharer.queryThings();
      let r = server.last();
      expect(r.headers["user-agent"]).toBe("sharer-tool/2.0");
      expect(r.headers["x-team"]).toBe("blue");
      expect(r.headers.authorization).toMatch(/^Bearer /);
      await plainSharer.queryThings();
      r = server.last();
      expect(r.headers["x-owner"]).toBe("o");
      expect(r.headers["x-team"]).toBeUndefined();
      // one token for all of them, fetched by the owner through the owner's transport
      expect(server.tokens).toBe(1);
      const tokenRequest = server.requests.find((q) => q.path === "/oauth2/token")!;
      expect(tokenRequest.headers["x-owner"]).toBe("o");
      expect(tokenRequest.headers["user-agent"]).not.toBe("sharer-tool/2.0");
      await Promise.all([sharer.close(), plainSharer.close(), owner.close()]);
    } finally {
      await server.close();
    }
  });
  it("their own proxy is used (with a warning: the shared token travels another way); the owner's calls stay direct", async () => {
    tunnels.length = 0;
    const warnings: SDKWarning[] = [];
    const owner = new Things({ clientId: "id", clientSecret: "secret", baseUrl: tlsUrl, sslVerify: cert });
    const viaProxy = new Things({ authObject: owner, proxy: proxyUrl, onWarning: (w) => warnings.push(w) });
    expect((await owner.queryThings()).status_code).toBe(200);
    expect(tunnels).toHaveLength(0);
    expect((await viaProxy.queryThings()).status_code).toBe(200);
    expect(tunnels).toHaveLength(1);
    expect(warnings.map((w) => w.name)).toEqual(["SharedTokenChannel"]);
    await viaProxy.close();
    await owner.close();
  });
});
