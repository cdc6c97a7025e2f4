import { describe, expect, it } from "vitest";
import { decimalsFor, tickLabels, tickSteps } from "../../../src/app/panels/plots/ticks";

describe("plot tick labels", () => {
  it("gives each step the decimals it needs, ignoring float noise", () => {
    expect(decimalsFor(0.25)).toBe(2);
    expect(decimalsFor(2e-4)).toBe(4);
    expect(decimalsFor(50)).toBe(0);
    expect(decimalsFor(1)).toBe(0);
    expect(decimalsFor(0.1 + 0.2)).toBe(1);
    expect(decimalsFor(2.5e-9)).toBe(10);
    expect(decimalsFor(0)).toBe(0);
  });

  it("keeps ticks of a nearly flat loss apart (uPlot's default wrote 1.001 three times)", () => {
    expect(tickLabels([1.0006, 1.0008, 1.001, 1.0012], 0.0002)).toEqual(["1.0006", "1.0008", "1.0010", "1.0012"]);
    expect(tickLabels([0, 250, 500, 1000], 250)).toEqual(["0", "250", "500", "1,000"]);
    expect(tickLabels([-1, -0.5, 0], 0.5)).toEqual(["-1.0", "-0.5", "0.0"]);
  });

  it("an axis of whole numbers steps by whole numbers; any fraction allows fractional steps", () => {
    const whole = tickSteps([0, 1, 2, 3]);
    expect(whole[0]).toBe(1);
    expect(whole.every(Number.isInteger)).toBe(true);
    expect(whole).toContain(50);
    const fractional = tickSteps([0, 0.5, null]);
    expect(fractional).toContain(0.25);
    expect(fractional).toContain(1);
  });
});
