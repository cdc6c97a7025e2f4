/** CPU kernels for elementwise ops. Inputs arrive broadcast to the output shape. */
import { allocArray } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import { forEachRow, isContiguous, lastStride } from "../storage";
import { arrayOf, byDtype, type CpuKernel } from "./util";
import type { PartialOpTable } from "../../../ops/names";

type Fn1 = (x: number) => number;
type Fn2 = (a: number, b: number) => number;

/** Elements per row of `forEachRow` (the last dimension; 1 for rank 0). */
const rowLength = (shape: readonly number[]) => (shape.length > 0 ? shape[shape.length - 1] : 1);

/** A unary kernel from a scalar function. */
function mapUnary(f: Fn1): CpuKernel {
  return ([x], _attrs, out) => {
    const n = shapeSize(out.shape);
    const o = allocArray(out.dtype, n);
    const src = arrayOf(x);
    if (isContiguous(x)) {
      const base = x.offset;
      for (let i = 0; i < n; i++) o[i] = f(src[base + i]);
    } else {
      // Row by row: a broadcast or strided input needs no per-element offsets array.
      const length = rowLength(out.shape),
        s = lastStride(x);
      forEachRow([x], (start, [off]) => {
        for (let j = 0; j < length; j++) o[start + j] = f(src[off + j * s]);
      });
    }
    return o;
  };
}

/** A binary kernel from a scalar function. */
function mapBinary(f: Fn2): CpuKernel {
  return ([a, b], _attrs, out) => {
    const n = shapeSize(out.shape);
    const o = allocArray(out.dtype, n);
    const sa = arrayOf(a),
      sb = arrayOf(b);
    if (isContiguous(a) && isContiguous(b)) {
      const ba = a.offset,
        bb = b.offset;
      for (let i = 0; i < n; i++) o[i] = f(sa[ba + i], sb[bb + i]);
    } else {
      // Row by row: a broadcast operand (a scalar, a bias row) needs no per-element offsets array.
      const length = rowLength(out.shape),
        ka = lastStride(a),
        kb = lastStride(b);
      forEachRow([a, b], (start, [pa, pb]) => {
        for (let j = 0; j < length; j++) o[start + j] = f(sa[pa + j * ka], sb[pb + j * kb]);
      });
    }
    return o;
  };
}

/**
 * erf to double precision (the CPU backend is the reference, and gradient checks in float64 compare
 * against erf's exact derivative). Kummer's series erf x = 2/√π · e^(−x²) · Σ 2ⁿx^(2n+1)/(2n+1)!!
 * has only positive terms, so no cancellation; beyond |x| = 6, erf is ±1 in double.
 */
function erf(x: number): number {
  if (x !== x) return NaN;
  const z = Math.abs(x);
  if (z >= 6) return x > 0 ? 1 : -1;
  const z2 = z * z;
  let term = z,
    sum = z;
  for (let n = 0; n < 400 && term > sum * 1e-17; n++) {
    term *= (2 * z2) / (2 * n + 3);
    sum += term;
  }
  const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-z2) * sum;
  return x < 0 ? -r : r;
}

/** Round half to even, as NumPy and PyTorch do. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** a^b for int32, wrapping as in C: square-and-multiply with Math.imul; b < 0 gives 1/a^|b| truncated (0 unless a = ±1). */
function powInt32(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let r = 1,
    base = a | 0;
  for (let e = b; e > 0; e = Math.floor(e / 2)) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
  }
  return r;
}

/** float → int32: toward zero, saturating at int32's range (±∞ too); NaN is 0, as Rust's `as` (the WebGPU kernel's f2i matches). */
function floatToInt32(v: number): number {
  if (v !== v) return 0;
  return v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : Math.trunc(v);
}

/** Kernels by op name. */
export const ELEMENTWISE_KERNELS = {
  neg: mapUnary((x) => -x),
  abs: mapUnary(Math.abs),
  exp: mapUnary(Math.exp),
  log: mapUnary(Math.log),
  log1p: mapUnary(Math.log1p),
  sqrt: mapUnary(Math.sqrt),
  rsqrt: mapUnary((x) => 1 / Math.sqrt(x)),
  sin: mapUnary(Math.sin),
  cos: mapUnary(Math.cos),
  tanh: mapUnary(Math.tanh),
  sigmoid: mapUnary(sigmoid),
  relu: mapUnary((x) => (x > 0 || x !== x ? x : 0)), // NaN stays NaN, as in PyTorch
  gelu: mapUnary((x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2))),
  gelu_tanh: mapUnary((x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))),
  silu: mapUnary((x) => x * sigmoid(x)),
  square: byDtype(
    mapUnary((x) => x * x),
    mapUnary((x) => Math.imul(x, x)),
  ),
  reciprocal: mapUnary((x) => 1 / x),
  sign: mapUnary((x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN)),
  floor: mapUnary(Math.floor),
  ceil: mapUnary(Math.ceil),
  round: mapUnary(roundHalfEven),
  erf: mapUnary(erf),
  logicalNot: mapUnary((x) => (x ? 0 : 1)),
  identity: mapUnary((x) => x),
  stopGradient: mapUnary((x) => x),
  copy: mapUnary((x) => x),

  add: mapBinary((a, b) => a + b),
  sub: mapBinary((a, b) => a - b),
  mul: byDtype(
    mapBinary((a, b) => a * b),
    mapBinary(Math.imul),
  ),
  div: mapBinary((a, b) => a / b),
  pow: byDtype(mapBinary(Math.pow), mapBinary(powInt32)),
  atan2: mapBinary(Math.atan2),
  maximum: mapBinary((a, b) => (a !== a || b !== b ? NaN : a > b ? a : b)),
  minimum: mapBinary((a, b) => (a !== a || b !== b ? NaN : a < b ? a : b)),
  eq: mapBinary((a, b) => (a === b ? 1 : 0)),
  ne: mapBinary((a, b) => (a !== b ? 1 : 0)),
  lt: mapBinary((a, b) => (a < b ? 1 : 0)),
  le: mapBinary((a, b) => (a <= b ? 1 : 0)),
  gt: mapBinary((a, b) => (a > b ? 1 : 0)),
  ge: mapBinary((a, b) => (a >= b ? 1 : 0)),
  logicalAnd: mapBinary((a, b) => (a && b ? 1 : 0)),
  logicalOr: mapBinary((a, b) => (a || b ? 1 : 0)),
  logicalXor: mapBinary((a, b) => (a ? 1 : 0) ^ (b ? 1 : 0)),

  where: ([c, a, b], _attrs, out) => {
    const n = shapeSize(out.shape);
    const o = allocArray(out.dtype, n);
    const sc = arrayOf(c),
      sa = arrayOf(a),
      sb = arrayOf(b);
    const length = rowLength(out.shape),
      kc = lastStride(c),
      ka = lastStride(a),
      kb = lastStride(b);
    forEachRow([c, a, b], (start, [pc, pa, pb]) => {
      for (let j = 0; j < length; j++) o[start + j] = sc[pc + j * kc] ? sa[pa + j * ka] : sb[pb + j * kb];
    });
    return o;
  },

  cast: ([x], attrs, out) => {
    const to = attrs.dtype as string;
    const f: Fn1 = to === "bool" ? (v) => (v !== 0 ? 1 : 0) : to === "int32" ? floatToInt32 : (v) => v;
    return mapUnary(f)([x], attrs, out);
  },
} satisfies PartialOpTable<CpuKernel>;
