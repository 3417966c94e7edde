/**
 * Type tests for command(): checked by `tsc --noEmit` (each @ts-expect-error must be an error,
 * or tsc fails); the runtime part only confirms the file loads.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { DictResponse, Result } from "../../runtime/results.js";
import type { ThingsBody } from "./fixtures.js";
import { TestUber } from "./fixtures.js";

describe("command() typing", () => {
  it("is typed by the operation ID", () => {
    const uber = new TestUber({ accessToken: "t", baseUrl: "http://127.0.0.1:9" });
    const check = (): void => {
      // Correct calls compile, with result types from the ID and the mode.
      expectTypeOf(uber.command("QueryThings", { limit: 10, filter: "x" })).toEqualTypeOf<
        Promise<DictResponse<ThingsBody>>
      >();
      expectTypeOf(uber.command("QueryThings")).toEqualTypeOf<Promise<DictResponse<ThingsBody>>>();
      expectTypeOf(uber.command("QueryThings", {}, { pythonic: true })).toEqualTypeOf<Promise<Result<ThingsBody>>>();
      expectTypeOf(uber.command({ action: "QueryThings", limit: 1 })).toEqualTypeOf<
        Promise<DictResponse<ThingsBody>>
      >();
      expectTypeOf(uber.command("query-things", { ids: ["a"] })).toEqualTypeOf<Promise<DictResponse<ThingsBody>>>();
      void uber.command("CreateThing", { body: { name: "n" } });
      void uber.command("CreateThing", { name: "n", tags: ["a"] });
      void uber.command({ override: "GET,/x/v1", parameters: { a: 1 } });

      // @ts-expect-error misspelt query key
      void uber.command("QueryThings", { limt: 10 });
      // @ts-expect-error misspelt key in the keyword form
      void uber.command({ action: "QueryThings", limt: 10 });
      // @ts-expect-error wrong value type
      void uber.command("QueryThings", { limit: "10" });
      // @ts-expect-error missing required body field
      void uber.command("CreateThing", { body: { tags: ["a"] } });
      // @ts-expect-error required arguments missing
      void uber.command("CreateThing");
      // @ts-expect-error wrong operation ID
      void uber.command("QueryThingz", { limit: 1 });
      // @ts-expect-error wrong operation ID in the keyword form
      void uber.command({ action: "QueryThingz", limit: 1 });
    };
    void check;
    const obj = new TestUber<true>({ accessToken: "t", baseUrl: "http://127.0.0.1:9", pythonic: true });
    const checkObjectMode = (): void => {
      expectTypeOf(obj.command("QueryThings")).toEqualTypeOf<Promise<Result<ThingsBody>>>();
    };
    void checkObjectMode;
  });
});
