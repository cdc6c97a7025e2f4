/**
 * The order in which the Tape panel's Trace view fills in an evaluation trace, one cell per step,
 * so a learner can predict each next value before revealing it. Forward mode fills each row's
 * value and tangent together, top to bottom. Reverse mode first runs the forward sweep (the
 * values, top to bottom), then the reverse sweep (the adjoints, bottom to top, ending at the
 * inputs: the gradient). The inputs' values, and in forward mode their tangents (the seed), are
 * given before the first step.
 * @module
 */

/** One step: the row it fills in and what it fills in. */
export interface TraceStep {
  row: number;
  /** "both": value and tangent (forward); "value" or "deriv": the reverse mode's two sweeps. */
  part: "both" | "value" | "deriv";
}

/** Every step of a trace with `rows` rows, the first `inputs` of them the inputs. */
export function traceSteps(mode: "forward" | "reverse", rows: number, inputs: number): TraceStep[] {
  const out: TraceStep[] = [];
  if (mode === "forward") {
    for (let r = inputs; r < rows; r++) out.push({ row: r, part: "both" });
    return out;
  }
  for (let r = inputs; r < rows; r++) out.push({ row: r, part: "value" });
  for (let r = rows - 1; r >= 0; r--) out.push({ row: r, part: "deriv" });
  return out;
}

/** Which cells are shown after the first `pos` steps: per row, its value and its derivative. */
export function revealed(mode: "forward" | "reverse", rows: number, inputs: number, pos: number): { value: boolean; deriv: boolean }[] {
  const shown = Array.from({ length: rows }, (_, r) => ({ value: r < inputs, deriv: mode === "forward" && r < inputs }));
  for (const s of traceSteps(mode, rows, inputs).slice(0, Math.max(0, pos))) {
    if (s.part !== "deriv") shown[s.row].value = true;
    if (s.part !== "value") shown[s.row].deriv = true;
  }
  return shown;
}

/** A value as the table shows it: four decimals, no negative zero. */
export function fmtTraceValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const r = Math.round(v * 1e4) / 1e4;
  return (Object.is(r, -0) ? 0 : r).toFixed(4);
}
