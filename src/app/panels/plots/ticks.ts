/**
 * Axis tick labels for the line charts. uPlot's default formatter keeps at most three decimals,
 * so a loss that moves from 1.0012 to 1.0006 gets the labels "1.001, 1.001, 1.001"; here every
 * label gets as many decimals as the step between ticks needs, and no more.
 * @module
 */

/** Decimals needed to write `step` exactly (0.25 → 2, 2e-4 → 4, 50 → 0), at most 15. */
export function decimalsFor(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  // 12 significant digits absorb float noise (0.1 + 0.2 is written 3e-1).
  const [mantissa, exponent] = step.toExponential(11).split("e") as [string, string];
  const mantissaDecimals = (mantissa.split(".")[1] ?? "").replace(/0+$/, "").length;
  return Math.min(Math.max(0, mantissaDecimals - Number(exponent)), 15);
}

/** Labels for the tick values `splits`, `step` apart, with the decimals the step needs (grouped thousands). */
export function tickLabels(splits: readonly number[], step: number): string[] {
  const digits = decimalsFor(step);
  const format = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return splits.map((v) => format.format(v));
}

/** Tick steps 1, 2, 2.5, 5 × 10ᵏ (uPlot's own sequence), from 1e-16 to 5e16. */
const STEPS: number[] = [];
for (let e = -16; e <= 16; e++) for (const m of [1, 2, 2.5, 5]) STEPS.push(+(m * 10 ** e).toPrecision(3));
const INTEGER_STEPS = STEPS.filter((s) => s >= 1 && Number.isInteger(s));

/**
 * The tick steps an axis may use: whole steps only when every value is an integer (steps, epochs,
 * a device count), so such an axis never reads 0.5 or 2.5.
 */
export function tickSteps(values: ArrayLike<number | null | undefined>): number[] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v != null && !Number.isInteger(v)) return STEPS;
  }
  return INTEGER_STEPS;
}
