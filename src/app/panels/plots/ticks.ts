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
