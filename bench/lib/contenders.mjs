/**
 * The clients under test, each reduced to the same two calls (QueryDevicesByFilterScroll with
 * limit 100, PostDeviceDetailsV2 with 100 IDs) plus a login. Every contender parses the JSON body.
 */
import { createRequire } from "node:module";
import { recordIds } from "./server.mjs";

const ids = recordIds;
const FALCONJS_BASE = "https://api.crowdstrike.com";

export const contenders = {
  /** The floor: global fetch, a token fetched once, headers built by hand. */
  async fetch(base) {
    const tok = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "id", client_secret: "secret" }),
    });
    const { access_token } = await tok.json();
    const auth = { authorization: `Bearer ${access_token}`, accept: "application/json" };
    const post = { ...auth, "content-type": "application/json" };
    return {
      query: async () => (await fetch(`${base}/devices/queries/devices-scroll/v1?limit=100`, { headers: auth })).json(),
      post: async () =>
        (
          await fetch(`${base}/devices/entities/devices/v2`, {
            method: "POST",
            headers: post,
            body: JSON.stringify({ ids }),
          })
        ).json(),
    };
  },
  /** Below fetch: undici's request() on a keep-alive pool (the stretch reference). */
  async undici(base) {
    const require = createRequire(import.meta.url);
    const { Agent, request } = require("undici");
    const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
    const tok = await request(`${base}/oauth2/token`, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "id", client_secret: "secret" }).toString(),
    });
    const { access_token } = await tok.body.json();
    const auth = { authorization: `Bearer ${access_token}`, accept: "application/json" };
    const post = { ...auth, "content-type": "application/json" };
    return {
      query: async () =>
        (
          await request(`${base}/devices/queries/devices-scroll/v1?limit=100`, { headers: auth, dispatcher })
        ).body.json(),
      post: async () =>
        (
          await request(`${base}/devices/entities/devices/v2`, {
            method: "POST",
            headers: post,
            body: JSON.stringify({ ids }),
            dispatcher,
          })
        ).body.json(),
    };
  },
  async falconts(base) {
    const { Hosts } = await import("../../dist/esm/generated/hosts/index.js");
    const hosts = new Hosts({ clientId: "id", clientSecret: "secret", baseUrl: base });
    return {
      query: () => hosts.queryDevicesByFilterScroll({ limit: 100 }),
      post: () => hosts.postDeviceDetailsV2({ ids }),
    };
  },
  async falconjs(base) {
    const require = createRequire(import.meta.url);
    const { FalconClient } = require("crowdstrike-falcon");
    // falconjs only knows its clouds' hosts: point them at the local server through fetchApi.
    const fetchApi = (url, init) => fetch(String(url).replace(FALCONJS_BASE, base), init);
    const client = new FalconClient({ cloud: "us-1", clientId: "id", clientSecret: "secret", fetchApi });
    return {
      query: () => client.hosts.queryDevicesByFilterScroll(undefined, 100),
      post: () => client.hosts.postDeviceDetailsV2({ ids }),
    };
  },
};
