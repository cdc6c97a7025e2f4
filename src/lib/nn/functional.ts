/**
 * Neural-network functions: layers without state and losses, composites of the op table's
 * primitives, so gradients, higher-order derivatives, forward mode and graph tracing come from its
 * rules. layerNorm's normalization and class-index crossEntropy are primitives of their own
 * (ops/defs/nn.ts) so that each is one kernel on WebGPU.
 */
import { DTypeError, ShapeError, WebgradError } from "../errors";
import { Tensor } from "../tensor/tensor";
import { fmtShape, normalizeAxis, shapeEqual } from "../tensor/shape";
import { isFloat, type DType } from "../tensor/dtype";
import { checkIndexValues } from "../tensor/validate";
import { arange, rand } from "../ops/creation";
import * as F from "../ops/functional";
import { apply } from "../ops/dispatch";
import { CrossEntropy as CrossEntropyOp, LayerNorm as LayerNormOp } from "../ops/defs/nn";

/** How a loss reduces its per-element values: their mean (default), their sum, or not at all. */
export type Reduction = "mean" | "sum" | "none";

function reduce(loss: Tensor, reduction: Reduction = "mean", op = "loss"): Tensor {
  if (reduction === "mean") return loss.mean();
  if (reduction === "sum") return loss.sum();
  if (reduction === "none") return loss;
  throw new WebgradError(op, `reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}`);
}

function needTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${x === null ? "null" : typeof x}`);
}

// ------------------------------------------------------------------ layers

/**
 * Affine map `x · Wᵀ + b`, with the weight stored as `[outFeatures, inFeatures]` as in PyTorch.
 * @example const y = nn.functional.linear(x, w, b);   // x [N, in], w [out, in], b [out] → [N, out]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  needTensor("linear", "x", x);
  needTensor("linear", "weight", weight);
  if (weight.ndim !== 2) throw new ShapeError("linear", `weight must be 2-D [out, in], got ${fmtShape(weight.shape)}`);
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new ShapeError("linear", `the last dimension of x ${fmtShape(x.shape)} must equal in_features ${weight.shape[1]} (weight ${fmtShape(weight.shape)})`);
  }
  const y = x.matmul(weight.T);
  return bias ? y.add(bias) : y;
}

/**
 * Layer normalization over the trailing `normalizedShape` dimensions:
 * `(x − mean) / √(var + eps) · weight + bias`, with the biased variance (as PyTorch).
 * @example nn.functional.layerNorm(x, [16], gamma, beta)
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  needTensor("layerNorm", "x", x);
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const k = ns.length;
  if (k === 0 || k > x.ndim || !shapeEqual(x.shape.slice(x.ndim - k), ns)) {
    throw new ShapeError("layerNorm", `normalizedShape ${fmtShape(ns)} must match the trailing dimensions of x ${fmtShape(x.shape)}`);
  }
  for (const [nm, t] of [
    ["weight", weight],
    ["bias", bias],
  ] as const) {
    if (t && !shapeEqual(t.shape, ns)) throw new ShapeError("layerNorm", `${nm} has shape ${fmtShape(t.shape)}, expected ${fmtShape(ns)}`);
  }
  const xf = isFloat(x.dtype) ? x : x.float();
  // The normalization is one primitive (one kernel on WebGPU); the affine part is ordinary ops.
  let y = apply(LayerNormOp, [xf], { dims: k, eps });
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

/**
 * Dropout: in training, zero each element with probability `p` and scale the rest by 1/(1−p);
 * the identity in evaluation. The mask comes from the seeded generator (`manualSeed`), or from
 * `seed` when given.
 * @example const h = nn.functional.dropout(x, 0.1, model.training);
 */
export function dropout(x: Tensor, p = 0.5, training = true, opts: { seed?: number } = {}): Tensor {
  needTensor("dropout", "x", x);
  if (!(p >= 0 && p <= 1)) throw new WebgradError("dropout", `p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const u = rand([...x.shape], { dtype: x.dtype === "float64" ? "float64" : "float32", seed: opts.seed });
  const keep = u.ge(p);
  return F.where(keep, x.div(1 - p), 0);
}

/**
 * Embedding lookup: row `ids[i]` of `weight` for each id (ids of any shape, int32).
 * @example nn.functional.embedding(tensor([[1, 2]], { dtype: "int32" }), w)   // [1, 2, dim]
 */
export function embedding(ids: Tensor, weight: Tensor): Tensor {
  needTensor("embedding", "ids", ids);
  needTensor("embedding", "weight", weight);
  if (ids.dtype !== "int32") throw new DTypeError("embedding", `ids must be int32 class indices, got ${ids.dtype}`);
  if (weight.ndim !== 2) throw new ShapeError("embedding", `weight must be 2-D [numEmbeddings, dim], got ${fmtShape(weight.shape)}`);
  checkIndexValues("embedding", ids, {
    what: "id",
    name: "the ids",
    size: weight.shape[0],
    of: `${weight.shape[0]} embeddings`,
    context: `weight shape ${fmtShape(weight.shape)}`,
  });
  const rows = F.indexSelect(weight, 0, ids.reshape([ids.size]));
  return rows.reshape([...ids.shape, weight.shape[1]]);
}

/**
 * One-hot encoding: int32 class indices of any shape → a new last dimension of size `numClasses`
 * (float32 by default; the core op `oneHot` with a dtype option).
 * @example nn.functional.oneHot(tensor([0, 2], { dtype: "int32" }), 3)   // [[1,0,0],[0,0,1]]
 */
export function oneHot(ids: Tensor, numClasses: number, opts: { dtype?: DType } = {}): Tensor {
  const y = F.oneHot(ids, numClasses);
  return opts.dtype ? y.cast(opts.dtype) : y;
}

/**
 * softplus(x) = log(1 + eˣ), stable for large |x| and with the exact gradient sigmoid(x)
 * everywhere (including x = 0).
 */
export function softplus(x: Tensor): Tensor {
  const pos = x.gt(0);
  const a = F.where(pos, x, 0); // x where x > 0, else 0: both branches stay finite
  const b = F.where(pos, 0, x);
  return F.where(pos, a.add(a.neg().exp().log1p()), b.exp().log1p());
}

/** log(sigmoid(x)), stable: −softplus(−x). */
export function logSigmoid(x: Tensor): Tensor {
  return softplus(x.neg()).neg();
}

/** Options of scaledDotProductAttention. */
export interface AttentionOptions {
  /** A bool mask broadcastable to [..., Tq, Tk]: true where attention is allowed; or a float mask added to the scores. */
  mask?: Tensor | null;
  /** Apply a causal mask: query i attends to keys j ≤ i. */
  causal?: boolean;
  /** Dropout on the attention weights (only when `training`). */
  dropoutP?: number;
  training?: boolean;
  /** Scale of the scores (default 1/√d). */
  scale?: number;
}

/** The [tq, tk] bool mask with true where key j ≤ query i (lower triangle, top-left aligned as PyTorch's is_causal). */
export function causalMask(tq: number, tk = tq): Tensor {
  return arange(tk).unsqueeze(0).le(arange(tq).unsqueeze(1));
}

/**
 * Attention: `softmax(q·kᵀ · scale + mask) · v` over the last two dimensions
 * (q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv] → [..., Tq, dv]).
 * @example const out = nn.functional.scaledDotProductAttention(q, k, v, { causal: true });
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  const d = q.shape[q.ndim - 1];
  const scale = opts.scale ?? 1 / Math.sqrt(d);
  let scores = q.matmul(k.transpose(-2, -1)).mul(scale);
  const tq = q.shape[q.ndim - 2],
    tk = k.shape[k.ndim - 2];
  if (opts.causal) scores = F.where(causalMask(tq, tk), scores, -Infinity);
  if (opts.mask) scores = opts.mask.dtype === "bool" ? F.where(opts.mask, scores, -Infinity) : scores.add(opts.mask);
  let w = scores.softmax(-1);
  if (opts.dropoutP) w = dropout(w, opts.dropoutP, opts.training ?? true);
  return w.matmul(v);
}

// ------------------------------------------------------------------ losses

/** Options shared by losses. */
export interface LossOptions {
  /** "mean" (default), "sum" or "none". */
  reduction?: Reduction;
}

/**
 * Mean squared error `(pred − target)²`, reduced.
 * @example const loss = nn.mse(model.forward(x), y);
 */
export function mse(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  needTensor("mse", "pred", pred);
  needTensor("mse", "target", target);
  if (!shapeEqual(pred.shape, target.shape)) {
    throw new ShapeError(
      "mse",
      `pred ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)} must have the same shape (broadcasting here is usually a bug: reshape one)`,
    );
  }
  return reduce(pred.sub(target).square(), opts.reduction, "mse");
}

/** Options of crossEntropy. */
export interface CrossEntropyOptions extends LossOptions {
  /** Mix the target with the uniform distribution: (1 − ε)·target + ε/C. */
  labelSmoothing?: number;
  /** Targets equal to this index contribute nothing (and are left out of the mean). Default −100. */
  ignoreIndex?: number;
  /** The class axis: 1 for inputs of rank ≥ 2 (as in PyTorch), 0 for a single [C] input. Use −1 for [B, T, C]. */
  axis?: number;
}

/**
 * Cross entropy between logits and targets given as class indices (int32, the logits' shape
 * without the class axis) or as class probabilities (float, the logits' shape). Computed from
 * `logSoftmax`, so it is stable. Matches PyTorch's `cross_entropy`, including label smoothing.
 * @example const loss = nn.crossEntropy(logits, labels);          // logits [N, C], labels int32 [N]
 * @example nn.crossEntropy(logits, probs, { labelSmoothing: 0.1 }) // probs [N, C]
 */
export function crossEntropy(logits: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  needTensor("crossEntropy", "logits", logits);
  needTensor("crossEntropy", "target", target);
  if (logits.ndim === 0) throw new ShapeError("crossEntropy", "logits must have a class dimension");
  const axis = normalizeAxis("crossEntropy", opts.axis ?? (logits.ndim === 1 ? 0 : 1), logits.ndim);
  const C = logits.shape[axis];
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new WebgradError("crossEntropy", `labelSmoothing must be in [0, 1], got ${eps}`);
  if (target.dtype === "int32") {
    const ignoreIndex = opts.ignoreIndex ?? -100;
    checkIndexValues("crossEntropy", target, {
      what: "target class",
      name: "the target",
      size: C,
      of: `${C} classes`,
      context: `logits shape ${fmtShape(logits.shape)}, class axis ${axis}`,
      ignore: ignoreIndex,
    });
  }
  if (target.dtype === "int32" && eps === 0 && (axis === logits.ndim - 1 || logits.ndim === 1)) return fusedCrossEntropy(logits, target, axis, opts);
  const logp = logits.logSoftmax(axis);
  if (target.dtype === "int32") {
    const expected = logits.shape.filter((_, i) => i !== axis);
    if (!shapeEqual(target.shape, expected)) {
      throw new ShapeError(
        "crossEntropy",
        `class-index targets must have shape ${fmtShape(expected)} (the logits ${fmtShape(logits.shape)} without class axis ${axis}), got ${fmtShape(target.shape)}`,
      );
    }
    const ignore = opts.ignoreIndex ?? -100;
    const valid = target.ne(ignore);
    const safe = F.where(valid, target, 0);
    const picked = logp.gather(axis, safe.unsqueeze(axis)).squeeze(axis);
    let loss = picked.neg();
    if (eps > 0) loss = loss.mul(1 - eps).add(logp.mean(axis).neg().mul(eps));
    loss = F.where(valid, loss, 0);
    if (opts.reduction === undefined || opts.reduction === "mean") return loss.sum().div(valid.sum());
    return reduce(loss, opts.reduction, "crossEntropy");
  }
  if (!isFloat(target.dtype)) throw new DTypeError("crossEntropy", `targets must be int32 class indices or float class probabilities, got ${target.dtype}`);
  if (!shapeEqual(target.shape, logits.shape)) {
    throw new ShapeError("crossEntropy", `probability targets must have the logits' shape ${fmtShape(logits.shape)}, got ${fmtShape(target.shape)}`);
  }
  const t = eps > 0 ? target.mul(1 - eps).add(eps / C) : target;
  const loss = t.mul(logp).sum(axis).neg();
  return reduce(loss, opts.reduction, "crossEntropy");
}

/**
 * Class-index cross entropy with the class axis last, as the fused primitive (one kernel on
 * WebGPU): logits reshaped to [N, C], targets to [N], the per-row result reshaped back.
 */
function fusedCrossEntropy(logits: Tensor, target: Tensor, axis: number, opts: CrossEntropyOptions): Tensor {
  const expected = logits.shape.filter((_, i) => i !== axis);
  if (!shapeEqual(target.shape, expected)) {
    throw new ShapeError(
      "crossEntropy",
      `class-index targets must have shape ${fmtShape(expected)} (the logits ${fmtShape(logits.shape)} without class axis ${axis}), got ${fmtShape(target.shape)}`,
    );
  }
  const reduction = opts.reduction ?? "mean";
  if (!["mean", "sum", "none"].includes(reduction))
    throw new WebgradError("crossEntropy", `reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}`);
  const c = logits.shape[axis];
  const z = (isFloat(logits.dtype) ? logits : logits.float()).reshape([target.size, c]);
  const loss = apply(CrossEntropyOp, [z, target.reshape([target.size])], { ignoreIndex: opts.ignoreIndex ?? -100, reduction });
  return reduction === "none" ? loss.reshape(expected) : loss;
}

/**
 * Negative log-likelihood of log-probabilities (`logSoftmax` output) at int32 class indices.
 * @example nn.functional.nllLoss(logits.logSoftmax(-1), y)
 */
export function nllLoss(logProbs: Tensor, target: Tensor, opts: LossOptions & { axis?: number } = {}): Tensor {
  const axis = normalizeAxis("nllLoss", opts.axis ?? (logProbs.ndim === 1 ? 0 : 1), logProbs.ndim);
  if (target.dtype !== "int32") throw new DTypeError("nllLoss", `targets must be int32 class indices, got ${target.dtype}`);
  const C = logProbs.shape[axis];
  checkIndexValues("nllLoss", target, {
    what: "target class",
    name: "the target",
    size: C,
    of: `${C} classes`,
    context: `log-probabilities shape ${fmtShape(logProbs.shape)}, class axis ${axis}`,
  });
  return reduce(logProbs.gather(axis, target.unsqueeze(axis)).squeeze(axis).neg(), opts.reduction, "nllLoss");
}

/**
 * Binary cross entropy on probabilities p ∈ [0, 1]: −(y·log p + (1−y)·log(1−p)); logs are
 * clamped at −100 as in PyTorch. Prefer `bceWithLogits` on logits: it is stable.
 */
export function bce(probs: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  needTensor("bce", "probs", probs);
  needTensor("bce", "target", target);
  if (!shapeEqual(probs.shape, target.shape))
    throw new ShapeError("bce", `probs ${fmtShape(probs.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
  const y = isFloat(target.dtype) ? target : target.cast(probs.dtype);
  const lp = probs.log().clamp(-100);
  const lq = probs.neg().log1p().clamp(-100);
  return reduce(y.mul(lp).add(y.neg().add(1).mul(lq)).neg(), opts.reduction, "bce");
}

/**
 * Binary cross entropy on logits, stable for any logit: (1 − y)·z + w·softplus(−z) with
 * w = 1 + (posWeight − 1)·y (PyTorch's `binary_cross_entropy_with_logits`).
 * @example const loss = nn.bceWithLogits(model.forward(x), y.float().unsqueeze(1));
 */
export function bceWithLogits(logits: Tensor, target: Tensor, opts: LossOptions & { posWeight?: Tensor | number } = {}): Tensor {
  needTensor("bceWithLogits", "logits", logits);
  needTensor("bceWithLogits", "target", target);
  if (!shapeEqual(logits.shape, target.shape))
    throw new ShapeError("bceWithLogits", `logits ${fmtShape(logits.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
  const y = isFloat(target.dtype) ? target : target.cast(logits.dtype);
  const sp = softplus(logits.neg());
  const w = opts.posWeight === undefined ? null : y.mul(typeof opts.posWeight === "number" ? opts.posWeight - 1 : opts.posWeight.sub(1)).add(1);
  const loss = y
    .neg()
    .add(1)
    .mul(logits)
    .add(w ? w.mul(sp) : sp);
  return reduce(loss, opts.reduction, "bceWithLogits");
}

/** Mean absolute error |pred − target|, reduced. */
export function l1(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  if (!shapeEqual(pred.shape, target.shape))
    throw new ShapeError("l1", `pred ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
  return reduce(pred.sub(target).abs(), opts.reduction, "l1");
}

// ------------------------------------------------------------------ convolution and pooling

/** 2-D convolution (the core op, unfold + matmul): x [N, C, H, W], weight [O, C/groups, kh, kw], bias [O]. */
export { conv2d, maxPool2d, avgPool2d, type Conv2dOptions, type MaxPool2dOptions, type AvgPool2dOptions, type Size2 } from "../ops/conv";
