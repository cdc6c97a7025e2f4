/**
 * Sliding-window primitives: unfold (im2col) and fold (col2im), PyTorch's `F.unfold` / `F.fold`
 * on [N, C, H, W]. Each is the other's transpose, so each one's vjp is the other; both are linear,
 * so each one's jvp is itself. conv2d and the pools are composites on top (ops/conv.ts).
 */
import { DTypeError, ShapeError } from "../../errors";
import { fmtShape, shapeSize } from "../../tensor/shape";
import type { Tensor } from "../../tensor/tensor";
import { defineOpWithAttrs, type AbstractValue } from "../registry";
import { apply } from "../dispatch";
import { arity, bytesOf } from "./common";

/** Window geometry shared by unfold and fold: each a [height, width] pair. */
export interface WindowAttrs extends Record<string, unknown> {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/** fold's attributes: the window, and the spatial size [H, W] of the image it rebuilds. */
export interface FoldAttrs extends WindowAttrs {
  outputSize: [number, number];
}

/** Number of window positions along one spatial dimension of size `n` (may be ≤ 0 when the window does not fit). */
export function windowCount(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

function checkWindow(op: string, a: WindowAttrs): void {
  const ok = (v: unknown, min: number) => Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x >= min);
  if (!ok(a.kernel, 1)) throw new ShapeError(op, `kernel size must be two positive integers, got ${JSON.stringify(a.kernel)}`);
  if (!ok(a.stride, 1)) throw new ShapeError(op, `stride must be two positive integers, got ${JSON.stringify(a.stride)}`);
  if (!ok(a.dilation, 1)) throw new ShapeError(op, `dilation must be two positive integers, got ${JSON.stringify(a.dilation)}`);
  if (!ok(a.padding, 0)) throw new ShapeError(op, `padding must be two non-negative integers, got ${JSON.stringify(a.padding)}`);
}

/** Output grid [oh, ow] of a window over an image of [h, w], or a ShapeError when the window is larger than the padded image. */
export function windowGrid(op: string, h: number, w: number, a: WindowAttrs, inShape: readonly number[]): [number, number] {
  const oh = windowCount(h, a.kernel[0], a.stride[0], a.padding[0], a.dilation[0]);
  const ow = windowCount(w, a.kernel[1], a.stride[1], a.padding[1], a.dilation[1]);
  if (oh < 1 || ow < 1) {
    const eh = a.dilation[0] * (a.kernel[0] - 1) + 1,
      ew = a.dilation[1] * (a.kernel[1] - 1) + 1;
    throw new ShapeError(
      op,
      `the ${a.kernel[0]}×${a.kernel[1]} kernel${a.dilation[0] > 1 || a.dilation[1] > 1 ? ` (dilated to ${eh}×${ew})` : ""} is larger than the padded input ${h + 2 * a.padding[0]}×${w + 2 * a.padding[1]} (input ${fmtShape(inShape)}, padding ${a.padding[0]}×${a.padding[1]})`,
    );
  }
  return [oh, ow];
}

function noBool(op: string, v: AbstractValue): void {
  if (v.dtype === "bool") throw new DTypeError(op, "does not take bool tensors; cast first");
}

const windowCost = (inputs: readonly AbstractValue[], out: AbstractValue) => ({ flops: 0, bytes: bytesOf(inputs[0]) + bytesOf(out) });

/** unfold (im2col): [N, C, H, W] → [N, C·kh·kw, L], one column per window position (row index c·kh·kw + i·kw + j). */
export const Unfold = defineOpWithAttrs<WindowAttrs>()({
  name: "unfold",
  category: "movement",
  dtypes: "numeric",
  infer(inputs, attrs) {
    arity("unfold", inputs, 1);
    const x = inputs[0];
    noBool("unfold", x);
    if (x.shape.length !== 4) throw new ShapeError("unfold", `needs a 4-D input [N, C, H, W], got shape ${fmtShape(x.shape)}`);
    checkWindow("unfold", attrs);
    const [n, c, h, w] = x.shape;
    const [oh, ow] = windowGrid("unfold", h, w, attrs, x.shape);
    return { shape: [n, c * attrs.kernel[0] * attrs.kernel[1], oh * ow], dtype: x.dtype };
  },
  // The transpose of gathering windows is summing them back into place.
  vjp: (g, ctx): (Tensor | null)[] => {
    const s = ctx.inputAvals[0].shape;
    return [apply(Fold, [g], { ...ctx.attrs, outputSize: [s[2], s[3]] })];
  },
  jvp: (ts, ctx): Tensor | null => (ts[0] === null ? null : apply(Unfold, [ts[0]], ctx.attrs)),
  cost: windowCost,
});

/** fold (col2im): [N, C·kh·kw, L] → [N, C, H, W], summing overlapping windows (the transpose of unfold). */
export const Fold = defineOpWithAttrs<FoldAttrs>()({
  name: "fold",
  category: "movement",
  dtypes: "numeric",
  infer(inputs, attrs) {
    arity("fold", inputs, 1);
    const x = inputs[0];
    noBool("fold", x);
    if (x.shape.length !== 3) throw new ShapeError("fold", `needs a 3-D input [N, C·kh·kw, L], got shape ${fmtShape(x.shape)}`);
    checkWindow("fold", attrs);
    const os = attrs.outputSize;
    if (!Array.isArray(os) || os.length !== 2 || !os.every((v) => Number.isInteger(v) && v >= 0))
      throw new ShapeError("fold", `outputSize must be two non-negative integers, got ${JSON.stringify(os)}`);
    const kk = attrs.kernel[0] * attrs.kernel[1];
    const [n, ckk, l] = x.shape;
    if (ckk % kk !== 0)
      throw new ShapeError(
        "fold",
        `dimension 1 of the input ${fmtShape(x.shape)} must be a multiple of the kernel's ${attrs.kernel[0]}×${attrs.kernel[1]} = ${kk}`,
      );
    const [oh, ow] = windowGrid("fold", os[0], os[1], attrs, [n, ckk / kk, os[0], os[1]]);
    if (l !== oh * ow) {
      throw new ShapeError(
        "fold",
        `the input ${fmtShape(x.shape)} has ${l} window positions, but a ${os[0]}×${os[1]} output with this kernel, stride, padding and dilation has ${oh}×${ow} = ${oh * ow}`,
      );
    }
    return { shape: [n, ckk / kk, os[0], os[1]], dtype: x.dtype };
  },
  vjp: (g, ctx): (Tensor | null)[] => {
    const { outputSize: _o, ...window } = ctx.attrs;
    return [apply(Unfold, [g], window)];
  },
  jvp: (ts, ctx): Tensor | null => (ts[0] === null ? null : apply(Fold, [ts[0]], ctx.attrs)),
  // One addition per input element (overlapping taps accumulate).
  cost: (inputs, out) => ({ flops: shapeSize(inputs[0].shape), bytes: bytesOf(inputs[0]) + bytesOf(out) }),
});
