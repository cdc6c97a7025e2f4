/** Shared helpers of the op tests: building inputs (including non-contiguous views), comparing values. */
import { expect } from "vitest";
import { Tensor, tensor, stack, zerosLike, slice, contiguous, type DType } from "webgrad";
import { allocArray } from "../../../src/lib/tensor/dtype";
import { shapeSize } from "../../../src/lib/tensor/shape";

/** A value as stored in golden JSON: numbers, booleans, or "nan" / "inf" / "-inf". */
export type JsonValue = number | boolean | string;

/** How an input is laid out in memory: its logical values stay the same. */
export type Layout = "T" | "step" | "flip" | "expand";

/** Decode a golden JSON value. */
export function decode(v: JsonValue): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return Number(v);
}

/** A contiguous tensor from flat values. */
export function fromFlat(data: readonly JsonValue[], shape: readonly number[], dtype: DType): Tensor {
  const arr = allocArray(dtype, data.length);
  for (let i = 0; i < data.length; i++) arr[i] = decode(data[i]);
  return tensor(arr, { shape: [...shape], dtype });
}

/** True when the tensor's memory is row-major contiguous from offset 0. */
export function isContiguousView(t: Tensor): boolean {
  const v = t._view!;
  let expect = 1;
  for (let i = t.ndim - 1; i >= 0; i--) {
    if (t.shape[i] !== 1 && v.strides[i] !== expect) return false;
    expect *= t.shape[i];
  }
  return v.offset === 0;
}

/**
 * A tensor with the logical values `x` but a non-contiguous layout: transposed memory, a stride-2
 * slice, a negative-stride (flipped) view, or (for "expand") a zero-stride broadcast of `base`.
 */
export function withLayout(x: Tensor, layout: Layout | undefined, expandTo?: readonly number[]): Tensor {
  if (layout === undefined) return x;
  if (layout === "expand") return x.expand([...expandTo!]);
  if (x.ndim === 0) return x;
  if (layout === "T" && x.ndim >= 2) return x.transpose(-1, -2).contiguous().transpose(-1, -2);
  if (layout === "step" || (layout === "T" && x.ndim < 2)) {
    const s = stack([x, zerosLike(x)], -1);
    return slice(s, [...x.shape.map(() => null), 0]);
  }
  const flip0 = (t: Tensor) => slice(t, [[null, null, -1]]);
  return flip0(contiguous(flip0(x)));
}

/** An input as stored in golden JSON. */
export interface JsonInput {
  shape: number[];
  dtype: DType;
  data: JsonValue[];
  layout?: Layout;
  base?: number[];
}

/** Build a golden input, checking that a requested non-contiguous layout really is one. */
export function buildInput(spec: JsonInput): Tensor {
  if (spec.layout === "expand") return withLayout(fromFlat(spec.data, spec.base!, spec.dtype), "expand", spec.shape);
  const x = fromFlat(spec.data, spec.shape, spec.dtype);
  const y = withLayout(x, spec.layout);
  if (spec.layout !== undefined && shapeSize(spec.shape) > 1 && spec.shape.some((d) => d > 1)) {
    expect(isContiguousView(y), `layout ${spec.layout} of shape [${spec.shape}] should be non-contiguous`).toBe(false);
  }
  return y;
}

/** Tolerances by dtype. */
export const TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-10, atol: 1e-12 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/** First index where `actual` and `expected` differ beyond tolerance (NaN matches NaN, ±inf must match exactly), or -1. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) return 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]),
      e = Number(expected[i]);
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) return i;
    } else if (!Number.isFinite(e)) {
      if (a !== e) return i;
    } else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return i;
  }
  return -1;
}

/** Assert that a tensor matches a shape, dtype and values. */
export function expectClose(t: Tensor, shape: readonly number[], dtype: DType, values: ArrayLike<number>, label: string, tol = TOL[dtype]): void {
  expect(t.shape, `${label}: shape`).toEqual([...shape]);
  expect(t.dtype, `${label}: dtype`).toBe(dtype);
  const got = t.dataSync();
  const i = firstMismatch(got, values, tol.rtol, tol.atol);
  if (i >= 0) {
    throw new Error(
      `${label}: element ${i} is ${got[i]}, expected ${values[i]} (rtol ${tol.rtol}, atol ${tol.atol})\n  got      ${Array.from(got).slice(0, 24).join(", ")}\n  expected ${Array.from(values).slice(0, 24).join(", ")}`,
    );
  }
}
