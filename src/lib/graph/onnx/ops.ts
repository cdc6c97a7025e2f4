/**
 * The primitive → ONNX table: each entry emits the ONNX nodes that compute one IR node
 * (opset 17). A primitive missing here cannot be exported, and the exporter says which.
 */
import type { DType } from "../../tensor/dtype";
import type { IRGraph, IRNode, IRValue } from "../ir";
import { ONNX_DTYPE, type OnnxAttr, type OnnxNode } from "./model";
import { CONTROL_ONNX_OPS } from "./control";
import { unsupported, type OpTable, type Unsupported } from "../../ops/names";

/** What a table entry can do while it emits. */
export interface EmitContext {
  /** The ONNX name of an IR value. */
  name(v: IRValue): string;
  /**
   * Emit a region's nodes into `into` (a control-flow body), its arguments bound to these ONNX
   * names; returns the names of its outputs.
   */
  inline(region: IRGraph, args: readonly string[], into: OnnxNode[]): string[];
  /** A fresh name for an intermediate. */
  fresh(hint: string): string;
  /** Add a node. */
  node(op: string, inputs: string[], outputs: string[], attrs?: Record<string, OnnxAttr>): void;
  /** An int64 constant (shapes, axes, indices). */
  int64s(values: readonly number[], hint: string): string;
  /** A scalar constant of a dtype. */
  scalar(value: number, dtype: DType, hint: string): string;
}

/** Emits the ONNX nodes of one IR node. */
export type Rule = (n: IRNode, ctx: EmitContext) => void;

const ins = (n: IRNode, ctx: EmitContext) => n.inputs.map((v) => ctx.name(v));
const out = (n: IRNode, ctx: EmitContext) => ctx.name(n.output);

/** One ONNX op on the same inputs. */
const same =
  (op: string, attrs?: (n: IRNode) => Record<string, OnnxAttr>): Rule =>
  (n, ctx) =>
    ctx.node(op, ins(n, ctx), [out(n, ctx)], attrs?.(n));

/** A chain `x → op1 → op2 …` of unary ONNX ops. */
const chain =
  (...ops: string[]): Rule =>
  (n, ctx) => {
    let cur = ctx.name(n.inputs[0]);
    ops.forEach((op, i) => {
      const next = i === ops.length - 1 ? out(n, ctx) : ctx.fresh(op);
      ctx.node(op, [cur], [next]);
      cur = next;
    });
  };

const reduceAttrs = (n: IRNode) => ({ keepdims: { int: n.attrs.keepdims ? 1 : 0 } });

/** Reductions whose axes are an attribute in opset 17 (ReduceMax, ReduceMin, ReduceProd). */
const reduceWithAxesAttr =
  (op: string): Rule =>
  (n, ctx) =>
    ctx.node(op, ins(n, ctx), [out(n, ctx)], { axes: { ints: n.attrs.axes as number[] }, ...reduceAttrs(n) });

/** ArgMax / ArgMin: one axis, int64 result cast to our int32. */
const argReduce =
  (op: string): Rule =>
  (n, ctx) => {
    const axes = n.attrs.axes as number[];
    if (axes.length !== 1) throw new Error(`${n.op} over ${axes.length} axes has no ONNX equivalent`);
    const i64 = ctx.fresh(op);
    ctx.node(op, ins(n, ctx), [i64], { axis: { int: axes[0] }, ...reduceAttrs(n) });
    ctx.node("Cast", [i64], [out(n, ctx)], { to: { int: ONNX_DTYPE.int32 } });
  };

/** The table: one entry per primitive, a rule or the reason it has no ONNX export (the compiler checks that none is missing). */
export const PRIMITIVE_ONNX_OPS = {
  // elementwise
  add: same("Add"),
  sub: same("Sub"),
  mul: same("Mul"),
  div: same("Div"),
  pow: same("Pow"),
  maximum: same("Max"),
  minimum: same("Min"),
  eq: same("Equal"),
  lt: same("Less"),
  le: same("LessOrEqual"),
  gt: same("Greater"),
  ge: same("GreaterOrEqual"),
  ne: (n, ctx) => {
    const e = ctx.fresh("eq");
    ctx.node("Equal", ins(n, ctx), [e]);
    ctx.node("Not", [e], [out(n, ctx)]);
  },
  logicalAnd: same("And"),
  logicalOr: same("Or"),
  logicalXor: same("Xor"),
  logicalNot: same("Not"),
  where: same("Where"),
  neg: same("Neg"),
  abs: same("Abs"),
  exp: same("Exp"),
  log: same("Log"),
  sqrt: same("Sqrt"),
  rsqrt: chain("Sqrt", "Reciprocal"),
  sin: same("Sin"),
  cos: same("Cos"),
  tanh: same("Tanh"),
  sigmoid: same("Sigmoid"),
  relu: same("Relu"),
  reciprocal: same("Reciprocal"),
  erf: same("Erf"),
  sign: same("Sign"),
  floor: same("Floor"),
  ceil: same("Ceil"),
  round: same("Round"),
  square: (n, ctx) => ctx.node("Mul", [ctx.name(n.inputs[0]), ctx.name(n.inputs[0])], [out(n, ctx)]),
  log1p: (n, ctx) => {
    const x = ctx.name(n.inputs[0]),
      s = ctx.fresh("add1");
    ctx.node("Add", [x, ctx.scalar(1, n.output.dtype, "one")], [s]);
    ctx.node("Log", [s], [out(n, ctx)]);
  },
  silu: (n, ctx) => {
    const x = ctx.name(n.inputs[0]),
      s = ctx.fresh("sigmoid");
    ctx.node("Sigmoid", [x], [s]);
    ctx.node("Mul", [x, s], [out(n, ctx)]);
  },
  gelu: (n, ctx) => {
    // x · ½ · (1 + erf(x / √2)): Gelu itself is opset 20.
    const d = n.output.dtype,
      x = ctx.name(n.inputs[0]);
    const [a, e, p, h] = ["scaled", "erf", "plus1", "half"].map((s) => ctx.fresh(s));
    ctx.node("Mul", [x, ctx.scalar(Math.SQRT1_2, d, "rsqrt2")], [a]);
    ctx.node("Erf", [a], [e]);
    ctx.node("Add", [e, ctx.scalar(1, d, "one")], [p]);
    ctx.node("Mul", [x, ctx.scalar(0.5, d, "half")], [h]);
    ctx.node("Mul", [h, p], [out(n, ctx)]);
  },
  identity: same("Identity"),
  stopGradient: same("Identity"),
  copy: same("Identity"),
  // The written value; the tensor before the write only matters to autodiff.
  noGradWrite: (n, ctx) => ctx.node("Identity", [ctx.name(n.inputs[0])], [out(n, ctx)]),
  cast: (n, ctx) => ctx.node("Cast", ins(n, ctx), [out(n, ctx)], { to: { int: ONNX_DTYPE[n.output.dtype] } }),
  // linear algebra, normalization
  matmul: same("MatMul"),
  softmax: same("Softmax", (n) => ({ axis: { int: n.attrs.axis as number } })),
  logSoftmax: same("LogSoftmax", (n) => ({ axis: { int: n.attrs.axis as number } })),
  // (x − mean) / √(var + eps) spelled out: LayerNormalization would need a scale tensor of ones.
  layerNorm: (n, ctx) => {
    const x = ctx.name(n.inputs[0]),
      d = n.output.dtype;
    const r = n.inputs[0].shape.length,
      dims = n.attrs.dims as number;
    const axes = { axes: { ints: Array.from({ length: dims }, (_, i) => r - dims + i) }, keepdims: { int: 1 } };
    const [mu, c, sq, v, ve, sd] = ["mean", "centered", "sq", "var", "var_eps", "std"].map((h) => ctx.fresh(h));
    ctx.node("ReduceMean", [x], [mu], axes);
    ctx.node("Sub", [x, mu], [c]);
    ctx.node("Mul", [c, c], [sq]);
    ctx.node("ReduceMean", [sq], [v], axes);
    ctx.node("Add", [v, ctx.scalar(n.attrs.eps as number, d, "eps")], [ve]);
    ctx.node("Sqrt", [ve], [sd]);
    ctx.node("Div", [c, sd], [out(n, ctx)]);
  },
  crossEntropy: (n, ctx) => {
    const labels = ctx.fresh("labels");
    ctx.node("Cast", [ctx.name(n.inputs[1])], [labels], { to: { int: ONNX_DTYPE.int64 } });
    ctx.node("SoftmaxCrossEntropyLoss", [ctx.name(n.inputs[0]), labels], [out(n, ctx)], {
      ignore_index: { int: n.attrs.ignoreIndex as number },
      reduction: { string: n.attrs.reduction as string },
    });
  },
  // reductions
  sum: (n, ctx) => ctx.node("ReduceSum", [ctx.name(n.inputs[0]), ctx.int64s(n.attrs.axes as number[], "axes")], [out(n, ctx)], reduceAttrs(n)),
  max: reduceWithAxesAttr("ReduceMax"),
  min: reduceWithAxesAttr("ReduceMin"),
  prod: reduceWithAxesAttr("ReduceProd"),
  argmax: argReduce("ArgMax"),
  argmin: argReduce("ArgMin"),
  cumsum: (n, ctx) => ctx.node("CumSum", [ctx.name(n.inputs[0]), ctx.int64s([n.attrs.axis as number], "axis")], [out(n, ctx)]),
  // movement
  reshape: (n, ctx) => ctx.node("Reshape", [ctx.name(n.inputs[0]), ctx.int64s(n.output.shape, "shape")], [out(n, ctx)]),
  expand: (n, ctx) => ctx.node("Expand", [ctx.name(n.inputs[0]), ctx.int64s(n.output.shape, "shape")], [out(n, ctx)]),
  permute: same("Transpose", (n) => ({ perm: { ints: n.attrs.axes as number[] } })),
  concat: same("Concat", (n) => ({ axis: { int: n.attrs.axis as number } })),
  slice: (n, ctx) => {
    const shape = n.inputs[0].shape;
    const starts = n.attrs.starts as number[],
      stops = n.attrs.stops as number[],
      steps = n.attrs.steps as number[];
    // Our stop −1 with a negative step means "past index 0"; ONNX reads −1 as the last element.
    const ends = stops.map((e, d) => (e < 0 ? -(shape[d] + 1) : e));
    ctx.node(
      "Slice",
      [
        ctx.name(n.inputs[0]),
        ctx.int64s(starts, "starts"),
        ctx.int64s(ends, "ends"),
        ctx.int64s(
          shape.map((_, d) => d),
          "axes",
        ),
        ctx.int64s(steps, "steps"),
      ],
      [out(n, ctx)],
    );
  },
  pad: (n, ctx) => {
    const pads = n.attrs.pads as [number, number, number][];
    if (pads.some((p) => p[2] !== 0)) throw new Error("pad with interior padding has no ONNX equivalent");
    const onnxPads = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
    ctx.node("Pad", [ctx.name(n.inputs[0]), ctx.int64s(onnxPads, "pads"), ctx.scalar(n.attrs.value as number, n.output.dtype, "padValue")], [out(n, ctx)], {
      mode: { string: "constant" },
    });
  },
  // indexing: PyTorch's gather along an axis is ONNX's GatherElements
  gather: same("GatherElements", (n) => ({ axis: { int: n.attrs.axis as number } })),
  // not exported (yet): each says why
  scatterAdd: unsupported("not mapped yet (ScatterElements with reduction 'add' would do; no export test covers it)"),
  atan2: unsupported("ONNX (opset 17) has no Atan2; not composed from Atan and Where yet"),
  gelu_tanh: unsupported("not mapped yet (Gelu with approximate='tanh' is opset 20; webgrad exports opset 17)"),
  crossEntropyGrad: unsupported("a backward-only op: export a forward graph"),
  random: unsupported("draws from webgrad's counter-based generator, which ONNX's RandomNormal/RandomUniform cannot reproduce"),
  unfold: unsupported("im2col has no single ONNX op; not mapped yet"),
  fold: unsupported("col2im (opset 18) is newer than the opset 17 webgrad exports"),
} satisfies OpTable<Rule>;

/** Rules by node op: the primitives', and control flow (If, Scan, Loop with subgraphs). */
export const ONNX_OPS: Readonly<Record<string, Rule | Unsupported>> = { ...PRIMITIVE_ONNX_OPS, ...CONTROL_ONNX_OPS };
