/**
 * Regions: the cloud table, `baseUrl` parsing (region names, full URLs, bare hosts) and the
 * helpers for region autodiscovery from the token response (X-Cs-Region).
 */
import { InsecureTransportWarning, InvalidBaseURL, type SDKWarning } from "./errors.js";

export type RegionName = "us1" | "us2" | "us3" | "eu1" | "usgov1" | "usgov2";

/** API gateway per region. US3 is the newest cloud (FalconPy lacks it). */
export const REGION_URLS: Readonly<Record<RegionName, string>> = Object.freeze({
  us1: "https://api.crowdstrike.com",
  us2: "https://api.us-2.crowdstrike.com",
  us3: "https://api.us-3.crowdstrike.com",
  eu1: "https://api.eu-1.crowdstrike.com",
  usgov1: "https://api.laggar.gcw.crowdstrike.com",
  usgov2: "https://api.us-gov-2.crowdstrike.mil",
});

/** FalconPy's BaseURL names: region -> API host (each is a valid `baseUrl`); AUTO is US1 with autodiscovery. */
export const BaseURL = Object.freeze({
  ...(Object.fromEntries(
    Object.entries(REGION_URLS).map(([name, url]) => [name.toUpperCase(), new URL(url).host]),
  ) as Record<Uppercase<RegionName>, string>),
  AUTO: new URL(REGION_URLS.us1).host,
});

/** Hosts of the falcon-container upload routes (operations with `host: "container-upload"`). */
export const CONTAINER_UPLOAD_URLS: Readonly<Partial<Record<RegionName, string>>> = Object.freeze({
  us1: "https://container-upload.us-1.crowdstrike.com",
  us2: "https://container-upload.us-2.crowdstrike.com",
  eu1: "https://container-upload.eu-1.crowdstrike.com",
  usgov1: "https://container-upload.laggar.gcw.crowdstrike.com",
  usgov2: "https://container-upload.us-gov-2.crowdstrike.mil",
});

/** Data ingestion hosts. */
export const INGEST_URLS: Readonly<Partial<Record<RegionName, string>>> = Object.freeze({
  us1: "https://ingest.us-1.crowdstrike.com",
  us2: "https://ingest.us-2.crowdstrike.com",
  eu1: "https://ingest.eu-1.crowdstrike.com",
  usgov1: "https://ingest.laggar.gcw.crowdstrike.com",
});

/** GovCloud never takes part in autodiscovery: neither as a source nor as a target. */
export const GOV_REGIONS: ReadonlySet<RegionName> = new Set<RegionName>(["usgov1", "usgov2"]);

export const DEFAULT_REGION: RegionName = "us1";

/** A `baseUrl` (or FalconContext `csCloud`) after parsing. */
export interface ResolvedBaseUrl {
  /** Origin plus optional path prefix, no trailing slash. */
  readonly url: string;
  /** The region when the URL is one of the table's gateways. */
  readonly region: RegionName | undefined;
  /** A URL that is not a known gateway (a proxy, a custom gateway, a test server). */
  readonly custom: boolean;
  /** Autodiscovery may replace this URL (known commercial region; never custom or GovCloud). */
  readonly discoverable: boolean;
}

const HOST_TO_REGION: ReadonlyMap<string, RegionName> = new Map(
  (Object.entries(REGION_URLS) as [RegionName, string][]).map(([name, url]) => [new URL(url).host, name]),
);

/** `US-2`, `us_2`, `us2`, `us-gov-1`, `USGOV1` -> region name; `auto` -> "auto"; else undefined. */
export function normalizeRegionName(value: string): RegionName | "auto" | undefined {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, "");
  if (key === "auto") return "auto";
  return Object.hasOwn(REGION_URLS, key) ? (key as RegionName) : undefined;
}

/** The region an `X-Cs-Region` header value names (`us-2`, `US-1`, `eu-1`...), if known. */
export function regionFromHeader(value: string | null | undefined): RegionName | undefined {
  if (!value) return undefined;
  const name = normalizeRegionName(value);
  return name === "auto" ? undefined : name;
}

/** The region of a gateway URL (https, known host, no path prefix), if any. */
export function regionOfUrl(url: string | URL): RegionName | undefined {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : url;
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:") return undefined;
  return HOST_TO_REGION.get(u.host);
}

/** True when `url` points at one of the region gateways (any path). */
export function isRegionHost(url: URL): boolean {
  return url.protocol === "https:" && HOST_TO_REGION.has(url.host);
}

export function regionBase(region: RegionName): ResolvedBaseUrl {
  return Object.freeze({
    url: REGION_URLS[region],
    region,
    custom: false,
    discoverable: !GOV_REGIONS.has(region),
  });
}

// Userinfo in a rejected URL could be a credential: keep it out of the error message.
function describe(input: string): string {
  return JSON.stringify(input.replace(/\/\/[^/@\s]*@/, "//***@"));
}

/**
 * Parse a `baseUrl`: a region name (case-insensitive, dashed forms ok), `auto`, a full http(s)
 * URL, or a bare host (gets https://). Undefined or empty means US1. Throws InvalidBaseURL.
 */
export function resolveBaseUrl(input: string | undefined | null, what = "baseUrl"): ResolvedBaseUrl {
  if (input === undefined || input === null || input === "") return regionBase(DEFAULT_REGION);
  if (typeof input !== "string") {
    throw new InvalidBaseURL(
      `${what} must be a string (a region name, URL or host), got ${Array.isArray(input) ? "an array" : typeof input}`,
    );
  }
  const text = input.trim();
  // "" means unset; blanks are a mistake (an unfilled template), not a wish for US1
  if (text === "")
    throw new InvalidBaseURL(`${what} is blank: give a region name, URL or host, or leave it unset for us1`);
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!hasScheme) {
    const name = normalizeRegionName(text);
    if (name === "auto") return regionBase(DEFAULT_REGION);
    if (name) return regionBase(name);
    // Something without a dot, port or "localhost" cannot be a host: it is a mistyped region name.
    if (!/[.:]/.test(text) && text.toLowerCase() !== "localhost") {
      throw new InvalidBaseURL(
        `${what} ${describe(text)} is not a known region (us1, us2, us3, eu1, usgov1, usgov2, auto), URL or host`,
      );
    }
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    throw new InvalidBaseURL(`${what} ${describe(text)} is not a valid URL, host or region name`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidBaseURL(`${what} ${describe(text)} must use http or https`);
  }
  if (!url.hostname || /\s/.test(text)) {
    throw new InvalidBaseURL(`${what} ${describe(text)} is not a valid URL, host or region name`);
  }
  if (url.username || url.password) {
    throw new InvalidBaseURL(`${what} ${describe(text)} must not carry credentials`);
  }
  if (url.search || url.hash) {
    throw new InvalidBaseURL(`${what} ${describe(text)} must not have a query or fragment`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  const region = path === "" ? regionOfUrl(url) : undefined;
  if (region) return regionBase(region);
  return Object.freeze({ url: `${url.origin}${path}`, region: undefined, custom: true, discoverable: false });
}

/** Hosts that never leave the machine: plain http to them exposes nothing. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === "[::1]" ||
    /^\[::ffff:(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|7f[0-9a-f]{2}:[0-9a-f]{1,4})\]$/.test(h)
  );
}

export interface TransportPolicy {
  /** The caller accepts plain http to hosts that are not loopback (`allowInsecureHttp: true`). */
  readonly allowInsecureHttp?: boolean;
  /** Receives the InsecureTransportWarning (once per URL origin for one sink). */
  readonly warn?: (warning: SDKWarning) => void;
}

const warned = new WeakMap<object, Set<string>>();

/**
 * Credentials go only over TLS, except to loopback hosts: the one check for every URL a client
 * sends credentials or tokens to (the base URL at construction, a context's csCloud, and every
 * URL learnt at run time: region redirects, X-Cs-Region, stream feed URLs). Plain http to
 * another host throws InvalidBaseURL naming `what`, unless the policy allows it; then one
 * InsecureTransportWarning per origin goes to the policy's sink.
 */
export function requireSecureTransport(url: string | URL, what: string, policy: TransportPolicy = {}): void {
  const u = typeof url === "string" ? new URL(url) : url;
  if (u.protocol !== "http:" || isLoopbackHost(u.hostname)) return;
  if (policy.allowInsecureHttp !== true) {
    throw new InvalidBaseURL(
      `${what} ${describe(u.origin)} would send credentials in clear text: use https, or set allowInsecureHttp: true (plain http is allowed to loopback hosts only)`,
    );
  }
  const sink = policy.warn;
  if (sink === undefined) return;
  let seen = warned.get(sink);
  if (seen === undefined) warned.set(sink, (seen = new Set()));
  if (seen.has(u.origin)) return;
  seen.add(u.origin);
  sink(
    new InsecureTransportWarning(
      `${what} ${u.origin} uses plain http: credentials and tokens travel unencrypted (allowInsecureHttp: true)`,
    ),
  );
}

/** Container-upload host for a base URL's region (custom URLs and US3 have none). */
export function containerUploadUrl(base: ResolvedBaseUrl | RegionName): string | undefined {
  const region = typeof base === "string" ? base : base.region;
  return region ? CONTAINER_UPLOAD_URLS[region] : undefined;
}

/** Ingest host for a base URL's region (custom URLs, US3 and USGOV2 have none). */
export function ingestUrl(base: ResolvedBaseUrl | RegionName): string | undefined {
  const region = typeof base === "string" ? base : base.region;
  return region ? INGEST_URLS[region] : undefined;
}
