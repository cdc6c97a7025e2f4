/** Reduction primitives over a set of axes: sum, max, min, prod, argmax, argmin; and cumsum. */
import { DTypeError, ShapeError } from "../../errors";
import type { Tensor } from "../../tensor/tensor";
import { fmtShape, shapeSize } from "../../tensor/shape";
import { defineOpWithAttrs, type AbstractValue, type OpDef } from "../registry";
import { F } from "../../tensor/installed-ops";
import { arity, bytesOf, checkAxis } from "./common";

/** Attributes of a reduction: sorted axes, and whether reduced dims stay as size 1. */
export interface ReduceAttrs extends Record<string, unknown> {
  axes: number[];
  keepdims: boolean;
}
/** A reduction primitive. */
export type ReduceOpDef = OpDef<ReduceAttrs>;

/** The output shape of a reduction. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Reshape a reduced tensor (or its cotangent) back to keepdims form, ready to broadcast against the input. */
export function keepDims(t: Tensor, inShape: readonly number[], attrs: ReduceAttrs): Tensor {
  return attrs.keepdims ? t : F.reshape(t, reducedShape(inShape, attrs.axes, true));
}

function reduceInfer(name: string, outDtype?: "int32") {
  return (inputs: readonly AbstractValue[], attrs: ReduceAttrs): AbstractValue => {
    arity(name, inputs, 1);
    const x = inputs[0];
    for (const a of attrs.axes)
      if (!(Number.isInteger(a) && a >= 0 && a < x.shape.length)) throw new ShapeError(name, `axis ${a} out of range for shape ${fmtShape(x.shape)}`);
    if (x.dtype === "bool" && !outDtype && name !== "max" && name !== "min") throw new DTypeError(name, "does not take bool tensors");
    if ((name === "max" || name === "min" || outDtype) && attrs.axes.some((a) => x.shape[a] === 0)) {
      throw new ShapeError(name, `cannot reduce over an empty dimension (shape ${fmtShape(x.shape)}, axes ${JSON.stringify(attrs.axes)}): it has no identity`);
    }
    return { shape: reducedShape(x.shape, attrs.axes, attrs.keepdims), dtype: outDtype ?? x.dtype };
  };
}

const reduceCost = (inputs: readonly AbstractValue[], out: AbstractValue) => ({ flops: shapeSize(inputs[0].shape), bytes: bytesOf(inputs[0]) + bytesOf(out) });

export const Sum = defineOpWithAttrs<ReduceAttrs>()({
  name: "sum",
  category: "reduce",
  dtypes: "numeric",
  infer: reduceInfer("sum"),
  vjp: (g, ctx) => [F.broadcastTo(keepDims(g, ctx.inputAvals[0].shape, ctx.attrs), ctx.inputAvals[0].shape)],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.sum(ts[0], ctx.attrs.axes, ctx.attrs.keepdims)),
  cost: reduceCost,
});

// max/min: the gradient goes to the elements equal to the result, split evenly among ties.
function extremumRule(x: Tensor, y: Tensor, attrs: ReduceAttrs): Tensor {
  const yk = keepDims(y, x.shape, attrs);
  const mask = F.cast(F.eq(x, yk), x.dtype);
  return F.div(mask, F.sum(mask, attrs.axes, true));
}
function extremum<const N extends string>(name: N): OpDef<ReduceAttrs, N, "reduce"> {
  return defineOpWithAttrs<ReduceAttrs>()({
    name,
    category: "reduce",
    dtypes: "any",
    infer: reduceInfer(name),
    save: { inputs: true, output: true },
    vjp: (g, ctx) => [F.mul(keepDims(g, ctx.inputAvals[0].shape, ctx.attrs), extremumRule(ctx.inputs[0]!, ctx.output!, ctx.attrs))],
    jvp: (ts, ctx) => (ts[0] === null ? null : F.sum(F.mul(ts[0], extremumRule(ctx.inputs[0], ctx.output, ctx.attrs)), ctx.attrs.axes, ctx.attrs.keepdims)),
    cost: reduceCost,
  });
}
export const Max = extremum("max");
export const Min = extremum("min");

// d prod / d xᵢ = Π_{j≠i} xⱼ, computed so that zeros are exact: with one zero only its own
// derivative is non-zero; with two or more all are zero.
function prodDeriv(x: Tensor, y: Tensor, attrs: ReduceAttrs): Tensor {
  const yk = keepDims(y, x.shape, attrs);
  const isZero = F.eq(x, 0);
  const zeros = F.sum(F.cast(isZero, "int32"), attrs.axes, true);
  const prodNonZero = F.prod(F.where(isZero, 1, x), attrs.axes, true);
  const nonZeroCase = F.where(F.eq(zeros, 0), F.div(yk, F.where(isZero, 1, x)), 0);
  const zeroCase = F.where(F.eq(zeros, 1), prodNonZero, 0);
  return F.where(isZero, zeroCase, nonZeroCase);
}
export const Prod = defineOpWithAttrs<ReduceAttrs>()({
  name: "prod",
  category: "reduce",
  dtypes: "numeric",
  infer: reduceInfer("prod"),
  save: { inputs: true, output: true },
  vjp: (g, ctx) => [F.mul(keepDims(g, ctx.inputAvals[0].shape, ctx.attrs), prodDeriv(ctx.inputs[0]!, ctx.output!, ctx.attrs))],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.sum(F.mul(ts[0], prodDeriv(ctx.inputs[0], ctx.output, ctx.attrs)), ctx.attrs.axes, ctx.attrs.keepdims)),
  cost: reduceCost,
});

export const Argmax = defineOpWithAttrs<ReduceAttrs>()({
  name: "argmax",
  category: "reduce",
  dtypes: "any",
  infer: reduceInfer("argmax", "int32"),
  jvp: () => null,
  cost: reduceCost,
});
export const Argmin = defineOpWithAttrs<ReduceAttrs>()({
  name: "argmin",
  category: "reduce",
  dtypes: "any",
  infer: reduceInfer("argmin", "int32"),
  jvp: () => null,
  cost: reduceCost,
});

/** Reverse along one axis (a view with a negative stride). */
function flip(t: Tensor, axis: number): Tensor {
  const specs: (null | [null, null, number])[] = t.shape.map(() => null);
  specs[axis] = [null, null, -1];
  return F.slice(t, specs);
}

export const Cumsum = defineOpWithAttrs<{ axis: number }>()({
  name: "cumsum",
  category: "reduce",
  dtypes: "numeric",
  infer(inputs, attrs) {
    arity("cumsum", inputs, 1);
    if (inputs[0].dtype === "bool") throw new DTypeError("cumsum", "does not take bool tensors");
    checkAxis("cumsum", attrs.axis, inputs[0].shape);
    return { shape: inputs[0].shape, dtype: inputs[0].dtype };
  },
  // The transpose of a running sum is a running sum from the other end.
  vjp: (g, ctx) => [flip(F.cumsum(flip(g, ctx.attrs.axis), ctx.attrs.axis), ctx.attrs.axis)],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.cumsum(ts[0], ctx.attrs.axis)),
  cost: reduceCost,
});
