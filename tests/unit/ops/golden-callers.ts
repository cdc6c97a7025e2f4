/**
 * How the golden cases (tests/golden/ops.json, from NumPy/SciPy) call each primitive through the
 * public API, or where a primitive's forward is checked instead. Typed over every op name, so a new
 * op does not compile until it has a caller (and golden cases) or says where it is covered.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the golden cases' keyword arguments are untyped JSON */
import * as W from "webgrad";
import type { Tensor } from "webgrad";
import type { OpName } from "../../../src/lib/ops/names";

/** Calls one golden `fn` with the case's inputs and keyword arguments. */
export type Caller = (xs: Tensor[], kw: Record<string, any>) => Tensor | Tensor[];
/** A unary function of the public API. */
export const unary =
  (f: (x: Tensor) => Tensor): Caller =>
  ([x]) =>
    f(x);
/** A binary function of the public API; `kw.scalar` replaces the second input. */
export const binary =
  (f: (a: Tensor | number, b: Tensor | number) => Tensor): Caller =>
  ([a, b], kw) =>
    f(a, kw.scalar ?? b);
/** A reduction over `kw.axis`. */
export const reduction =
  (f: (x: Tensor, axis?: any, keepdims?: boolean) => Tensor): Caller =>
  ([x], kw) =>
    f(x, kw.axis, kw.keepdims ?? false);
/** Window options of conv-like functions. */
export const convOpts = (kw: Record<string, any>) => ({ stride: kw.stride, padding: kw.padding, dilation: kw.dilation, groups: kw.groups });

/** A primitive whose golden values are checked in another test, or that has none worth checking: why. */
export interface Elsewhere {
  elsewhere: string;
}

/**
 * Per primitive: how its golden `fn` (same name) is called through the public API, or where it is
 * covered instead. Typed over every op of the table, so a new op does not compile without an entry.
 */
export const PRIMITIVE_CALLERS = {
  neg: unary(W.neg),
  abs: unary(W.abs),
  exp: unary(W.exp),
  log: unary(W.log),
  log1p: unary(W.log1p),
  sqrt: unary(W.sqrt),
  rsqrt: unary(W.rsqrt),
  sin: unary(W.sin),
  cos: unary(W.cos),
  tanh: unary(W.tanh),
  sigmoid: unary(W.sigmoid),
  relu: unary(W.relu),
  silu: unary(W.silu),
  square: unary(W.square),
  reciprocal: unary(W.reciprocal),
  sign: unary(W.sign),
  floor: unary(W.floor),
  ceil: unary(W.ceil),
  round: unary(W.round),
  erf: unary(W.erf),
  logicalNot: unary(W.logicalNot),
  gelu: ([x], kw) => W.gelu(x, kw.approximate ?? "none"),
  add: binary(W.add),
  sub: binary(W.sub),
  mul: binary(W.mul),
  div: binary(W.div),
  pow: binary(W.pow),
  atan2: binary(W.atan2),
  maximum: binary(W.maximum),
  minimum: binary(W.minimum),
  eq: binary(W.eq),
  ne: binary(W.ne),
  lt: binary(W.lt),
  le: binary(W.le),
  gt: binary(W.gt),
  ge: binary(W.ge),
  logicalAnd: binary(W.logicalAnd),
  logicalOr: binary(W.logicalOr),
  logicalXor: binary(W.logicalXor),
  where: ([c, a, b]) => W.where(c, a, b),
  cast: ([x], kw) => W.cast(x, kw.dtype),
  sum: reduction(W.sum),
  max: reduction(W.max),
  min: reduction(W.min),
  prod: reduction(W.prod),
  argmax: ([x], kw) => W.argmax(x, kw.axis, kw.keepdims ?? false),
  argmin: ([x], kw) => W.argmin(x, kw.axis, kw.keepdims ?? false),
  cumsum: ([x], kw) => W.cumsum(x, kw.axis),
  matmul: ([a, b]) => W.matmul(a, b),
  reshape: ([x], kw) => W.reshape(x, kw.shape),
  permute: ([x], kw) => W.permute(x, kw.axes),
  expand: ([x], kw) => W.broadcastTo(x, kw.shape),
  slice: ([x], kw) => W.slice(x, kw.specs),
  pad: ([x], kw) => W.pad(x, kw.pads, kw.value ?? 0),
  concat: (xs, kw) => W.concat(xs, kw.axis),
  gather: ([x, i], kw) => W.gather(x, kw.axis, i),
  scatterAdd: ([x, i, s], kw) => W.scatterAdd(x, kw.axis, i, s),
  softmax: ([x], kw) => W.softmax(x, kw.axis),
  logSoftmax: ([x], kw) => W.logSoftmax(x, kw.axis),
  unfold: ([x], kw) => W.unfold(x, kw.kernel, convOpts(kw)),
  fold: ([x], kw) => W.fold(x, kw.outputSize, kw.kernel, convOpts(kw)),
  gelu_tanh: { elsewhere: "gelu (approximate: tanh)" },
  identity: { elsewhere: "an alias used by the transforms (gradcheck covers it)" },
  stopGradient: { elsewhere: "detach: the identity on values" },
  noGradWrite: { elsewhere: "a view of its first input, made only by jit's tracer (tests/unit/graph/jit-gradstop.test.ts)" },
  copy: { elsewhere: "contiguous/clone: exercised by every layout in this file" },
  layerNorm: { elsewhere: "nn.functional.layerNorm (tests/unit/nn/golden.test.ts: over the last dim and over two dims)" },
  crossEntropy: { elsewhere: "nn.crossEntropy with class indices (tests/unit/nn/golden.test.ts: mean, sum, none)" },
  crossEntropyGrad: { elsewhere: "the crossEntropy's gradient: gradcheck compares it with finite differences" },
  random: { elsewhere: "counter-based draws: the values are webgrad's own definition (determinism is tested with the creation functions)" },
} satisfies { readonly [K in OpName]: Caller | Elsewhere };
