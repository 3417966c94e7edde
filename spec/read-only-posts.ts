/**
 * POST operations that only read: safe to replay after a transient fault (connection reset,
 * timeout, 502/503/504) the way GET/HEAD/PUT/DELETE are. Reviewed by hand against the spec's
 * summaries; every entry says why. The request pipeline (runtime/request.ts) consults this
 * table, loaded on the first fault of a POST, so it costs nothing on the normal path.
 *
 * Rules of the review:
 *  - A POST is listed when the API uses POST only to carry a long query (ids, filters, an
 *    aggregation spec) in the body and the call changes nothing server side.
 *  - Calls that start a job (MalQuery hunts, NGSIEM/LogScale query jobs, RTR commands, report
 *    generation), mutate (GraphQL, uninstall-token increments), or are audited disclosures
 *    (revealUninstallToken) are NOT listed: replaying them repeats a side effect.
 *  - A caller can still replay any POST/PATCH with `retries: { retryNonIdempotent: true }`.
 *
 * test/reliability/read-only-posts.test.ts checks every listed ID exists as a POST in the
 * generated tables and that the patterns match no operation outside their rule.
 */

export interface ReadOnlyRule {
  readonly pattern: RegExp;
  readonly reason: string;
}

/** Path rules: every POST whose route matches is read-only. */
export const READ_ONLY_POST_PATTERNS: readonly ReadOnlyRule[] = [
  {
    pattern: /\/GET\/v\d+$/,
    reason:
      "Falcon's '.../GET/vN' routes are entity or aggregate reads moved to POST so that long ID lists fit in a body (e.g. /detects/entities/summaries/GET/v1, /incidents/entities/incidents/GET/v1).",
  },
  {
    pattern: /\/aggregates\//,
    reason:
      "'/aggregates/' routes compute counts and facets over existing data from an aggregation spec in the body (e.g. PostAggregatesAlertsV2, aggregate_events); none writes.",
  },
];

/** Individually reviewed POSTs outside the path rules: operation ID -> reason. */
export const READ_ONLY_POST_OPERATIONS: Readonly<Record<string, string>> = {
  PostDeviceDetailsV2:
    "Hosts: device details by ID; POST only to carry up to 5000 IDs (the GET twin is GetDeviceDetailsV2).",
  PostCombinedAlertsV1: "Alerts: query alerts with a filter/sort/after body; returns alerts, changes nothing.",
  QueryDeviceLoginHistory: "Hosts: login history for the device IDs in the body.",
  QueryDeviceLoginHistoryV2: "Hosts: login history for the device IDs in the body (v2).",
  QueryGetNetworkAddressHistoryV1: "Hosts: network address history for the device IDs in the body.",
  LookupIndicators: "Intelligence indicator graph: looks up indicator values given in the body.",
  SearchIndicators: "Intelligence indicator graph: search with a filter body.",
  ReadImageVulnerabilities: "Falcon Container: vulnerability lookup for the packages described in the body.",
  PostSearchKubernetesIOMEntities: "Kubernetes protection: IOM search with a filter body.",
  SearchObjects: "Custom storage: search a collection's objects with a filter body.",
  SearchObjectsByVersion: "Custom storage: search a collection version's objects with a filter body.",
  entities_get_rtr_file_metadata_post_v1: "Case management: reads RTR file metadata for the IDs in the body.",
  GetServicesCount: "ASPM: counts services matching a filter body.",
};

/** Exceptions to the path rules: matching routes that must not be replayed (none found so far). */
export const NOT_READ_ONLY_POSTS: Readonly<Record<string, string>> = {};

/** True when a POST operation only reads (by operation ID, else by route). */
export function isReadOnlyPost(op: { readonly id: string; readonly method: string; readonly path: string }): boolean {
  if (op.method !== "POST") return false;
  if (Object.hasOwn(NOT_READ_ONLY_POSTS, op.id)) return false;
  if (Object.hasOwn(READ_ONLY_POST_OPERATIONS, op.id)) return true;
  return READ_ONLY_POST_PATTERNS.some((r) => r.pattern.test(op.path));
}
