/**
 * Our reviewed corrections to the Falcon spec. Each patch is generic (it finds its targets by
 * shape, so it also applies to a console's official swagger.json) and says why it exists.
 * A patch that finds nothing to change is harmless; the generator prints what each one changed.
 */
import { PARAMETER_ENUMS, PROPERTY_ENUMS } from "./prose-enums.js";
import { eachOperation, type SwaggerDocument, type SwaggerSchema } from "./swagger.js";

export interface SpecPatch {
  readonly id: string;
  readonly reason: string;
  /** Mutates the document; returns a line per change, for the generator's report. */
  apply(doc: SwaggerDocument): string[];
}

const isByteArray = (s: SwaggerSchema | undefined): boolean =>
  !!s && s.type === "array" && !!s.items && s.items.type === "integer" && !s.items.$ref;

const BINARY: SwaggerSchema = { type: "string", format: "binary" };

/** Go-embedded structs: the property name Go's models give them -> the definition embedded. */
const GO_EMBEDDED: Readonly<Record<string, string>> = {
  MetaInfo: "#/definitions/msa.MetaInfo",
  Paging: "#/definitions/msa.Paging",
  MsaReplyMetaOnly: "#/definitions/msa.ReplyMetaOnly",
};

/** Calls fn on every schema object below `schema` (properties, items, allOf, additionalProperties). */
function walkSchema(schema: SwaggerSchema, fn: (s: SwaggerSchema, where: string) => void, where: string): void {
  fn(schema, where);
  for (const [name, prop] of Object.entries(schema.properties ?? {}))
    walkSchema(prop, fn, `${where}.properties.${name}`);
  if (schema.items) walkSchema(schema.items, fn, `${where}.items`);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object")
    walkSchema(schema.additionalProperties, fn, `${where}.additionalProperties`);
  (schema.allOf ?? []).forEach((s, i) => {
    walkSchema(s, fn, `${where}.allOf[${i}]`);
  });
}

function eachDefinitionSchema(doc: SwaggerDocument, fn: (s: SwaggerSchema, where: string) => void): void {
  for (const name of Object.keys(doc.definitions ?? {}).sort())
    walkSchema(doc.definitions![name]!, fn, `definitions.${name}`);
  for (const { op } of eachOperation(doc)) {
    for (const p of op.parameters ?? []) if (p.schema) walkSchema(p.schema, fn, `${op.operationId}.${p.name}`);
    for (const [code, r] of Object.entries(op.responses)) {
      const schema = r.schema as SwaggerSchema | undefined;
      if (schema) walkSchema(schema, fn, `${op.operationId}.responses.${code}`);
    }
  }
}

export const PATCHES: readonly SpecPatch[] = [
  {
    id: "binary-byte-arrays",
    reason:
      "Go []byte bodies are typed as arrays of integers (ArchiveUploadV1's upload, RTR_GetPutFileContents' download); the wire carries raw bytes.",
    apply(doc) {
      const changed: string[] = [];
      for (const { op } of eachOperation(doc)) {
        for (const p of op.parameters ?? []) {
          if (p.in === "body" && isByteArray(p.schema)) {
            p.schema = { ...BINARY };
            changed.push(`${op.operationId} body`);
          }
        }
        for (const [code, r] of Object.entries(op.responses)) {
          if (isByteArray(r.schema as SwaggerSchema | undefined)) {
            r.schema = { ...BINARY };
            changed.push(`${op.operationId} ${code}`);
          }
        }
      }
      return changed;
    },
  },
  {
    id: "string-downloads",
    reason:
      "Downloads whose success schema is a bare `string` on operations producing bytes (GetSampleV3's octet-stream) carry raw bytes, not a JSON string.",
    apply(doc) {
      const changed: string[] = [];
      const bytesType = (t: string) => !/json/.test(t) && !t.startsWith("text/");
      for (const { op } of eachOperation(doc)) {
        const produces = op.produces ?? (doc.produces as string[] | undefined) ?? [];
        if (!produces.some(bytesType)) continue;
        for (const [code, r] of Object.entries(op.responses)) {
          const schema = r.schema as SwaggerSchema | undefined;
          if (/^2\d\d$/.test(code) && schema && schema.type === "string" && !schema.format && !schema.enum) {
            r.schema = { ...BINARY };
            changed.push(`${op.operationId} ${code}`);
          }
        }
      }
      return changed;
    },
  },
  {
    id: "bearer-header-params",
    reason:
      "Some operations (deployments release notes, scanning schedules) declare the bearer token as a required `Authorization` header parameter; the SDK sends the token itself.",
    apply(doc) {
      const changed: string[] = [];
      for (const { op } of eachOperation(doc)) {
        const before = op.parameters ?? [];
        const after = before.filter((p) => !(p.in === "header" && p.name.toLowerCase() === "authorization"));
        if (after.length !== before.length) {
          op.parameters = after;
          changed.push(op.operationId);
        }
      }
      return changed;
    },
  },
  {
    id: "go-byte-definitions",
    reason: "json.RawMessage (any JSON) and uuid.UUID (a string on the wire) are written as Go byte arrays.",
    apply(doc) {
      const defs = doc.definitions ?? {};
      const changed: string[] = [];
      if (isByteArray(defs["json.RawMessage"])) {
        defs["json.RawMessage"] = {};
        changed.push("json.RawMessage -> any");
      }
      if (isByteArray(defs["uuid.UUID"])) {
        defs["uuid.UUID"] = { type: "string", format: "uuid" };
        changed.push("uuid.UUID -> string");
      }
      return changed;
    },
  },
  {
    id: "array-parameter-enums",
    reason: "Some array parameters carry `enum` on the array instead of its items, which makes every array invalid.",
    apply(doc) {
      const changed: string[] = [];
      for (const { op } of eachOperation(doc)) {
        for (const p of op.parameters ?? []) {
          if (p.type === "array" && Array.isArray(p.enum)) {
            p.items = { ...(p.items ?? { type: "string" }), enum: p.enum };
            delete p.enum;
            changed.push(`${op.operationId}.${p.name}`);
          }
        }
      }
      return changed;
    },
  },
  {
    id: "string-parameter-numeric-enums",
    reason:
      "GetMetricsV3 `impact` is a string with integer enum values; query strings carry text, so the values become strings.",
    apply(doc) {
      const changed: string[] = [];
      for (const { op } of eachOperation(doc)) {
        for (const p of op.parameters ?? []) {
          if (p.type === "string" && Array.isArray(p.enum) && p.enum.some((v) => typeof v !== "string")) {
            p.enum = p.enum.map(String);
            changed.push(`${op.operationId}.${p.name}`);
          }
        }
      }
      return changed;
    },
  },
  {
    id: "comma-joined-enums",
    reason: 'Some enums are one comma-joined string ("NOTIFY_USER,SILENT") that no real value matches; split them.',
    apply(doc) {
      const changed: string[] = [];
      eachDefinitionSchema(doc, (s, where) => {
        if (Array.isArray(s.enum) && s.enum.length === 1 && typeof s.enum[0] === "string" && s.enum[0].includes(",")) {
          const values = s.enum[0].split(",");
          if (s.type === "integer" || s.type === "number") {
            // nvaapi.ScanScheduling.days_of_week: integers "enumerated" by day names; no value can match.
            if (values.every((v) => /^-?\d+(\.\d+)?$/.test(v))) s.enum = values.map(Number);
            else delete s.enum;
          } else {
            s.enum = values;
          }
          changed.push(where);
        }
      });
      for (const { op } of eachOperation(doc)) {
        for (const p of op.parameters ?? []) {
          const holder = (p.type === "array" ? p.items : p) as { enum?: unknown[] } | undefined;
          if (
            holder &&
            Array.isArray(holder.enum) &&
            holder.enum.length === 1 &&
            typeof holder.enum[0] === "string" &&
            holder.enum[0].includes(",")
          ) {
            holder.enum = holder.enum[0].split(",");
            changed.push(`${op.operationId}.${p.name}`);
          }
        }
      }
      return changed;
    },
  },
  {
    id: "required-self-reference",
    reason:
      "A definition that requires a property of its own type (v2.Model.parent) admits no finite value; the field is optional in practice (WorkflowDefinitionsUpdate).",
    apply(doc) {
      const changed: string[] = [];
      for (const [name, def] of Object.entries(doc.definitions ?? {})) {
        if (!def.required || !def.properties) continue;
        const self = `#/definitions/${name}`;
        const keep = def.required.filter((prop) => def.properties![prop]?.$ref !== self);
        if (keep.length !== def.required.length) {
          changed.push(`${name}: ${def.required.filter((p) => !keep.includes(p)).join(", ")}`);
          if (keep.length) def.required = keep;
          else delete def.required;
        }
      }
      return changed;
    },
  },
  {
    id: "go-embedded-meta",
    reason:
      "Go embeds msa.MetaInfo, msa.Paging and msa.ReplyMetaOnly in some meta and response structs; the models read back from Go nest them under a property named after the type (`MetaInfo`, `Paging`, `MsaReplyMetaOnly`) while the wire is flat (`meta.pagination`, `meta.query_time`). The embedding becomes an allOf.",
    apply(doc) {
      const changed: string[] = [];
      for (const name of Object.keys(doc.definitions ?? {}).sort()) {
        const def = doc.definitions![name]!;
        for (const [property, ref] of Object.entries(GO_EMBEDDED)) {
          const embedded = def.properties?.[property];
          if (embedded?.$ref !== ref) continue;
          const { [property]: _embedded, ...rest } = def.properties!;
          const required = (def.required ?? []).filter((r) => r !== property);
          const own: SwaggerSchema = { type: "object", properties: rest, ...(required.length ? { required } : {}) };
          const { properties: _p, required: _r, type: _t, ...keep } = def;
          doc.definitions![name] = { ...keep, allOf: [{ $ref: ref }, own] };
          changed.push(`${name}.${property}`);
          break;
        }
      }
      return changed;
    },
  },
  {
    id: "prose-enums",
    reason:
      "Allowed values the spec gives only in prose (PerformActionV2's action_name, policy actions, detection status) become enums, from the reviewed table in spec/prose-enums.ts.",
    apply(doc) {
      const changed: string[] = [];
      const byId = new Map([...eachOperation(doc)].map(({ op }) => [op.operationId, op]));
      for (const entry of PARAMETER_ENUMS) {
        const param = byId
          .get(entry.operationId)
          ?.parameters?.find((p) => p.name === entry.parameter && p.in !== "body");
        if (!param) continue;
        const holder = (param.type === "array" ? param.items : param) as SwaggerSchema | undefined;
        if (!holder || holder.enum) continue;
        holder.enum = [...entry.values];
        changed.push(`${entry.operationId}.${entry.parameter}`);
      }
      for (const entry of PROPERTY_ENUMS) {
        const prop = doc.definitions?.[entry.definition]?.properties?.[entry.property];
        if (!prop || prop.enum) continue;
        const holder = prop.type === "array" ? prop.items : prop;
        if (!holder) continue;
        holder.enum = [...entry.values];
        changed.push(`${entry.definition}.${entry.property}`);
      }
      return changed;
    },
  },
  {
    id: "untagged-operations",
    reason: "Every operation needs a collection; an untagged one goes to `default` rather than being dropped.",
    apply(doc) {
      const changed: string[] = [];
      for (const { op } of eachOperation(doc)) {
        if (!op.tags || op.tags.length === 0) {
          op.tags = ["default"];
          changed.push(op.operationId);
        }
      }
      return changed;
    },
  },
];

export interface PatchReport {
  readonly id: string;
  readonly changes: readonly string[];
}

export function applyPatches(doc: SwaggerDocument, patches: readonly SpecPatch[] = PATCHES): PatchReport[] {
  return patches.map((patch) => ({ id: patch.id, changes: patch.apply(doc) }));
}
