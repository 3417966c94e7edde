/**
 * Naming: collection classes, subpaths and method names, with deterministic collision
 * resolution. Every resolved collision becomes a warning the generator prints.
 */
import { camelCase, kebabCase, pascalCase } from "change-case";
import { FALCONPY_MEMBERS } from "../runtime/falconpy-members.js";

export const isIdentifier = (name: string): boolean => /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name);

/** Words that cannot name a class or a binding (members may use them; classes and modules may not). */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval"
  ).split(" "),
);

/** Members the runtime base classes define; a generated method must not shadow them. */
export const BASE_MEMBERS = new Set([
  "constructor",
  "auth",
  "call",
  "options",
  "config",
  "login",
  "logout",
  "token",
  "authorize",
  "baseUrl",
  "authenticated",
  "tokenStatus",
  "tokenFailReason",
  "tokenExpired",
  "tokenExpiration",
  "tokenTime",
  "basicAuthorization",
  "tokenRejected",
  "toString",
  "toJSON",
  "valueOf",
  "hasOwnProperty",
  "__proto__",
  // every client's middleware and closing (runtime/client.ts)
  "use",
  "eject",
  "close",
  ...FALCONPY_MEMBERS,
]);

/** PascalCase class name for a tag without a FalconPy name; never a reserved word or digit-led. */
export function className(tag: string): string {
  const name = pascalCase(tag) || "Default";
  return /^[0-9]/.test(name) ? `Api${name}` : name;
}

/** Subpath / folder name of a collection: `real_time_response` -> `real-time-response`. */
export function subpathName(tag: string): string {
  return kebabCase(tag) || "default";
}

/** camelCase method name: `RTR-GetPut-Files` -> `rtrGetPutFiles`; digit-led names get `op` in front. */
export function methodName(operationId: string): string {
  const name = camelCase(operationId);
  if (!name) return "operation";
  return /^[0-9]/.test(name) ? `op${pascalCase(operationId)}` : name;
}

/** API version an operation serves, for "newest wins": /v2/ in the path or a trailing V2 in the ID. */
export function operationVersion(path: string, operationId: string): number {
  const fromPath = [...path.matchAll(/\/v(\d+)(?=\/|$)/g)].map((m) => Number(m[1]));
  const fromId = /V(\d+)$/i.exec(operationId.replace(/[^A-Za-z0-9]/g, ""));
  return Math.max(0, ...fromPath, fromId ? Number(fromId[1]) : 0);
}

export interface NamingInput {
  readonly id: string;
  readonly path: string;
  readonly deprecatedIds: readonly string[];
}

export interface ResolvedNames {
  /** The camelCase method every operation gets. */
  readonly method: string;
  /** Other member names (exact operation ID, deprecated IDs) that call the same method. */
  readonly aliases: readonly string[];
}

/**
 * Assigns member names within one class. Claims, strongest first:
 *   1. an operation's exact ID (when it is a valid member name);
 *   2. an operation's camelCase method name;
 *   3. a deprecated alias (newest operation version wins, then the smaller ID).
 * A camelCase name taken by a stronger claim gets a numeric suffix; a lost alias is dropped.
 * The order of `ops` does not matter: everything is sorted first.
 */
export function resolveMemberNames(
  className: string,
  ops: readonly NamingInput[],
  warn: (message: string) => void,
): Map<string, ResolvedNames> {
  const sorted = [...ops].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const taken = new Map<string, string>(); // member name -> operation ID
  const result = new Map<string, { method: string; aliases: string[] }>();
  for (const op of sorted) result.set(op.id, { method: "", aliases: [] });

  // 1. exact IDs
  for (const op of sorted) {
    if (BASE_MEMBERS.has(op.id)) {
      warn(
        `${className}: operation ID ${op.id} is a base-class member; reachable as a method under another name and through command()`,
      );
      continue;
    }
    const owner = taken.get(op.id);
    if (owner !== undefined) {
      warn(`${className}: duplicate operation ID ${op.id}; kept on ${owner}'s first occurrence`);
      continue;
    }
    taken.set(op.id, op.id);
  }
  // 2. camelCase methods (newest version first so it keeps the plain name)
  const byVersion = [...sorted].sort(
    (a, b) =>
      operationVersion(b.path, b.id) - operationVersion(a.path, a.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const op of byVersion) {
    let name = methodName(op.id);
    if (BASE_MEMBERS.has(name)) name = `${name}Operation`;
    const owner = taken.get(name);
    if (owner === undefined || owner === op.id) {
      taken.set(name, op.id);
      result.get(op.id)!.method = name;
      continue;
    }
    let n = 2;
    while (taken.has(`${name}${n}`)) n++;
    warn(`${className}: method name ${name} of ${op.id} collides with ${owner}; named ${name}${n}`);
    name = `${name}${n}`;
    taken.set(name, op.id);
    result.get(op.id)!.method = name;
  }
  // exact-ID aliases that were claimed in step 1 and differ from the method name
  for (const op of sorted) {
    if (taken.get(op.id) === op.id && result.get(op.id)!.method !== op.id) result.get(op.id)!.aliases.push(op.id);
  }
  // 3. deprecated aliases
  const claims = sorted.flatMap((op) => op.deprecatedIds.map((alias) => ({ alias, op })));
  claims.sort(
    (a, b) =>
      (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0) ||
      operationVersion(b.op.path, b.op.id) - operationVersion(a.op.path, a.op.id) ||
      (a.op.id < b.op.id ? -1 : a.op.id > b.op.id ? 1 : 0),
  );
  for (const { alias, op } of claims) {
    if (BASE_MEMBERS.has(alias)) {
      warn(
        `${className}: deprecated alias ${alias} of ${op.id} is a base-class member; dropped (still works in command())`,
      );
      continue;
    }
    const owner = taken.get(alias);
    if (owner === op.id) continue;
    if (owner !== undefined) {
      warn(
        `${className}: deprecated alias ${alias} of ${op.id} is taken by ${owner}; dropped from the class (still works in command() when unambiguous)`,
      );
      continue;
    }
    taken.set(alias, op.id);
    result.get(op.id)!.aliases.push(alias);
  }
  return result;
}
