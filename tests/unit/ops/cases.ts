/**
 * The gradient-check spec table: for every primitive in `allOps()`, sample inputs (shapes, value
 * ranges that stay off kinks and poles, attributes), or the reason it has no derivative.
 * gradcheck.test.ts fails when an op is missing here, so a new op cannot land untested.
 */
import type { Tensor } from "webgrad";
import * as W from "webgrad";
import type { OpName } from "../../../src/lib/ops/names";

/** One input of a case. Float inputs are float64 and differentiated; int32/bool ones are held constant. */
export interface InputSpec {
  shape: number[];
  dtype?: "float64" | "float32" | "int32" | "bool";
  /** Uniform range of random values (default [-1.5, 1.5]). */
  range?: [number, number];
  /** Explicit values, row-major (index tensors, zeros placed on purpose). */
  values?: number[];
  /** Values spaced ≥ 0.1 apart, shuffled: no ties for max/min/maximum. */
  distinct?: boolean;
  /** Keep |x| ≥ this (off the kinks of abs/relu and the poles of 1/x). */
  awayFromZero?: number;
  /** A float input held constant (not differentiated). */
  constant?: boolean;
}

/** One sample of an op: apply(op, inputs, attrs). */
export interface GradCase {
  /** Shown in the test name. */
  name?: string;
  inputs: InputSpec[];
  attrs?: Record<string, unknown>;
  /** Check second derivatives (grad of grad, forward-over-reverse, hessian). Default true. */
  secondOrder?: boolean;
  /** Finite-difference step (default 1e-6) and tolerance overrides. */
  h?: number;
  tol?: { rtol: number; atol: number };
}

/** What an op without a derivative declares instead of cases. */
export interface NonDifferentiable {
  nondifferentiable: string;
  /** For float-valued ops with a zero derivative: inputs on which jvp and vjp must give zeros. */
  zeroGrad?: InputSpec[];
  attrs?: Record<string, unknown>;
}

const v = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const pos = (shape: number[], lo = 0.3, hi = 2): InputSpec => ({ shape, range: [lo, hi] });
const idx = (shape: number[], values: number[]): InputSpec => ({ shape, dtype: "int32", values });
const unary = (extra: Partial<InputSpec> = {}, secondOrder = true): GradCase[] => [
  { name: "[2,3]", inputs: [v([2, 3], extra)], secondOrder },
  { name: "0-d", inputs: [v([], extra)], secondOrder },
];
const red = (axes: number[], keepdims: boolean) => ({ axes, keepdims });
const binaryCases = (a: Partial<InputSpec> = {}, b: Partial<InputSpec> = {}): GradCase[] => [
  { name: "same shape", inputs: [v([2, 3], a), v([2, 3], b)] },
  { name: "broadcast", inputs: [v([3, 1, 2], a), v([4, 1], b)] },
  { name: "0-d operand", inputs: [v([3], a), v([], b)] },
];
const window = { kernel: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1] };
const window2 = { kernel: [2, 3], stride: [2, 1], padding: [1, 1], dilation: [1, 2] };

/** Per primitive: sample cases, or why it has no derivative. Keyed by op name. */
/**
 * What an op declares whose gradient is, by definition, not its value's derivative (finite
 * differences cannot check it): where its rule is tested instead.
 */
export interface DefinedGradient {
  definedGradient: string;
}

/** What the table holds for one op. */
export type GradEntry = GradCase[] | NonDifferentiable | DefinedGradient;

/**
 * Where the op's definition says to sample input `i` (its `testInputs`: in its domain, off kinks
 * and poles), as input-spec fields.
 */
const domainOf = (op: OpName, i = 0): Partial<InputSpec> => {
  const d = W.allOps().find((o) => o.name === op)?.testInputs?.[i];
  return {
    ...(d?.range ? { range: [d.range[0], d.range[1]] as [number, number] } : {}),
    ...(d?.awayFromZero !== undefined ? { awayFromZero: d.awayFromZero } : {}),
  };
};

export const OP_CASES = {
  neg: unary(),
  abs: unary(domainOf("abs")),
  exp: unary(),
  log: unary(domainOf("log")),
  log1p: unary(domainOf("log1p")),
  sqrt: unary(domainOf("sqrt")),
  rsqrt: unary(domainOf("rsqrt")),
  sin: unary(domainOf("sin")),
  cos: unary(domainOf("cos")),
  tanh: unary(domainOf("tanh")),
  sigmoid: unary(domainOf("sigmoid")),
  relu: unary(domainOf("relu")),
  gelu: unary(domainOf("gelu")),
  gelu_tanh: unary(domainOf("gelu_tanh")),
  silu: unary(domainOf("silu")),
  square: unary(),
  reciprocal: unary(domainOf("reciprocal")),
  erf: unary(domainOf("erf")),
  sign: { nondifferentiable: "piecewise constant", zeroGrad: [v([2, 3], { awayFromZero: 0.2 })] },
  floor: { nondifferentiable: "piecewise constant", zeroGrad: [v([2, 3])] },
  ceil: { nondifferentiable: "piecewise constant", zeroGrad: [v([2, 3])] },
  round: { nondifferentiable: "piecewise constant", zeroGrad: [v([2, 3])] },
  logicalNot: { nondifferentiable: "bool output" },
  identity: unary(),
  stopGradient: { nondifferentiable: "cuts gradients by definition", zeroGrad: [v([2, 3])] },
  noGradWrite: { definedGradient: "the value written under noGrad, the gradient of the tensor before the write: tests/unit/graph/jit-gradstop.test.ts" },
  cast: [
    { name: "float64 → float64", inputs: [v([2, 3])], attrs: { dtype: "float64" } },
    { name: "float64 → float32", inputs: [v([4])], attrs: { dtype: "float32" }, h: 1e-2, tol: { rtol: 1e-4, atol: 1e-5 }, secondOrder: false },
  ],

  add: binaryCases(),
  sub: binaryCases(),
  mul: binaryCases(),
  div: binaryCases(domainOf("div", 0), domainOf("div", 1)),
  pow: [
    ...binaryCases(domainOf("pow", 0), domainOf("pow", 1)),
    { name: "integer exponents of negatives", inputs: [v([4], { range: [-2, -0.5] }), v([4], { values: [2, 3, -1, 1], constant: true })] },
    { name: "zero exponent at zero base", inputs: [v([3], { values: [0, 0.5, 1.2] }), v([3], { values: [0, 2, 0], constant: true })], secondOrder: false },
  ],
  atan2: [
    // The test domain keeps x > 0 (off the branch cut); here the other quadrants, off the cut (y ≠ 0) and the origin.
    ...binaryCases(domainOf("atan2", 0), domainOf("atan2", 1)),
    { name: "left half-plane", inputs: [v([4], { values: [0.7, -0.9, 1.3, -0.4] }), v([4], { values: [-1.1, -0.6, -0.2, 0.8] })] },
  ],
  maximum: [
    { name: "same shape", inputs: [v([6], { values: [0.1, -1, 2, 0.5, -0.3, 1.2] }), v([6], { values: [0.4, -1.3, 1, 0.9, -0.8, 2] })] },
    { name: "broadcast", inputs: [v([2, 3], { values: [0.1, 0.5, -1, 1.5, 0.7, -0.2] }), v([3], { values: [0.3, 0.2, 0.9] })] },
  ],
  minimum: [
    { name: "same shape", inputs: [v([6], { values: [0.1, -1, 2, 0.5, -0.3, 1.2] }), v([6], { values: [0.4, -1.3, 1, 0.9, -0.8, 2] })] },
    { name: "broadcast", inputs: [v([2, 3], { values: [0.1, 0.5, -1, 1.5, 0.7, -0.2] }), v([3], { values: [0.3, 0.2, 0.9] })] },
  ],
  eq: { nondifferentiable: "bool output" },
  ne: { nondifferentiable: "bool output" },
  lt: { nondifferentiable: "bool output" },
  le: { nondifferentiable: "bool output" },
  gt: { nondifferentiable: "bool output" },
  ge: { nondifferentiable: "bool output" },
  logicalAnd: { nondifferentiable: "bool output" },
  logicalOr: { nondifferentiable: "bool output" },
  logicalXor: { nondifferentiable: "bool output" },
  where: [
    { name: "broadcast", inputs: [{ shape: [2, 3], dtype: "bool", values: [1, 0, 0, 1, 1, 0] }, v([2, 3]), v([3])] },
    { name: "0-d branch", inputs: [{ shape: [3], dtype: "bool", values: [0, 1, 0] }, v([]), v([2, 3])] },
  ],

  sum: [
    { name: "all", inputs: [v([2, 3])], attrs: red([0, 1], false) },
    { name: "axis 1 keepdims", inputs: [v([2, 3, 2])], attrs: red([1], true) },
    { name: "0-d", inputs: [v([])], attrs: red([], false) },
    { name: "empty axis", inputs: [v([0, 3])], attrs: red([0], false) },
  ],
  max: [
    { name: "axis 1", inputs: [v([3, 4], { distinct: true })], attrs: red([1], false) },
    { name: "all keepdims", inputs: [v([2, 3], { distinct: true })], attrs: red([0, 1], true) },
    // At a tie, central differences see half the step on each tied element: exactly the even split.
    { name: "tie split evenly", inputs: [v([4], { values: [1, 3, 3, 0] })], attrs: red([0], false), secondOrder: false },
  ],
  min: [
    { name: "axis 0", inputs: [v([3, 4], { distinct: true })], attrs: red([0], false) },
    { name: "axes 0, 2", inputs: [v([2, 2, 3], { distinct: true })], attrs: red([0, 2], true) },
  ],
  prod: [
    { name: "axis 1", inputs: [v([2, 3], { awayFromZero: 0.3 })], attrs: red([1], false) },
    { name: "all", inputs: [v([2, 2], { awayFromZero: 0.3 })], attrs: red([0, 1], true) },
    // prod is a polynomial, so finite differences are exact even at zeros. Its rule is exact to
    // first order there; its second derivatives at exact zeros are not (the rule is piecewise).
    { name: "one zero", inputs: [v([2, 3], { values: [0, 1.5, -2, 0.5, 0, 0] })], attrs: red([1], false), secondOrder: false },
    { name: "two zeros", inputs: [v([4], { values: [0, 1.5, 0, 0.7] })], attrs: red([0], false), secondOrder: false },
  ],
  argmax: { nondifferentiable: "int32 output" },
  argmin: { nondifferentiable: "int32 output" },
  cumsum: [
    { name: "axis 0", inputs: [v([3, 2])], attrs: { axis: 0 } },
    { name: "axis 1", inputs: [v([2, 4])], attrs: { axis: 1 } },
  ],

  reshape: [{ inputs: [v([2, 3])], attrs: { shape: [3, 1, 2] } }],
  permute: [{ inputs: [v([2, 3, 2])], attrs: { axes: [2, 0, 1] } }],
  expand: [
    { name: "size-1 dims", inputs: [v([3, 1])], attrs: { shape: [2, 3, 4] } },
    { name: "0-d", inputs: [v([])], attrs: { shape: [2, 2] } },
  ],
  slice: [
    { name: "steps", inputs: [v([5, 4])], attrs: { starts: [1, 0], stops: [5, 4], steps: [2, 3] } },
    { name: "negative step", inputs: [v([5, 3])], attrs: { starts: [4, 2], stops: [0, -1], steps: [-2, -1] } },
    { name: "empty", inputs: [v([4, 2])], attrs: { starts: [3, 0], stops: [1, 2], steps: [1, 1] } },
  ],
  pad: [
    {
      name: "edges",
      inputs: [v([2, 3])],
      attrs: {
        pads: [
          [1, 0, 0],
          [2, 1, 0],
        ],
        value: 0,
      },
    },
    {
      name: "interior and value",
      inputs: [v([3, 2])],
      attrs: {
        pads: [
          [0, 1, 2],
          [1, 1, 1],
        ],
        value: 1.5,
      },
    },
  ],
  concat: [
    { name: "axis 1, three inputs", inputs: [v([2, 1]), v([2, 3]), v([2, 2])], attrs: { axis: 1 } },
    { name: "with an empty input", inputs: [v([0, 2]), v([2, 2])], attrs: { axis: 0 } },
  ],
  copy: unary(),

  matmul: [
    { name: "2-D", inputs: [v([3, 4]), v([4, 2])] },
    { name: "batch broadcast", inputs: [v([2, 1, 2, 3]), v([3, 3, 2])] },
    // ∂B as one product over the stacked rows (linear layers over [batch, tokens, features]).
    { name: "batches · one matrix", inputs: [v([2, 2, 3, 4]), v([4, 2])] },
    { name: "batches · one matrix, k = 0", inputs: [v([2, 3, 0]), v([0, 2])], secondOrder: false },
    { name: "k = 0", inputs: [v([2, 0]), v([0, 3])], secondOrder: false },
  ],
  gather: [
    { name: "axis 1", inputs: [v([3, 4]), idx([3, 2], [0, 3, 1, 1, 2, 0])], attrs: { axis: 1 } },
    { name: "axis 0, repeated rows", inputs: [v([3, 2]), idx([4, 2], [0, 2, 2, 1, 0, 0, 1, 2])], attrs: { axis: 0 } },
  ],
  scatterAdd: [
    { name: "axis 0, duplicates", inputs: [v([3, 2]), idx([2, 2], [0, 2, 0, 0]), v([2, 2])], attrs: { axis: 0 } },
    { name: "src larger than index", inputs: [v([2, 4]), idx([2, 2], [3, 1, 0, 0]), v([2, 3])], attrs: { axis: 1 } },
  ],
  softmax: [
    { name: "last axis", inputs: [v([2, 4], { range: [-2, 2] })], attrs: { axis: 1 } },
    { name: "axis 0", inputs: [v([3, 2], { range: [-2, 2] })], attrs: { axis: 0 } },
  ],
  logSoftmax: [
    { name: "last axis", inputs: [v([2, 4], { range: [-2, 2] })], attrs: { axis: 1 } },
    { name: "axis 0", inputs: [v([3, 2], { range: [-2, 2] })], attrs: { axis: 0 } },
  ],
  layerNorm: [
    { name: "last axis", inputs: [v([3, 4])], attrs: { dims: 1, eps: 1e-5 } },
    { name: "two trailing axes", inputs: [v([2, 2, 3])], attrs: { dims: 2, eps: 0.1 } },
  ],
  crossEntropy: [
    { name: "mean, one ignored row", inputs: [v([3, 4], { range: [-2, 2] }), idx([3], [1, -100, 3])], attrs: { ignoreIndex: -100, reduction: "mean" } },
    { name: "sum", inputs: [v([2, 3], { range: [-2, 2] }), idx([2], [2, 0])], attrs: { ignoreIndex: -100, reduction: "sum" } },
    { name: "none", inputs: [v([3, 2], { range: [-2, 2] }), idx([3], [0, 1, 1])], attrs: { ignoreIndex: 1, reduction: "none" } },
  ],
  crossEntropyGrad: [
    { name: "mean", inputs: [v([3, 4], { range: [-2, 2] }), idx([3], [1, 0, 3]), v([])], attrs: { ignoreIndex: 0, reduction: "mean" } },
    { name: "none", inputs: [v([2, 3], { range: [-2, 2] }), idx([2], [2, 0]), v([2])], attrs: { ignoreIndex: -100, reduction: "none" } },
  ],
  random: { nondifferentiable: "no inputs" },
  unfold: [
    { name: "2×2", inputs: [v([1, 2, 3, 3])], attrs: window },
    { name: "stride, padding, dilation", inputs: [v([2, 1, 4, 5])], attrs: window2 },
  ],
  fold: [
    { name: "2×2 overlapping", inputs: [v([1, 8, 4])], attrs: { ...window, outputSize: [3, 3] } },
    { name: "stride, padding, dilation", inputs: [v([1, 6, 9])], attrs: { ...window2, outputSize: [4, 5] } },
  ],
} satisfies { readonly [K in OpName]: GradEntry };

/** A composite op (built from primitives) checked the same way: `fn` of the float inputs. */
export interface CompositeCase extends Omit<GradCase, "attrs"> {
  name: string;
  fn: (...xs: Tensor[]) => Tensor;
}

/** Composites and public functions whose gradients come from their primitives'. */
export const COMPOSITE_CASES: CompositeCase[] = [
  { name: "mean over axes", inputs: [v([2, 3, 2])], fn: (x) => W.mean(x, [0, 2]) },
  { name: "mean keepdims negative axis", inputs: [v([3, 2])], fn: (x) => W.mean(x, -1, true) },
  { name: "var unbiased", inputs: [v([3, 4])], fn: (x) => W.var(x, 1) },
  { name: "var correction 0, all", inputs: [v([5])], fn: (x) => W.var(x, null, false, 0) },
  { name: "std", inputs: [v([2, 4])], fn: (x) => W.std(x, 0) },
  { name: "logsumexp", inputs: [v([2, 3], { range: [-3, 3] })], fn: (x) => W.logsumexp(x, 1) },
  { name: "logsumexp with ties", inputs: [v([3], { values: [0.5, 0.5, -1] })], fn: (x) => W.logsumexp(x) },
  { name: "conv2d", inputs: [v([2, 2, 4, 4]), v([3, 2, 2, 2]), v([3])], fn: (x, w, b) => W.conv2d(x, w, b) },
  {
    name: "conv2d stride, padding, dilation, groups",
    inputs: [v([1, 4, 5, 4]), v([2, 2, 2, 3])],
    fn: (x, w) => W.conv2d(x, w, null, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }),
  },
  { name: "conv2d unbatched [C, H, W]", inputs: [v([2, 3, 3]), v([1, 2, 2, 2])], fn: (x, w) => W.conv2d(x, w, null, { padding: [0, 1] }) },
  { name: "maxPool2d", inputs: [v([1, 2, 4, 4], { distinct: true })], fn: (x) => W.maxPool2d(x, 2) },
  { name: "maxPool2d padded, strided", inputs: [v([1, 1, 5, 5], { distinct: true })], fn: (x) => W.maxPool2d(x, 3, { stride: 2, padding: 1 }) },
  { name: "avgPool2d padded", inputs: [v([2, 1, 4, 3])], fn: (x) => W.avgPool2d(x, [2, 3], { stride: 1, padding: [1, 1] }) },
  { name: "triu", inputs: [v([3, 4])], fn: (x) => W.triu(x, 1) },
  { name: "tril batch", inputs: [v([2, 3, 3])], fn: (x) => W.tril(x, -1) },
  { name: "flip", inputs: [v([2, 3])], fn: (x) => W.flip(x, [0, 1]).mul(x) },
  { name: "matmul vector · matrix", inputs: [v([3]), v([3, 2])], fn: (a, b) => W.matmul(a, b) },
  { name: "matmul matrix · vector", inputs: [v([2, 3]), v([3])], fn: (a, b) => W.matmul(a, b) },
  { name: "matmul vector · vector", inputs: [v([4]), v([4])], fn: (a, b) => W.matmul(a, b) },
  { name: "stack, split, concat", inputs: [v([2, 3]), v([2, 3])], fn: (a, b) => W.concat(W.split(W.stack([a, b.exp()], 1), [1, 1], 1).reverse(), 2) },
  { name: "indexSelect", inputs: [v([4, 2])], fn: (x) => W.indexSelect(x, 0, W.tensor([3, 0, 3], { dtype: "int32" })) },
  { name: "oneHot @ x", inputs: [v([3, 2])], fn: (x) => W.matmul(W.oneHot(W.tensor([2, 0, 2, 1], { dtype: "int32" }), 3).double(), x) },
  { name: "clamp", inputs: [v([6], { values: [-2, -0.5, 0.3, 0.9, 1.4, 3] })], fn: (x) => W.clamp(x, -1, 1) },
  { name: "pow scalar exponent", inputs: [pos([3])], fn: (x) => W.pow(x, 2.5) },
  { name: "scalar base pow", inputs: [v([3])], fn: (x) => W.pow(2, x) },
  { name: "softmax of a 0-d tensor", inputs: [v([])], fn: (x) => W.softmax(x).mul(x) },
  { name: "cumsum negative axis", inputs: [v([2, 3])], fn: (x) => W.cumsum(x, -1).square() },
  { name: "non-contiguous input chain", inputs: [v([3, 4])], fn: (x) => x.transpose(0, 1).slice([null, null, -1]).reshape(2, 6).tanh() },
  { name: "sigmoid · tanh · exp chain", inputs: [v([4], { range: [-1, 1] })], fn: (x) => x.sigmoid().mul(x.tanh()).add(x.mul(0.5).exp()) },
];
