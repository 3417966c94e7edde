/**
 * The shape of the generated operation tables (in each generated/<collection>/index.ts).
 * The generator writes this data; the payload router and the Uber class read it.
 */
import type { ChunkSpec, PaginationSpec } from "./paginate/spec.js";

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
  /** Body fields that are lists of strings: a comma-separated string given for one is split (FalconPy). */
  readonly bodyArrays?: readonly string[];
  /** The success response is raw bytes, not JSON. */
  readonly binary?: boolean;
  /** A POST that only reads (reviewed in spec/read-only-posts.ts): safe to replay after a transient fault. */
  readonly readOnly?: boolean;
  /** The API marks the operation deprecated: the first call in a process warns (DeprecatedOperation). */
  readonly deprecated?: boolean;
  /** Served from another host than the API gateway (the falcon-container upload routes). */
  readonly host?: "container-upload";
  /** How the operation pages (runtime/paginate/spec.ts); absent when it does not. */
  readonly pagination?: PaginationSpec;
  /** How its ids may be split over several calls (runtime/paginate/spec.ts). */
  readonly chunk?: ChunkSpec;
  /** Loads the collection's zod schemas; only called when payload validation is on. */
  readonly loadSchemas?: () => Promise<SchemaModule>;
}

/** A collection's table: operation ID -> operation. */
export type OperationTable = Readonly<Record<string, OperationSpec>>;

/**
 * What the runtime needs of a payload schema: zod's `safeParse`. Declared structurally so that
 * a consumer's type-check of a service class does not pull in zod's declarations.
 */
export interface PayloadSchema {
  safeParse(
    value: unknown,
    params?: { readonly error?: (issue: RawIssue) => string | undefined },
  ):
    | { readonly success: true }
    | {
        readonly success: false;
        readonly error: {
          readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
        };
      };
}

/** What zod hands a per-parse error map (zod 4's `$ZodRawIssue`, the fields the runtime reads). */
export interface RawIssue {
  readonly code: string;
  readonly input?: unknown;
  readonly origin?: string;
  readonly maximum?: number | bigint;
  readonly minimum?: number | bigint;
  readonly inclusive?: boolean;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  /** invalid_union: each alternative's issues (already given their messages). */
  readonly errors?: readonly (readonly {
    readonly code: string;
    readonly path: readonly PropertyKey[];
    readonly message: string;
  }[])[];
}

/** zod schemas of one operation's payload parts (generated/<collection>/schemas.ts). */
export interface PayloadSchemas {
  readonly query?: PayloadSchema;
  readonly path?: PayloadSchema;
  readonly header?: PayloadSchema;
  readonly body?: PayloadSchema;
  readonly formData?: PayloadSchema;
}

/** A collection's schema module: one factory per operation, so only what is used gets built. */
export interface SchemaModule {
  readonly schemas: Readonly<Record<string, () => PayloadSchemas>>;
}
