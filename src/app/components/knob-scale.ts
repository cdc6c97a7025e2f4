/**
 * The knobs bar's slider arithmetic: a range input moves over positions 0…count, and each
 * position stands for a value: `min + i·step` on a linear slider, equal ratios on a log slider
 * (12 positions a decade, values to 2 significant digits, so the handle walks 1, 1.2, 1.5, 1.8,
 * 2.2, … like the E12 series). Pure functions, unit-tested in Node.
 * @module
 */

/** What the arithmetic needs of a slider knob (the `knob` event's fields). */
export interface SliderScale {
  min: number;
  max: number;
  /** The grid of a linear slider; absent for a log slider. */
  step?: number;
  log: boolean;
}

/** Positions per decade of a log slider. */
export const LOG_POSITIONS_PER_DECADE = 12;

/** The last position (the input's `max`; its `min` is 0). */
export function positionCount(s: SliderScale): number {
  if (s.log) return Math.max(1, Math.round(Math.log10(s.max / s.min) * LOG_POSITIONS_PER_DECADE));
  return Math.max(1, Math.floor((s.max - s.min) / (s.step ?? (s.max - s.min) / 100) + 1e-9));
}

/** The value at position `i` (clamped to 0…count; the ends are exactly min and max). */
export function valueAt(s: SliderScale, i: number): number {
  const count = positionCount(s);
  const p = Math.min(count, Math.max(0, Math.round(i)));
  if (p === 0) return s.min;
  if (s.log) {
    if (p === count) return s.max;
    const v = Number((s.min * (s.max / s.min) ** (p / count)).toPrecision(2));
    return Math.min(s.max, Math.max(s.min, v));
  }
  // min + i·step without the decimal noise (0.1 + 2·0.1 = 0.30000000000000004).
  return Math.min(s.max, Number((s.min + p * (s.step ?? (s.max - s.min) / 100)).toPrecision(12)));
}

/** The position nearest `value` (in ratio on a log slider). */
export function positionOf(s: SliderScale, value: number): number {
  const count = positionCount(s);
  const v = Math.min(s.max, Math.max(s.min, value));
  const p = s.log ? (Math.log(v / s.min) / Math.log(s.max / s.min)) * count : (v - s.min) / (s.step ?? (s.max - s.min) / 100);
  return Math.min(count, Math.max(0, Math.round(p)));
}

/** A knob's value as the bar shows it: integers as they are, tiny or huge numbers as 1.0e-5, others to 3 significant digits. */
export function formatKnobValue(value: number | string): string {
  if (typeof value === "string") return value;
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}
