/**
 * The mock's data world: a fixed, seeded set of entities per family, so ids a query returns
 * resolve in the matching details call, pages end, and the same seed gives the same tenant.
 *
 * A family is named by a route's service and noun: `/devices/queries/devices-scroll/v1`,
 * `/devices/entities/devices/v2` and `/devices/combined/devices/v1` are all `devices/devices`
 * (hosts); `/incidents/entities/incidents/GET/v1` is `incidents/incidents`. Every family of the
 * spec gets a world of its own (default size 25), so consistency holds beyond the named ones.
 */
import { Random } from "./random.js";
import type { ValueContext } from "./values.js";

/** Friendly names of the families users size most often. */
export const ENTITY_FAMILIES = {
  hosts: "devices/devices",
  hiddenHosts: "devices/devices-hidden",
  hostGroups: "devices/host-groups",
  alerts: "alerts/alerts",
  detections: "detects/detects",
  incidents: "incidents/incidents",
  behaviors: "incidents/behaviors",
  users: "user-management/users",
  preventionPolicies: "policy/prevention",
  sensorUpdatePolicies: "policy/sensor-update",
  sandboxSubmissions: "falconx/submissions",
  sandboxReports: "falconx/reports",
  iocs: "iocs/indicators",
} as const;

export type EntityName = keyof typeof ENTITY_FAMILIES;

export interface WorldOptions {
  /** Seed of every value (default 1). */
  readonly seed?: number | string;
  /** The world's "now": timestamps fall in the 30 days before it (default 2026-01-15T12:00:00Z, so data is the same every day). */
  readonly now?: number | Date;
  /** Entities per family, by friendly name or by family ("devices/devices"); `default` for the rest (25). */
  readonly sizes?: Partial<Record<EntityName | "default", number>> & Readonly<Record<string, number>>;
}

const DEFAULT_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const DEFAULT_SIZE = 25;
const ROUTE = /^\/([^/]+)\/(queries|entities|combined)\/([^/]+)\/(?:GET\/)?v\d+[^/]*$/;

export interface RouteFamily {
  readonly family: string;
  readonly kind: "queries" | "entities" | "combined";
}

/** The family of a route, when it is one of the queries/entities/combined shapes. */
export function routeFamily(path: string): RouteFamily | undefined {
  const m = ROUTE.exec(path);
  if (!m) return undefined;
  const noun = m[3]!.replace(/-scroll$/, "").replace(/-v\d+$/, "");
  return { family: `${m[1]}/${noun}`, kind: m[2] as RouteFamily["kind"] };
}

export class World {
  readonly seed: number | string;
  readonly now: number;
  /** The tenant's customer id. */
  readonly cid: string;
  private readonly sizes: Readonly<Record<string, number>>;
  private readonly members = new Map<string, { list: string[]; set: Set<string> }>();

  constructor(options: WorldOptions = {}) {
    this.seed = options.seed ?? 1;
    this.now = options.now instanceof Date ? options.now.getTime() : (options.now ?? DEFAULT_NOW);
    this.cid = new Random(this.seed, "cid").hex(32);
    const sizes: Record<string, number> = {};
    for (const [key, n] of Object.entries(options.sizes ?? {})) {
      if (n === undefined) continue;
      if (!Number.isInteger(n) || n < 0)
        throw new TypeError(`world size of ${key} must be a whole number >= 0 (got ${String(n)})`);
      sizes[(ENTITY_FAMILIES as Record<string, string>)[key] ?? key] = n;
    }
    this.sizes = sizes;
  }

  size(family: string): number {
    return this.sizes[family] ?? this.sizes.default ?? DEFAULT_SIZE;
  }

  /** Every id of a family, in the world's (stable) order. */
  ids(family: string): readonly string[] {
    return this.family(family).list;
  }

  has(family: string, id: string): boolean {
    return this.family(family).set.has(id);
  }

  /** A random source for `key`, under this world's seed. */
  random(key: string): Random {
    return new Random(this.seed, key);
  }

  /** The value context of one record (an entity's, or an answer's when `key` is an operation); `family` when it is an entity. */
  context(key: string, family?: string): ValueContext {
    const shared = new Map<string, string>();
    return {
      rng: this.random(key),
      // a record draws one generator per field: its key's common part is hashed once
      fieldRandom: Random.under(this.seed, `${key}.`),
      now: this.now,
      cid: this.cid,
      ...(family !== undefined ? { family } : {}),
      entityId: (family) => {
        const ids = this.ids(family);
        return ids.length ? ids[this.random(`${key}:${family}`).int(0, ids.length - 1)] : undefined;
      },
      shared: (name, make) => {
        let v = shared.get(name);
        if (v === undefined) {
          v = make(this.random(`${key}#${name}`));
          shared.set(name, v);
        }
        return v;
      },
    };
  }

  private family(family: string): { list: string[]; set: Set<string> } {
    let m = this.members.get(family);
    if (!m) {
      const n = this.size(family);
      const list: string[] = [];
      const hosts = family === ENTITY_FAMILIES.hosts ? [] : this.ids(ENTITY_FAMILIES.hosts);
      for (let i = 0; i < n; i++) list.push(this.newId(family, i, hosts));
      m = { list, set: new Set(list) };
      this.members.set(family, m);
    }
    return m;
  }

  /** Ids in the shape Falcon gives each family (composite alert ids name their host). */
  private newId(family: string, i: number, hosts: readonly string[]): string {
    const r = this.random(`${family}#${i}`);
    const aid = hosts.length ? hosts[i % hosts.length]! : r.hex(32);
    switch (family) {
      case ENTITY_FAMILIES.alerts:
        return `${this.cid}:ind:${aid}:${r.int(10_000_000, 99_999_999)}-${r.int(10, 99)}-${r.int(1000, 9999)}`;
      case ENTITY_FAMILIES.detections:
        return `ldt:${aid}:${r.int(1_000_000_000, 9_999_999_999)}`;
      case ENTITY_FAMILIES.incidents:
        return `inc:${aid}:${r.hex(32)}`;
      case ENTITY_FAMILIES.behaviors:
        return `ind:${aid}:${r.int(1_000_000_000, 9_999_999_999)}-${r.int(10, 99)}-${r.int(1000, 9999)}`;
      case ENTITY_FAMILIES.users:
        return r.uuid();
      case ENTITY_FAMILIES.sandboxSubmissions:
      case ENTITY_FAMILIES.sandboxReports:
        return `${this.cid}_${r.hex(32)}`;
      default:
        return r.hex(32);
    }
  }
}
