/**
 * The op functions behind Tensor's methods and the public API: dtype promotion, scalar
 * arguments, axis handling, and composite ops built from primitives (so they need no rules of
 * their own: their gradients come from the primitives').
 */
import { DTypeError, ShapeError, WebgradError, AutogradError } from "../errors";
import { isGradEnabled } from "./gradmode";
import { getDefaultBackend, getBackend } from "../backend/registry";
import { Tensor, type TensorLike } from "../tensor/tensor";
import { allocArray, DTYPES, isFloat, promoteTypes, promoteWithScalar, scalarDtype, type DType } from "../tensor/dtype";
import { broadcastShapes, broadcastView, fmtShape, normalizeAxes, normalizeAxis, shapeEqual, shapeSize } from "../tensor/shape";
import { apply, evalTrace, topTrace, type RunTimeRefusal } from "./dispatch";
import { checkDtypeName, checkIndexValues, checkInt, checkSize, fmtValue } from "../tensor/validate";
import * as P from "./defs";
import type { OpDef } from "./registry";
import type { Backend } from "../backend/backend";

// ------------------------------------------------------------------ scalars and promotion

/** A 0-d constant tensor of `dtype` on the backend of `like` (or the default backend). */
export function scalarTensor(value: number | boolean, dtype: DType, like?: Tensor): Tensor {
  const backend = like?._backendOf() ?? getDefaultBackend();
  const arr = allocArray(dtype, 1);
  arr[0] = Number(value);
  const t = Tensor._fromStorage(backend.fromArray(arr, dtype), [], dtype);
  t._hostScalar = arr[0];
  return t;
}

function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

function checkArg(op: string, x: unknown, i: number): void {
  if (!(isTensor(x) || typeof x === "number" || typeof x === "boolean")) {
    throw new TypeError(`${op}: argument ${i + 1} must be a Tensor or a number, got ${x === null ? "null" : typeof x}`);
  }
}

/** Bring two operands to one dtype (tensors promote; JS numbers are weakly typed). */
function promotePair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  checkArg(op, a, 0);
  checkArg(op, b, 1);
  let dtype: DType;
  if (isTensor(a) && isTensor(b)) dtype = promoteTypes(a.dtype, b.dtype);
  else if (isTensor(a)) dtype = promoteWithScalar(a.dtype, scalarDtype(b as number));
  else if (isTensor(b)) dtype = promoteWithScalar(b.dtype, scalarDtype(a as number));
  else throw new TypeError(`${op}: at least one argument must be a Tensor`);
  const like = isTensor(a) ? a : (b as Tensor);
  const ta = isTensor(a) ? cast(a, dtype) : scalarTensor(a, dtype, like);
  const tb = isTensor(b) ? cast(b, dtype) : scalarTensor(b, dtype, like);
  return [ta, tb, dtype];
}

function arith(op: P.BinaryOpDef, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = promotePair(op.name, a, b);
  if (dtype === "bool" && op !== P.Maximum && op !== P.Minimum) {
    return apply(op, [cast(ta, "int32"), cast(tb, "int32")]);
  }
  return apply(op, [ta, tb]);
}

function floatArith(op: P.BinaryOpDef, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = promotePair(op.name, a, b);
  return apply(op, isFloat(dtype) ? [ta, tb] : [cast(ta, "float32"), cast(tb, "float32")]);
}

function compare(op: P.BinaryOpDef, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promotePair(op.name, a, b);
  return apply(op, [ta, tb]);
}

function logical(op: P.BinaryOpDef, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promotePair(op.name, a, b);
  return apply(op, [cast(ta, "bool"), cast(tb, "bool")]);
}

/** Unary float ops: ints and bools are computed in float32. */
function unaryFloat(op: P.UnaryOpDef, x: Tensor): Tensor {
  checkArg(op.name, x, 0);
  return apply(op, [isFloat(x.dtype) ? x : cast(x, "float32")]);
}

/** Unary ops that keep the dtype (neg, abs, sign, square …). */
function unarySame(op: P.UnaryOpDef, x: Tensor): Tensor {
  checkArg(op.name, x, 0);
  if (x.dtype === "bool") return apply(op, [cast(x, "int32")]);
  return apply(op, [x]);
}

/** Rounding ops: identity on integers. */
function unaryRound(op: P.UnaryOpDef, x: Tensor): Tensor {
  checkArg(op.name, x, 0);
  return isFloat(x.dtype) ? apply(op, [x]) : x;
}

// ------------------------------------------------------------------ elementwise

/** -x */ export const neg = (x: Tensor): Tensor => unarySame(P.Neg, x);
/** |x| */ export const abs = (x: Tensor): Tensor => unarySame(P.Abs, x);
/** eˣ */ export const exp = (x: Tensor): Tensor => unaryFloat(P.Exp, x);
/** ln x */ export const log = (x: Tensor): Tensor => unaryFloat(P.Log, x);
/** ln(1+x) */ export const log1p = (x: Tensor): Tensor => unaryFloat(P.Log1p, x);
/** √x */ export const sqrt = (x: Tensor): Tensor => unaryFloat(P.Sqrt, x);
/** 1/√x */ export const rsqrt = (x: Tensor): Tensor => unaryFloat(P.Rsqrt, x);
/** sin x */ export const sin = (x: Tensor): Tensor => unaryFloat(P.Sin, x);
/** cos x */ export const cos = (x: Tensor): Tensor => unaryFloat(P.Cos, x);
/** tanh x */ export const tanh = (x: Tensor): Tensor => unaryFloat(P.Tanh, x);
/** 1/(1+e⁻ˣ) */ export const sigmoid = (x: Tensor): Tensor => unaryFloat(P.Sigmoid, x);
/** max(x, 0) */ export const relu = (x: Tensor): Tensor => unarySame(P.Relu, x);
/** GELU, exact (erf) or tanh approximation. */
export const gelu = (x: Tensor, approximate: "none" | "tanh" = "none"): Tensor => unaryFloat(approximate === "tanh" ? P.GeluTanh : P.Gelu, x);
/** x·sigmoid(x) */ export const silu = (x: Tensor): Tensor => unaryFloat(P.Silu, x);
/** x² */ export const square = (x: Tensor): Tensor => unarySame(P.Square, x);
/** 1/x */ export const reciprocal = (x: Tensor): Tensor => unaryFloat(P.Reciprocal, x);
/** sign(x) */ export const sign = (x: Tensor): Tensor => unarySame(P.Sign, x);
/** ⌊x⌋ */ export const floor = (x: Tensor): Tensor => unaryRound(P.Floor, x);
/** ⌈x⌉ */ export const ceil = (x: Tensor): Tensor => unaryRound(P.Ceil, x);
/** Round half to even. */ export const round = (x: Tensor): Tensor => unaryRound(P.Round, x);
/** erf x */ export const erf = (x: Tensor): Tensor => unaryFloat(P.Erf, x);
/** Logical not. */ export const logicalNot = (x: Tensor): Tensor => apply(P.LogicalNot, [cast(x, "bool")]);

/** a + b */ export const add = (a: TensorLike, b: TensorLike): Tensor => arith(P.Add, a, b);
/** a − b */ export const sub = (a: TensorLike, b: TensorLike): Tensor => arith(P.Sub, a, b);
/** a × b */ export const mul = (a: TensorLike, b: TensorLike): Tensor => arith(P.Mul, a, b);
/** a ÷ b (true division) */ export const div = (a: TensorLike, b: TensorLike): Tensor => floatArith(P.Div, a, b);
/** aᵇ */ export const pow = (a: TensorLike, b: TensorLike): Tensor => floatArith(P.Pow, a, b);
/** atan2(y, x): the angle of the point (x, y) in (−π, π], quadrant-aware. */ export const atan2 = (y: TensorLike, x: TensorLike): Tensor =>
  floatArith(P.Atan2, y, x);
/** Elementwise max. */ export const maximum = (a: TensorLike, b: TensorLike): Tensor => arith(P.Maximum, a, b);
/** Elementwise min. */ export const minimum = (a: TensorLike, b: TensorLike): Tensor => arith(P.Minimum, a, b);
/** a == b */ export const eq = (a: TensorLike, b: TensorLike): Tensor => compare(P.Eq, a, b);
/** a != b */ export const ne = (a: TensorLike, b: TensorLike): Tensor => compare(P.Ne, a, b);
/** a < b */ export const lt = (a: TensorLike, b: TensorLike): Tensor => compare(P.Lt, a, b);
/** a <= b */ export const le = (a: TensorLike, b: TensorLike): Tensor => compare(P.Le, a, b);
/** a > b */ export const gt = (a: TensorLike, b: TensorLike): Tensor => compare(P.Gt, a, b);
/** a >= b */ export const ge = (a: TensorLike, b: TensorLike): Tensor => compare(P.Ge, a, b);
/** a and b */ export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logical(P.LogicalAnd, a, b);
/** a or b */ export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logical(P.LogicalOr, a, b);
/** a xor b */ export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => logical(P.LogicalXor, a, b);

/** Pick `a` where `cond` is true and `b` elsewhere (broadcasting all three). */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const like = [cond, a, b].find(isTensor);
  if (!like) throw new TypeError("where: at least one argument must be a Tensor");
  const c = isTensor(cond) ? cast(cond, "bool") : scalarTensor(cond, "bool", like);
  const [ta, tb] = promotePair("where", a, b);
  return apply(P.Where, [c, ta, tb]);
}

/** Clamp into [min, max] (either bound may be omitted). */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  let y = x;
  if (min !== undefined && min !== null) y = maximum(y, min);
  if (max !== undefined && max !== null) y = minimum(y, max);
  return y;
}

/** Convert to another dtype. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  checkDtypeName("cast", dtype);
  return apply(P.Cast, [x], { dtype });
}

/** The same values, cut from the tape and from forward-mode tangents (JAX's stop_gradient). */
export function detach(x: Tensor): Tensor {
  return apply(P.StopGradient, [x]);
}

/** @internal An alias of `x` that is recorded on the tape (grad transforms differentiate with respect to it). */
export function identity(x: Tensor): Tensor {
  return apply(P.Identity, [x]);
}

// ------------------------------------------------------------------ reductions

function reduce(op: P.ReduceOpDef, x: Tensor, axis: number | readonly number[] | null | undefined, keepdims: boolean): Tensor {
  checkArg(op.name, x, 0);
  // A 0-d tensor accepts axis 0 / −1 (as PyTorch does) but has no dimension to reduce.
  const axes = x.ndim === 0 ? (normalizeAxes(op.name, axis, 0), []) : normalizeAxes(op.name, axis, x.ndim);
  let input = x;
  if (op === P.Sum || op === P.Prod) {
    if (x.dtype === "bool") input = cast(x, "int32");
  }
  return apply(op, [input], { axes, keepdims });
}

/** Σ over axes. */ export const sum = (x: Tensor, axis?: number | readonly number[] | null, keepdims = false): Tensor => reduce(P.Sum, x, axis, keepdims);
/** Max over axes. */ export const max = (x: Tensor, axis?: number | readonly number[] | null, keepdims = false): Tensor => reduce(P.Max, x, axis, keepdims);
/** Min over axes. */ export const min = (x: Tensor, axis?: number | readonly number[] | null, keepdims = false): Tensor => reduce(P.Min, x, axis, keepdims);
/** Π over axes. */ export const prod = (x: Tensor, axis?: number | readonly number[] | null, keepdims = false): Tensor => reduce(P.Prod, x, axis, keepdims);

function reducedCount(x: Tensor, axis: number | readonly number[] | null | undefined, op: string): number {
  if (x.ndim === 0) return 1;
  return normalizeAxes(op, axis, x.ndim).reduce((n, a) => n * x.shape[a], 1);
}

/** Mean over axes (NaN over an empty axis, like NumPy). */
export function mean(x: Tensor, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const n = reducedCount(x, axis, "mean");
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  return div(sum(xf, axis, keepdims), n);
}

/** Variance with a correction (1 = unbiased, as PyTorch's default). */
export function variance(x: Tensor, axis?: number | readonly number[] | null, keepdims = false, correction = 1): Tensor {
  const n = reducedCount(x, axis, "var");
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  const d = sub(xf, mean(xf, axis, true));
  return div(sum(square(d), axis, keepdims), Math.max(n - correction, 0));
}

/** Standard deviation. */
export function std(x: Tensor, axis?: number | readonly number[] | null, keepdims = false, correction = 1): Tensor {
  return sqrt(variance(x, axis, keepdims, correction));
}

/** log Σ exp, stable: the max is subtracted first (and held constant, which leaves gradients exact). */
export function logsumexp(x: Tensor, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  const m = detach(max(xf, axis, true));
  const mSafe = where(isFiniteMask(m), m, 0);
  const s = log(sum(exp(sub(xf, mSafe)), axis, true));
  const out = add(s, mSafe);
  return keepdims || x.ndim === 0 ? out : squeeze(out, normalizeAxes("logsumexp", axis, x.ndim));
}

function isFiniteMask(x: Tensor): Tensor {
  return logicalAnd(eq(x, x), lt(abs(x), Infinity));
}

function argReduce(op: P.ReduceOpDef, x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  if (axis === undefined || axis === null) {
    const flat = reshape(x, [x.size]);
    const r = apply(op, [flat], { axes: [0], keepdims: false });
    return keepdims
      ? reshape(
          r,
          x.shape.map(() => 1),
        )
      : r;
  }
  const a = normalizeAxis(op.name, axis, x.ndim);
  return apply(op, [x], { axes: [a], keepdims });
}
/** Index of the max along an axis (int32). */
export const argmax = (x: Tensor, axis?: number, keepdims = false): Tensor => argReduce(P.Argmax, x, axis, keepdims);
/** Index of the min along an axis (int32). */
export const argmin = (x: Tensor, axis?: number, keepdims = false): Tensor => argReduce(P.Argmin, x, axis, keepdims);

/** Cumulative sum along an axis. */
export function cumsum(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis("cumsum", axis, x.ndim);
  const xs = x.dtype === "bool" ? cast(x, "int32") : x;
  if (x.ndim === 0) return reshape(apply(P.Cumsum, [reshape(xs, [1])], { axis: 0 }), []);
  return apply(P.Cumsum, [xs], { axis: a });
}

// ------------------------------------------------------------------ linear algebra

/** Matrix product with NumPy semantics: batch dims broadcast; 1-D operands are promoted and the added dim removed. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!isTensor(a) || !isTensor(b)) throw new TypeError("matmul: both arguments must be Tensors");
  if (a.ndim === 0 || b.ndim === 0)
    throw new ShapeError("matmul", `both operands need at least 1 dimension, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const [ta, tb] = promotePair("matmul", a, b);
  const a2 = a.ndim === 1 ? reshape(ta, [1, a.shape[0]]) : ta;
  const b2 = b.ndim === 1 ? reshape(tb, [b.shape[0], 1]) : tb;
  let out = apply(P.Matmul, [a2, b2]);
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}

// ------------------------------------------------------------------ movement

/** New shape for the same elements (one entry may be −1). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const resolved = resolveShape(x, shape);
  if (shapeEqual(resolved, x.shape)) return x;
  return apply(P.Reshape, [x], { shape: resolved });
}

function resolveShape(x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ShapeError("reshape", `shape must be integers ≥ −1, got ${JSON.stringify(shape)}`);
  }
  const neg = shape.filter((d) => d === -1).length;
  if (neg > 1) throw new ShapeError("reshape", `only one dimension can be −1, got ${fmtShape(shape)}`);
  const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const out = [...shape];
  if (neg === 1) {
    if (known === 0 || x.size % known !== 0)
      throw new ShapeError("reshape", `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
    out[out.indexOf(-1)] = x.size / known;
  } else if (known !== x.size) {
    throw new ShapeError("reshape", `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)} (${known} elements)`);
  }
  return out;
}

/** Reorder dimensions. */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  if (axes.length !== x.ndim) throw new ShapeError("permute", `needs ${x.ndim} axes for shape ${fmtShape(x.shape)}, got ${JSON.stringify(axes)}`);
  const norm = axes.map((a) => normalizeAxis("permute", a, x.ndim));
  if (new Set(norm).size !== norm.length) throw new ShapeError("permute", `axes ${JSON.stringify(axes)} repeat a dimension`);
  if (norm.every((a, i) => a === i)) return x;
  return apply(P.Permute, [x], { axes: norm });
}

/** Swap two dimensions. */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const a = normalizeAxis("transpose", dim0, x.ndim),
    b = normalizeAxis("transpose", dim1, x.ndim);
  const axes = Array.from({ length: x.ndim }, (_, i) => i);
  axes[a] = b;
  axes[b] = a;
  return permute(x, axes);
}

/** Broadcast to `shape` (a view with zero strides). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (!Array.isArray(shape)) throw new ShapeError("expand", `shape must be an array of sizes, got ${fmtValue(shape)}`);
  shape.forEach((d, i) => {
    if (d !== -1) checkSize("expand", `size ${i} of ${fmtValue(shape)}`, d);
  });
  const target = shape.map((d, i) => (d === -1 ? x.shape[i - (shape.length - x.ndim)] : d));
  const b = broadcastShapes("expand", x.shape, target);
  if (!shapeEqual(b, target)) throw new ShapeError("expand", `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  if (shapeEqual(x.shape, target)) return x;
  return apply(P.Expand, [x], { shape: target });
}

/** One dimension's slice: an index, `[start, stop, step]` (entries may be null), or null for the whole dimension. */
export type SliceSpec = number | null | readonly (number | null | undefined)[];

/** Slice leading dimensions (a view). An integer index removes its dimension. */
export function slice(x: Tensor, specs: readonly SliceSpec[]): Tensor {
  if (specs.length > x.ndim) throw new ShapeError("slice", `${specs.length} slice specs for a tensor of rank ${x.ndim} (shape ${fmtShape(x.shape)})`);
  const starts: number[] = [],
    stops: number[] = [],
    steps: number[] = [];
  const drop: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    const n = x.shape[d];
    const s = specs[d];
    if (typeof s === "number") {
      checkInt("slice", `dimension ${d}: index`, s);
      const i = s < 0 ? s + n : s;
      if (i < 0 || i >= n)
        throw new ShapeError(
          "slice",
          `index ${s} is out of range for dimension ${d} of size ${n} (valid: ${n === 0 ? "none" : `${-n} … ${n - 1}`}; shape ${fmtShape(x.shape)})`,
        );
      starts.push(i);
      stops.push(i + 1);
      steps.push(1);
      drop.push(d);
      continue;
    }
    if (s !== null && s !== undefined && (!Array.isArray(s) || s.length > 3))
      throw new ShapeError("slice", `dimension ${d}: a slice spec is an index, [start, stop, step] or null, got ${fmtValue(s)}`);
    const [a, b, c] = s === null || s === undefined ? [null, null, null] : s;
    // A fractional start or stop would become a fractional memory offset.
    if (a !== null && a !== undefined) checkInt("slice", `dimension ${d}: start`, a);
    if (b !== null && b !== undefined) checkInt("slice", `dimension ${d}: stop`, b);
    const step = c ?? 1;
    if (!Number.isInteger(step) || step === 0) throw new ShapeError("slice", `step must be a non-zero integer, got ${step}`);
    const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    let start: number, stop: number;
    if (step > 0) {
      start = a === null || a === undefined ? 0 : clampIdx(a, 0, n);
      stop = b === null || b === undefined ? n : clampIdx(b, 0, n);
    } else {
      start = a === null || a === undefined ? n - 1 : clampIdx(a, -1, n - 1);
      stop = b === null || b === undefined ? -1 : b < 0 && b + n < 0 ? -1 : clampIdx(b, -1, n - 1);
    }
    starts.push(start);
    stops.push(stop);
    steps.push(step);
  }
  const full = starts.every((s, d) => s === 0 && stops[d] === x.shape[d] && steps[d] === 1);
  const y = full ? x : apply(P.Slice, [x], { starts, stops, steps });
  return drop.length ? squeeze(y, drop) : y;
}

/** Elements start … start+length−1 along an axis. */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis("narrow", axis, x.ndim);
  checkInt("narrow", "start", start);
  checkSize("narrow", "length", length);
  const n = x.shape[a];
  const s = start < 0 ? start + n : start;
  if (s < 0 || length < 0 || s + length > n) throw new ShapeError("narrow", `start ${start} and length ${length} do not fit dimension ${a} of size ${n}`);
  const specs: SliceSpec[] = x.shape.map(() => null);
  specs[a] = [s, s + length, 1];
  return slice(x, specs);
}

/** Remove size-1 dimensions. */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes("squeeze", axis, x.ndim);
  for (const a of axes) if (x.shape[a] !== 1) throw new ShapeError("squeeze", `dimension ${a} has size ${x.shape[a]}, not 1 (shape ${fmtShape(x.shape)})`);
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Insert a size-1 dimension. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis("unsqueeze", axis, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Flatten dims start … end into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis("flatten", startDim, x.ndim),
    e = normalizeAxis("flatten", endDim, x.ndim);
  if (s > e) throw new ShapeError("flatten", `startDim ${startDim} comes after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), shapeSize(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** A contiguous copy when needed. */
export function contiguous(x: Tensor): Tensor {
  // Tracers know their layout too: under jit a contiguous tensor is returned as is, as eagerly
  // (a write to the result must reach it).
  if (x._view === null && x._trace === null) return apply(P.Copy, [x]); // disposed: the copy says so
  const v = x._layout();
  let expect = 1,
    ok = v.offset === 0;
  for (let i = x.ndim - 1; i >= 0 && ok; i--) {
    if (x.shape[i] !== 1 && v.strides[i] !== expect) ok = false;
    expect *= x.shape[i];
  }
  return ok ? x : apply(P.Copy, [x]);
}

/** A copy. */
export function clone(x: Tensor): Tensor {
  return apply(P.Copy, [x]);
}

/** Join tensors along an existing axis. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ShapeError("concat", "needs a non-empty array of tensors");
  let dtype = tensors[0].dtype;
  for (const t of tensors) dtype = promoteTypes(dtype, t.dtype);
  const a = normalizeAxis("concat", axis, tensors[0].ndim);
  if (tensors.length === 1) return cast(tensors[0], dtype);
  return apply(
    P.Concat,
    tensors.map((t) => cast(t, dtype)),
    { axis: a },
  );
}

/** Join tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ShapeError("stack", "needs a non-empty array of tensors");
  const s0 = tensors[0].shape;
  for (const t of tensors)
    if (!shapeEqual(t.shape, s0)) throw new ShapeError("stack", `all tensors must have the same shape, got ${fmtShape(s0)} and ${fmtShape(t.shape)}`);
  const a = normalizeAxis("stack", axis, s0.length + 1);
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

/** Split along an axis into pieces of `size` (the last may be smaller) or of the given sizes. */
export function split(x: Tensor, size: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis("split", axis, x.ndim);
  const n = x.shape[a];
  let sizes: number[];
  if (typeof size === "number") {
    if (!Number.isInteger(size) || size <= 0) throw new ShapeError("split", `size must be a positive integer, got ${size}`);
    sizes = [];
    for (let i = 0; i < n; i += size) sizes.push(Math.min(size, n - i));
  } else {
    if (!Array.isArray(size)) throw new ShapeError("split", `size must be a positive integer or an array of sizes, got ${fmtValue(size)}`);
    sizes = [...size];
    sizes.forEach((v, i) => checkSize("split", `sizes[${i}]`, v));
    if (sizes.reduce((s, v) => s + v, 0) !== n) throw new ShapeError("split", `sizes ${JSON.stringify(size)} do not add up to dimension ${a} of size ${n}`);
  }
  const out: Tensor[] = [];
  let off = 0;
  for (const s of sizes) {
    out.push(narrow(x, a, off, s));
    off += s;
  }
  return out;
}

/** Split into `chunks` nearly equal pieces. */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  const a = normalizeAxis("chunk", axis, x.ndim);
  if (checkSize("chunk", "chunks", chunks) === 0) throw new ShapeError("chunk", "chunks must be a positive integer, got 0");
  return split(x, Math.max(1, Math.ceil(x.shape[a] / chunks)), a);
}

/** Reverse the order of elements along `axes` (all axes by default): a view with negative strides, no copy. */
export function flip(x: Tensor, axes?: number | readonly number[]): Tensor {
  checkArg("flip", x, 0);
  const norm = normalizeAxes("flip", axes, x.ndim);
  if (x.ndim === 0 || norm.length === 0) return x;
  return slice(
    x,
    x.shape.map((_, d) => (norm.includes(d) ? [null, null, -1] : null)),
  );
}

/** A constant tensor on the backend of `like` (masks and class ids built from shapes). */
function constant(values: ArrayLike<number>, shape: readonly number[], dtype: DType, like: Tensor): Tensor {
  const backend = like._concreteValue()?._view?.storage.backend ?? getDefaultBackend();
  const arr = allocArray(dtype, values.length);
  arr.set(values as never);
  return Tensor._fromStorage(backend.fromArray(arr, dtype), [...shape], dtype);
}

function triangle(op: string, x: Tensor, k: number, upper: boolean): Tensor {
  checkArg(op, x, 0);
  if (x.ndim < 2) throw new ShapeError(op, `needs a tensor with at least 2 dimensions (a matrix or a batch of them), got shape ${fmtShape(x.shape)}`);
  if (!Number.isInteger(k)) throw new ShapeError(op, `the diagonal offset k must be an integer, got ${k}`);
  const n = x.shape[x.ndim - 2],
    m = x.shape[x.ndim - 1];
  const keep = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) keep[i * m + j] = (upper ? j - i >= k : j - i <= k) ? 1 : 0;
  return where(constant(keep, [n, m], "bool", x), x, scalarTensor(0, x.dtype, x));
}

/** The upper triangle of the last two dimensions: elements with column − row ≥ k kept, others 0. */
export function triu(x: Tensor, k = 0): Tensor {
  return triangle("triu", x, k, true);
}

/** The lower triangle of the last two dimensions: elements with column − row ≤ k kept, others 0. */
export function tril(x: Tensor, k = 0): Tensor {
  return triangle("tril", x, k, false);
}

/**
 * One-hot encoding: int32 class ids of any shape → float32 of shape [...indices.shape, numClasses].
 * Ids outside [0, numClasses) are an error: at once on the CPU backend, at the next read-back on
 * WebGPU (eager). Under jit the values are not known when the op is traced, and such an id gives a
 * row of zeros.
 * @example oneHot(tensor([0, 2], { dtype: "int32" }), 3)   // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: Tensor, numClasses: number): Tensor {
  checkArg("oneHot", indices, 0);
  if (indices.dtype !== "int32")
    throw new DTypeError("oneHot", `needs int32 class ids, got ${indices.dtype} (shape ${fmtShape(indices.shape)}); cast with .int()`);
  if (!Number.isSafeInteger(numClasses) || numClasses < 1) throw new ShapeError("oneHot", `numClasses must be a positive integer, got ${fmtValue(numClasses)}`);
  checkIndexValues("oneHot", indices, { what: "class id", name: "the ids", size: numClasses, of: `numClasses ${numClasses}` });
  const classes = constant(
    Int32Array.from({ length: numClasses }, (_, i) => i),
    [numClasses],
    "int32",
    indices,
  );
  // Eager on WebGPU the ids cannot be read now: a gather of them (result unused) reports a bad one at the next read-back.
  const concrete = indices._concreteValue();
  if (concrete !== null && concrete === indices && !concrete._backendOf()?.readSync && topTrace([indices]) === evalTrace && indices.size > 0) {
    apply(P.Gather, [classes, reshape(indices, [indices.size])], { axis: 0, reportAs: "oneHot" });
  }
  return cast(eq(unsqueeze(indices, -1), classes), "float32");
}

/** Pad with a constant: `pads[i] = [before, after]` for each of the last pads.length dimensions. */
export function pad(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  if (!Array.isArray(pads)) throw new ShapeError("pad", `pads must be an array of [before, after] pairs, got ${fmtValue(pads)}`);
  if (pads.length > x.ndim) throw new ShapeError("pad", `${pads.length} pad pairs for a tensor of rank ${x.ndim}`);
  if (typeof value !== "number") throw new WebgradError("pad", `the fill value must be a number, got ${fmtValue(value)}`);
  const full: [number, number, number][] = x.shape.map(() => [0, 0, 0]);
  pads.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0))
      throw new ShapeError("pad", `each pad must be [before, after] with non-negative integers, got ${JSON.stringify(p)}`);
    full[x.ndim - pads.length + i] = [p[0], p[1], 0];
  });
  if (full.every(([l, h]) => l === 0 && h === 0)) return x;
  return apply(P.Pad, [x], { pads: full, value });
}

/** Select entries along `axis` by a 1-D int32 index (embedding lookups). */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  const a = normalizeAxis("indexSelect", axis, x.ndim);
  if (index.ndim !== 1) throw new ShapeError("indexSelect", `index must be 1-D, got shape ${fmtShape(index.shape)}`);
  // A float index would be truncated silently by the cast.
  if (index.dtype !== "int32")
    throw new DTypeError("indexSelect", `index must be int32, got ${index.dtype} (shape ${fmtShape(index.shape)}); cast with .int()`);
  checkIndexValues("indexSelect", index, {
    what: "index",
    name: "the index",
    size: x.shape[a],
    of: `dimension ${a} of size ${x.shape[a]}`,
    context: `input shape ${fmtShape(x.shape)}`,
  });
  const idxShape = x.shape.map((_, i) => (i === a ? index.shape[0] : 1));
  const outShape = x.shape.map((d, i) => (i === a ? index.shape[0] : d));
  const idx = broadcastTo(reshape(cast(index, "int32"), idxShape), outShape);
  return gather(x, a, idx);
}

/** PyTorch's gather: out[…, i, …] = x[…, index[…, i, …], …] along `axis`. */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const a = normalizeAxis("gather", axis, x.ndim);
  if (index.dtype !== "int32") throw new DTypeError("gather", `index must be int32, got ${index.dtype}`);
  return apply(P.Gather, [x, index], { axis: a });
}

/** Add `src` into a copy of `x` at `index` along `axis` (the transpose of gather). */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  const a = normalizeAxis("scatterAdd", axis, x.ndim);
  if (index.dtype !== "int32") throw new DTypeError("scatterAdd", `index must be int32, got ${index.dtype}`);
  const [tx, ts] = promotePair("scatterAdd", x, src);
  return apply(P.ScatterAdd, [tx, index, ts], { axis: a });
}

/** Move to a backend ("cpu") or cast to a dtype. */
export function to(x: Tensor, target: string): Tensor {
  if ((DTYPES as readonly string[]).includes(target)) return cast(x, target as DType);
  let backend: Backend;
  try {
    backend = getBackend(target);
  } catch (e) {
    if (target === "webgpu") throw e; // a backend that exists but has not started: its own message says so
    throw new WebgradError(
      "to",
      `unknown target ${fmtValue(target)}: expected a backend ("cpu", or "webgpu" once initWebGPU() has started it) or a dtype (${DTYPES.join(", ")})`,
    );
  }
  const c = x._concrete("to");
  if (c.storage.backend === backend) return x;
  const src = c.storage.backend;
  if (!src.readSync)
    throw new WebgradError(
      "to",
      `moving from ${src.name} needs an asynchronous read: use tensor(await x.data(), { shape: [...x.shape], dtype: x.dtype, device: "${target}" })`,
    );
  const t = Tensor._fromStorage(backend.fromArray(src.readSync(c), x.dtype), x.shape, x.dtype);
  t.requiresGrad = x.requiresGrad && x.isLeaf;
  return t;
}

// ------------------------------------------------------------------ nn building blocks

/** Softmax along an axis. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return rowwise(P.Softmax, x, axis);
}

/** log(softmax) along an axis. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return rowwise(P.LogSoftmax, x, axis);
}

function rowwise(op: OpDef, x: Tensor, axis: number): Tensor {
  checkArg(op.name, x, 0);
  const a = normalizeAxis(op.name, axis, x.ndim);
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  // A 0-d tensor is a row of one element.
  if (x.ndim === 0) return reshape(apply(op, [reshape(xf, [1])], { axis: 0 }), []);
  return apply(op, [xf], { axis: a });
}

// ------------------------------------------------------------------ in place

/**
 * When tensors that require grad do so only at run time (each was computed, in a traced program,
 * from a cond result a gradient reaches after one branch only: TapeNode.tapedWhen), the traced
 * boolean that says any of them does; null when one always does.
 */
function requiresGradOnlyWhen(ts: readonly Tensor[]): Tensor | null {
  const flags = new Set<Tensor>();
  for (const t of ts) {
    const when = t._node?.tapedWhen ?? null;
    if (when === null) return null;
    for (const f of when) flags.add(f);
  }
  return [...flags].reduce((a, b) => logicalOr(a, b));
}

/** @internal The in-place write behind copy_, add_, …: not recorded on the tape. */
export function assign(dst: Tensor, src: TensorLike): void {
  let refuseWhen: RunTimeRefusal | undefined;
  const withGrad = [dst, src].filter((t): t is Tensor => isTensor(t) && t.requiresGrad);
  if (isGradEnabled() && withGrad.length > 0) {
    const message =
      dst.isLeaf && dst.requiresGrad
        ? `a leaf tensor that requires grad (shape ${fmtShape(dst.shape)}) cannot be changed in place outside noGrad(); wrap optimizer updates in noGrad(() => …)`
        : "in-place ops are not recorded on the tape: use the out-of-place op (x.add(y) instead of x.add_(y)), or wrap the update in noGrad()";
    // In a traced program a cond's result may require grad only after one branch: then the
    // refusal is the graph's, when it runs and takes that branch (eager refuses only then).
    const flag = requiresGradOnlyWhen(withGrad);
    if (flag === null || topTrace([dst, ...withGrad]) === evalTrace) throw new AutogradError("copy_", message);
    refuseWhen = { flag, op: "copy_", message };
  }
  let s = isTensor(src) ? cast(src, dst.dtype) : scalarTensor(src, dst.dtype, dst);
  const b = broadcastShapes("copy_", s.shape, dst.shape);
  if (!shapeEqual(b, dst.shape)) throw new ShapeError("copy_", `cannot write a tensor of shape ${fmtShape(s.shape)} into one of shape ${fmtShape(dst.shape)}`);
  // The innermost interpreter decides: a graph trace records the write, eager writes memory.
  const trace = topTrace([dst, s]);
  if (trace !== evalTrace) {
    if (!trace.assign) throw new WebgradError("copy_", `in-place ops are not supported inside ${trace.kind}: write the update out of place`);
    trace.assign(dst, s, refuseWhen);
    return;
  }
  const d = dst._view!;
  if (dst.size > 0 && d.strides.some((st, i) => st === 0 && dst.shape[i] > 1)) {
    // Several elements on one memory location: which write wins would depend on the kernel (on WebGPU, on timing).
    throw new WebgradError(
      "copy_",
      `cannot write in place into a tensor of shape ${fmtShape(dst.shape)} with strides ${fmtShape(d.strides)}: several of its elements share one memory location (a broadcast/expanded view); clone() it first`,
    );
  }
  if (s._view!.storage.backend !== d.storage.backend) s = to(s, d.storage.backend.name);
  d.storage.backend.copyInto(d, broadcastView(s._view!, dst.shape));
  dst._version.v++;
}
