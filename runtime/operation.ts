/**
 * The shape of the generated operation tables (generated/<collection>/operations.ts).
 * The generator writes this data; the payload router and the Uber class read it.
 */
import type { ZodType } from "zod";

export type ParamLocation = "query" | "path" | "header" | "body" | "formData";

export interface ParamSpec {
  readonly name: string;
  readonly in: ParamLocation;
  /** Swagger type: string, integer, number, boolean, array, file; absent for body parameters. */
  readonly type?: string;
  /** Item type of an array parameter. */
  readonly items?: string;
  /** How an array travels: csv (one comma-joined value) or multi (the key repeated). */
  readonly collectionFormat?: "csv" | "multi" | "ssv" | "tsv" | "pipes";
  readonly required?: boolean;
}

export interface OperationSpec {
  readonly id: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  /** Route with `{name}` placeholders, relative to the API's base URL. */
  readonly path: string;
  /** The spec tag (collection) the operation belongs to. */
  readonly tag: string;
  readonly params: readonly ParamSpec[];
  readonly consumes?: readonly string[];
  readonly produces?: readonly string[];
  /** Top-level property names of the JSON body schema (body payload abstraction). */
  readonly bodyKeys?: readonly string[];
  /** The success response is raw bytes, not JSON. */
  readonly binary?: boolean;
  /** Served from another host than the API gateway (the falcon-container upload routes). */
  readonly host?: "container-upload";
  /** Loads the collection's zod schemas; only called when payload validation is on. */
  readonly loadSchemas?: () => Promise<SchemaModule>;
}

/** A collection's table: operation ID -> operation. */
export type OperationTable = Readonly<Record<string, OperationSpec>>;

/** zod schemas of one operation's payload parts (generated/<collection>/schemas.ts). */
export interface PayloadSchemas {
  readonly query?: ZodType;
  readonly path?: ZodType;
  readonly header?: ZodType;
  readonly body?: ZodType;
  readonly formData?: ZodType;
}

/** A collection's schema module: one factory per operation, so only what is used gets built. */
export interface SchemaModule {
  readonly schemas: Readonly<Record<string, () => PayloadSchemas>>;
}
