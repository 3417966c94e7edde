/**
 * The data world's generation, without a socket: a filter or sort reads records generated only
 * in the fields it names (examples.ts projections), so those fields must hold exactly what the
 * whole record holds there, occurrences of repeated field names included; and a record's field
 * generators, hashed from its key's shared prefix, draw what the whole key's generator draws.
 */
import { describe, expect, it } from "vitest";
import { Answers, resourceItems } from "../../mock/answers.js";
import { ExampleGenerator, projectionOf } from "../../mock/examples.js";
import { defaultSpecDir } from "../../mock/locate.js";
import { Random } from "../../mock/random.js";
import { sanitizeSchema } from "../../mock/schema.js";
import { loadSpec, type OpenApiDocument } from "../../mock/spec.js";
import { ENTITY_FAMILIES, World } from "../../mock/world.js";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The value at a path, as a filter reads it (fql.ts). */
const at = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) && key in node ? node[key] : undefined), value);

/** `projected` has what `whole` has at every path, and nothing at the top level beyond the paths' first names. */
function expectProjection(whole: unknown, projected: unknown, paths: readonly (readonly string[])[]): void {
  for (const path of paths) expect(at(projected, path), path.join(".")).toEqual(at(whole, path));
  const firsts = new Set(paths.map((p) => p[0]));
  expect(Object.keys(projected as object).filter((k) => !firsts.has(k))).toEqual([]);
}

describe("Random.under", () => {
  it("draws what the generator of the whole key draws", () => {
    for (const seed of [1, 2026, "seed"])
      for (const [prefix, rest] of [
        ["devices/devices:0123abcd.", "hostname#0"],
        ["", ""],
        ["op:GetDeviceDetailsV2.", "müller#12"],
      ] as const) {
        const split = Random.under(seed, prefix)(rest);
        const whole = new Random(seed, prefix + rest);
        expect([split.next(), split.hex(32), split.int(0, 1000), split.uuid()]).toEqual([
          whole.next(),
          whole.hex(32),
          whole.int(0, 1000),
          whole.uuid(),
        ]);
      }
  });
});

describe("projected records (the spec's own record schemas)", () => {
  const spec = loadSpec(defaultSpecDir());
  const world = new World({ seed: 7, sizes: { hosts: 4, alerts: 3 } });
  const answers = new Answers(world, {
    record: () => undefined,
    listed: () => true,
    stored: () => false,
    unknownIds: "not-found",
  });
  const recordSchema = (operationId: string) => {
    const entry = spec.operation(operationId)!;
    const schema = sanitizeSchema(entry.responses["200"]!.content!["application/json"]!.schema);
    return { generator: new ExampleGenerator(entry.doc), items: resourceItems(entry, schema) };
  };

  it("hosts: top-level, nested, repeated (device_policies.*.policy_id), array and unknown fields", () => {
    const { generator, items } = recordSchema("GetDeviceDetailsV2");
    const paths = [
      ["hostname"],
      ["platform_name"],
      ["device_policies", "sensor_update", "policy_id"],
      ["device_policies", "prevention"],
      ["policies", "policy_id"],
      ["meta", "version"],
      ["hostname", "length"],
      ["no_such_field", "x"],
    ];
    for (const id of world.ids(ENTITY_FAMILIES.hosts)) {
      const whole = answers.record(ENTITY_FAMILIES.hosts, id, items, generator);
      const projected = answers.record(ENTITY_FAMILIES.hosts, id, items, generator, projectionOf(paths));
      expect(at(projected, ["device_id"])).toBeUndefined();
      expectProjection(whole, projected, paths);
      expect(at(projected, ["device_policies", "sensor_update", "policy_id"])).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it("alerts: the host an alert names is projected too (device.hostname)", () => {
    const { generator, items } = recordSchema("PostEntitiesAlertsV2");
    const paths = [["device", "hostname"], ["device", "platform_name"], ["severity"], ["composite_id"]];
    for (const id of world.ids(ENTITY_FAMILIES.alerts)) {
      const whole = answers.record(ENTITY_FAMILIES.alerts, id, items, generator);
      const projected = answers.record(ENTITY_FAMILIES.alerts, id, items, generator, projectionOf(paths));
      expectProjection(whole, projected, paths);
      expect(Object.keys(at(projected, ["device"]) as object).sort()).toEqual(["hostname", "platform_name"]);
      expect(at(projected, ["composite_id"])).toBe(id);
    }
  });
});

describe("projected values (shapes the generator plans)", () => {
  const doc: OpenApiDocument = {
    openapi: "3.0.3",
    paths: {},
    components: {
      schemas: {
        Named: { type: "object", properties: { name: { type: "string" }, id: { type: "string" } } },
        Node: {
          type: "object",
          properties: { name: { type: "string" }, child: { $ref: "#/components/schemas/Node" } },
        },
      },
    },
  };
  const schema = {
    type: "object",
    required: ["undescribed"],
    minProperties: 9,
    properties: {
      a: { $ref: "#/components/schemas/Named" },
      b: { allOf: [{ $ref: "#/components/schemas/Named" }, { properties: { extra: { type: "integer" } } }] },
      c: { type: "array", items: { $ref: "#/components/schemas/Named" }, minItems: 2 },
      d: { $ref: "#/components/schemas/Node" },
      name: { type: "string" },
      z: { type: "string", enum: ["x", "y", "z"] },
    },
  };
  const world = new World({ seed: 3 });

  it("keeps the values the whole value has, each repeated name at its own occurrence", () => {
    const generator = new ExampleGenerator(doc);
    const whole = generator.generate(schema, world.context("rec:1"));
    const cases = [
      [["z"]],
      [["name"]],
      [
        ["b", "name"],
        ["b", "extra"],
      ],
      [["d", "child", "child", "name"]],
      [["c"], ["undescribed"], ["key7"]],
      [["a"], ["d", "child"]],
    ];
    for (const paths of cases)
      expectProjection(whole, generator.generate(schema, world.context("rec:1"), "", projectionOf(paths)), paths);
    // without a context the same schema always gives the same value, projected or not
    expectProjection(generator.generate(schema), generator.generate(schema, undefined, "", projectionOf([["b"]])), [
      ["b"],
    ]);
  });

  it("a longer path under a projected one changes nothing; the plan is reused per schema", () => {
    const generator = new ExampleGenerator(doc);
    const a = generator.generate(schema, world.context("rec:2"), "", projectionOf([["a"], ["a", "name"]]));
    const b = generator.generate(schema, world.context("rec:2"), "", projectionOf([["a", "name"], ["a"]]));
    expect(a).toEqual(b);
    expect(Object.keys((a as { a: object }).a).sort()).toEqual(["id", "name"]);
    expect(generator.generate(schema, world.context("rec:2"))).toEqual(
      new ExampleGenerator(doc).generate(schema, world.context("rec:2")),
    );
  });
});
