/**
 * CPU kernels of the nn primitives: softmax and logSoftmax along an axis (max-shifted, so large
 * inputs do not overflow), layerNorm (two passes in double precision), crossEntropy and its gradient.
 */
import { IndexError } from "../../../errors";
import { allocArray } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import { arrayOf, axesLast, offsetsOf, outOffsetsPermuted, permutedOffsets, type CpuKernel } from "./util";
import type { PartialOpTable } from "../../../ops/names";

function rowwise(log: boolean): CpuKernel {
  return ([x], attrs, out) => {
    const axis = attrs.axis as number;
    const perm = axesLast(x.shape.length, [axis]);
    const src = arrayOf(x);
    const io = permutedOffsets(x, perm),
      oo = outOffsetsPermuted(out.shape, perm);
    const len = x.shape[axis] ?? 1;
    const o = allocArray(out.dtype, shapeSize(out.shape));
    for (let k = 0; k < io.length; k += len) {
      let m = -Infinity;
      for (let j = 0; j < len; j++) m = Math.max(m, src[io[k + j]]);
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(src[io[k + j]] - m);
      const ls = Math.log(s);
      for (let j = 0; j < len; j++) {
        const z = src[io[k + j]] - m;
        o[oo[k + j]] = log ? z - ls : Math.exp(z) / s;
      }
    }
    return o;
  };
}

/** (x − mean) / √(var + eps) over the trailing `dims` axes (biased variance). */
const layerNorm: CpuKernel = ([x], attrs, out) => {
  const dims = attrs.dims as number,
    eps = attrs.eps as number;
  const src = arrayOf(x);
  const io = offsetsOf(x);
  const len = shapeSize(x.shape.slice(x.shape.length - dims));
  const o = allocArray(out.dtype, io.length);
  for (let k = 0; k < io.length; k += len) {
    let s = 0;
    for (let j = 0; j < len; j++) s += src[io[k + j]];
    const mean = s / len;
    let v = 0;
    for (let j = 0; j < len; j++) v += (src[io[k + j]] - mean) ** 2;
    const rstd = 1 / Math.sqrt(v / len + eps);
    for (let j = 0; j < len; j++) o[k + j] = (src[io[k + j]] - mean) * rstd;
  }
  return o;
};

/** Each row's max and log Σ exp(z − max) (max 0 for an all −inf row), for the cross-entropy kernels. */
function rowLogSumExp(src: ArrayLike<number>, zo: Int32Array, k: number, c: number): { m: number; lse: number } {
  let m = -Infinity;
  for (let j = 0; j < c; j++) m = Math.max(m, src[zo[k + j]]);
  if (m === -Infinity) m = 0;
  let s = 0;
  for (let j = 0; j < c; j++) s += Math.exp(src[zo[k + j]] - m);
  return { m, lse: Math.log(s) };
}

/** Rows whose target is not ignoreIndex. */
function validCount(t: ArrayLike<number>, to: Int32Array, ignore: number): number {
  let n = 0;
  for (let i = 0; i < to.length; i++) if (t[to[i]] !== ignore) n++;
  return n;
}

/** −log softmax(z)[t] per row, reduced (mean over valid rows, sum, or none). */
const crossEntropy: CpuKernel = ([z, t], attrs, out) => {
  const [n, c] = z.shape;
  const src = arrayOf(z),
    tgt = arrayOf(t);
  const zo = offsetsOf(z),
    to = offsetsOf(t);
  const ignore = attrs.ignoreIndex as number;
  const losses = allocArray(out.dtype, n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = tgt[to[i]];
    if (y === ignore) continue;
    // A class outside [0, C) would give a finite, meaningless loss (PyTorch: "Target 5 is out of bounds").
    if (y < 0 || y >= c)
      throw new IndexError(
        "crossEntropy",
        `target class ${y} is out of range for ${c} classes (valid: 0 … ${c - 1}, or ignoreIndex ${ignore}), at row ${i} of ${n}`,
      );
    const { m, lse } = rowLogSumExp(src, zo, i * c, c);
    const picked = src[zo[i * c + y]] - m;
    losses[i] = lse - picked;
    total += losses[i];
  }
  if (attrs.reduction === "none") return losses;
  const o = allocArray(out.dtype, 1);
  o[0] = attrs.reduction === "mean" ? total / validCount(tgt, to, ignore) : total;
  return o;
};

/** g's share per row · (softmax(z) − onehot(t)), 0 on ignored rows. */
const crossEntropyGrad: CpuKernel = ([z, t, g], attrs, out) => {
  const [n, c] = z.shape;
  const src = arrayOf(z),
    tgt = arrayOf(t),
    gv = arrayOf(g);
  const zo = offsetsOf(z),
    to = offsetsOf(t),
    go = offsetsOf(g);
  const ignore = attrs.ignoreIndex as number;
  const o = allocArray(out.dtype, n * c);
  const scale = attrs.reduction === "mean" ? 1 / validCount(tgt, to, ignore) : 1;
  for (let i = 0; i < n; i++) {
    const y = tgt[to[i]];
    if (y === ignore) continue;
    const w = (attrs.reduction === "none" ? gv[go[i]] : gv[go[0]]) * scale;
    const { m, lse } = rowLogSumExp(src, zo, i * c, c);
    for (let j = 0; j < c; j++) o[i * c + j] = w * (Math.exp(src[zo[i * c + j]] - m - lse) - (j === y ? 1 : 0));
  }
  return o;
};

export const NN_KERNELS = {
  softmax: rowwise(false),
  logSoftmax: rowwise(true),
  layerNorm,
  crossEntropy,
  crossEntropyGrad,
} satisfies PartialOpTable<CpuKernel>;
