/** Region parsing and autodiscovery (308 + X-Cs-Region), against listeners playing two clouds. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FalconInterface } from "../../runtime/falcon-interface.js";
import { InvalidBaseURL } from "../../runtime/errors.js";
import {
  CONTAINER_UPLOAD_URLS,
  INGEST_URLS,
  REGION_URLS,
  containerUploadUrl,
  ingestUrl,
  resolveBaseUrl,
} from "../../runtime/regions.js";
import { startFakeFalcon, type FakeFalcon } from "../support/fake-falcon.js";

let srv: FakeFalcon;
beforeAll(async () => {
  srv = await startFakeFalcon();
  srv.behaviour.clients.set("us2-client", "s2");
  srv.behaviour.clients.set("us1-client", "s1");
  srv.behaviour.home.set("us2-client", "us2");
});
afterAll(() => srv.close());
afterEach(() => {
  srv.requests.length = 0;
  srv.behaviour.regionHeader = undefined;
  srv.behaviour.redirectOverride = undefined;
});

async function headers(falcon: FalconInterface): Promise<Record<string, string>> {
  const o = await falcon.authorize();
  if (!o.ok) throw new Error(`not authorized: ${o.status} ${o.body.errors[0]?.message}`);
  return o.headers;
}

describe("baseUrl parsing", () => {
  it.each([
    ["us1", REGION_URLS.us1],
    ["US1", REGION_URLS.us1],
    ["us-1", REGION_URLS.us1],
    ["us2", REGION_URLS.us2],
    ["US-2", REGION_URLS.us2],
    ["us-3", REGION_URLS.us3],
    ["eu-1", REGION_URLS.eu1],
    ["EU1", REGION_URLS.eu1],
    ["usgov1", REGION_URLS.usgov1],
    ["us-gov-1", REGION_URLS.usgov1],
    ["USGOV2", REGION_URLS.usgov2],
    ["auto", REGION_URLS.us1],
    ["AUTO", REGION_URLS.us1],
    ["https://api.us-2.crowdstrike.com/", REGION_URLS.us2],
    ["api.eu-1.crowdstrike.com", REGION_URLS.eu1],
    ["gateway.example.com", "https://gateway.example.com"],
    ["gateway.example.com:8443/falcon/", "https://gateway.example.com:8443/falcon"],
    ["http://127.0.0.1:9999", "http://127.0.0.1:9999"],
  ])("%s -> %s", (input, url) => {
    expect(resolveBaseUrl(input).url).toBe(url);
    expect(new FalconInterface({ accessToken: "t", baseUrl: input }).baseUrl).toBe(url);
  });

  it("defaults to US1; regions are discoverable except GovCloud; custom URLs are not", () => {
    expect(new FalconInterface({ accessToken: "t" }).baseUrl).toBe(REGION_URLS.us1);
    expect(resolveBaseUrl("us2")).toMatchObject({ region: "us2", custom: false, discoverable: true });
    expect(resolveBaseUrl("usgov2")).toMatchObject({ region: "usgov2", custom: false, discoverable: false });
    expect(resolveBaseUrl("proxy.example.com")).toMatchObject({ region: undefined, custom: true, discoverable: false });
  });

  it.each([
    "us4",
    "eu-2",
    "mars",
    "https://",
    "ftp://api.crowdstrike.com",
    "http://exa mple.com",
    "https://host.example.com/?q=1",
  ])("rejects %s with InvalidBaseURL naming it", (input) => {
    let caught: unknown;
    try {
      new FalconInterface({ accessToken: "t", baseUrl: input });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidBaseURL);
    expect((caught as Error).message).toContain(JSON.stringify(input));
  });

  it("does not echo credentials embedded in a rejected URL", () => {
    expect(() => resolveBaseUrl("https://user:hunter2@host.example.com")).toThrow(InvalidBaseURL);
    try {
      resolveBaseUrl("https://user:hunter2@host.example.com");
    } catch (err) {
      expect((err as Error).message).not.toContain("hunter2");
    }
  });

  it("container-upload and ingest host tables", () => {
    expect(CONTAINER_UPLOAD_URLS.us2).toBe("https://container-upload.us-2.crowdstrike.com");
    expect(containerUploadUrl(resolveBaseUrl("usgov1"))).toBe("https://container-upload.laggar.gcw.crowdstrike.com");
    expect(containerUploadUrl("usgov2")).toBe("https://container-upload.us-gov-2.crowdstrike.mil");
    expect(containerUploadUrl(resolveBaseUrl("proxy.example.com"))).toBeUndefined();
    expect(INGEST_URLS.eu1).toBe("https://ingest.eu-1.crowdstrike.com");
    expect(ingestUrl("usgov1")).toBe("https://ingest.laggar.gcw.crowdstrike.com");
    expect(ingestUrl("usgov2")).toBeUndefined();
  });
});

describe("autodiscovery", () => {
  it("a token POST to us-1 answered 308 + X-Cs-Region: us-2 sends the next API call to the us-2 host", async () => {
    const falcon = new FalconInterface({
      clientId: "us2-client",
      clientSecret: "s2",
      baseUrl: "us1",
      fetch: srv.regionFetch,
    });
    expect(falcon.baseUrl).toBe(REGION_URLS.us1);
    const h = await headers(falcon);
    expect(srv.tokenRequests().map((r) => r.listener)).toEqual(["us1", "us2"]);
    // the redirected POST carried the same form
    expect(srv.tokenRequests("us2")[0]?.form.client_id).toBe("us2-client");
    expect(falcon.baseUrl).toBe(REGION_URLS.us2);
    expect(falcon.region).toBe("us2");
    const probe = await srv.probe(falcon.baseUrl, h, falcon.fetch);
    expect(probe).toEqual({ status: 200, servedBy: "us2" });
  });

  it("the default (no baseUrl) and `auto` discover too", async () => {
    for (const baseUrl of [undefined, "auto"]) {
      const falcon = new FalconInterface({
        clientId: "us2-client",
        clientSecret: "s2",
        baseUrl,
        fetch: srv.regionFetch,
      });
      await headers(falcon);
      expect(falcon.baseUrl).toBe(REGION_URLS.us2);
    }
  });

  it("reads a lower-case x-cs-region header (any value case) after a plain 201", async () => {
    srv.behaviour.regionHeader = ["x-cs-region", "US-2"];
    const falcon = new FalconInterface({
      clientId: "us1-client",
      clientSecret: "s1",
      baseUrl: "us1",
      fetch: srv.regionFetch,
    });
    const h = await headers(falcon);
    expect(srv.tokenRequests().map((r) => r.listener)).toEqual(["us1"]);
    expect(falcon.baseUrl).toBe(REGION_URLS.us2);
    expect((await srv.probe(falcon.baseUrl, h, falcon.fetch)).servedBy).toBe("us2");
  });

  it("a custom URL is never replaced", async () => {
    srv.behaviour.regionHeader = ["X-Cs-Region", "us-2"];
    const falcon = new FalconInterface({ clientId: "us1-client", clientSecret: "s1", baseUrl: srv.origin.us1 });
    const h = await headers(falcon);
    expect(falcon.baseUrl).toBe(srv.origin.us1);
    expect((await srv.probe(falcon.baseUrl, h)).servedBy).toBe("us1");
  });

  it("GovCloud is not discoverable: neither left nor entered", async () => {
    srv.behaviour.regionHeader = ["X-Cs-Region", "us-2"];
    const gov = new FalconInterface({
      clientId: "us1-client",
      clientSecret: "s1",
      baseUrl: "usgov1",
      fetch: srv.regionFetch,
    });
    await headers(gov);
    expect(srv.tokenRequests().map((r) => r.listener)).toEqual(["usgov1"]);
    expect(gov.baseUrl).toBe(REGION_URLS.usgov1);

    srv.behaviour.regionHeader = ["X-Cs-Region", "us-gov-1"];
    const commercial = new FalconInterface({
      clientId: "us1-client",
      clientSecret: "s1",
      baseUrl: "us1",
      fetch: srv.regionFetch,
    });
    await headers(commercial);
    expect(commercial.baseUrl).toBe(REGION_URLS.us1);
  });

  it("a 308 to a host that is neither a Falcon gateway nor the same origin is not followed", async () => {
    srv.behaviour.redirectOverride = `${srv.origin.us2}/oauth2/token`; // another origin, not a gateway
    const falcon = new FalconInterface({ clientId: "us2-client", clientSecret: "s2", baseUrl: srv.origin.us1 });
    const o = await falcon.authorize();
    expect(o.ok).toBe(false);
    expect(falcon.tokenStatus).toBe(308);
    expect(srv.tokenRequests().map((r) => r.listener)).toEqual(["us1"]);
  });

  it("logout goes to the discovered region", async () => {
    const falcon = new FalconInterface({
      clientId: "us2-client",
      clientSecret: "s2",
      baseUrl: "us1",
      fetch: srv.regionFetch,
    });
    await headers(falcon);
    const r = await falcon.logout();
    expect(r.status_code).toBe(200);
    expect(srv.revokeRequests().map((x) => x.listener)).toEqual(["us2"]);
  });

  it("token and revoke follow a 308 from a custom gateway to a Falcon gateway (the custom URL stays)", async () => {
    const falcon = new FalconInterface({
      clientId: "us2-client",
      clientSecret: "s2",
      baseUrl: srv.origin.us1,
      fetch: srv.regionFetch,
    });
    await headers(falcon);
    expect(srv.tokenRequests().map((r) => r.listener)).toEqual(["us1", "us2"]);
    expect(falcon.baseUrl).toBe(srv.origin.us1);
    const r = await falcon.logout();
    expect(r.status_code).toBe(200);
    expect(srv.revokeRequests().map((x) => x.listener)).toEqual(["us1", "us2"]);
    expect(srv.revokeRequests()[1]?.headers.authorization).toMatch(/^Basic /);
  });
});
