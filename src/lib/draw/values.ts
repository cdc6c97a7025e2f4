/**
 * Reading what the drawing functions are given — a Tensor or nested arrays of numbers — into a
 * shape and flat values, with errors that name the function and the shape.
 * @module
 */
import { Tensor } from "../tensor/tensor";
import { ShapeError } from "../errors";
import { fmtShape } from "../tensor/shape";

/** Numbers as a tensor or as (nested) arrays, as the drawing functions accept them. */
export type Numbers = Tensor | number[] | number[][] | number[][][];

/** The shape of `v`; nested arrays must be rectangular and hold numbers. */
export function shapeOf(fn: string, what: string, v: unknown): number[] {
  if (v instanceof Tensor) return [...v.shape];
  if (!Array.isArray(v)) throw new TypeError(`${fn}: ${what} must be a Tensor or an array of numbers, got ${v === null ? "null" : typeof v}`);
  const shape: number[] = [];
  let level: unknown = v;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const check = (a: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof a !== "number") throw new TypeError(`${fn}: ${what}${path} must be a number, got ${typeof a}`);
      return;
    }
    if (!Array.isArray(a) || a.length !== shape[depth]) {
      throw new ShapeError(
        fn,
        `${what} is not rectangular: ${what}${path} has ${Array.isArray(a) ? a.length : "no"} entries where ${fmtShape(shape)} needs ${shape[depth]}`,
      );
    }
    for (let i = 0; i < a.length; i++) check(a[i], depth + 1, `${path}[${i}]`);
  };
  check(v, 0, "");
  return shape;
}

/** The values of `v`, flat and row-major (a tensor is read back from its device). */
export async function valuesOf(v: Numbers): Promise<ArrayLike<number>> {
  if (v instanceof Tensor) {
    const data = await v.data();
    return data instanceof Uint8Array ? Float32Array.from(data) : (data as ArrayLike<number>);
  }
  return (v as unknown[]).flat(Infinity) as number[];
}

/** Finite min and max of `a` ([0, 1] when nothing is finite; widened when they are equal). */
export function finiteRange(a: ArrayLike<number>): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** Quantizes `a` to levels 0–255 over [lo, hi] (clamped; NaN → 0). */
export function quantize(a: ArrayLike<number>, lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(a.length);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < a.length; i++) {
    const q = Math.round((a[i]! - lo) * scale);
    out[i] = q > 255 ? 255 : q > 0 ? q : 0;
  }
  return out;
}
