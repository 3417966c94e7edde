import type { Logger } from "../../runtime/options.js";

/**
 * A debug logger that counts the 429 retries the pipeline logs. It logs one right after the 429
 * started the shared cool-down, so a test can wait for the cool-down to be on (with `until`)
 * instead of sleeping and hoping the client has read the 429 by then.
 */
export function coolDownLog(): { logger: Logger; coolDowns(): number } {
  let count = 0;
  const debug = (line: unknown): void => {
    if (typeof line === "string" && line.startsWith("falconts retry ") && line.includes('"reason":"HTTP 429"')) count++;
  };
  const ignore = (): void => undefined;
  return { logger: { debug, info: ignore, warn: ignore, error: ignore }, coolDowns: () => count };
}
