/**
 * The generated helper data: RTR command levels read from the three execute
 * operations' descriptions plus the reviewed list, job states from spec/job-states.ts (the bases: helper-bases.test.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listedCommands } from "../../codegen/helper-data.js";
import { JOB_STATES as GENERATED_STATES, RTR_COMMAND_LEVELS } from "../../generated/helper-data.js";
import { JOB_STATES } from "../../spec/job-states.js";
import { REVIEWED_RTR_COMMANDS } from "../../spec/rtr-commands.js";
import { REPO_ROOT } from "../../spec/locate.js";
import { levelFor, parseCommand } from "../../runtime/helpers/rtr-commands.js";

const surface = readFileSync(join(REPO_ROOT, "generated", "api-surface.txt"), "utf8");

describe("RTR command levels", () => {
  it("reads bullet lists of one- and two-word commands out of a description", () => {
    expect(listedCommands("Use this:\n- `cat`\n- `reg  Query`\n- `update install`\n\n**`base_command`** text")).toEqual(
      ["cat", "reg query", "update install"],
    );
  });

  it("places each command at the lowest level whose execute operation lists it, then applies the reviewed list", () => {
    expect(RTR_COMMAND_LEVELS).toMatchObject({
      ls: "read-only",
      cat: "read-only",
      "reg query": "read-only",
      "reg set": "active-responder",
      get: "active-responder",
      kill: "active-responder",
      put: "admin",
      run: "admin",
    });
    for (const [command, reviewed] of Object.entries(REVIEWED_RTR_COMMANDS))
      expect(RTR_COMMAND_LEVELS[command], command).toBe(reviewed.level);
    expect(Object.keys(RTR_COMMAND_LEVELS).length).toBeGreaterThan(40);
  });

  it("looks commands up by two words, then one", async () => {
    const level = (line: string) => levelFor(parseCommand(line), undefined);
    expect(await level("reg query HKLM\\x")).toBe("read-only");
    expect(await level("REG SET HKLM\\x -Value 1")).toBe("active-responder");
    expect(await level("update install KB123")).toBe("active-responder");
    expect(await level("ls -l")).toBe("read-only");
    await expect(level("reg frob")).rejects.toThrow(/unknown RTR command "reg"/);
  });
});

describe("job states", () => {
  it("reach generated/ unchanged, and every rule names an operation of the spec", () => {
    for (const [name, rule] of Object.entries(JOB_STATES)) {
      expect(GENERATED_STATES[name], name).toEqual({
        operation: rule.operation,
        field: rule.field,
        success: rule.success,
        failure: rule.failure,
      });
      expect(surface, rule.operation).toContain(`[${rule.operation}]`);
    }
  });
});
