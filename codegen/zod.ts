/**
 * OpenAPI 3.0 schema -> zod source text, for the payload validators in
 * generated/<collection>/schemas.ts. Component schemas become `z.lazy` constants annotated as
 * `z.ZodType`, which handles the spec's recursive definitions and keeps type-checking cheap.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  [key: string]: unknown;
}

const lit = (v: unknown) => JSON.stringify(v);

export class ZodEmitter {
  /** Component name -> the constant that holds its schema. */
  private readonly constants = new Map<string, string>();
  private readonly order: string[] = [];

  constructor(private readonly components: Record<string, JsonSchema>) {}

  private componentName(ref: string): string {
    return decodeURIComponent(ref.replace(/^#\/components\/schemas\//, ""))
      .replace(/~1/g, "/")
      .replace(/~0/g, "~");
  }

  private constantFor(ref: string): string {
    const name = this.componentName(ref);
    let constant = this.constants.get(name);
    if (!constant) {
      const base = `s_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
      constant = base;
      for (let n = 2; [...this.constants.values()].includes(constant); n++) constant = `${base}_${n}`;
      this.constants.set(name, constant);
      this.order.push(name);
    }
    return constant;
  }

  /** Expression text for a schema. `binary` lets file parts be bytes or Blobs. */
  expr(schema: JsonSchema | undefined): string {
    if (!schema || typeof schema !== "object") return "z.unknown()";
    let out = this.base(schema);
    if (schema.nullable) out += ".nullable()";
    return out;
  }

  private base(s: JsonSchema): string {
    if (typeof s.$ref === "string") return this.constantFor(s.$ref);
    if (s.allOf?.length) {
      const parts = s.allOf.map((p) => this.expr(p));
      return parts.length === 1 ? parts[0]! : parts.reduce((a, b) => `z.intersection(${a}, ${b})`);
    }
    const alternatives = s.oneOf ?? s.anyOf;
    if (alternatives?.length) {
      return alternatives.length === 1
        ? this.expr(alternatives[0])
        : `z.union([${alternatives.map((p) => this.expr(p)).join(", ")}])`;
    }
    if (Array.isArray(s.enum) && s.enum.length) {
      if (s.enum.every((v) => typeof v === "string")) return `z.enum(${lit(s.enum)})`;
      return s.enum.length === 1
        ? `z.literal(${lit(s.enum[0])})`
        : `z.union([${s.enum.map((v) => `z.literal(${lit(v)})`).join(", ")}])`;
    }
    switch (s.type) {
      case "string":
        if (s.format === "binary") return "binaryInput";
        return `z.string()${s.minLength !== undefined ? `.min(${s.minLength})` : ""}${s.maxLength !== undefined ? `.max(${s.maxLength})` : ""}`;
      case "integer":
      case "number": {
        let out = s.type === "integer" ? "z.number().int()" : "z.number()";
        if (typeof s.minimum === "number") out += `.min(${s.minimum})`;
        if (typeof s.maximum === "number") out += `.max(${s.maximum})`;
        return out;
      }
      case "boolean":
        return "z.boolean()";
      case "array": {
        let out = `z.array(${this.expr(s.items)})`;
        if (typeof s.minItems === "number") out += `.min(${s.minItems})`;
        if (typeof s.maxItems === "number") out += `.max(${s.maxItems})`;
        return out;
      }
      case "object":
      case undefined:
        return this.object(s);
      default:
        return "z.unknown()";
    }
  }

  /**
   * A request body: where it is an object schema (possibly by reference), its top-level
   * required list is replaced by the reviewed one (spec/required-body-fields.ts), as in the
   * argument types; nested schemas keep the spec's. Other bodies are validated as the spec says.
   */
  body(schema: JsonSchema | undefined, required: readonly string[]): string {
    const name = typeof schema?.$ref === "string" ? this.componentName(schema.$ref) : undefined;
    const resolved = name !== undefined ? this.components[name] : schema;
    if (!resolved?.properties || resolved.allOf || resolved.oneOf || resolved.anyOf) return this.expr(schema);
    const out = this.object({ ...resolved, required: [...required] });
    return resolved.nullable ? `${out}.nullable()` : out;
  }

  private object(s: JsonSchema): string {
    const props = s.properties ?? {};
    const keys = Object.keys(props);
    if (!keys.length) {
      if (s.type === undefined && !s.additionalProperties) return "z.unknown()";
      const value = typeof s.additionalProperties === "object" ? this.expr(s.additionalProperties) : "z.unknown()";
      return `z.record(z.string(), ${value})`;
    }
    const required = new Set(s.required ?? []);
    const fields = keys.map((k) => `${lit(k)}: ${this.expr(props[k])}${required.has(k) ? "" : ".optional()"}`);
    // Loose: the live API accepts fields the spec does not list yet; we check what it does list.
    return `z.looseObject({ ${fields.join(", ")} })`;
  }

  /** Declarations of every component constant referenced so far (including transitively). */
  declarations(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const name = this.order[i]!;
      const body = this.expr(this.components[name]);
      out.push(`const ${this.constants.get(name)}: z.ZodType = z.lazy(() => ${body});`);
    }
    return out;
  }
}
