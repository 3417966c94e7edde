/**
 * Regions: the cloud table, `baseUrl` parsing (region names, full URLs, bare hosts) and the
 * helpers for region autodiscovery from the token response (X-Cs-Region).
 */
import { InvalidBaseURL } from "./errors.js";

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
  ...(Object.fromEntries(Object.entries(REGION_URLS).map(([name, url]) => [name.toUpperCase(), new URL(url).host])) as Record<Uppercase<RegionName>, string>),
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
  const key = value.trim().toLowerCase().replace(/[-_\s]/g, "");
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
  if (input === undefined || input === null || input.trim() === "") return regionBase(DEFAULT_REGION);
  if (typeof input !== "string") throw new InvalidBaseURL(`${what} must be a string`);
  const text = input.trim();
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
