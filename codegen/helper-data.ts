/**
 * generated/helper-data.ts: data the runtime's workflow helpers need from the spec and from
 * reviewed tables in spec/ (which the build does not ship):
 *  - RTR_COMMAND_LEVELS: RTR command (one word, or two where the level depends on the
 *    subcommand) -> the lowest level allowed to run it, read out of the command lists in the
 *    descriptions of the three execute operations, then spec/rtr-commands.ts on top;
 *  - JOB_STATES: spec/job-states.ts, the terminal states of each waited job.
 */
import { JOB_STATES } from "../spec/job-states.js";
import { REVIEWED_RTR_COMMANDS, type RtrLevel } from "../spec/rtr-commands.js";
import type { SpecModel } from "./model.js";

/** Execute operation -> the level its description's command list grants, lowest first. */
const EXECUTE_OPERATIONS: readonly (readonly [string, RtrLevel])[] = [
  ["RTR_ExecuteCommand", "read-only"],
  ["RTR_ExecuteActiveResponderCommand", "active-responder"],
  ["RTR_ExecuteAdminCommand", "admin"],
];

/** The commands of a description's bullet list: lines like "- `reg query`". */
export function listedCommands(description: string): string[] {
  const out: string[] = [];
  for (const m of description.matchAll(/^\s*-\s*`([^`]+)`\s*$/gm))
    out.push(m[1]!.trim().toLowerCase().replace(/\s+/g, " "));
  return out;
}

export function rtrCommandLevels(model: SpecModel): Record<string, RtrLevel> {
  const byId = new Map(model.tags.flatMap((t) => t.ops).map((op) => [op.id, op]));
  const levels: Record<string, RtrLevel> = {};
  for (const [id, level] of EXECUTE_OPERATIONS) {
    const op = byId.get(id);
    if (!op) continue;
    const text = [op.description, ...op.params.map((p) => p.description ?? "")].join("\n");
    for (const command of listedCommands(text)) levels[command] ??= level;
  }
  if (!byId.has("RTR_ExecuteCommand")) return {};
  for (const [command, reviewed] of Object.entries(REVIEWED_RTR_COMMANDS)) levels[command] = reviewed.level;
  return Object.fromEntries(Object.entries(levels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function emitHelperData(model: SpecModel, header: string): string {
  const levels = rtrCommandLevels(model);
  const ids = new Set(model.tags.flatMap((t) => t.ops.map((op) => op.id)));
  const states = Object.entries(JOB_STATES).filter(([, rule]) => ids.has(rule.operation));
  const lines = [
    header.trimEnd(),
    "",
    "/** RTR command -> lowest level allowed to run it (from the execute operations' descriptions and spec/rtr-commands.ts). */",
    `export const RTR_COMMAND_LEVELS: Readonly<Record<string, "read-only" | "active-responder" | "admin">> = {`,
    ...Object.entries(levels).map(([command, level]) => `  ${JSON.stringify(command)}: ${JSON.stringify(level)},`),
    "};",
    "",
    "/** When a waited job is over (spec/job-states.ts): the field and its success and failure values. */",
    "export interface JobStateRule {",
    "  readonly operation: string;",
    "  readonly field: string;",
    "  readonly success: readonly (string | boolean)[];",
    "  readonly failure: readonly (string | boolean)[];",
    "}",
    "",
    "export const JOB_STATES: Readonly<Record<string, JobStateRule>> = {",
    ...states.map(
      ([name, r]) =>
        `  ${name}: { operation: ${JSON.stringify(r.operation)}, field: ${JSON.stringify(r.field)}, success: ${JSON.stringify(r.success)}, failure: ${JSON.stringify(r.failure)} },`,
    ),
    "};",
    "",
  ];
  return lines.join("\n");
}
