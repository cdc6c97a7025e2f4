/**
 * Every op's forward against values computed independently by NumPy/SciPy (tests/golden/generate.py).
 * Inputs may be non-contiguous views (transposed, strided, flipped, expanded), 0-d, empty, int32, bool.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import * as W from "webgrad";
import { allOps, type Tensor } from "webgrad";
import { buildInput, decode, expectClose, TOL, type JsonInput, type JsonValue } from "./helpers";
import type { OpName } from "../../../src/lib/ops/names";

interface JsonOut {
  shape: number[];
  dtype: W.DType;
  data: JsonValue[];
}
interface GoldenCase {
  id: string;
  fn: string;
  inputs: JsonInput[];
  kw: Record<string, any>;
  out?: JsonOut;
  outs?: JsonOut[];
  tol?: { rtol: number; atol: number };
}

const golden: { cases: GoldenCase[] } = JSON.parse(readFileSync(new URL("../../golden/ops.json", import.meta.url), "utf8"));

type Caller = (xs: Tensor[], kw: Record<string, any>) => Tensor | Tensor[];
const unary = (f: (x: Tensor) => Tensor): Caller => ([x]) => f(x);
const binary = (f: (a: Tensor | number, b: Tensor | number) => Tensor): Caller => ([a, b], kw) => f(a, kw.scalar ?? b);
const reduction = (f: (x: Tensor, axis?: any, keepdims?: boolean) => Tensor): Caller => ([x], kw) => f(x, kw.axis, kw.keepdims ?? false);
const convOpts = (kw: Record<string, any>) => ({ stride: kw.stride, padding: kw.padding, dilation: kw.dilation, groups: kw.groups });

/** A primitive whose golden values are checked in another test, or that has none worth checking: why. */
interface Elsewhere {
  elsewhere: string;
}

/**
 * Per primitive: how its golden `fn` (same name) is called through the public API, or where it is
 * covered instead. Typed over every op of the table, so a new op does not compile without an entry.
 */
const PRIMITIVE_CALLERS = {
  neg: unary(W.neg), abs: unary(W.abs), exp: unary(W.exp), log: unary(W.log), log1p: unary(W.log1p), sqrt: unary(W.sqrt), rsqrt: unary(W.rsqrt),
  sin: unary(W.sin), cos: unary(W.cos), tanh: unary(W.tanh), sigmoid: unary(W.sigmoid), relu: unary(W.relu), silu: unary(W.silu), square: unary(W.square),
  reciprocal: unary(W.reciprocal), sign: unary(W.sign), floor: unary(W.floor), ceil: unary(W.ceil), round: unary(W.round), erf: unary(W.erf), logicalNot: unary(W.logicalNot),
  gelu: ([x], kw) => W.gelu(x, kw.approximate ?? "none"),
  add: binary(W.add), sub: binary(W.sub), mul: binary(W.mul), div: binary(W.div), pow: binary(W.pow), maximum: binary(W.maximum), minimum: binary(W.minimum),
  eq: binary(W.eq), ne: binary(W.ne), lt: binary(W.lt), le: binary(W.le), gt: binary(W.gt), ge: binary(W.ge),
  logicalAnd: binary(W.logicalAnd), logicalOr: binary(W.logicalOr), logicalXor: binary(W.logicalXor),
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

/** How each golden `fn` is called through the public API: the primitives', and composites'. */
const CALLERS: Record<string, Caller> = {
  ...(Object.fromEntries(Object.entries(PRIMITIVE_CALLERS).filter(([, c]) => typeof c === "function")) as Record<string, Caller>),
  mean: reduction(W.mean),
  logsumexp: reduction(W.logsumexp),
  var: ([x], kw) => W.var(x, kw.axis, kw.keepdims ?? false, kw.correction ?? 1),
  std: ([x], kw) => W.std(x, kw.axis, kw.keepdims ?? false, kw.correction ?? 1),
  transpose: ([x], kw) => W.transpose(x, kw.dim0, kw.dim1),
  stack: (xs, kw) => W.stack(xs, kw.axis),
  split: ([x], kw) => W.split(x, kw.size, kw.axis),
  flip: ([x], kw) => W.flip(x, kw.axes),
  squeeze: ([x], kw) => W.squeeze(x, kw.axis),
  unsqueeze: ([x], kw) => W.unsqueeze(x, kw.axis),
  triu: ([x], kw) => W.triu(x, kw.k),
  tril: ([x], kw) => W.tril(x, kw.k),
  oneHot: ([x], kw) => W.oneHot(x, kw.numClasses),
  indexSelect: ([x, i], kw) => W.indexSelect(x, kw.axis, i),
  conv2d: ([x, w, b], kw) => W.conv2d(x, w, b, convOpts(kw)),
  maxPool2d: ([x], kw) => W.maxPool2d(x, kw.kernel, convOpts(kw)),
  avgPool2d: ([x], kw) => W.avgPool2d(x, kw.kernel, convOpts(kw)),
};

describe("golden values (NumPy/SciPy)", () => {
  it("has a caller for every golden fn, and golden cases for every primitive", () => {
    const fns = new Set(golden.cases.map((c) => c.fn));
    for (const fn of fns) expect(CALLERS[fn], `no caller for golden fn ${fn}`).toBeDefined();
    const byOp: Readonly<Record<string, Caller | Elsewhere | undefined>> = PRIMITIVE_CALLERS;
    const missing = allOps()
      .map((op) => op.name)
      .filter((n) => !fns.has(n) && typeof byOp[n] !== "object");
    expect(missing, "primitives without golden cases: add them to tests/golden/generate.py").toEqual([]);
  });

  for (const c of golden.cases) {
    it(c.id, () => {
      const xs = c.inputs.map(buildInput);
      const result = CALLERS[c.fn](xs, c.kw);
      const outs = c.outs ?? [c.out!];
      const got = Array.isArray(result) ? result : [result];
      expect(got.length, `${c.id}: number of outputs`).toBe(outs.length);
      outs.forEach((o, i) => expectClose(got[i], o.shape, o.dtype, o.data.map(decode), `${c.id}${outs.length > 1 ? `[${i}]` : ""}`, c.tol ?? TOL[o.dtype]));
    });
  }
});
