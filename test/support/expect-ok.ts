import { expect } from "vitest";
import type { DictResponse, SuccessResult } from "../../runtime/results.js";

/** A 2xx, narrowed to the success type (dict results carry the success body only once checked). */
export function expectOk<T>(r: DictResponse<T>, status = 200): asserts r is SuccessResult<T> {
  expect(r.status_code).toBe(status);
  if (!r.ok) throw new Error(`HTTP ${r.status_code}: ${r.body.errors[0]?.message}`);
}
