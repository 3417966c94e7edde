/**
 * Default answers from the data world: an operation's success body is generated from its
 * response schema with realistic values (values.ts); where the route belongs to a family
 * (world.ts), its resources come from the world: a query pages through the family's ids, a
 * details call returns the records of the ids it was given, a combined call pages through
 * records. Every `meta.pagination` is made to end: a page's token names the next page, the
 * last page's token is empty and `total` is the family's size.
 *
 * Ids are checked as Falcon checks them where the world can be asked for them (a family with a
 * queries or combined route): an entities call answers the ids the world (or an earlier answer
 * of the mock: a create, an upload) has, and reports each other id in `errors` (code 404), with
 * HTTP 404 when it found none. Families no query lists keep answering a record for any id.
 */
import { type ExampleGenerator, type Projection, projectionOf } from "./examples.js";
import { filterPaths, matches, parseFilter } from "./fql.js";
import { componentSchema } from "./schema.js";
import type { OpenApiDocument, OperationEntry, Schema } from "./spec.js";
import type { ParsedRequest } from "./validate.js";
import { ENTITY_FAMILIES, type RouteFamily, routeFamily, type World } from "./world.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Follows $refs and single-part allOfs to the schema node that has the properties. */
export function resolveNode(doc: OpenApiDocument, schema: unknown): Schema {
  let node: unknown = schema;
  for (let i = 0; i < 20 && isRecord(node); i++) {
    if (typeof node.$ref === "string") node = componentSchema(doc, node.$ref);
    else if (Array.isArray(node.allOf) && node.allOf.length >= 1 && !isRecord(node.properties)) {
      const withProps = node.allOf
        .map((p) => resolveNode(doc, p))
        .find((p) => isRecord(p.properties) && "resources" in p.properties);
      node = withProps ?? node.allOf[0];
    } else break;
  }
  return isRecord(node) ? node : {};
}

export function resourceItems(entry: OperationEntry, schema: unknown): unknown {
  const root = resolveNode(entry.doc, schema);
  const props = isRecord(root.properties) ? root.properties : {};
  const resources = resolveNode(entry.doc, props.resources);
  return resources.type === "array" ? resources.items : undefined;
}

const TOKEN_PREFIX = "mock-page:";

/** An opaque page token for the page starting at `index`. */
export function pageToken(index: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${index}`).toString("base64url");
}

function tokenIndex(token: string): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const text = Buffer.from(token, "base64url").toString("utf8");
  return text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) || 0 : undefined;
}

/** Request fields that carry a page cursor, in the query or the body. */
const CURSOR_KEYS = [
  "offset",
  "after",
  "next_token",
  "next_page",
  "token",
  "marker",
  "continuation_token",
  "search_after",
  "from",
] as const;
/** meta.pagination fields that name the next page. */
const NEXT_KEYS = new Set([
  "after",
  "next_token",
  "next_page",
  "next",
  "nextToken",
  "continuation_token",
  "marker",
  "last_id",
]);

export interface PageInfo {
  readonly start: number;
  readonly count: number;
  readonly total: number;
  readonly limit: number;
  /** Where the next page starts; undefined on the last page. */
  readonly next: number | undefined;
}

function requestFields(parsed: ParsedRequest | undefined): Record<string, unknown> {
  if (!parsed) return {};
  return { ...(isRecord(parsed.body) ? parsed.body : {}), ...parsed.query };
}

/** The page a request asks for over `total` items: its cursor, and its limit (else the parameter's default, else 100). */
export function pageOf(entry: OperationEntry, parsed: ParsedRequest | undefined, total: number): PageInfo {
  const fields = requestFields(parsed);
  let start = 0;
  for (const key of CURSOR_KEYS) {
    const v = fields[key];
    if (typeof v === "number" && Number.isInteger(v) && v >= 0) start = v;
    else if (typeof v === "string" && v !== "") start = tokenIndex(v) ?? 0;
    else continue;
    break;
  }
  const limitParam = entry.parameters.find((p) => p.name === "limit")?.schema;
  const max = typeof limitParam?.maximum === "number" ? limitParam.maximum : Infinity;
  const requested =
    typeof fields.limit === "number" && fields.limit > 0
      ? fields.limit
      : typeof limitParam?.default === "number"
        ? limitParam.default
        : 100;
  const limit = Math.max(1, Math.min(requested, max));
  const count = Math.max(0, Math.min(limit, total - start));
  const end = start + count;
  return { start, count, total, limit, next: end < total ? end : undefined };
}

/**
 * Writes a page's position into a generated `meta.pagination`, keeping each field's type. A
 * last page's token is "" (or absent where the schema forbids an empty one and allows none).
 */
function finishPagination(
  entry: OperationEntry,
  schema: unknown,
  body: Record<string, unknown>,
  page: PageInfo,
  now: number,
): void {
  const meta = body.meta;
  if (!isRecord(meta) || !isRecord(meta.pagination)) return;
  const p = meta.pagination;
  const metaNode = resolveNode(entry.doc, propertiesOf(resolveNode(entry.doc, schema)).meta);
  const pagingNode = resolveNode(entry.doc, propertiesOf(metaNode).pagination);
  const required = Array.isArray(pagingNode.required) ? (pagingNode.required as string[]) : [];
  const token = (key: string): string | undefined => {
    if (page.next !== undefined) return pageToken(page.next);
    const node = resolveNode(entry.doc, propertiesOf(pagingNode)[key]);
    if (!(typeof node.minLength === "number" && node.minLength > 0)) return "";
    // a token that cannot be empty points past the end: that page is empty, which ends a loop too
    return required.includes(key) ? pageToken(page.total) : undefined;
  };
  const setToken = (key: string): void => {
    const t = token(key);
    if (t === undefined) delete p[key];
    else p[key] = t;
  };
  for (const key of Object.keys(p)) {
    const v = p[key];
    if (key === "total" && typeof v === "number") p[key] = page.total;
    else if (key === "limit" && typeof v === "number") p[key] = page.limit;
    else if (key === "count" && typeof v === "number") p[key] = page.count;
    // an integer offset is where the next page starts (so `while (offset < total)` ends); a string one is a token
    else if (key === "offset" && typeof v === "number") p[key] = page.start + page.count;
    else if ((key === "offset" || NEXT_KEYS.has(key)) && typeof v === "string") setToken(key);
    else if (key === "expires_at" && typeof v === "number") p[key] = now + 120_000;
  }
}

function propertiesOf(node: Schema): Record<string, unknown> {
  return isRecord(node.properties) ? node.properties : {};
}

function requestedIds(parsed: ParsedRequest | undefined): string[] | undefined {
  if (!parsed) return undefined;
  const body = isRecord(parsed.body) ? parsed.body : {};
  for (const v of [parsed.query.ids, body.ids, body.composite_ids, parsed.path.ids, parsed.path.id]) {
    if (Array.isArray(v) && v.every((x) => typeof x === "string") && v.length)
      return v.flatMap((x: string) => x.split(",")).filter(Boolean);
    if (typeof v === "string" && v !== "") return v.split(",");
  }
  return undefined;
}

/** Fields of a record that hold its own id, by family. */
function idFields(family: string): string[] {
  const noun = family.slice(family.indexOf("/") + 1).replace(/-/g, "_");
  const singular = noun.replace(/ies$/, "y").replace(/s$/, "");
  const fields = ["id", `${singular}_id`];
  if (family === ENTITY_FAMILIES.hosts) fields.push("device_id", "aid");
  if (family === ENTITY_FAMILIES.alerts) fields.push("composite_id");
  if (family === ENTITY_FAMILIES.users) fields.push("uuid");
  return fields;
}

const AID_FIELDS = ["aid", "agent_id", "device_id"];

/** The record schema of a family (from one of its details operations) and the generator of its document. */
export type RecordSource = (
  family: string,
) => { readonly items: unknown; readonly generator: ExampleGenerator } | undefined;

/** Falcon's report of an id it does not have; the id is named in `id` too where the operation's error entries have one. */
function notFoundError(entry: OperationEntry, schema: unknown, id: string): Record<string, unknown> {
  const errors = resolveNode(entry.doc, propertiesOf(resolveNode(entry.doc, schema)).errors);
  const item = resolveNode(entry.doc, errors.items);
  const error: Record<string, unknown> = { code: 404, message: `ID ${id} not found` };
  if ("id" in propertiesOf(item)) error.id = id;
  return error;
}

/** Route families whose ids are another family's: summaries of their entities, the online state and group or policy members of hosts. */
const SAME_IDS: Readonly<Record<string, string>> = {
  "detects/summaries": ENTITY_FAMILIES.detections,
  "falconx/report-summaries": ENTITY_FAMILIES.sandboxReports,
  "devices/online-state": ENTITY_FAMILIES.hosts,
  "devices/host-group-members": ENTITY_FAMILIES.hosts,
};
const POLICY_MEMBERS = /^policy\/[\w-]+-members$/;
const ACTIONS = /-actions(?:-delete)?$/;

/** What the mock does with ids the world does not have: `not-found` as Falcon, or `answer` a made-up record for each. */
export type UnknownIds = "not-found" | "answer";

export interface AnswerSources {
  /** The record schema of a family. */
  readonly record: RecordSource;
  /** Whether a query or combined route lists the family (so a test can learn its ids). */
  readonly listed: (family: string) => boolean;
  /** Whether an id names something the mock keeps outside the world (an uploaded file's digest). */
  readonly stored: (id: string) => boolean;
  readonly unknownIds: UnknownIds;
}

/** A world answer's body, and whether ids it was asked for are not found (`all`: HTTP 404; `some`: partial). */
export interface WorldAnswer {
  readonly body: unknown;
  readonly notFound?: "all" | "some";
}

/** The HTTP status of a world answer: 404 when no id was found, 207 for a partial one where the operation has a multi-status answer. */
export function worldStatus(entry: OperationEntry, success: number, answer: WorldAnswer): number {
  if (answer.notFound === "all") return 404;
  if (answer.notFound === "some" && entry.responses["207"]) return 207;
  return success;
}

export class Answers {
  private readonly filtered = new Map<string, readonly string[]>();
  /** Ids the mock's own answers gave out (creates, uploads), by family: they resolve like the world's until reset. */
  private readonly issued = new Map<string, Set<string>>();

  constructor(
    private readonly world: World,
    private readonly sources: AnswerSources,
  ) {}

  /** Forgets the ids answers gave out (the world itself never changes). */
  reset(): void {
    this.issued.clear();
  }

  /**
   * The family whose ids a route carries: its own, or for an action (`devices-actions`,
   * `incident-actions`) the family it acts on, for members of host groups and policies the hosts.
   */
  idFamily(family: string): string {
    const same = SAME_IDS[family] ?? (POLICY_MEMBERS.test(family) ? ENTITY_FAMILIES.hosts : undefined);
    if (same) return same;
    if (!ACTIONS.test(family)) return family;
    const base = family.replace(ACTIONS, "");
    return [base, `${base}s`].find((f) => this.sources.listed(f)) ?? family;
  }

  /** Whether the ids of an entities call are checked: the world can list its family, and the mock is set to check. */
  private checksIds(route: RouteFamily): boolean {
    return (
      this.sources.unknownIds === "not-found" &&
      route.kind === "entities" &&
      this.sources.listed(this.idFamily(route.family))
    );
  }

  private known(family: string, id: string): boolean {
    return this.world.has(family, id) || this.issued.get(family)?.has(id) === true || this.sources.stored(id);
  }

  /** Remembers the ids of the records an entities call without ids answered (what it created). */
  private issue(family: string, resources: readonly unknown[]): void {
    const fields = idFields(family);
    for (const r of resources) {
      if (!isRecord(r)) continue;
      for (const key of fields) {
        const id = r[key];
        if (typeof id !== "string" || id === "") continue;
        let set = this.issued.get(family);
        if (!set) this.issued.set(family, (set = new Set()));
        set.add(id);
      }
    }
  }

  /**
   * A family's ids that match a request's FQL `filter`, in the order of its `sort`
   * (`field.asc`, `field|desc`), both judged on the records its details call would return;
   * every id in world order when neither is given or understood.
   */
  private idsFor(family: string, parsed: ParsedRequest | undefined): readonly string[] {
    const all = this.world.ids(family);
    const fields = requestFields(parsed);
    const filter =
      typeof fields.filter === "string" && fields.filter.trim() !== ""
        ? parseFilter(fields.filter, this.world.now)
        : undefined;
    const sort = typeof fields.sort === "string" ? /^([\w.]+?)(?:[.|](asc|desc))?$/.exec(fields.sort.trim()) : null;
    const source = (filter || sort) && this.sources.record(family);
    if (!source) return all;
    const key = `${family}\u0000${String(fields.filter)}\u0000${String(fields.sort)}`;
    let ids = this.filtered.get(key);
    if (ids) return ids;
    // only the fields the filter and the sort read are generated: a family can have thousands of records
    const only = projectionOf([...(filter ? filterPaths(filter) : []), ...(sort ? [sort[1]!.split(".")] : [])]);
    const records = new Map(all.map((id) => [id, this.record(family, id, source.items, source.generator, only)]));
    ids = filter ? all.filter((id) => matches(filter, records.get(id))) : [...all];
    if (sort) {
      const path = sort[1]!.split(".");
      const value = (id: string): string => {
        let node: unknown = records.get(id);
        for (const k of path) node = isRecord(node) ? node[k] : undefined;
        return node === undefined || node === null
          ? ""
          : typeof node === "number"
            ? node.toFixed(6).padStart(24, "0")
            : String(node);
      };
      const direction = sort[2] === "desc" ? -1 : 1;
      ids = [...ids].sort((a, b) => direction * value(a).localeCompare(value(b)));
    }
    if (this.filtered.size > 256) this.filtered.clear();
    this.filtered.set(key, ids);
    return ids;
  }

  /**
   * The body of a success answer: generated from `schema` (sanitized), with world data where
   * the route has a family. `now` stamps page-token expiry.
   */
  body(
    entry: OperationEntry,
    schema: unknown,
    generator: ExampleGenerator,
    parsed: ParsedRequest | undefined,
    now: number,
    cached?: string,
  ): WorldAnswer {
    const body = cached !== undefined ? (JSON.parse(cached) as unknown) : this.base(entry, schema, generator);
    if (!isRecord(body)) return { body };
    if (Array.isArray(body.errors)) body.errors = [];
    const finish = (page: PageInfo): WorldAnswer => {
      finishPagination(entry, schema, body, page, now);
      return { body };
    };
    const whole = (items: readonly unknown[]): WorldAnswer => {
      body.resources = items;
      return finish({
        start: 0,
        count: items.length,
        total: items.length,
        limit: Math.max(1, items.length),
        next: undefined,
      });
    };
    const resources = body.resources;
    const route = routeFamily(entry.path);
    const family = route && this.idFamily(route.family);
    const ids = requestedIds(parsed);
    // the ids of an entities call the world cannot find (none where it does not check them)
    const missing = new Set(
      route && family && ids && this.checksIds(route) ? ids.filter((id) => !this.known(family, id)) : [],
    );
    const found = ids?.filter((id) => !missing.has(id));
    const reported = (answer: WorldAnswer): WorldAnswer => {
      if (missing.size === 0) return answer;
      body.errors = [...missing].map((id) => notFoundError(entry, schema, id));
      return { body, notFound: found?.length ? "some" : "all" };
    };
    const items = route && Array.isArray(resources) ? resourceItems(entry, schema) : undefined;
    if (!route || !family || items === undefined)
      return reported(
        Array.isArray(resources)
          ? whole(found?.length === 0 ? [] : resources)
          : finish({ start: 0, count: 0, total: 0, limit: 1, next: undefined }),
      );
    const itemNode = resolveNode(entry.doc, items);
    // a query's items are ids even where the spec leaves them untyped (domain.IncidentID is `{}`)
    const ofIds =
      itemNode.type === "string" ||
      (route.kind === "queries" && itemNode.type === undefined && !isRecord(itemNode.properties));
    if (found) return reported(whole(ofIds ? found : found.map((id) => this.record(family, id, items, generator))));
    // an entities call without ids (a create, an action) keeps its generated answer, and its ids resolve from now on
    if (route.kind === "entities") {
      this.issue(family, resources as unknown[]);
      return whole(resources as unknown[]);
    }
    const all = this.idsFor(family, parsed);
    const page = pageOf(entry, parsed, all.length);
    const slice = all.slice(page.start, page.start + page.count);
    body.resources = ofIds ? slice : slice.map((id) => this.record(family, id, items, generator));
    return finish(page);
  }

  /** The generated body before world data, as JSON text (cacheable: it depends on the operation only). */
  baseText(entry: OperationEntry, schema: unknown, generator: ExampleGenerator): string {
    return JSON.stringify(this.base(entry, schema, generator) ?? null);
  }

  private base(entry: OperationEntry, schema: unknown, generator: ExampleGenerator): unknown {
    return generator.generate(schema, this.world.context(`op:${entry.id}`));
  }

  /**
   * One entity's record in an operation's item schema: the same id gives the same values in any
   * operation. With `only`, just those fields (with the values the whole record has there).
   */
  record(family: string, id: string, items: unknown, generator: ExampleGenerator, only?: Projection): unknown {
    const rec = generator.generate(items, this.world.context(`${family}:${id}`, family), "", only);
    if (!isRecord(rec)) return rec;
    for (const key of idFields(family)) if (typeof rec[key] === "string") rec[key] = id;
    const aid = /(?:^|:)([0-9a-f]{32})(?::|$)/.exec(
      family === ENTITY_FAMILIES.hosts ? "" : id.replace(`${this.world.cid}:`, ""),
    )?.[1];
    if (aid) {
      for (const key of AID_FIELDS) if (typeof rec[key] === "string") rec[key] = aid;
      // the host an alert or incident is about is the world's host: the same hostname, IPs, platform
      const device = resolveNode(generator.doc, propertiesOf(resolveNode(generator.doc, items)).device);
      const deviceFields = only?.get("device");
      if (isRecord(rec.device) && isRecord(device.properties))
        rec.device = this.record(
          ENTITY_FAMILIES.hosts,
          aid,
          device,
          generator,
          deviceFields === true ? undefined : deviceFields,
        );
    }
    return rec;
  }
}
