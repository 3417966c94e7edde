/**
 * RTR commands the three execute operations' descriptions do not place (or place wrongly),
 * reviewed by hand. codegen/rtr-commands.ts reads the command lists out of the descriptions of
 * RTR_ExecuteCommand (read-only), RTR_ExecuteActiveResponderCommand and RTR_ExecuteAdminCommand
 * and applies this list on top; the result is generated/helper-data.ts, which
 * `session.run()` consults to pick the endpoint. Keys are one word, or two words where the
 * level depends on the subcommand (`reg query` vs `reg set`).
 */
export type RtrLevel = "read-only" | "active-responder" | "admin";

export interface ReviewedRtrCommand {
  readonly level: RtrLevel;
  readonly reason: string;
}

export const REVIEWED_RTR_COMMANDS: Readonly<Record<string, ReviewedRtrCommand>> = {
  runscript: {
    level: "admin",
    reason:
      "Listed under active responder in the spec, but the API runs scripts only for RTR Administrators (the console documents runscript as an admin command; PSFalcon forces the admin endpoint for it too).",
  },
  "put-and-run": { level: "admin", reason: "Admin command (put then run a put-file) the descriptions do not list." },
  falconscript: { level: "admin", reason: "Admin command (Falcon scripts) the descriptions do not list." },
  ifconfig: {
    level: "read-only",
    reason: "macOS/Linux counterpart of ipconfig, read-only; absent from the Windows-centric lists.",
  },
  users: { level: "read-only", reason: "macOS/Linux read-only command listing users; absent from the lists." },
  csrutil: {
    level: "read-only",
    reason: "macOS System Integrity Protection status, read-only; absent from the lists.",
  },
};
