/** A small hand-written OpenAPI 3 document covering the shapes (and quirks) the Falcon spec has. */
import type { OpenApiDocument } from "../../mock/server.js";

const envelope = (resources: object) => ({
  type: "object",
  required: ["meta", "resources", "errors"],
  properties: {
    meta: { $ref: "#/components/schemas/msa.MetaInfo" },
    errors: { type: "array", items: { $ref: "#/components/schemas/msa.APIError" } },
    resources: { type: "array", items: resources },
  },
});

const ok = (schema: object, code = "200") => ({
  [code]: { description: "OK", content: { "application/json": { schema } } },
  "400": {
    description: "Bad",
    content: { "application/json": { schema: { $ref: "#/components/schemas/msa.ReplyMetaOnly" } } },
  },
});

export const fixtureDoc: OpenApiDocument = {
  openapi: "3.0.3",
  info: { title: "fixture", version: "1" },
  paths: {
    "/devices/queries/devices/v1": {
      get: {
        operationId: "QueryDevices",
        parameters: [
          { name: "limit", in: "query", required: true, schema: { type: "integer", maximum: 5000 } },
          { name: "sort", in: "query", schema: { type: "string", enum: ["hostname.asc", "hostname.desc"] } },
          {
            name: "ids",
            in: "query",
            style: "form",
            explode: false,
            schema: { type: "array", items: { type: "string" } },
          },
          { name: "tags", in: "query", explode: true, schema: { type: "array", items: { type: "string" } } },
          { name: "flag", in: "query", schema: { type: "boolean" } },
          { name: "schedule", in: "query", schema: { type: "string", enum: ["never,once,daily"] } },
        ],
        responses: ok({ $ref: "#/components/schemas/ids.Response" }),
      },
    },
    "/devices/entities/devices/{id}": {
      get: {
        operationId: "GetDevice",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "X-CS-USERNAME", in: "header", required: true, schema: { type: "string" } },
        ],
        responses: ok({ $ref: "#/components/schemas/device.Response" }),
      },
    },
    "/devices/entities/devices/latest": {
      get: { operationId: "GetLatestDevice", responses: ok({ $ref: "#/components/schemas/device.Response" }) },
    },
    "/devices/entities/devices-actions/v2": {
      post: {
        operationId: "PerformAction",
        parameters: [
          {
            name: "action_name",
            in: "query",
            required: true,
            schema: { type: "string", enum: ["contain", "lift_containment"] },
          },
        ],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/msa.EntityActionRequestV2" } } },
        },
        responses: ok({ $ref: "#/components/schemas/ids.Response" }, "202"),
      },
      delete: { operationId: "DeleteNothing", responses: { "204": { description: "No content" } } },
    },
    "/samples/entities/samples/v3": {
      post: {
        operationId: "UploadSample",
        requestBody: {
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                required: ["sample", "file_name"],
                properties: {
                  sample: { type: "string", format: "binary" },
                  file_name: { type: "string" },
                  comment: { type: "string" },
                  is_confidential: { type: "boolean" },
                },
              },
            },
          },
        },
        responses: ok({ $ref: "#/components/schemas/ids.Response" }),
      },
      get: {
        operationId: "GetSample",
        parameters: [{ name: "ids", in: "query", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "OK",
            content: {
              "application/json": { schema: { type: "string" } },
              "application/octet-stream": { schema: { type: "string" } },
            },
          },
        },
      },
    },
    "/archives/entities/archives/v1": {
      post: {
        operationId: "ArchiveUpload",
        parameters: [{ name: "name", in: "query", required: true, schema: { type: "string" } }],
        requestBody: {
          required: true,
          content: { "application/zip": { schema: { type: "array", items: { type: "integer", format: "int64" } } } },
        },
        responses: ok({ $ref: "#/components/schemas/ids.Response" }),
      },
    },
    "/reports/entities/report/v1": {
      get: {
        operationId: "GetReportCsv",
        responses: { "200": { description: "OK", content: { "text/csv": { schema: { type: "string" } } } } },
      },
    },
    "/forms/entities/form/v1": {
      post: {
        operationId: "PostForm",
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                required: ["name"],
                properties: { name: { type: "string" }, count: { type: "integer" } },
              },
            },
          },
        },
        responses: ok({ $ref: "#/components/schemas/ids.Response" }),
      },
    },
    "/schemas/entities/schema/v1": {
      get: { operationId: "GetSchema", responses: ok({ $ref: "#/components/schemas/schema.Response" }) },
    },
    "/groups/entities/groups/v1": {
      get: { operationId: "GetGroups", responses: ok({ $ref: "#/components/schemas/groups.Response" }) },
    },
  },
  components: {
    schemas: {
      "msa.MetaInfo": {
        type: "object",
        required: ["query_time", "trace_id"],
        properties: {
          query_time: { type: "number", format: "double" },
          trace_id: { type: "string" },
          powered_by: { type: "string" },
        },
      },
      "msa.APIError": {
        type: "object",
        required: ["code", "message"],
        properties: { code: { type: "integer", format: "int32" }, message: { type: "string" } },
      },
      "msa.ReplyMetaOnly": {
        type: "object",
        required: ["meta"],
        properties: {
          meta: { $ref: "#/components/schemas/msa.MetaInfo" },
          errors: { type: "array", items: { $ref: "#/components/schemas/msa.APIError" } },
        },
      },
      "msa.EntityActionRequestV2": {
        type: "object",
        required: ["ids"],
        properties: {
          ids: { type: "array", items: { type: "string" } },
          action_parameters: { type: "array", items: { $ref: "#/components/schemas/msa.ActionParameter" } },
        },
      },
      "msa.ActionParameter": {
        type: "object",
        required: ["name", "value"],
        properties: {
          name: { type: "string" },
          value: { type: "string" },
          mode: { type: "string", enum: ["full", "dry"] },
        },
      },
      "ids.Response": envelope({ type: "string" }),
      "device.Response": envelope({ $ref: "#/components/schemas/device.Device" }),
      "device.Device": {
        type: "object",
        required: ["device_id", "first_seen", "status"],
        properties: {
          device_id: { type: "string", pattern: "^[0-9a-f]{32}$" },
          first_seen: { type: "string", format: "date-time" },
          status: { type: "string", enum: ["normal", "containment_pending", "contained"] },
          local_ip: { type: "string", format: "ipv4" },
          cpu_count: { type: "integer", minimum: 1, maximum: 512 },
          tags: { type: "array", items: { type: "string" }, minItems: 1 },
          policies: { type: "array", items: { $ref: "#/components/schemas/device.Policy" } },
          meta: { type: "object" },
        },
      },
      "device.Policy": { type: "object", properties: { policy_id: { type: "string" }, applied: { type: "boolean" } } },
      // jsonschema.SubSchema in the Falcon spec has a property literally named "$ref"
      "jsonschema.SubSchema": {
        type: "object",
        properties: {
          $ref: { type: "string" },
          type: { type: "string" },
          items: { $ref: "#/components/schemas/jsonschema.SubSchema" },
          properties: { type: "object", additionalProperties: { $ref: "#/components/schemas/jsonschema.SubSchema" } },
        },
      },
      "schema.Response": envelope({ $ref: "#/components/schemas/jsonschema.SubSchema" }),
      // recursive and required all the way down, as types.UserGroup.parent
      "types.UserGroup": {
        type: "object",
        required: ["id", "parent"],
        properties: { id: { type: "string" }, parent: { $ref: "#/components/schemas/types.UserGroup" } },
      },
      "groups.Response": envelope({ $ref: "#/components/schemas/types.UserGroup" }),
    },
  },
};
