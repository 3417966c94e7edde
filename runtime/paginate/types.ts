/**
 * The types generated classes and APIHarnessV2 give their paginators: items from the
 * operation's `resources`, pages as the operation's result in the chosen mode, detail records
 * from the paired details operation.
 */
import type { Result, SuccessResult } from "../results.js";
import type { ItemOf, PaginateOptions, Paginator } from "./paginator.js";

/** One page: every page a paginator yields succeeded (a failed page throws), so a dict page is a SuccessResult. */
export type PageOf<Response, P extends boolean> = P extends true ? Result<Response> : SuccessResult<Response>;

/** A paginator factory: `client.paginate.queryDevicesByFilterScroll(args?, options?)`. */
export type PaginatorMethod<
  Args,
  Response,
  Mode extends boolean,
  Details = never,
  Required extends boolean = false,
  Item = ItemOf<Response>,
> = <P extends boolean = Mode>(
  ...call: Required extends true
    ? [args: Args, options?: PaginateOptions<P>]
    : [args?: Args, options?: PaginateOptions<P>]
) => Paginator<Item, PageOf<Response, P>, [Details] extends [never] ? never : ItemOf<Details>>;

/** APIHarnessV2's map of paginated operation IDs (generated/uber.ts). */
export interface PaginatedEntryTypes {
  args: object;
  response: unknown;
  /** The details operation's success body (never: no details operation). */
  details: unknown;
  /** The item type where the items are not the body's `resources` (the table's `items` path). */
  item?: unknown;
  required: boolean;
}
export type PaginatedOperationMap<Pag> = { [K in keyof Pag]: PaginatedEntryTypes };

/** An entry's item type: `item` where the items live elsewhere, else the element of `resources`. */
export type PagedItem<E> = E extends { item: infer I } ? I : E extends { response: infer R } ? ItemOf<R> : unknown;
