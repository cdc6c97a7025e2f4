import { describe, expect, it } from "vitest";
import { fmtTraceValue, revealed, traceSteps } from "../../../src/app/panels/tape/trace-steps";

describe("the Trace view's steps", () => {
  it("forward mode: one row per step, top to bottom, the inputs (and their seed) given", () => {
    expect(traceSteps("forward", 7, 2)).toEqual([2, 3, 4, 5, 6].map((row) => ({ row, part: "both" })));
    expect(revealed("forward", 4, 2, 0)).toEqual([
      { value: true, deriv: true },
      { value: true, deriv: true },
      { value: false, deriv: false },
      { value: false, deriv: false },
    ]);
    expect(revealed("forward", 4, 2, 1)[2]).toEqual({ value: true, deriv: true });
    expect(revealed("forward", 4, 2, 1)[3]).toEqual({ value: false, deriv: false });
  });

  it("reverse mode: the forward sweep's values, then the adjoints from the output back to the inputs", () => {
    const steps = traceSteps("reverse", 4, 2);
    expect(steps).toEqual([
      { row: 2, part: "value" },
      { row: 3, part: "value" },
      { row: 3, part: "deriv" },
      { row: 2, part: "deriv" },
      { row: 1, part: "deriv" },
      { row: 0, part: "deriv" },
    ]);
    // after the forward sweep every value is known and no adjoint yet
    expect(revealed("reverse", 4, 2, 2).every((c) => c.value && !c.deriv)).toBe(true);
    // one step into the reverse sweep: the output's adjoint (the seed 1)
    expect(revealed("reverse", 4, 2, 3).map((c) => c.deriv)).toEqual([false, false, false, true]);
    expect(revealed("reverse", 4, 2, steps.length).every((c) => c.value && c.deriv)).toBe(true);
  });

  it("formats values with four decimals and no negative zero", () => {
    expect(fmtTraceValue(5.5)).toBe("5.5000");
    expect(fmtTraceValue(1.7163378145367738)).toBe("1.7163");
    expect(fmtTraceValue(-0.00001)).toBe("0.0000");
    expect(fmtTraceValue(-0.9589242746631385)).toBe("-0.9589");
  });
});
