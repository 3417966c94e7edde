/**
 * Which endpoint runs an RTR command: the lowest level allowed to run it, from
 * generated/helper-data.ts (the execute operations' descriptions plus spec/rtr-commands.ts),
 * keyed on the first two words where the level depends on the subcommand (`reg query` vs
 * `reg set`), else the first word. The table loads on the first command: importing the
 * package loads no generated module beyond the classes.
 */
import { InvalidOption } from "../errors.js";

export type RtrLevel = "read-only" | "active-responder" | "admin";

/** Per level: the single-host execute and status operations and the batch operation. Admin ones are RealTimeResponseAdmin's (operation IDs). */
export const RTR_ENDPOINTS: Readonly<
  Record<RtrLevel, { readonly execute: string; readonly status: string; readonly batch: string }>
> = {
  "read-only": { execute: "rtrExecuteCommand", status: "rtrCheckCommandStatus", batch: "batchCmd" },
  "active-responder": {
    execute: "rtrExecuteActiveResponderCommand",
    status: "rtrCheckActiveResponderCommandStatus",
    batch: "batchActiveResponderCmd",
  },
  admin: { execute: "RTR_ExecuteAdminCommand", status: "RTR_CheckAdminCommandStatus", batch: "BatchAdminCmd" },
};

export interface ParsedCommand {
  /** The first word, lower case (`base_command`). */
  readonly baseCommand: string;
  /** The whole command line (`command_string`). */
  readonly commandString: string;
}

export function parseCommand(command: unknown): ParsedCommand {
  if (typeof command !== "string" || command.trim() === "")
    throw new InvalidOption("command", 'expected an RTR command line such as "ls C:\\\\Windows"');
  const commandString = command.trim();
  return { baseCommand: commandString.split(/\s+/, 1)[0]!.toLowerCase(), commandString };
}

/** `level` when it is one, else InvalidOption. */
export function checkLevel(level: unknown): RtrLevel {
  if (typeof level === "string" && Object.hasOwn(RTR_ENDPOINTS, level)) return level as RtrLevel;
  throw new InvalidOption("level", `expected "read-only", "active-responder" or "admin", got ${JSON.stringify(level)}`);
}

/** The level a command line needs: `level` when given (checked), else the table's. */
export async function levelFor(command: ParsedCommand, level: RtrLevel | undefined): Promise<RtrLevel> {
  if (level !== undefined) return checkLevel(level);
  const { RTR_COMMAND_LEVELS } = await import("../../generated/helper-data.js");
  const words = command.commandString.toLowerCase().split(/\s+/);
  const two = words.length > 1 ? `${words[0]} ${words[1]}` : undefined;
  const found =
    (two !== undefined && Object.hasOwn(RTR_COMMAND_LEVELS, two) ? RTR_COMMAND_LEVELS[two] : undefined) ??
    (Object.hasOwn(RTR_COMMAND_LEVELS, words[0]!) ? RTR_COMMAND_LEVELS[words[0]!] : undefined);
  if (found) return found;
  throw new InvalidOption(
    "level",
    `unknown RTR command "${command.baseCommand}": pass { level: "read-only" | "active-responder" | "admin" }`,
  );
}
