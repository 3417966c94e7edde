/**
 * Reviewed pagination data the spec does not say (codegen/pagination.ts applies it over what it
 * derives from parameters and the response's meta.pagination schema). Every entry names its
 * reason; test/paginate/classify.test.ts checks each ID exists and that the generator settles
 * every operation it could not classify on its own.
 */
import type { PaginationStyle } from "../runtime/paginate/spec.js";

export type PaginationOverride =
  | {
      readonly style: PaginationStyle;
      readonly param?: string;
      readonly in?: "query" | "body";
      readonly token?: string;
      /** Where the items are in the body (dotted), when the rules cannot tell. */
      readonly items?: string;
      readonly reason: string;
    }
  | { readonly style: "none"; readonly reason: string };

/** Operation ID -> style (or "none": not paged by this SDK), with the reason. */
export const PAGINATION_OVERRIDES: Readonly<Record<string, PaginationOverride>> = {
  GetActivityMonitorV3: {
    style: "offset",
    param: "skip",
    reason: "SaaS security monitor: `skip` is the number of logs to skip, an integer offset under another name.",
  },
  PostSearchKubernetesIOMEntities: {
    style: "none",
    reason:
      "body `search_after` takes the sort values of the last record, and the response schema carries no token to send back; not paged until the wire format is confirmed.",
  },
  ReadRunningContainerImages: {
    style: "none",
    reason:
      "takes offset/limit, but its success schema is one image record, not an envelope with a list: no items to page until the wire format is confirmed.",
  },
  cloud_registration_gcp_get_entities: {
    style: "none",
    reason:
      "takes offset/limit, but `resources` holds three lists (folders, organizations, projects): no single item list to page; call it per page.",
  },
  ListCollections: {
    style: "none",
    reason:
      "custom storage lists by key range (`start`/`end` keys); the spec does not say whether meta.pagination.offset is the next start key.",
  },
  ListObjects: {
    style: "none",
    reason:
      "custom storage lists by key range (`start`/`end` keys); the spec does not say whether meta.pagination.offset is the next start key.",
  },
  ListObjectsByVersion: {
    style: "none",
    reason:
      "custom storage lists by key range (`start`/`end` keys); the spec does not say whether meta.pagination.offset is the next start key.",
  },
  ListSchemas: {
    style: "none",
    reason:
      "custom storage lists by key range (`start`/`end` keys); the spec does not say whether meta.pagination.offset is the next start key.",
  },
};

/**
 * Bodies with `from`/`size` are aggregation specs (buckets of a facet), not pages of records:
 * every aggregate operation is left unpaged. Read by the classifier as a rule, so new aggregate
 * routes need no entry.
 */
export const AGGREGATE_FROM_SIZE_REASON =
  "`from`/`size` in an aggregation body page the buckets of one facet, not the records: call the operation per bucket window.";

/** Query -> details pairs the routes do not show (queries/X with entities/X is derived). */
export const DETAILS_PAIRS: Readonly<Record<string, { readonly details: string; readonly reason: string }>> = {
  QueryDevicesByFilterScroll: {
    details: "PostDeviceDetailsV2",
    reason:
      "/devices/queries/devices-scroll/v1 returns device ids; their records come from POST /devices/entities/devices/v2 (5,000 per call, the largest chunk).",
  },
  QueryDevicesByFilter: {
    details: "PostDeviceDetailsV2",
    reason: "host ids by filter; records from POST /devices/entities/devices/v2 (the GET twin takes only 100).",
  },
  QueryHiddenDevices: {
    details: "PostDeviceDetailsV2",
    reason: "hidden host ids; their records come from the same device details route.",
  },
};

/** Integer-offset operations capped at 10,000 and the operation that pages past the cap. */
export const CAP_ALTERNATIVES: Readonly<Record<string, { readonly alternative: string; readonly reason: string }>> = {
  QueryDevicesByFilter: {
    alternative: "QueryDevicesByFilterScroll",
    reason: "the scroll route pages hosts with a string offset and no 10,000 cap.",
  },
};
