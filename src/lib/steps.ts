/**
 * The step budget: examples ask `steps(200)` for their loop length, and a quick run (Settings →
 * "Quick runs", the test suites) caps every such loop, so a whole course can be run through in
 * seconds and still give the same results in Eager and Graph mode.
 * @module
 */

let stepLimit = Infinity;

/**
 * How many steps a training loop should run: `n`, or fewer when quick runs are on
 * (Settings → "Quick runs" caps every loop at a few steps).
 * @example for (let i = 0; i < steps(500); i++) { … }
 */
export function steps(n: number): number {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`steps(${n}): the number of steps must be a finite number ≥ 0`);
  return Math.min(Math.floor(n), stepLimit);
}

/**
 * Caps what {@link steps} returns (quick runs); `undefined` or `Infinity` lifts the cap.
 * The playground sets it from Settings before each run.
 */
export function setStepLimit(limit?: number): void {
  if (limit === undefined || limit === Infinity) {
    stepLimit = Infinity;
    return;
  }
  if (!Number.isFinite(limit) || limit < 1) throw new RangeError(`setStepLimit(${limit}): the limit must be ≥ 1`);
  stepLimit = Math.floor(limit);
}

/** The current cap of {@link steps} (`Infinity` when runs are not quick). */
export function getStepLimit(): number {
  return stepLimit;
}
