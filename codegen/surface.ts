/**
 * The API-surface check: the accepted snapshot (api-surface.snapshot.txt) against the generated
 * generated/api-surface.txt. What breaks users fails the check: a removed or renamed class,
 * method or alias, an argument removed, made required or given another type. Additions (new
 * methods, new optional arguments, enum values added, an argument made optional) and new
 * deprecations pass and are reported. `npm run surface:accept` accepts a break on purpose.
 *
 * Line forms (written by emit.ts):
 *   class Hosts (falconts/hosts) extends ServiceClass [deprecated]
 *     Hosts.queryDevicesByFilterScroll  GET /devices/queries/devices-scroll/v1  [QueryDevicesByFilterScroll] [deprecated]
 *       limit?: number (query)
 *     Hosts.QueryDevicesByFilterScroll -> queryDevicesByFilterScroll [deprecated alias]
 */

interface SurfaceEntry {
  readonly kind: "class" | "method" | "alias" | "argument" | "other";
  readonly value: string;
  readonly deprecated: boolean;
  readonly required?: boolean;
  readonly type?: string;
}

const CLASS = /^class (\S+) (\(falconts\/\S+\) extends \S+)( \[deprecated\])?$/;
const METHOD = /^ {2}(\S+) {2}(\S+ \S+ {2}\[.+?\])( \[deprecated\])?$/;
// An alias line may name the FalconPy method it stands for: `-> getDeviceDetails [FalconPy get_device_details]`.
const ALIAS = /^ {2}(\S+) -> (\S+)( \[deprecated alias\])?(?: \[FalconPy \S+\])?$/;
const ARGUMENT = /^ {4}(\S+?)(\?)?: (.*) \((\w+)\)$/;

export function parseSurface(text: string): Map<string, SurfaceEntry> {
  const entries = new Map<string, SurfaceEntry>();
  let method = "";
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const cls = CLASS.exec(line);
    const met = cls ? null : METHOD.exec(line);
    const alias = cls || met ? null : ALIAS.exec(line);
    const arg = cls || met || alias ? null : ARGUMENT.exec(line);
    if (cls) entries.set(cls[1]!, { kind: "class", value: cls[2]!, deprecated: !!cls[3] });
    else if (met) {
      method = met[1]!;
      entries.set(method, { kind: "method", value: met[2]!, deprecated: !!met[3] });
    } else if (alias) entries.set(alias[1]!, { kind: "alias", value: alias[2]!, deprecated: !!alias[3] });
    else if (arg) {
      const type = arg[3]!;
      entries.set(`${method}(${arg[1]})`, {
        kind: "argument",
        value: `${type} (${arg[4]})`,
        deprecated: false,
        required: !arg[2],
        type,
      });
    } else entries.set(line, { kind: "other", value: line, deprecated: false });
  }
  return entries;
}

/** Literal members of a union type text (`"a" | "b"`), or undefined when it is not only literals. */
function literals(type: string): Set<string> | undefined {
  const parts = type.replace(/^\((.*)\)(\[\])?$/, "$1").split(" | ");
  return parts.every((p) => /^"[^"]*"$|^-?\d+(\.\d+)?$/.test(p)) ? new Set(parts) : undefined;
}

/** True when every value of the old type is still accepted (enum values added, same shape). */
function widens(before: string, after: string): boolean {
  if (before === after) return true;
  const arrayBefore = before.endsWith("[]") || before.includes(")[]");
  const arrayAfter = after.endsWith("[]") || after.includes(")[]");
  if (arrayBefore !== arrayAfter) return false;
  const a = literals(before.replace(/ \| string$/, ""));
  const b = literals(after.replace(/ \| string$/, ""));
  if (a && b) return [...a].every((v) => b.has(v));
  // A plain type that became an enum narrows; an enum that became its plain type widens.
  if (a && !b)
    return (
      after.replace(/ \| string$/, "").replace(/\[\]$/, "") ===
      (typeof [...a][0] === "string" && [...a][0]!.startsWith('"') ? "string" : "number")
    );
  return false;
}

export interface SurfaceComparison {
  readonly breaking: readonly string[];
  readonly additions: readonly string[];
  readonly deprecations: readonly string[];
}

export function compareSurface(acceptedText: string, currentText: string): SurfaceComparison {
  const accepted = parseSurface(acceptedText);
  const current = parseSurface(currentText);
  const breaking: string[] = [];
  const additions: string[] = [];
  const deprecations: string[] = [];
  for (const [key, was] of accepted) {
    const now = current.get(key);
    const what = was.kind === "other" ? key : `${was.kind} ${key}`;
    if (!now) {
      if (was.kind === "other") additions.push(`changed: ${key}`);
      else breaking.push(`removed: ${what}`);
      continue;
    }
    if (was.kind === "argument") {
      if (now.required && !was.required) breaking.push(`now required: argument ${key}`);
      else if (!now.required && was.required) additions.push(`now optional: argument ${key}`);
      if (!widens(was.type!, now.type!)) breaking.push(`type changed: argument ${key}: ${was.value} -> ${now.value}`);
      else if (was.type !== now.type) additions.push(`type widened: argument ${key}: ${was.value} -> ${now.value}`);
      continue;
    }
    if (was.value !== now.value) breaking.push(`changed: ${what}: ${was.value} -> ${now.value}`);
    if (now.deprecated && !was.deprecated) deprecations.push(`deprecated: ${what}`);
    else if (!now.deprecated && was.deprecated) additions.push(`no longer deprecated: ${what}`);
  }
  for (const [key, now] of current) {
    if (accepted.has(key)) continue;
    if (now.kind === "other") continue;
    if (now.kind === "argument" && now.required && accepted.has(key.slice(0, key.indexOf("("))))
      breaking.push(`new required argument: ${key}`);
    else additions.push(`added: ${now.kind} ${key}${now.deprecated ? " [deprecated]" : ""}`);
  }
  return { breaking, additions, deprecations };
}
