/** Hand-written operation tables and clients for the runtime tests. */
import type { OperationSpec } from "../../runtime/operation.js";
import type { CallOptions } from "../../runtime/options.js";
import type { DictResult, Outcome } from "../../runtime/results.js";
import { ServiceClass } from "../../runtime/service-class.js";
import { UberInterface } from "../../runtime/uber.js";
import type { PayloadKeywords, FormKeywords } from "../../runtime/arguments.js";
import { z } from "zod";
import type { SchemaModule } from "../../runtime/operation.js";

const loadSchemas = (): Promise<SchemaModule> =>
  Promise.resolve({
    schemas: {
      QueryThings: () => ({
        query: z.looseObject({
          limit: z.number().int().max(500).optional(),
          filter: z.string().optional(),
          ids: z.union([z.array(z.string()), z.string()]).optional(),
        }),
      }),
      CreateThing: () => ({
        query: z.looseObject({ limit: z.number().int().optional() }),
        body: z.looseObject({ name: z.string(), tags: z.array(z.string()).optional() }),
      }),
      GetThing: () => ({
        path: z.looseObject({ id: z.string().min(3) }),
        header: z.looseObject({ "X-CS-USERNAME": z.string().email().optional() }),
      }),
      UploadSample: () => ({ formData: z.looseObject({ comment: z.string().max(10).optional(), sample: z.any() }) }),
    },
  });

export const ops = {
  QueryThings: {
    id: "QueryThings",
    method: "GET",
    path: "/things/queries/things/v1",
    tag: "things",
    params: [
      { name: "limit", in: "query", type: "integer" },
      { name: "filter", in: "query", type: "string" },
      { name: "sort", in: "query", type: "string" },
      { name: "ids", in: "query", type: "array", items: "string", collectionFormat: "multi" },
      { name: "fields", in: "query", type: "array", items: "string", collectionFormat: "csv" },
      { name: "hidden", in: "query", type: "boolean" },
    ],
    loadSchemas,
  },
  GetThing: {
    id: "GetThing",
    method: "GET",
    path: "/things/entities/{id}/v1",
    tag: "things",
    params: [
      { name: "id", in: "path", type: "string", required: true },
      { name: "X-CS-USERNAME", in: "header", type: "string" },
    ],
    loadSchemas,
  },
  CreateThing: {
    id: "CreateThing",
    method: "POST",
    path: "/things/entities/things/v1",
    tag: "things",
    params: [
      { name: "limit", in: "query", type: "integer" },
      { name: "body", in: "body", required: true },
    ],
    consumes: ["application/json"],
    bodyKeys: ["name", "tags", "limit", "data"],
    loadSchemas,
  },
  RefreshSession: {
    id: "RefreshSession",
    method: "POST",
    path: "/sensors/entities/datafeed-actions/v1/{partition}",
    tag: "event-streams",
    params: [
      { name: "partition", in: "path", type: "integer", required: true },
      { name: "action_name", in: "query", type: "string", required: true },
      { name: "appId", in: "query", type: "string", required: true },
    ],
  },
  DeleteMembers: {
    id: "DeleteMembers",
    method: "DELETE",
    path: "/groups/entities/members/v1",
    tag: "things",
    params: [{ name: "body", in: "body", required: true }],
    bodyKeys: ["group_id", "user_ids"],
  },
  GetRelays: {
    id: "GetRelays",
    method: "GET",
    path: "/relays/entities/v1",
    tag: "things",
    params: [{ name: "body", in: "body" }],
    bodyKeys: ["ids"],
  },
  DeleteThings: {
    id: "DeleteThings",
    method: "DELETE",
    path: "/things/entities/things/v1",
    tag: "things",
    params: [{ name: "ids", in: "query", type: "array", collectionFormat: "csv", required: true }],
  },
  UploadSample: {
    id: "UploadSample",
    method: "POST",
    path: "/samples/entities/samples/v3",
    tag: "sample-uploads",
    params: [
      { name: "sample", in: "formData", type: "file", required: true },
      { name: "file_name", in: "formData", type: "string", required: true },
      { name: "comment", in: "formData", type: "string" },
      { name: "is_confidential", in: "formData", type: "boolean" },
    ],
    consumes: ["multipart/form-data"],
    loadSchemas,
  },
  UploadArchive: {
    id: "UploadArchive",
    method: "POST",
    path: "/archives/entities/archives/v1",
    tag: "sample-uploads",
    params: [
      { name: "name", in: "query", type: "string", required: true },
      { name: "body", in: "body", required: true },
    ],
    consumes: ["application/octet-stream"],
  },
  DownloadFile: {
    id: "DownloadFile",
    method: "GET",
    path: "/files/entities/{id}",
    tag: "things",
    params: [{ name: "id", in: "path", type: "string", required: true }],
    produces: ["application/octet-stream"],
    binary: true,
  },
  TokenOp: {
    id: "oauth2AccessToken",
    method: "POST",
    path: "/oauth2/token",
    tag: "oauth2",
    params: [
      { name: "client_id", in: "formData", type: "string", required: true },
      { name: "client_secret", in: "formData", type: "string", required: true },
      { name: "member_cid", in: "formData", type: "string" },
    ],
    consumes: ["application/x-www-form-urlencoded"],
  },
} as const satisfies Record<string, OperationSpec>;

// ----- argument types, as the generator would emit them
export interface Thing {
  id: string;
  name: string;
}
export interface ThingsBody {
  meta: { query_time?: number; trace_id?: string; pagination?: { offset?: number; limit?: number; total?: number } };
  resources: Thing[];
  errors: { code?: number; message: string }[];
}
export interface QueryThingsArgs extends PayloadKeywords {
  limit?: number;
  filter?: string;
  sort?: string;
  ids?: string[] | string;
  fields?: string[] | string;
  hidden?: boolean;
  parameters?: {
    limit?: number;
    filter?: string;
    sort?: string;
    ids?: string[] | string;
    hidden?: boolean;
    [k: string]: unknown;
  };
}
export interface CreateThingBody {
  name: string;
  tags?: string[];
  limit?: number;
  data?: string;
}
export interface CreateThingArgs extends PayloadKeywords, Partial<CreateThingBody> {
  limit?: number;
  body?: CreateThingBody;
}
export interface GetThingArgs extends PayloadKeywords {
  id: string;
  "X-CS-USERNAME"?: string;
}
export interface UploadSampleArgs extends PayloadKeywords, FormKeywords {
  sample?: Uint8Array | Blob;
  comment?: string;
  is_confidential?: boolean;
}

export interface TestOps {
  QueryThings: { args: QueryThingsArgs; response: ThingsBody; required: false };
  "query-things": { args: QueryThingsArgs; response: ThingsBody; required: false };
  CreateThing: {
    args: CreateThingArgs & ({ body: CreateThingBody } | { name: string });
    response: ThingsBody;
    required: true;
  };
  GetThing: { args: GetThingArgs; response: ThingsBody; required: true };
  UploadSample: { args: UploadSampleArgs; response: ThingsBody; required: true };
}

export class Things<Mode extends boolean = false> extends ServiceClass<Mode> {
  queryThings<P extends boolean = Mode>(
    args: QueryThingsArgs = {},
    options?: CallOptions<P>,
  ): Promise<Outcome<ThingsBody, P>> {
    return this.call<Outcome<ThingsBody, P>>(ops.QueryThings, args, options);
  }
  getThing<P extends boolean = Mode>(args: GetThingArgs, options?: CallOptions<P>): Promise<Outcome<ThingsBody, P>> {
    return this.call(ops.GetThing, args, options);
  }
  createThing<P extends boolean = Mode>(
    args: CreateThingArgs,
    options?: CallOptions<P>,
  ): Promise<Outcome<ThingsBody, P>> {
    return this.call(ops.CreateThing, args, options);
  }
  /** Any table entry, for the generic routing tests. */
  send<P extends boolean = Mode>(
    op: OperationSpec,
    args?: object,
    options?: CallOptions<P>,
  ): Promise<Outcome<unknown, P>> {
    return this.call(op, args, options);
  }
}

const table: Record<string, OperationSpec> = { ...ops, "query-things": ops.QueryThings };

type LooseOps = {
  [K in Exclude<keyof typeof ops, keyof TestOps>]: {
    args: Record<string, unknown>;
    response: unknown;
    required: false;
  };
};
export type AllOps = TestOps & LooseOps;

export class TestUber<Mode extends boolean = false> extends UberInterface<AllOps, Mode> {
  protected override findOperation(id: string): Promise<OperationSpec | undefined> {
    return Promise.resolve(Object.hasOwn(table, id) ? table[id] : undefined);
  }
}

export type AnyDict = DictResult<unknown>;
