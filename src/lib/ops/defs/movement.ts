/** Movement primitives: reshape, permute, expand, slice, pad, concat, copy. Most are views. */
import { ShapeError } from "../../errors";
import type { Tensor } from "../../tensor/tensor";
import { contiguousStrides, fmtShape, shapeEqual, shapeSize } from "../../tensor/shape";
import { defineOp, defineOpWithAttrs } from "../registry";
import { apply } from "../dispatch";
import { F } from "../../tensor/installed-ops";
import { arity, checkAxis, copyCost, sameDtype } from "./common";

const noCost = () => ({ flops: 0, bytes: 0 });

export const Reshape = defineOpWithAttrs<{ shape: number[] }>()({
  name: "reshape",
  category: "movement",
  dtypes: "any",
  infer(inputs, attrs) {
    arity("reshape", inputs, 1);
    if (shapeSize(attrs.shape) !== shapeSize(inputs[0].shape))
      throw new ShapeError("reshape", `cannot reshape ${fmtShape(inputs[0].shape)} into ${fmtShape(attrs.shape)}`);
    return { shape: attrs.shape, dtype: inputs[0].dtype };
  },
  view(v, attrs) {
    const s = viewStrides(v.shape, v.strides, attrs.shape);
    return s === null ? null : { strides: s, offset: v.offset };
  },
  vjp: (g, ctx) => [F.reshape(g, ctx.inputAvals[0].shape)],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.reshape(ts[0], ctx.attrs.shape)),
  cost: noCost,
});

/**
 * Strides for viewing memory with `oldShape`/`oldStrides` as `newShape` without copying, or null
 * when impossible (PyTorch's computeStride): each run of merged dims must be contiguous in memory.
 */
export function viewStrides(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  const n = shapeSize(oldShape);
  if (n === 0 || oldShape.length === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1,
    viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

export const Permute = defineOpWithAttrs<{ axes: number[] }>()({
  name: "permute",
  category: "movement",
  dtypes: "any",
  infer(inputs, attrs) {
    arity("permute", inputs, 1);
    const rank = inputs[0].shape.length;
    const ok = attrs.axes.length === rank && attrs.axes.every((a) => Number.isInteger(a) && a >= 0 && a < rank) && new Set(attrs.axes).size === rank;
    if (!ok)
      throw new ShapeError("permute", `axes ${JSON.stringify(attrs.axes)} are not a permutation of the ${rank} dimensions of ${fmtShape(inputs[0].shape)}`);
    return { shape: attrs.axes.map((a) => inputs[0].shape[a]), dtype: inputs[0].dtype };
  },
  view: (v, attrs) => ({ strides: attrs.axes.map((a) => v.strides[a]), offset: v.offset }),
  vjp: (g, ctx) => [F.permute(g, inversePermutation(ctx.attrs.axes))],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.permute(ts[0], ctx.attrs.axes)),
  cost: noCost,
});

function inversePermutation(axes: readonly number[]): number[] {
  const inv = new Array<number>(axes.length);
  axes.forEach((a, i) => (inv[a] = i));
  return inv;
}

export const Expand = defineOpWithAttrs<{ shape: number[] }>()({
  name: "expand",
  category: "movement",
  dtypes: "any",
  infer(inputs, attrs) {
    arity("expand", inputs, 1);
    const from = inputs[0].shape,
      to = attrs.shape,
      pad = to.length - from.length;
    if (pad < 0 || !from.every((d, i) => d === 1 || d === to[i + pad]))
      throw new ShapeError("expand", `cannot expand ${fmtShape(from)} to ${fmtShape(to)}: each dimension must match or be 1`);
    return { shape: attrs.shape, dtype: inputs[0].dtype };
  },
  view(v, attrs) {
    const pad = attrs.shape.length - v.shape.length;
    return { strides: attrs.shape.map((_, i) => (i < pad || v.shape[i - pad] === 1 ? 0 : v.strides[i - pad])), offset: v.offset };
  },
  // The engine sums a cotangent down to its input's shape, which is exactly expand's transpose.
  vjp: (g) => [g],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.broadcastTo(ts[0], ctx.attrs.shape)),
  cost: noCost,
});

/** Slice attributes: per dimension, start, stop (exclusive) and a non-zero step. */
export interface SliceAttrs extends Record<string, unknown> {
  starts: number[];
  stops: number[];
  steps: number[];
}

/** Number of elements a slice takes from one dimension. */
export function sliceLength(start: number, stop: number, step: number): number {
  return step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
}

export const Slice = defineOpWithAttrs<SliceAttrs>()({
  name: "slice",
  category: "movement",
  dtypes: "any",
  infer(inputs, attrs) {
    arity("slice", inputs, 1);
    const shape = inputs[0].shape;
    if (attrs.starts.length !== shape.length || attrs.stops.length !== shape.length || attrs.steps.length !== shape.length) {
      throw new ShapeError("slice", `needs one start, stop and step per dimension of ${fmtShape(shape)}`);
    }
    attrs.steps.forEach((st, d) => {
      const len = sliceLength(attrs.starts[d], attrs.stops[d], st);
      const inRange = (i: number) => i >= 0 && i < shape[d];
      if (!Number.isInteger(st) || st === 0) throw new ShapeError("slice", `step must be a non-zero integer, got ${st}`);
      if (len > 0 && !(inRange(attrs.starts[d]) && inRange(attrs.starts[d] + (len - 1) * st))) {
        throw new ShapeError(
          "slice",
          `dimension ${d}: start ${attrs.starts[d]}, stop ${attrs.stops[d]}, step ${st} reach outside size ${shape[d]} (shape ${fmtShape(shape)})`,
        );
      }
    });
    return { shape: attrs.starts.map((s, d) => sliceLength(s, attrs.stops[d], attrs.steps[d])), dtype: inputs[0].dtype };
  },
  view(v, attrs, out) {
    let offset = v.offset;
    const strides = v.strides.map((st, d) => {
      if (out.shape[d] > 0) offset += attrs.starts[d] * st;
      return st * attrs.steps[d];
    });
    return { strides, offset: shapeSize(out.shape) === 0 ? 0 : offset };
  },
  vjp(g, ctx) {
    // Put the cotangent back where the slice took it from: reverse negative-step dims, then
    // pad with zeros before/after and between elements (interior padding = step − 1).
    const { starts, steps } = ctx.attrs;
    const inShape = ctx.inputAvals[0].shape;
    let gg = g;
    const flipSpecs = steps.map((s) => (s < 0 ? ([null, null, -1] as [null, null, number]) : null));
    if (steps.some((s) => s < 0)) gg = F.slice(gg, flipSpecs);
    const pads = inShape.map((n, d): [number, number, number] => {
      const len = g.shape[d],
        step = Math.abs(steps[d]);
      if (len === 0) return [n, 0, 0];
      const lo = steps[d] > 0 ? starts[d] : starts[d] + (len - 1) * steps[d];
      const hi = n - (lo + (len - 1) * step + 1);
      return [lo, hi, step - 1];
    });
    return [padRaw(gg, pads, 0)];
  },
  jvp: (ts, ctx): Tensor | null => (ts[0] === null ? null : apply(Slice, [ts[0]], ctx.attrs)),
  cost: noCost,
});

/** Pad attributes: per dimension [before, after, interior], and the fill value. */
export interface PadAttrs extends Record<string, unknown> {
  pads: [number, number, number][];
  value: number;
}

function padRaw(x: Tensor, pads: [number, number, number][], value: number): Tensor {
  if (pads.every(([l, h, i]) => l === 0 && h === 0 && i === 0)) return x;
  return apply(Pad, [x], { pads, value });
}

export const Pad = defineOpWithAttrs<PadAttrs>()({
  name: "pad",
  category: "movement",
  dtypes: "any",
  infer(inputs, attrs) {
    arity("pad", inputs, 1);
    const x = inputs[0];
    if (attrs.pads.length !== x.shape.length) throw new ShapeError("pad", `needs one [before, after, interior] per dimension of ${fmtShape(x.shape)}`);
    if (!attrs.pads.every((p) => p.length === 3 && p.every((v) => Number.isInteger(v) && v >= 0)))
      throw new ShapeError("pad", `pads must be non-negative integers, got ${JSON.stringify(attrs.pads)}`);
    return { shape: x.shape.map((n, d) => (n === 0 ? 0 : n + (n - 1) * attrs.pads[d][2]) + attrs.pads[d][0] + attrs.pads[d][1]), dtype: x.dtype };
  },
  // Take back the input's positions. Built as Slice attrs directly: with an empty dimension the
  // stop would be negative, which F.slice would read as counting from the end.
  vjp(g, ctx): (Tensor | null)[] {
    const inShape = ctx.inputAvals[0].shape;
    const pads = ctx.attrs.pads;
    const starts = pads.map(([lo]) => lo);
    const steps = pads.map(([, , interior]) => interior + 1);
    const stops = pads.map(([lo, , interior], d) => (inShape[d] === 0 ? lo : lo + (inShape[d] - 1) * (interior + 1) + 1));
    return [apply(Slice, [g], { starts, stops, steps })];
  },
  jvp: (ts, ctx) => (ts[0] === null ? null : padRaw(ts[0], ctx.attrs.pads, 0)),
  cost: copyCost,
});

export const Concat = defineOpWithAttrs<{ axis: number }>()({
  name: "concat",
  category: "movement",
  dtypes: "any",
  infer(inputs, attrs) {
    if (inputs.length === 0) throw new ShapeError("concat", "needs at least one input");
    const dtype = sameDtype("concat", inputs);
    const s0 = inputs[0].shape,
      a = attrs.axis;
    checkAxis("concat", a, s0);
    let total = 0;
    for (const v of inputs) {
      const ok = v.shape.length === s0.length && v.shape.every((d, i) => i === a || d === s0[i]);
      if (!ok) throw new ShapeError("concat", `shapes ${inputs.map((i) => fmtShape(i.shape)).join(", ")} differ outside axis ${a}`);
      total += v.shape[a];
    }
    const shape = [...s0];
    shape[a] = total;
    return { shape, dtype };
  },
  vjp(g, ctx) {
    const a = ctx.attrs.axis;
    let off = 0;
    return ctx.inputAvals.map((v) => {
      const piece = F.narrow(g, a, off, v.shape[a]);
      off += v.shape[a];
      return piece;
    });
  },
  jvp(ts, ctx) {
    if (ts.every((t) => t === null)) return null;
    // Zero tangents as broadcast zeros (x·0 would turn ±inf into NaN).
    return F.concat(
      ts.map((t, i) => t ?? F.broadcastTo(F.scalarTensor(0, ctx.inputs[i].dtype, ctx.inputs[i]), ctx.inputs[i].shape)),
      ctx.attrs.axis,
    );
  },
  cost: copyCost,
});

export const Copy = defineOp({
  name: "copy",
  category: "movement",
  dtypes: "any",
  infer: (inputs) => ({ shape: inputs[0].shape, dtype: inputs[0].dtype }),
  vjp: (g) => [g],
  jvp: (ts) => ts[0],
  cost: copyCost,
});

/** True when a view of `shape` with these strides is row-major contiguous. */
export function isRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  return shapeEqual(
    strides.filter((_, i) => shape[i] !== 1),
    contiguousStrides(shape).filter((_, i) => shape[i] !== 1),
  );
}
