/**
 * Fused nn primitives (one kernel each on WebGPU): softmax and logSoftmax along an axis,
 * layerNorm's normalization, crossEntropy at class indices and its gradient.
 */
import { ShapeError, WebgradError } from "../../errors";
import { fmtShape, shapeSize } from "../../tensor/shape";
import type { Tensor } from "../../tensor/tensor";
import { apply } from "../dispatch";
import { defineOpWithAttrs, type AbstractValue } from "../registry";
import { F } from "../../tensor/installed-ops";
import { addTangents, arity, bytesOf, checkAxis, elementwiseCost, needFloat } from "./common";

export const Softmax = defineOpWithAttrs<{ axis: number }>()({
  name: "softmax",
  category: "nn",
  dtypes: "float",
  infer(inputs, attrs) {
    arity("softmax", inputs, 1);
    needFloat("softmax", inputs[0]);
    checkAxis("softmax", attrs.axis, inputs[0].shape);
    return { shape: inputs[0].shape, dtype: inputs[0].dtype };
  },
  save: { output: true },
  // y ⊙ (g − Σ g⊙y)
  vjp: (g, ctx) => {
    const y = ctx.output!;
    return [F.mul(y, F.sub(g, F.sum(F.mul(g, y), ctx.attrs.axis, true)))];
  },
  jvp: (ts, ctx) => (ts[0] === null ? null : F.mul(ctx.output, F.sub(ts[0], F.sum(F.mul(ts[0], ctx.output), ctx.attrs.axis, true)))),
  cost: elementwiseCost(5),
});

export const LogSoftmax = defineOpWithAttrs<{ axis: number }>()({
  name: "logSoftmax",
  category: "nn",
  dtypes: "float",
  infer(inputs, attrs) {
    arity("logSoftmax", inputs, 1);
    needFloat("logSoftmax", inputs[0]);
    checkAxis("logSoftmax", attrs.axis, inputs[0].shape);
    return { shape: inputs[0].shape, dtype: inputs[0].dtype };
  },
  save: { output: true },
  // g − softmax ⊙ Σ g
  vjp: (g, ctx) => [F.sub(g, F.mul(F.exp(ctx.output!), F.sum(g, ctx.attrs.axis, true)))],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.sub(ts[0], F.sum(F.mul(F.exp(ctx.output), ts[0]), ctx.attrs.axis, true))),
  cost: elementwiseCost(5),
});

// ------------------------------------------------------------------ layerNorm

/** Mean over the trailing `dims` axes of x, kept. */
const trailing = (x: Tensor, dims: number) => Array.from({ length: dims }, (_, i) => x.ndim - dims + i);

/**
 * The linear map of layerNorm at x (rstd·(t − mean t − y·mean(t·y)), y the output): the jvp of
 * a tangent and, being symmetric, the vjp of a cotangent.
 */
function layerNormLinear(t: Tensor, x: Tensor, y: Tensor, attrs: { dims: number; eps: number }): Tensor {
  const axes = trailing(x, attrs.dims);
  const d = F.sub(x, F.mean(x, axes, true));
  const rstd = F.rsqrt(F.add(F.mean(F.square(d), axes, true), attrs.eps));
  return F.mul(rstd, F.sub(F.sub(t, F.mean(t, axes, true)), F.mul(y, F.mean(F.mul(t, y), axes, true))));
}

/**
 * Normalization over the trailing `dims` axes, (x − mean) / √(var + eps) with the biased
 * variance: the core of `nn.functional.layerNorm` (the affine weight and bias are ordinary ops).
 * One kernel on WebGPU (Welford per thread, merged across the row's threads).
 */
export const LayerNorm = defineOpWithAttrs<{ dims: number; eps: number }>()({
  name: "layerNorm",
  category: "nn",
  dtypes: "float",
  infer(inputs, attrs) {
    arity("layerNorm", inputs, 1);
    needFloat("layerNorm", inputs[0]);
    const r = inputs[0].shape.length;
    if (!(Number.isInteger(attrs.dims) && attrs.dims >= 1 && attrs.dims <= r))
      throw new ShapeError("layerNorm", `normalizes the trailing ${attrs.dims} dims, but the input ${fmtShape(inputs[0].shape)} has rank ${r}`);
    if (!(attrs.eps >= 0)) throw new WebgradError("layerNorm", `eps must be ≥ 0, got ${attrs.eps}`);
    return { shape: inputs[0].shape, dtype: inputs[0].dtype };
  },
  save: { inputs: true, output: true },
  vjp: (g, ctx) => [layerNormLinear(g, ctx.inputs[0]!, ctx.output!, ctx.attrs)],
  jvp: (ts, ctx) => (ts[0] === null ? null : layerNormLinear(ts[0], ctx.inputs[0], ctx.output, ctx.attrs)),
  cost: elementwiseCost(8),
});

// ------------------------------------------------------------------ crossEntropy

/** Attributes of the fused cross-entropy primitives. */
export interface CrossEntropyAttrs {
  /** Targets equal to this contribute nothing (and are left out of the mean). */
  ignoreIndex: number;
  reduction: "mean" | "sum" | "none";
  [k: string]: unknown;
}

/** softmax s, diff = s − onehot(t), base = diff on valid rows (0 elsewhere), the valid mask [N, 1] and count. */
function ceParts(z: Tensor, t: Tensor, attrs: CrossEntropyAttrs) {
  const valid = F.cast(F.unsqueeze(F.ne(t, attrs.ignoreIndex), 1), z.dtype);
  const s = F.softmax(z, 1);
  const oh = F.cast(F.oneHot(F.where(F.ne(t, attrs.ignoreIndex), t, 0), z.shape[1]), z.dtype);
  const diff = F.sub(s, oh);
  return { valid, s, diff, base: F.mul(diff, valid), count: F.sum(valid) };
}

/** Per-row weight of the gradient [N, 1] from the loss cotangent g (scalar, or [N] for "none"). */
function ceRowWeight(g: Tensor, p: ReturnType<typeof ceParts>, attrs: CrossEntropyAttrs): Tensor {
  if (attrs.reduction === "none") return F.mul(F.unsqueeze(g, 1), p.valid);
  return F.mul(attrs.reduction === "mean" ? F.div(g, p.count) : g, p.valid);
}

/** Σ h·(softmax − onehot) reduced as the loss is: the loss's jvp, and crossEntropyGrad's vjp in g. */
function ceDot(h: Tensor, p: ReturnType<typeof ceParts>, attrs: CrossEntropyAttrs): Tensor {
  if (attrs.reduction === "none") return F.sum(F.mul(h, p.base), 1);
  const s = F.sum(F.mul(h, p.base));
  return attrs.reduction === "mean" ? F.div(s, p.count) : s;
}

function checkCrossEntropy(op: string, inputs: readonly AbstractValue[], attrs: CrossEntropyAttrs): void {
  const [z, t] = inputs;
  needFloat(op, z);
  if (z.shape.length !== 2) throw new ShapeError(op, `logits must be [N, C], got ${fmtShape(z.shape)}`);
  if (t.dtype !== "int32" || t.shape.length !== 1 || t.shape[0] !== z.shape[0])
    throw new ShapeError(
      op,
      `targets must be int32 [${z.shape[0]}] (one class index per row of the logits ${fmtShape(z.shape)}), got ${t.dtype} ${fmtShape(t.shape)}`,
    );
  if (!["mean", "sum", "none"].includes(attrs.reduction)) throw new ShapeError(op, `reduction must be "mean", "sum" or "none", got ${String(attrs.reduction)}`);
}

/**
 * Cross entropy of logits [N, C] at int32 class indices [N]: −log softmax(z)[t] per row (0 where
 * t = ignoreIndex), reduced by `reduction` (the mean is over the valid rows). One kernel on WebGPU
 * (logSoftmax, the pick and the reduction fused); `nn.crossEntropy` uses it for class-index
 * targets without label smoothing.
 */
export const CrossEntropy = defineOpWithAttrs<CrossEntropyAttrs>()({
  name: "crossEntropy",
  category: "loss",
  dtypes: "float",
  infer(inputs, attrs) {
    arity("crossEntropy", inputs, 2);
    checkCrossEntropy("crossEntropy", inputs, attrs);
    return { shape: attrs.reduction === "none" ? [inputs[0].shape[0]] : [], dtype: inputs[0].dtype };
  },
  save: { inputs: true },
  vjp: (g, ctx) => [ctx.needsGrad[0] ? apply(CrossEntropyGrad, [ctx.inputs[0]!, ctx.inputs[1]!, g], ctx.attrs) : null, null],
  jvp: (ts, ctx) => (ts[0] === null ? null : ceDot(ts[0], ceParts(ctx.inputs[0], ctx.inputs[1], ctx.attrs), ctx.attrs)),
  cost: (inputs, out) => ({ flops: 6 * shapeSize(inputs[0].shape), bytes: bytesOf(inputs[0]) + bytesOf(inputs[1]) + bytesOf(out) }),
});

/**
 * The gradient of crossEntropy with respect to the logits, given the loss cotangent g:
 * w·(softmax(z) − onehot(t)) with w the row's share of g (g/count for the mean, 0 on ignored rows).
 * One kernel on WebGPU; its own rules (written with ops) keep higher-order derivatives exact.
 */
export const CrossEntropyGrad = defineOpWithAttrs<CrossEntropyAttrs>()({
  name: "crossEntropyGrad",
  category: "loss",
  dtypes: "float",
  infer(inputs, attrs) {
    arity("crossEntropyGrad", inputs, 3);
    checkCrossEntropy("crossEntropyGrad", inputs, attrs);
    const want = attrs.reduction === "none" ? [inputs[0].shape[0]] : [];
    if (fmtShape(inputs[2].shape) !== fmtShape(want) || inputs[2].dtype !== inputs[0].dtype)
      throw new ShapeError(
        "crossEntropyGrad",
        `the loss cotangent must be ${inputs[0].dtype} ${fmtShape(want)}, got ${inputs[2].dtype} ${fmtShape(inputs[2].shape)}`,
      );
    return { shape: inputs[0].shape, dtype: inputs[0].dtype };
  },
  save: { inputs: true },
  vjp: (h, ctx) => {
    const [z, t, g] = ctx.inputs as Tensor[];
    const p = ceParts(z, t, ctx.attrs);
    const w = ceRowWeight(g, p, ctx.attrs);
    // softmax's Jacobian is symmetric: dz = w·s·(h − Σ h·s).
    const dz = ctx.needsGrad[0] ? F.mul(F.mul(w, p.s), F.sub(h, F.sum(F.mul(h, p.s), 1, true))) : null;
    return [dz, null, ctx.needsGrad[2] ? ceDot(h, p, ctx.attrs) : null];
  },
  jvp: (ts, ctx) => {
    const [z, t, g] = ctx.inputs;
    const p = ceParts(z, t, ctx.attrs);
    const fromZ = ts[0] === null ? null : F.mul(F.mul(ceRowWeight(g, p, ctx.attrs), p.s), F.sub(ts[0], F.sum(F.mul(ts[0], p.s), 1, true)));
    const fromG = ts[2] === null ? null : F.mul(ceRowWeight(ts[2], p, ctx.attrs), p.diff);
    return addTangents(fromZ, fromG);
  },
  cost: elementwiseCost(6),
});
