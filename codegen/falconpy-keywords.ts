/**
 * Typing FalconPy's argument conveniences (runtime/falconpy-keywords.ts applies them):
 * which operations take ids positionally, and the convenience keywords of an operation's
 * Args interface, typed from the body schema they end up in.
 */
import { CONVENIENCE_KEYWORDS } from "../runtime/falconpy-keywords.js";
import type { OperationModel } from "./model.js";

/** The type of a positional ids argument. */
export const POSITIONAL_IDS_TYPE = "string | readonly string[]";

/**
 * FalconPy takes ids positionally (`get_device_details(ids)`); so does an operation here whose
 * only required input is `ids` (a required query parameter, or the required field of a
 * required body).
 */
export function takesPositionalIds(op: OperationModel): boolean {
  const required = new Set(op.params.filter((p) => p.required && p.in !== "body").map((p) => p.name));
  for (const name of op.bodyRequired) required.add(name);
  return required.size === 1 && required.has("ids");
}

export interface KeywordProperty {
  readonly name: string;
  readonly type: string;
  readonly doc: string;
}

const lit = (v: unknown) => JSON.stringify(v);

/**
 * The convenience keywords of `op` not already taken by a parameter or body field, typed
 * through the body type `bodyType` (a type alias name of the operation's JSON body).
 */
export function convenienceKeywordProperties(
  op: OperationModel,
  bodyType: string,
  taken: ReadonlySet<string>,
): KeywordProperty[] {
  const rule = CONVENIENCE_KEYWORDS[op.id];
  if (!rule) return [];
  const out: KeywordProperty[] = [];
  const add = (name: string, type: string, doc: string) => {
    if (!taken.has(name) && !out.some((p) => p.name === name)) out.push({ name, type, doc });
  };
  for (const name of rule.actionParameters ?? []) {
    add(
      name,
      `ActionParameterValue<${bodyType}>`,
      `FalconPy keyword: sent as \`{ name: ${lit(name)}, value }\` in \`action_parameters\`.`,
    );
  }
  const item = rule.item;
  if (item) {
    for (const name of item.keys) {
      const field = `ListItemField<${bodyType}, ${lit(item.list)}, ${lit(name)}>`;
      add(
        name,
        item.lists?.includes(name) ? `${field} | string` : field,
        `FalconPy keyword: the \`${name}\` of the single \`${item.list}\` entry.`,
      );
    }
    for (const name of item.nested?.keys ?? []) {
      add(
        name,
        `NestedItemField<${bodyType}, ${lit(item.list)}, ${lit(item.nested!.into)}, ${lit(name)}>`,
        `FalconPy keyword: \`${item.nested!.into}.${name}\` of the single \`${item.list}\` entry.`,
      );
    }
  }
  return out;
}
