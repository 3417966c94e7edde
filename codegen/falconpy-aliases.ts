/**
 * FalconPy's method names as class members: `Hosts.get_device_details` becomes
 * `hosts.getDeviceDetails`, its snake_case alternatives (`query_devices`) and PascalCase
 * aliases too, all calling the operation FalconPy's method calls. Input: FalconPy's names data
 * and the classes with their own names resolved; output: the aliases to add, every FalconPy
 * name's resolution (for the coverage test and the porting guide), and the collisions, which
 * must each have an entry with its reason in the reviewed table (spec/falconpy-collisions.ts).
 */
import { camelCase } from "change-case";
import type { FalconPyNames } from "../spec/names.js";

/** The part of spec/falconpy-names.json this file reads. */
export type FalconPyMethodNames = Pick<FalconPyNames, "methods" | "aliases">;

/** What an alias needs to know of a class: its members and which operation each calls. */
export interface AliasClassInput {
  readonly name: string;
  readonly ops: readonly {
    readonly id: string;
    readonly deprecatedIds: readonly string[];
    readonly methodName: string;
    readonly aliases: readonly string[];
  }[];
}

export interface FalconPyAlias {
  readonly className: string;
  /** The member added to the class. */
  readonly member: string;
  /** The FalconPy name it stands for (`get_device_details`). */
  readonly falconpy: string;
  readonly operationId: string;
}

/** A FalconPy name that does not call FalconPy's operation on the FalconTS class. */
export interface FalconPyCollision {
  readonly className: string;
  readonly falconpy: string;
  /** The FalconTS member the name becomes. */
  readonly member: string;
  /** The operation FalconPy's name calls. */
  readonly falconpyOperation: string;
  /** What the member is in FalconTS: another operation's ID, or a runtime member. */
  readonly taken: string;
}

/** A reviewed collision: the computed fields plus why FalconTS keeps its own meaning. */
export interface ReviewedCollision extends FalconPyCollision {
  readonly reason: string;
}

export interface FalconPyResolution {
  readonly className: string;
  readonly falconpy: string;
  readonly member: string;
  readonly operationId: string;
  /** How the name resolves: already a member, a new alias, or an exception. */
  readonly status: "member" | "alias" | "collision" | "missing";
}

export interface FalconPyAliasResult {
  readonly aliases: readonly FalconPyAlias[];
  readonly collisions: readonly FalconPyCollision[];
  readonly resolutions: readonly FalconPyResolution[];
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Any identifier, reserved words included: `custom.delete()` is a valid member access. */
const isMemberName = (name: string) => /^[A-Za-z_$][\w$]*$/.test(name);

/**
 * The member a FalconPy name becomes: snake_case method names are camelCased as the class's
 * own methods are (`query_devices_v2` -> `queryDevicesV2`); PascalCase names (FalconPy's
 * operation-ID aliases such as `GetDeviceDetails`) are kept as they are, as operation IDs are.
 */
export function falconPyMemberName(name: string): string {
  return /^[a-z]/.test(name) ? camelCase(name) : name;
}

/**
 * Resolves every FalconPy method and alias of every class. `runtimeMembers` are the names the
 * runtime base classes define (a FalconPy name there keeps the runtime's meaning).
 */
export function resolveFalconPyAliases(
  classes: readonly AliasClassInput[],
  names: FalconPyMethodNames | undefined,
  runtimeMembers: ReadonlySet<string>,
): FalconPyAliasResult {
  const aliases: FalconPyAlias[] = [];
  const collisions: FalconPyCollision[] = [];
  const resolutions: FalconPyResolution[] = [];
  const classByName = new Map(classes.map((c) => [c.name, c]));
  for (const className of Object.keys(names?.methods ?? {}).sort(byString)) {
    const methods = names!.methods![className]!;
    const cls = classByName.get(className);
    // member name -> operation ID, for the class's own names and the aliases added so far
    const members = new Map<string, string>();
    const opOf = new Map<string, string>(); // any ID (current or deprecated) -> current ID
    for (const op of cls?.ops ?? []) {
      members.set(op.methodName, op.id);
      for (const a of op.aliases) members.set(a, op.id);
      opOf.set(op.id, op.id);
      for (const d of op.deprecatedIds) if (!opOf.has(d)) opOf.set(d, op.id);
    }
    // FalconPy's methods first (their names are the documented ones), then its aliases.
    const entries: [string, string][] = Object.keys(methods)
      .sort(byString)
      .map((m) => [m, m]);
    const classAliases = names?.aliases?.[className] ?? {};
    for (const a of Object.keys(classAliases).sort(byString)) entries.push([a, classAliases[a]!]);
    for (const [falconpy, method] of entries) {
      const entry = methods[method];
      const wanted = entry?.operation ?? entry?.operations?.[0] ?? "";
      const operationId = opOf.get(wanted);
      const member = falconPyMemberName(falconpy);
      if (operationId === undefined || !isMemberName(member)) {
        resolutions.push({ className, falconpy, member, operationId: wanted, status: "missing" });
        continue;
      }
      const owner = runtimeMembers.has(member) ? `runtime member ${member}` : members.get(member);
      if (owner === operationId) {
        resolutions.push({ className, falconpy, member, operationId, status: "member" });
        continue;
      }
      if (owner !== undefined) {
        collisions.push({ className, falconpy, member, falconpyOperation: operationId, taken: owner });
        resolutions.push({ className, falconpy, member, operationId, status: "collision" });
        continue;
      }
      members.set(member, operationId);
      aliases.push({ className, member, falconpy, operationId });
      resolutions.push({ className, falconpy, member, operationId, status: "alias" });
    }
  }
  return { aliases, collisions, resolutions };
}

/** Collisions the reviewed table lacks, and reviewed entries that no longer occur. */
export function unreviewedCollisions(
  computed: readonly FalconPyCollision[],
  reviewed: readonly ReviewedCollision[],
): { unreviewed: FalconPyCollision[]; stale: ReviewedCollision[] } {
  const keyOf = (c: FalconPyCollision) => `${c.className}.${c.falconpy}->${c.falconpyOperation}|${c.taken}`;
  const reviewedKeys = new Set(reviewed.map(keyOf));
  const computedKeys = new Set(computed.map(keyOf));
  return {
    unreviewed: computed.filter((c) => !reviewedKeys.has(keyOf(c))),
    stale: reviewed.filter((r) => !computedKeys.has(keyOf(r))),
  };
}
