/**
 * FalconPy's argument conveniences, as one step before payload routing:
 *   - ids given positionally: `hosts.getDeviceDetails("a,b")` is `{ ids: "a,b" }`;
 *   - a comma-separated string for a body field that is a list of strings becomes that list
 *     (FalconPy splits `ids`, `host_ids`, `groups`, `role_ids`...);
 *   - the convenience keywords of FalconPy's payload helpers (`update_status: "closed"` on an
 *     alerts update, `filter` on a host-group action, IOC `type`/`value`, policy `name`/
 *     `platform_name`...), assembled into the body FalconPy sends, from the table below;
 *   - a call option among the arguments (`stream`, `pythonic`, `signal`, `timeout` where the
 *     operation has no such parameter) is refused with a hint to pass it second.
 * The generator reads the same table to type these keywords on each operation.
 */
import { KeywordsOnly, PayloadValidationError } from "./errors.js";
import type { CompiledOperation } from "./payload.js";

/** How FalconPy builds one operation's body from keywords (its payload helpers, as data). */
export interface KeywordRule {
  /** Each keyword becomes one `{ name, value }` entry of `body.action_parameters`. */
  readonly actionParameters?: readonly string[];
  /** Keywords gathered into the single element of the list `body[item.list]`. */
  readonly item?: {
    readonly list: string;
    readonly keys: readonly string[];
    /** Item fields that are lists: a comma-separated string is split. */
    readonly lists?: readonly string[];
    /** Keywords gathered into one object inside the item (`settings`, `metadata`). */
    readonly nested?: { readonly into: string; readonly keys: readonly string[] };
  };
}

const ALERT_ACTIONS: KeywordRule = {
  // FalconPy's order, so that the body is the one it sends
  actionParameters: [
    "remove_tag",
    "assign_to_user_id",
    "unassign",
    "new_behavior_processed",
    "update_status",
    "assign_to_uuid",
    "add_tag",
    "remove_tags_by_prefix",
    "append_comment",
    "assign_to_name",
    "show_in_ui",
  ],
};
const GROUP_ACTION: KeywordRule = { actionParameters: ["group_id"] };
const HOST_GROUP: KeywordRule = {
  item: { list: "resources", keys: ["assignment_rule", "description", "group_type", "id", "name"] },
};
const PREVENTION_POLICY: KeywordRule = {
  item: { list: "resources", keys: ["clone_id", "description", "id", "name", "platform_name", "settings"] },
};
const SENSOR_UPDATE_POLICY: KeywordRule = {
  item: {
    list: "resources",
    keys: ["description", "id", "name", "platform_name", "settings"],
    nested: {
      into: "settings",
      keys: ["build", "scheduler", "show_early_adopter_builds", "uninstall_protection", "variants"],
    },
  },
};
const INDICATOR: KeywordRule = {
  item: {
    list: "indicators",
    keys: [
      "action",
      "applied_globally",
      "description",
      "expiration",
      "host_groups",
      "id",
      "metadata",
      "mobile_action",
      "platforms",
      "severity",
      "source",
      "tags",
      "type",
      "value",
    ],
    lists: ["host_groups", "platforms", "tags"],
    nested: { into: "metadata", keys: ["filename"] },
  },
};

/**
 * Operation ID -> how its convenience keywords become the body. Operations whose FalconPy
 * keywords are the body's own top-level fields (RTR commands, detections and user-role
 * updates, ML/IOA/sensor-visibility exclusions) need no entry: body payload abstraction and
 * the list splitting above already give FalconPy's body.
 */
export const CONVENIENCE_KEYWORDS: Readonly<Record<string, KeywordRule>> = {
  PatchEntitiesAlertsV2: ALERT_ACTIONS,
  PatchEntitiesAlertsV3: ALERT_ACTIONS,
  performGroupAction: { actionParameters: ["filter"] },
  performDeviceControlPoliciesAction: GROUP_ACTION,
  performFirewallPoliciesAction: GROUP_ACTION,
  performPreventionPoliciesAction: GROUP_ACTION,
  performRTResponsePoliciesAction: GROUP_ACTION,
  performSensorUpdatePoliciesAction: GROUP_ACTION,
  createHostGroups: HOST_GROUP,
  updateHostGroups: HOST_GROUP,
  createPreventionPolicies: PREVENTION_POLICY,
  updatePreventionPolicies: PREVENTION_POLICY,
  createSensorUpdatePolicies: SENSOR_UPDATE_POLICY,
  updateSensorUpdatePolicies: SENSOR_UPDATE_POLICY,
  createSensorUpdatePoliciesV2: SENSOR_UPDATE_POLICY,
  updateSensorUpdatePoliciesV2: SENSOR_UPDATE_POLICY,
  indicator_create_v1: INDICATOR,
  indicator_update_v1: INDICATOR,
};

/** Every keyword a rule reads, in a stable order (the generator types them). */
export function ruleKeywords(rule: KeywordRule): string[] {
  return [...(rule.actionParameters ?? []), ...(rule.item?.keys ?? []), ...(rule.item?.nested?.keys ?? [])];
}

/** Per-call settings that belong in the second argument. */
const CALL_OPTIONS = ["stream", "pythonic", "signal", "timeout"] as const;

type Args = Readonly<Record<string, unknown>>;

const splitList = (v: unknown): unknown => (typeof v === "string" ? v.split(",") : v);

/**
 * Applies FalconPy's conventions to one call's arguments; returns them unchanged (the same
 * object) when none applies, so an ordinary call pays a few property checks.
 */
export function falconPyArguments(c: CompiledOperation, args: unknown): Args | undefined {
  if (args === undefined || args === null) return undefined;
  const op = c.op;
  let given: Args;
  if (typeof args === "string" || Array.isArray(args)) {
    if (!c.params.has("ids") && !c.bodyKeys?.has("ids")) {
      throw new KeywordsOnly(
        `${op.id} takes its arguments as an object of keywords ({ name: value }); only an operation with ids takes them positionally`,
      );
    }
    given = { ids: args };
  } else if (typeof args === "object") {
    given = args as Args;
  } else {
    throw new KeywordsOnly(`${op.id}: arguments must be an object of keywords, not ${typeof args}`);
  }
  for (const name of CALL_OPTIONS) {
    if (given[name] !== undefined && !c.params.has(name) && !c.bodyKeys?.has(name)) {
      throw new PayloadValidationError(op.id, [
        {
          path: [name],
          message: `${name} is a call option, not an argument of ${op.id}: pass it as the second argument, e.g. method(args, { ${name}: ... })`,
        },
      ]);
    }
  }
  const rule = CONVENIENCE_KEYWORDS[op.id];
  const lists = op.bodyArrays;
  if (rule === undefined && lists === undefined) return given;
  let out: Record<string, unknown> | undefined;
  if (lists !== undefined) {
    for (const name of lists) {
      // a query parameter of the same name takes the keyword (routing), so leave it alone
      if (typeof given[name] === "string" && !c.params.has(name)) (out ??= { ...given })[name] = splitList(given[name]);
    }
  }
  if (rule !== undefined) out = applyRule(c, rule, out ?? { ...given }) ?? out;
  return out ?? given;
}

/** Moves a rule's keywords into `body`; undefined when the call uses none of them. */
function applyRule(
  c: CompiledOperation,
  rule: KeywordRule,
  args: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const built: Record<string, unknown> = {};
  let used = false;
  const take = (name: string): unknown => {
    const v = args[name];
    // an API parameter of the same name keeps the keyword
    if (v === undefined || c.params.has(name)) return undefined;
    delete args[name];
    used = true;
    return v;
  };
  if (rule.actionParameters) {
    const entries: { name: string; value: unknown }[] = [];
    for (const name of rule.actionParameters) {
      const value = take(name);
      if (value !== undefined) entries.push({ name, value });
    }
    if (entries.length) built.action_parameters = entries;
  }
  const item = rule.item;
  if (item) {
    const element: Record<string, unknown> = {};
    for (const name of item.keys) {
      const value = take(name);
      if (value !== undefined) element[name] = item.lists?.includes(name) ? splitList(value) : value;
    }
    if (item.nested) {
      const inner: Record<string, unknown> = {};
      for (const name of item.nested.keys) {
        const value = take(name);
        if (value !== undefined) inner[name] = value;
      }
      if (Object.keys(inner).length)
        element[item.nested.into] = { ...(element[item.nested.into] as object | undefined), ...inner };
    }
    if (Object.keys(element).length) built[item.list] = [element];
  }
  if (!used) return undefined;
  // the caller's own body fields win over what the keywords built
  const explicit = args.body;
  args.body =
    typeof explicit === "object" && explicit !== null && !Array.isArray(explicit) ? { ...built, ...explicit } : built;
  return args;
}

// Types of the convenience keywords, looked up in the operation's body type (generated Args use them).
type ElementOf<T> = T extends readonly (infer E)[] ? E : never;
type FieldOf<T, K extends string> = T extends { readonly [P in K]?: infer V } ? V : unknown;
/** The value type of `body.action_parameters[].value`. */
export type ActionParameterValue<B> = FieldOf<ElementOf<NonNullable<FieldOf<B, "action_parameters">>>, "value">;
/** The type of field `K` of an element of the list `body[L]`. */
export type ListItemField<B, L extends string, K extends string> = FieldOf<ElementOf<NonNullable<FieldOf<B, L>>>, K>;
/** The type of field `K` of the object `N` inside an element of `body[L]`. */
export type NestedItemField<B, L extends string, N extends string, K extends string> = FieldOf<
  NonNullable<ListItemField<B, L, N>>,
  K
>;
