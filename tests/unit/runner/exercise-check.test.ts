import { describe, expect, it } from "vitest";
import { checkPassed, formatCheckValue, runCheck, type CheckFunction } from "../../../src/runner/exercise-check";

const square = (x: number) => x * x;

describe("runCheck", () => {
  it("reports each case: passed, a comparison that failed (expected / got), an error the learner's code threw", async () => {
    const check: CheckFunction = async (learner, t) => {
      await t.case("right", () => t.close(t.fn<(x: number) => number>("square")(3), 9));
      await t.case({ en: "wrong", zh: "错" }, () => t.close(t.fn<(x: number) => number>("square")(3), 10));
      await t.case("throws", () => t.fn<() => void>("boom")());
      await t.case("arrays", () => t.equal([1, 2], [1, 3]));
    };
    const report = await runCheck(
      check,
      {
        square,
        boom: () => {
          throw new RangeError("no");
        },
      },
      {},
    );
    expect(report.error).toBeUndefined();
    expect(report.cases).toEqual([
      { name: { en: "right", zh: "right" }, pass: true },
      { name: { en: "wrong", zh: "错" }, pass: false, expected: "10", got: "9", missing: undefined },
      { name: { en: "throws", zh: "throws" }, pass: false, detail: "RangeError: no" },
      { name: { en: "arrays", zh: "arrays" }, pass: false, expected: "[1, 3]", got: "[1, 2]", missing: undefined },
    ]);
    expect(checkPassed(report)).toBe(false);
  });

  it("names a missing export, inside a case or outside one", async () => {
    const inside = await runCheck(async (_l, t) => void (await t.case("c", () => t.fn("nope"))), {}, {});
    expect(inside.cases[0]).toMatchObject({ pass: false, missing: "nope" });
    const outside = await runCheck((_l, t) => void t.fn("nope"), {}, {});
    expect(outside.error).toBeUndefined();
    expect(outside.cases[0]).toMatchObject({ pass: false, missing: "nope" });
  });

  it("passes only with every case passing and at least one case; a broken check is an error", async () => {
    expect(checkPassed(await runCheck(async (_l, t) => void (await t.case("ok", () => t.close([1, 2.0000001], [1, 2]))), {}, {}))).toBe(true);
    expect(checkPassed(await runCheck(() => {}, {}, {}))).toBe(false);
    const broken = await runCheck(
      () => {
        throw new TypeError("bad check");
      },
      {},
      {},
    );
    expect(broken.error).toEqual({ kind: "check", message: "TypeError: bad check" });
    expect(checkPassed(broken)).toBe(false);
  });

  it("compares within a tolerance, element by element, and refuses a wrong length or a non-number", async () => {
    const results: boolean[] = [];
    await runCheck(
      async (_l, t) => {
        results.push(await t.case("a", () => t.close(new Float32Array([0.1, 0.2]), [0.1, 0.2])));
        results.push(await t.case("b", () => t.close([1, 2, 3], [1, 2])));
        results.push(await t.case("c", () => t.close("1", 1)));
        results.push(await t.case("d", () => t.close(1.001, 1, 1e-2)));
      },
      {},
      {},
    );
    expect(results).toEqual([true, false, false, true]);
  });

  it("formats values short", () => {
    expect(formatCheckValue(1 / 3)).toBe("0.333333");
    expect(formatCheckValue(new Float32Array([1, 2]))).toBe("[1, 2]");
    expect(formatCheckValue(Array.from({ length: 20 }, (_, i) => i))).toBe("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (20)]");
    expect(formatCheckValue({ val: 1 })).toBe('{"val":1}');
  });
});
