import { afterEach, describe, expect, it } from "vitest";
import { getStepLimit, setStepLimit, steps } from "webgrad";

describe("steps (the step budget of quick runs)", () => {
  afterEach(() => setStepLimit());
  it("gives n when runs are not quick", () => {
    expect(getStepLimit()).toBe(Infinity);
    expect(steps(500)).toBe(500);
    expect(steps(0)).toBe(0);
  });
  it("caps n at the limit", () => {
    setStepLimit(5);
    expect(steps(500)).toBe(5);
    expect(steps(3)).toBe(3);
    setStepLimit(undefined);
    expect(steps(500)).toBe(500);
  });
  it("refuses nonsense with a clear error", () => {
    expect(() => steps(-1)).toThrow(/steps\(-1\)/);
    expect(() => steps(NaN)).toThrow(/finite/);
    expect(() => setStepLimit(0)).toThrow(/≥ 1/);
  });
});
