/** Elementwise primitives: unary math, binary arithmetic and comparisons, where, cast. */
import { DTypeError, ShapeError } from "../../errors";
import { fmtShape } from "../../tensor/shape";
import { isFloat, type DType } from "../../tensor/dtype";
import type { Tensor } from "../../tensor/tensor";
import type { Attrs } from "../registry";
import { defineOp, defineOpWithAttrs, type AbstractValue, type JvpContext, type OpDef, type TestDomain, type VjpContext } from "../registry";
import { F } from "../../tensor/installed-ops";
import { addTangents, arity, broadcastAll, elementwiseCost, needFloat, sameDtype } from "./common";

/** A unary elementwise primitive. */
export type UnaryOpDef<N extends string = string> = OpDef<Attrs, N, "unary">;
/** A binary elementwise primitive. */
export type BinaryOpDef<N extends string = string> = OpDef<Attrs, N, "binary">;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

interface UnarySpec<N extends string> {
  name: N;
  /** "float": float inputs only; "numeric": int32 too (not bool); "bool": bool only. */
  domain: "float" | "numeric" | "bool";
  /** Where tests sample the input (see {@link TestDomain}). */
  test?: TestDomain;
  flops?: number;
  saveOutput?: boolean;
  /** Derivative dy/dx as a tensor, from x and y (null: not differentiable). */
  deriv?: (x: Tensor, y: Tensor) => Tensor;
  /** Derivative dy/dx from the output alone: then only y is saved for backward, not x (less tape memory). */
  derivOfOutput?: (y: Tensor) => Tensor;
  /** Zero derivative almost everywhere (floor, sign …): jvp gives zero, nothing recorded. */
  zeroGrad?: boolean;
}

function unary<const N extends string>(spec: UnarySpec<N>): UnaryOpDef<N> {
  const { name, domain, derivOfOutput } = spec;
  const deriv = spec.deriv ?? (derivOfOutput ? (_x: Tensor, y: Tensor) => derivOfOutput(y) : undefined);
  return defineOp({
    name,
    category: "unary",
    dtypes: domain,
    testInputs: spec.test ? [spec.test] : undefined,
    infer(inputs: readonly AbstractValue[]) {
      arity(name, inputs, 1);
      const x = inputs[0];
      if (domain === "float") needFloat(name, x);
      else if (domain === "numeric" && x.dtype === "bool") throw new DTypeError(name, "does not take bool tensors; cast first");
      else if (domain === "bool" && x.dtype !== "bool") throw new DTypeError(name, `needs a bool tensor, got ${x.dtype}`);
      return { shape: x.shape, dtype: x.dtype };
    },
    save: derivOfOutput ? { output: true } : deriv ? { inputs: true, output: spec.saveOutput ?? false } : undefined,
    vjp: derivOfOutput
      ? (g: Tensor, ctx: VjpContext) => [F.mul(g, derivOfOutput(ctx.output!))]
      : deriv
        ? (g: Tensor, ctx: VjpContext) => [F.mul(g, deriv(ctx.inputs[0]!, ctx.output!))]
        : undefined,
    jvp: deriv ? (ts: readonly (Tensor | null)[], ctx: JvpContext) => (ts[0] === null ? null : F.mul(ts[0], deriv(ctx.inputs[0], ctx.output))) : () => null,
    cost: elementwiseCost(spec.flops ?? 1),
  });
}

export const Neg = unary({ name: "neg", domain: "numeric", deriv: (x) => F.scalarTensor(-1, x.dtype, x) });
export const Abs = unary({ name: "abs", domain: "numeric", test: { awayFromZero: 0.2 }, deriv: (x) => F.sign(x) });
export const Exp = unary({ name: "exp", domain: "float", flops: 4, derivOfOutput: (y) => y });
export const Log = unary({ name: "log", domain: "float", test: { range: [0.3, 3], positive: true }, flops: 4, deriv: (x) => F.reciprocal(x) });
export const Log1p = unary({ name: "log1p", domain: "float", test: { range: [-0.5, 3], positive: true }, flops: 4, deriv: (x) => F.reciprocal(F.add(x, 1)) });
export const Sqrt = unary({ name: "sqrt", domain: "float", test: { range: [0.3, 3], positive: true }, flops: 2, derivOfOutput: (y) => F.div(0.5, y) });
export const Rsqrt = unary({
  name: "rsqrt",
  domain: "float",
  test: { range: [0.3, 3], positive: true },
  saveOutput: true,
  flops: 2,
  deriv: (x, y) => F.mul(F.div(y, x), -0.5),
});
export const Sin = unary({ name: "sin", domain: "float", test: { range: [-3, 3] }, flops: 4, deriv: (x) => F.cos(x) });
export const Cos = unary({ name: "cos", domain: "float", test: { range: [-3, 3] }, flops: 4, deriv: (x) => F.neg(F.sin(x)) });
export const Tanh = unary({ name: "tanh", domain: "float", test: { range: [-2, 2] }, flops: 6, derivOfOutput: (y) => F.sub(1, F.square(y)) });
export const Sigmoid = unary({ name: "sigmoid", domain: "float", test: { range: [-4, 4] }, flops: 5, derivOfOutput: (y) => F.mul(y, F.sub(1, y)) });
// From the output (relu(x) > 0 exactly where x > 0): only y is kept, and under jit the
// pre-activation then has one use, so a matmul + bias + relu fuses into one kernel.
export const Relu = unary({ name: "relu", domain: "numeric", test: { awayFromZero: 0.2 }, derivOfOutput: (y) => F.cast(F.gt(y, 0), y.dtype) });
export const Gelu = unary({
  name: "gelu",
  domain: "float",
  test: { range: [-3, 3] },
  flops: 10,
  // d/dx x·Φ(x) = Φ(x) + x·φ(x)
  deriv: (x) => F.add(F.mul(F.add(F.erf(F.mul(x, Math.SQRT1_2)), 1), 0.5), F.mul(x, F.mul(F.exp(F.mul(F.square(x), -0.5)), INV_SQRT_2PI))),
});
export const GeluTanh = unary({
  name: "gelu_tanh",
  domain: "float",
  test: { range: [-3, 3] },
  flops: 12,
  deriv: (x) => {
    const x2 = F.square(x);
    const th = F.tanh(F.mul(F.mul(x, F.add(F.mul(x2, 0.044715), 1)), SQRT_2_OVER_PI));
    const du = F.mul(F.add(F.mul(x2, 3 * 0.044715), 1), SQRT_2_OVER_PI);
    return F.add(F.mul(F.add(th, 1), 0.5), F.mul(F.mul(F.mul(x, 0.5), F.sub(1, F.square(th))), du));
  },
});
export const Silu = unary({
  name: "silu",
  domain: "float",
  test: { range: [-4, 4] },
  flops: 6,
  deriv: (x) => {
    const s = F.sigmoid(x);
    return F.mul(s, F.add(F.mul(x, F.sub(1, s)), 1));
  },
});
export const Square = unary({ name: "square", domain: "numeric", deriv: (x) => F.mul(x, 2) });
export const Reciprocal = unary({ name: "reciprocal", domain: "float", test: { awayFromZero: 0.4 }, derivOfOutput: (y) => F.neg(F.square(y)) });
export const Erf = unary({
  name: "erf",
  domain: "float",
  test: { range: [-2, 2] },
  flops: 10,
  deriv: (x) => F.mul(F.exp(F.neg(F.square(x))), TWO_OVER_SQRT_PI),
});
export const Sign = unary({ name: "sign", domain: "numeric", zeroGrad: true });
export const Floor = unary({ name: "floor", domain: "float", zeroGrad: true });
export const Ceil = unary({ name: "ceil", domain: "float", zeroGrad: true });
export const Round = unary({ name: "round", domain: "float", zeroGrad: true });
export const LogicalNot = unary({ name: "logicalNot", domain: "bool", zeroGrad: true });

/** Identity that is recorded on the tape (grad transforms differentiate with respect to it). */
export const Identity = defineOp({
  name: "identity",
  category: "unary",
  dtypes: "any",
  infer: (inputs) => ({ shape: inputs[0].shape, dtype: inputs[0].dtype }),
  view: (v) => ({ strides: [...v.strides], offset: v.offset }),
  vjp: (g) => [g],
  jvp: (ts) => ts[0],
  cost: () => ({ flops: 0, bytes: 0 }),
});

/** Cuts gradients and tangents (JAX's stop_gradient, PyTorch's detach). Never recorded. */
export const StopGradient = defineOp({
  name: "stopGradient",
  category: "unary",
  dtypes: "any",
  infer: (inputs) => ({ shape: inputs[0].shape, dtype: inputs[0].dtype }),
  view: (v) => ({ strides: [...v.strides], offset: v.offset }),
  jvp: () => null,
  cost: () => ({ flops: 0, bytes: 0 }),
});

/**
 * What a tensor holds after an in-place write inside `noGrad`, in a traced graph: the written
 * value (input 0) with the gradient path of the tensor before the write (input 1). Eager in-place
 * writes under noGrad change the data and leave the tape as it was; a graph has no tensor identity
 * to keep, so the write's result carries its predecessor's derivative explicitly. A view of input 0.
 */
export const NoGradWrite = defineOp({
  name: "noGradWrite",
  category: "movement",
  dtypes: "any",
  infer: (inputs) => {
    arity("noGradWrite", inputs, 2);
    const [value, before] = inputs;
    if (value.dtype !== before.dtype || value.shape.length !== before.shape.length || value.shape.some((d, i) => d !== before.shape[i])) {
      throw new ShapeError(
        "noGradWrite",
        `the written value (${value.dtype}${fmtShape(value.shape)}) must have the shape and dtype of the tensor it replaces (${before.dtype}${fmtShape(before.shape)})`,
      );
    }
    return { shape: value.shape, dtype: value.dtype };
  },
  view: (v) => ({ strides: [...v.strides], offset: v.offset }),
  vjp: (g) => [null, g],
  gradInputs: [1],
  jvp: (ts) => ts[1],
  cost: () => ({ flops: 0, bytes: 0 }),
});

/**
 * Convert between dtypes. Float → int truncates toward zero and saturates at int32's range (±∞
 * too), NaN becoming 0; anything → bool is "≠ 0" (NaN is true).
 */
export const Cast = defineOpWithAttrs<{ dtype: DType }>()({
  name: "cast",
  category: "cast",
  dtypes: "any",
  infer: (inputs, attrs) => ({ shape: inputs[0].shape, dtype: attrs.dtype }),
  vjp: (g, ctx) => [isFloat(ctx.inputAvals[0].dtype) ? F.cast(g, ctx.inputAvals[0].dtype) : null],
  jvp: (ts, ctx) => (ts[0] !== null && isFloat(ctx.attrs.dtype) ? F.cast(ts[0], ctx.attrs.dtype) : null),
  cost: elementwiseCost(1),
});

interface BinarySpec<N extends string> {
  name: N;
  /** "arith": numbers in, same dtype out ("float": float inputs only); "compare": bool out; "logical": bool in and out. */
  kind: "arith" | "float" | "compare" | "logical";
  /** Where tests sample each input (see {@link TestDomain}). */
  test?: [TestDomain | undefined, TestDomain | undefined];
  flops?: number;
  save?: boolean;
  vjp?: (g: Tensor, a: Tensor, b: Tensor, ctx: VjpContext) => (Tensor | null)[];
  jvp?: (ta: Tensor | null, tb: Tensor | null, a: Tensor, b: Tensor, y: Tensor) => Tensor | null;
}

function binary<const N extends string>(spec: BinarySpec<N>): BinaryOpDef<N> {
  const { name, kind } = spec;
  return defineOp({
    name,
    category: "binary",
    // maximum and minimum take bool too (logical or / and); other arithmetic takes numbers.
    dtypes: kind === "logical" ? "bool" : kind === "float" ? "float" : kind === "compare" || name === "maximum" || name === "minimum" ? "any" : "numeric",
    testInputs: spec.test,
    broadcast: true,
    infer(inputs: readonly AbstractValue[]) {
      arity(name, inputs, 2);
      const d = sameDtype(name, inputs);
      if (kind === "logical" && d !== "bool") throw new DTypeError(name, `needs bool tensors, got ${d}`);
      if (kind === "arith" && d === "bool" && name !== "maximum" && name !== "minimum") throw new DTypeError(name, "does not take bool tensors; cast first");
      if (kind === "float") needFloat(name, inputs[0]);
      return { shape: broadcastAll(name, inputs), dtype: kind === "arith" || kind === "float" ? d : "bool" };
    },
    save: spec.save ? { inputs: true } : undefined,
    vjp: spec.vjp ? (g, ctx) => spec.vjp!(g, ctx.inputs[0]!, ctx.inputs[1]!, ctx) : undefined,
    jvp: spec.jvp ? (ts, ctx) => spec.jvp!(ts[0], ts[1], ctx.inputs[0], ctx.inputs[1], ctx.output) : () => null,
    cost: elementwiseCost(spec.flops ?? 1),
  });
}

const mulOrNull = (t: Tensor | null, f: () => Tensor): Tensor | null => (t === null ? null : F.mul(t, f()));

export const Add = binary({ name: "add", kind: "arith", vjp: (g) => [g, g], jvp: (ta, tb) => addTangents(ta, tb) });
export const Sub = binary({ name: "sub", kind: "arith", vjp: (g) => [g, F.neg(g)], jvp: (ta, tb) => addTangents(ta, tb === null ? null : F.neg(tb)) });
export const Mul = binary({
  name: "mul",
  kind: "arith",
  save: true,
  vjp: (g, a, b, ctx) => [ctx.needsGrad[0] ? F.mul(g, b) : null, ctx.needsGrad[1] ? F.mul(g, a) : null],
  jvp: (ta, tb, a, b) =>
    addTangents(
      mulOrNull(ta, () => b),
      mulOrNull(tb, () => a),
    ),
});
export const Div = binary({
  name: "div",
  kind: "arith",
  test: [undefined, { awayFromZero: 0.5 }],
  save: true,
  flops: 1,
  vjp: (g, a, b, ctx) => [ctx.needsGrad[0] ? F.div(g, b) : null, ctx.needsGrad[1] ? F.neg(F.div(F.mul(g, a), F.square(b))) : null],
  jvp: (ta, tb, a, b) => addTangents(ta === null ? null : F.div(ta, b), tb === null ? null : F.neg(F.div(F.mul(tb, a), F.square(b)))),
});

// d/da aᵇ = b·aᵇ⁻¹ (0 where b = 0, so 0⁰ has no NaN gradient); d/db aᵇ = aᵇ·ln a (0 where a = 0).
const powDa = (a: Tensor, b: Tensor) => F.where(F.eq(b, 0), 0, F.mul(b, F.pow(a, F.sub(b, 1))));
const powDb = (a: Tensor, b: Tensor) => F.where(F.eq(a, 0), 0, F.mul(F.pow(a, b), F.log(F.where(F.eq(a, 0), 1, a))));
export const Pow = binary({
  name: "pow",
  kind: "arith",
  test: [{ range: [0.5, 2], positive: true }, { range: [-2, 2] }],
  save: true,
  flops: 10,
  vjp: (g, a, b, ctx) => [ctx.needsGrad[0] ? F.mul(g, powDa(a, b)) : null, ctx.needsGrad[1] ? F.mul(g, powDb(a, b)) : null],
  jvp: (ta, tb, a, b) =>
    addTangents(
      mulOrNull(ta, () => powDa(a, b)),
      mulOrNull(tb, () => powDb(a, b)),
    ),
});

// atan2(y, x), the angle of the point (x, y): ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²).
const atan2Denominator = (y: Tensor, x: Tensor) => F.add(F.square(x), F.square(y));
export const Atan2 = binary({
  name: "atan2",
  kind: "float",
  save: true,
  flops: 20,
  // Off the origin (a pole of the derivative) and the branch cut along x < 0, y = 0: x > 0.
  test: [undefined, { range: [0.3, 2] }],
  vjp: (g, y, x, ctx) => {
    const gr = F.div(g, atan2Denominator(y, x));
    return [ctx.needsGrad[0] ? F.mul(gr, x) : null, ctx.needsGrad[1] ? F.neg(F.mul(gr, y)) : null];
  },
  jvp: (ty, tx, y, x) => {
    const t = addTangents(
      mulOrNull(ty, () => x),
      tx === null ? null : F.neg(F.mul(tx, y)),
    );
    return t === null ? null : F.div(t, atan2Denominator(y, x));
  },
});

// Ties split the gradient evenly, as PyTorch does for maximum/minimum.
function pickWeights(a: Tensor, b: Tensor, greater: boolean): [Tensor, Tensor] {
  const win = greater ? F.gt(a, b) : F.lt(a, b);
  const tie = F.eq(a, b);
  const wa = F.add(F.cast(win, a.dtype), F.mul(F.cast(tie, a.dtype), 0.5));
  return [wa, F.sub(1, wa)];
}
function extremum<const N extends string>(name: N, greater: boolean): BinaryOpDef<N> {
  return binary({
    name,
    kind: "arith",
    save: true,
    vjp: (g, a, b) => {
      const [wa, wb] = pickWeights(a, b, greater);
      return [F.mul(g, wa), F.mul(g, wb)];
    },
    jvp: (ta, tb, a, b) => {
      const [wa, wb] = pickWeights(a, b, greater);
      return addTangents(
        mulOrNull(ta, () => wa),
        mulOrNull(tb, () => wb),
      );
    },
  });
}
export const Maximum = extremum("maximum", true);
export const Minimum = extremum("minimum", false);

export const Eq = binary({ name: "eq", kind: "compare" });
export const Ne = binary({ name: "ne", kind: "compare" });
export const Lt = binary({ name: "lt", kind: "compare" });
export const Le = binary({ name: "le", kind: "compare" });
export const Gt = binary({ name: "gt", kind: "compare" });
export const Ge = binary({ name: "ge", kind: "compare" });
export const LogicalAnd = binary({ name: "logicalAnd", kind: "logical" });
export const LogicalOr = binary({ name: "logicalOr", kind: "logical" });
export const LogicalXor = binary({ name: "logicalXor", kind: "logical" });

/** where(cond, a, b), broadcasting all three. */
export const Where = defineOp({
  name: "where",
  category: "ternary",
  dtypes: "any",
  broadcast: true,
  infer(inputs) {
    arity("where", inputs, 3);
    if (inputs[0].dtype !== "bool") throw new DTypeError("where", `the condition must be bool, got ${inputs[0].dtype}`);
    const d = sameDtype("where", inputs.slice(1));
    return { shape: broadcastAll("where", inputs), dtype: d };
  },
  save: { inputs: [0] },
  vjp: (g, ctx) => {
    const c = ctx.inputs[0]!;
    return [null, ctx.needsGrad[1] ? F.where(c, g, 0) : null, ctx.needsGrad[2] ? F.where(c, 0, g) : null];
  },
  jvp: (ts, ctx) => {
    if (ts[1] === null && ts[2] === null) return null;
    return F.where(ctx.inputs[0], ts[1] ?? 0, ts[2] ?? 0);
  },
  cost: elementwiseCost(1),
});
