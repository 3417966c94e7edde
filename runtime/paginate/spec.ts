/**
 * The pagination and ID-chunking data the generator writes into each operation's table entry
 * (codegen/pagination.ts derives it from the spec; spec/pagination-overrides.ts and
 * spec/chunk-maxima.ts settle what the spec does not say). Data only: the paginators in this
 * folder read it.
 */

/**
 * How an operation pages. The label names the style for reports and docs; the runtime needs only
 * `param`/`in` (where the position goes), `token` (where the next position comes from) and
 * whether the position is an integer offset.
 *  - offset: an integer offset the client advances by the items received (capped: offset + limit <= 10,000)
 *  - offset-token: a string offset returned in meta.pagination.offset (the `...Scroll` endpoints; may expire)
 *  - after: an `after` token in the query, returned in meta.pagination.after
 *  - body-after: an `after` token in the JSON body (PostCombinedAlertsV1)
 *  - next-token: `next_token` in the query, returned in meta.pagination.next_token
 *  - next-page: meta.pagination.next_page, sent back as the offset
 */
export type PaginationStyle = "offset" | "offset-token" | "after" | "body-after" | "next-token" | "next-page";

export interface PaginationSpec {
  readonly style: PaginationStyle;
  /** The request parameter (or body property) that carries the position. */
  readonly param: string;
  readonly in: "query" | "body";
  /** The meta.pagination field the next position is read from (token styles only). */
  readonly token?: string;
  /** The page-size parameter (or body property) and where it goes. */
  readonly limitParam?: string;
  readonly limitIn?: "query" | "body";
  /** The largest page size the operation accepts (spec maximum, description or review). */
  readonly maxLimit?: number;
  /** Integer offsets: the API refuses offset + limit beyond this (10,000). */
  readonly cap?: number;
  /** An operation of the same collection that pages past the cap (scroll / after). */
  readonly alternative?: string;
  /** Where the items are in the body, dotted (default `resources`), e.g. `resources.events`. */
  readonly items?: string;
  /** The operation that fetches details by id for the ids this one yields (hydration). */
  readonly details?: string;
}

/** How a bulk "by ids" operation takes its ids, and how many per call. */
export interface ChunkSpec {
  /** The ids parameter: a query array or a JSON body property. */
  readonly param: string;
  readonly in: "query" | "body";
  /** Ids per call (spec maxItems, description or review); absent: bounded only by the URL length. */
  readonly max?: number;
}
