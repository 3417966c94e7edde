/** New calls wait out a cool-down another call's 429 started (shared by every client on one token). */
import type { CoolDown } from "../retry.js";
import type { Next } from "./step.js";

export function coolDownStep(coolDown: CoolDown, next: Next): Next {
  return (req) => {
    const waiting = coolDown.until === 0 ? undefined : coolDown.wait(req.signal);
    return waiting === undefined ? next(req) : waiting.then(() => next(req));
  };
}
