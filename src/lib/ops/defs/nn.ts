/** Fused nn primitives (one kernel each on WebGPU): softmax and logSoftmax along an axis. */
import { defineOp } from "../registry";
import * as F from "../functional";
import { arity, checkAxis, elementwiseCost, needFloat } from "./common";


export const Softmax = defineOp<{ axis: number }>({
  name: "softmax",
  category: "nn",
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

export const LogSoftmax = defineOp<{ axis: number }>({
  name: "logSoftmax",
  category: "nn",
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
