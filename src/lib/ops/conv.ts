/**
 * Convolution and pooling as composites: a window gather (the `unfold` primitive, im2col) followed
 * by a matmul or a reduction. Their gradients come from unfold's (fold, col2im) and matmul's/max's rules.
 */
import { DTypeError, ShapeError } from "../errors";
import { isFloat, promoteTypes } from "../tensor/dtype";
import { fmtShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { apply } from "./dispatch";
import { Fold, Unfold, windowGrid, type WindowAttrs } from "./defs/conv";
import * as F from "./functional";

/** A size given once for both spatial dimensions, or as [height, width]. */
export type Size2 = number | readonly [number, number];

/** Window options of unfold and fold. */
export interface WindowOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Zeros added on each side of the image (default 0). */
  padding?: Size2;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
}

/** Options of conv2d. */
export interface Conv2dOptions extends WindowOptions {
  /** Split channels into this many independent groups (default 1; = channels for depthwise). */
  groups?: number;
}

/** Options of maxPool2d. */
export interface MaxPool2dOptions extends WindowOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2;
}

/** Options of avgPool2d (padding counts as zeros in the average, PyTorch's default count_include_pad). */
export interface AvgPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2;
  /** Zeros added on each side (default 0; at most half the kernel). */
  padding?: Size2;
}

function pair(op: string, what: string, v: Size2 | undefined | null, dflt: [number, number]): [number, number] {
  if (v === undefined || v === null) return dflt;
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!(Array.isArray(v) ? v.length === 2 : typeof v === "number") || !p.every(Number.isInteger)) {
    throw new ShapeError(op, `${what} must be an integer or a pair of integers, got ${JSON.stringify(v)}`);
  }
  return p;
}

function windowAttrs(op: string, kernelSize: Size2, o: WindowOptions, strideDefault?: [number, number]): WindowAttrs {
  const kernel = pair(op, "kernelSize", kernelSize, [1, 1]);
  const a = {
    kernel,
    stride: pair(op, "stride", o.stride, strideDefault ?? [1, 1]),
    padding: pair(op, "padding", o.padding, [0, 0]),
    dilation: pair(op, "dilation", o.dilation, [1, 1]),
  };
  // Checked here so the message names the op the user called, not the unfold inside it.
  const atLeast = (what: string, v: readonly number[], min: number) => {
    if (!v.every((d) => d >= min)) throw new ShapeError(op, `${what} must be ${min > 0 ? "positive" : "non-negative"} integers, got ${v[0]}×${v[1]}`);
  };
  atLeast("kernelSize", a.kernel, 1);
  atLeast("stride", a.stride, 1);
  atLeast("padding", a.padding, 0);
  atLeast("dilation", a.dilation, 1);
  return a;
}

/** Run `f` on a 4-D [N, C, H, W] view of `x`, accepting an unbatched [C, H, W] input too. */
function batched(op: string, x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: the input must be a Tensor`);
  if (x.ndim === 3) return F.squeeze(f(F.unsqueeze(x, 0)), 0);
  if (x.ndim !== 4) throw new ShapeError(op, `needs a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got shape ${fmtShape(x.shape)}`);
  return f(x);
}

function toFloat(x: Tensor): Tensor {
  return isFloat(x.dtype) ? x : F.cast(x, "float32");
}

/**
 * Extract sliding windows (im2col), PyTorch's `F.unfold`: [N, C, H, W] → [N, C·kh·kw, L], where L
 * is the number of window positions and row c·kh·kw + i·kw + j holds tap (i, j) of channel c.
 * @example unfold(x, 3, { padding: 1 })   // [1, 2, 4, 4] → [1, 18, 16]
 */
export function unfold(x: Tensor, kernelSize: Size2, options: WindowOptions = {}): Tensor {
  return apply(Unfold, [x], windowAttrs("unfold", kernelSize, options));
}

/**
 * Sum sliding windows back into an image (col2im), PyTorch's `F.fold`: [N, C·kh·kw, L] → [N, C, H, W]
 * with [H, W] = outputSize. Overlapping taps add up; it is the transpose of `unfold`.
 */
export function fold(x: Tensor, outputSize: Size2, kernelSize: Size2, options: WindowOptions = {}): Tensor {
  const outSize = pair("fold", "outputSize", outputSize, [0, 0]);
  return apply(Fold, [x], { ...windowAttrs("fold", kernelSize, options), outputSize: outSize });
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch): x [N, C, H, W] (or [C, H, W]), weight
 * [O, C/groups, kh, kw], optional bias [O] → [N, O, oh, ow]. Computed as unfold + matmul.
 * @example conv2d(x, w, b, { padding: 1 })
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  if (!(weight instanceof Tensor)) throw new TypeError("conv2d: weight must be a Tensor");
  if (weight.ndim !== 4) throw new ShapeError("conv2d", `weight must be 4-D [outChannels, inChannels/groups, kh, kw], got shape ${fmtShape(weight.shape)}`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ShapeError("conv2d", `groups must be a positive integer, got ${groups}`);
  const [o, cg, kh, kw] = weight.shape;
  return batched("conv2d", x, (x4) => {
    const [n, c, h, w] = x4.shape;
    if (c % groups !== 0 || o % groups !== 0) {
      throw new ShapeError(
        "conv2d",
        `input channels (${c}, input ${fmtShape(x4.shape)}) and output channels (${o}, weight ${fmtShape(weight.shape)}) must both be divisible by groups = ${groups}`,
      );
    }
    if (cg * groups !== c) {
      throw new ShapeError(
        "conv2d",
        `the input has ${c} channels (shape ${fmtShape(x4.shape)}) but the weight ${fmtShape(weight.shape)} expects ${cg} × groups ${groups} = ${cg * groups}`,
      );
    }
    if (bias !== undefined && bias !== null && !(bias.ndim === 1 && bias.shape[0] === o)) {
      throw new ShapeError("conv2d", `bias must have shape [${o}] (one per output channel of weight ${fmtShape(weight.shape)}), got ${fmtShape(bias.shape)}`);
    }
    const attrs = windowAttrs("conv2d", [kh, kw], options);
    const [oh, ow] = windowGrid("conv2d", h, w, attrs, x4.shape);
    let dtype = promoteTypes(x4.dtype, weight.dtype);
    if (!isFloat(dtype)) dtype = "float32";
    const cols = apply(Unfold, [F.cast(x4, dtype)], attrs); // [N, C·kh·kw, L]
    const k = cg * kh * kw;
    const wg = F.reshape(F.cast(weight, dtype), [groups, o / groups, k]);
    const y = F.matmul(wg, F.reshape(cols, [n, groups, k, oh * ow])); // [N, groups, O/groups, L]
    let out = F.reshape(y, [n, o, oh, ow]);
    if (bias !== undefined && bias !== null) out = F.add(out, F.reshape(bias, [1, o, 1, 1]));
    return out;
  });
}

function checkPoolPadding(op: string, a: WindowAttrs): void {
  if (a.padding[0] * 2 > a.kernel[0] || a.padding[1] * 2 > a.kernel[1]) {
    throw new ShapeError(op, `padding ${a.padding[0]}×${a.padding[1]} must be at most half the kernel ${a.kernel[0]}×${a.kernel[1]}`);
  }
}

/** Windows of x4 as [N, C, kh·kw, oh, ow] (padding already applied by the caller). */
function windows(op: string, x4: Tensor, a: WindowAttrs, padded: Tensor): Tensor {
  const [n, c, h, w] = x4.shape;
  const [oh, ow] = windowGrid(op, h, w, a, x4.shape);
  const cols = apply(Unfold, [padded], { ...a, padding: [0, 0] });
  return F.reshape(cols, [n, c, a.kernel[0] * a.kernel[1], oh, ow]);
}

/**
 * 2-D max pooling: the max of each window, [N, C, H, W] → [N, C, oh, ow]. Padding counts as −∞.
 * The gradient goes to the window's max (split evenly among ties). Stride defaults to the kernel size.
 */
export function maxPool2d(x: Tensor, kernelSize: Size2, options: MaxPool2dOptions = {}): Tensor {
  const a = windowAttrs("maxPool2d", kernelSize, options, pair("maxPool2d", "kernelSize", kernelSize, [1, 1]));
  checkPoolPadding("maxPool2d", a);
  return batched("maxPool2d", x, (x4) => {
    if (x4.dtype === "bool") throw new DTypeError("maxPool2d", "does not take bool tensors; cast first");
    const xf = toFloat(x4);
    const padded =
      a.padding[0] || a.padding[1]
        ? F.pad(
            xf,
            [
              [a.padding[0], a.padding[0]],
              [a.padding[1], a.padding[1]],
            ],
            -Infinity,
          )
        : xf;
    return F.max(windows("maxPool2d", x4, a, padded), 2);
  });
}

/**
 * 2-D average pooling: the mean of each window, [N, C, H, W] → [N, C, oh, ow]. Zero padding is
 * counted in the average (PyTorch's default count_include_pad). Stride defaults to the kernel size.
 */
export function avgPool2d(x: Tensor, kernelSize: Size2, options: AvgPool2dOptions = {}): Tensor {
  const a = windowAttrs("avgPool2d", kernelSize, options, pair("avgPool2d", "kernelSize", kernelSize, [1, 1]));
  checkPoolPadding("avgPool2d", a);
  return batched("avgPool2d", x, (x4) => {
    if (x4.dtype === "bool") throw new DTypeError("avgPool2d", "does not take bool tensors; cast first");
    const xf = toFloat(x4);
    const padded =
      a.padding[0] || a.padding[1]
        ? F.pad(
            xf,
            [
              [a.padding[0], a.padding[0]],
              [a.padding[1], a.padding[1]],
            ],
            0,
          )
        : xf;
    return F.mean(windows("avgPool2d", x4, a, padded), 2);
  });
}
