/** Matrix multiplication with batch broadcasting: [..., M, K] @ [..., K, N] → [..., M, N]. */
import { DTypeError, ShapeError } from "../../errors";
import { broadcastShapes, fmtShape, shapeSize } from "../../tensor/shape";
import { defineOp } from "../registry";
import { F } from "../../tensor/installed-ops";
import { addTangents, arity, bytesOf, sameDtype } from "./common";
import type { Tensor } from "../../tensor/tensor";

export const Matmul = defineOp({
  name: "matmul",
  category: "matmul",
  dtypes: "numeric",
  infer(inputs) {
    arity("matmul", inputs, 2);
    const [a, b] = inputs;
    const dtype = sameDtype("matmul", inputs);
    if (dtype === "bool") throw new DTypeError("matmul", `does not take bool tensors (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}); cast first`);
    if (a.shape.length < 2 || b.shape.length < 2) throw new ShapeError("matmul", `needs matrices, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    const m = a.shape[a.shape.length - 2],
      k = a.shape[a.shape.length - 1];
    const k2 = b.shape[b.shape.length - 2],
      n = b.shape[b.shape.length - 1];
    if (k !== k2) {
      throw new ShapeError(
        "matmul",
        `inner dimensions differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)} (${k} ≠ ${k2}); the last dim of the first must equal the second-to-last of the second`,
      );
    }
    const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
    return { shape: [...batch, m, n], dtype };
  },
  save: { inputs: true },
  vjp: (g, ctx) => {
    const [a, b] = ctx.inputs as [Tensor, Tensor];
    return [ctx.needsGrad[0] ? F.matmul(g, F.transpose(b)) : null, ctx.needsGrad[1] ? matrixGradB(a, b, g) : null];
  },
  jvp: (ts, ctx) => addTangents(ts[0] === null ? null : F.matmul(ts[0], ctx.inputs[1]), ts[1] === null ? null : F.matmul(ctx.inputs[0], ts[1])),
  cost(inputs, out) {
    const k = inputs[0].shape[inputs[0].shape.length - 1];
    return { flops: 2 * shapeSize(out.shape) * k, bytes: bytesOf(inputs[0]) + bytesOf(inputs[1]) + bytesOf(out) };
  },
});

/**
 * ∂B = Aᵀ·ḡ. When B is one matrix and A a batch of them (a linear layer over [batch, tokens,
 * features]), the batch's products summed are one product over the stacked rows:
 * Σᵦ Aᵦᵀ·ḡᵦ = A₂ᵀ·ḡ₂ with A₂ = A as [rows, K] and ḡ₂ = ḡ as [rows, N], as PyTorch computes it.
 * One matmul with K = rows instead of a batch of products and a sum over the batch.
 */
function matrixGradB(a: Tensor, b: Tensor, g: Tensor): Tensor {
  if (b.ndim !== 2 || a.ndim <= 2) return F.matmul(F.transpose(a), g);
  const [k, n] = b.shape as [number, number];
  // Rows spelled out, not −1: a reshape cannot infer a dim beside a zero one (k or n = 0).
  const rows = shapeSize(a.shape.slice(0, -1));
  return F.matmul(F.transpose(F.reshape(a, [rows, k])), F.reshape(g, [rows, n]));
}
