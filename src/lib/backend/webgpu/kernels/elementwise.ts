/**
 * Elementwise kernels from one template (shaders/elementwise.wgsl): each op is a WGSL expression
 * in a table, over inputs a, b, c of the input's compute type T (f32 for float16 too: loads widen
 * and the store narrows or rounds, see `gpuElement`). Inputs arrive broadcast to the output shape
 * as strided views; dimensions contiguous in every operand are merged first.
 */
import { WebgradError } from "../../../errors";
import type { DType } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import type { OutSpec, StridedView } from "../../backend";
import template from "../../../../../shaders/elementwise.wgsl?raw";
import template4 from "../../../../../shaders/elementwise4.wgsl?raw";
import {
  elementLoad,
  elementLoad4,
  elementwiseGroups,
  kernelShader,
  storageBindings,
  vec4Binding,
  vec4Kinds,
  vec4Operands,
  wgslType,
  type WgslType,
} from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { coalesce, viewKind } from "../layout";
import { elementwiseParams } from "./layouts";
import type { GpuStorage } from "../storage";
import type { OpsIn, OpTable, PartialOpTable } from "../../../ops/names";

/** A WGSL expression over a, b, c (inputs, of type T); null where the op does not take T. */
type Expr = (t: WgslType) => string | null;

const floatOnly =
  (e: string): Expr =>
  (t) =>
    t === "f32" ? e : null;
const numeric =
  (e: string): Expr =>
  (t) =>
    t === "u32" ? null : e;
const any =
  (e: string): Expr =>
  () =>
    e;
const bool =
  (e: string): Expr =>
  () =>
    `select(0u, 1u, ${e})`;

/** Unary ops (and copy, a movement op whose kernel is the identity): expression of `a`. */
export const UNARY_EXPRESSIONS = {
  neg: numeric("-a"),
  abs: numeric("abs(a)"),
  exp: floatOnly("expf(a)"),
  log: floatOnly("logf(a)"),
  log1p: floatOnly("log1pf(a)"),
  sqrt: floatOnly("sqrt(a)"),
  rsqrt: floatOnly("inverseSqrt(a)"),
  sin: floatOnly("sinf(a)"),
  cos: floatOnly("cosf(a)"),
  tanh: floatOnly("tanhf(a)"),
  sigmoid: floatOnly("sigmoidf(a)"),
  relu: (t) => (t === "u32" ? null : t === "f32" ? "select(0.0, a, a > 0.0 || isNanF(a))" : "select(T(0), a, a > T(0))"),
  gelu: floatOnly("geluf(a)"),
  gelu_tanh: floatOnly("geluTanhf(a)"),
  silu: floatOnly("a * sigmoidf(a)"),
  square: numeric("a * a"),
  reciprocal: floatOnly("1.0 / a"),
  sign: (t) => (t === "u32" ? null : t === "f32" ? "signf(a)" : "sign(a)"),
  floor: floatOnly("floor(a)"),
  ceil: floatOnly("ceil(a)"),
  round: floatOnly("round(a)"),
  erf: floatOnly("erff(a)"),
  logicalNot: () => "select(0u, 1u, a == 0u)",
  identity: any("a"),
  stopGradient: any("a"),
  copy: any("a"),
} satisfies OpTable<Expr, OpsIn<"unary"> | "copy">;

/** Binary ops: expression of `a` and `b`. */
export const BINARY_EXPRESSIONS = {
  add: numeric("a + b"),
  sub: numeric("a - b"),
  mul: numeric("a * b"),
  // int32 division truncates; division by zero gives 0 (as the CPU's Int32Array store of ±Infinity).
  div: (t) => (t === "f32" ? "a / b" : t === "i32" ? "select(a / b, 0, b == 0)" : null),
  pow: (t) => (t === "f32" ? "powf(a, b)" : t === "i32" ? "powi(a, b)" : null),
  atan2: floatOnly("atan2f(a, b)"),
  maximum: (t) => (t === "f32" ? "maxf(a, b)" : "max(a, b)"),
  minimum: (t) => (t === "f32" ? "minf(a, b)" : "min(a, b)"),
  eq: bool("a == b"),
  // NaN ≠ anything: an ordered compare (SwiftShader's) says false.
  ne: (t) => `select(0u, 1u, a != b${t === "f32" ? " || isNanF(a) || isNanF(b)" : ""})`,
  lt: bool("a < b"),
  le: bool("a <= b"),
  gt: bool("a > b"),
  ge: bool("a >= b"),
  logicalAnd: bool("a != 0u && b != 0u"),
  logicalOr: bool("a != 0u || b != 0u"),
  logicalXor: bool("(a != 0u) != (b != 0u)"),
} satisfies OpTable<Expr, OpsIn<"binary">>;

/** Ternary ops: a is the bool condition. */
export const TERNARY_EXPRESSIONS = {
  where: any("select(c, b, a != 0u)"),
} satisfies OpTable<Expr, OpsIn<"ternary">>;

/** Conversions by (from, to) WGSL type, as `from>to`. */
export const CAST_EXPRESSIONS: Record<string, string> = {
  "f32>f32": "a",
  "i32>i32": "a",
  "u32>u32": "a",
  "f32>i32": "f2i(a)",
  "u32>i32": "i32(a)",
  "i32>f32": "f32(a)",
  "u32>f32": "f32(a)",
  "f32>u32": "select(0u, 1u, a != 0.0 || isNanF(a))",
  "i32>u32": "select(0u, 1u, a != 0)",
};

/**
 * Ops whose helper is long (math.wgsl: IEEE edge cases, argument reduction): the vec4 kernel
 * inlines an expression four times, and SwiftShader's build time follows code size (pow: 47 ms
 * with the old one-line helper, 110 ms as vec4 with the edge cases, 26 ms scalar), while the
 * arithmetic, not the loads, is their cost. They take the scalar kernel, and so does a fused region
 * holding one (fused.ts).
 */
export const LONG_EXPRESSIONS: ReadonlySet<string> = new Set(["pow", "sin", "cos", "atan2"]);

/**
 * Run one elementwise expression over `inputs` (already broadcast to `out.shape`), writing a new
 * contiguous storage. `key` names the shader; `expr` is its WGSL expression.
 */
function runElementwise(
  ctx: KernelContext,
  op: string,
  key: string,
  expr: string,
  inputs: readonly StridedView[],
  out: OutSpec,
  target?: GpuStorage,
): GpuStorage {
  const n = shapeSize(out.shape);
  const o = target ?? ctx.alloc(out.dtype, n, op, out.shape);
  if (n === 0) return o;
  const elems = inputs.map((v) => ctx.elem(v.dtype, op));
  const oe = ctx.elem(out.dtype, op);
  const names = ["in0", "in1", "in2"];
  const letters = ["a", "b", "c"];
  const c = coalesce(
    out.shape,
    inputs.map((v) => v.strides),
  );
  // Each operand's access kind is part of the shader (and its key): a few variants per op at most.
  const kinds = c.strides.map((s) => viewKind(c.shape, s));
  const layout = elementwiseParams(inputs.length);
  const params = layout.pack(op, {
    count: n,
    dims: c.shape,
    inputs: inputs.map((v, i) => ({ offset: v.offset, strides: c.strides[i], contiguous: kinds[i] === "c" })),
  });
  const T = (elems[0] ?? oe).value;
  const kinds4 = LONG_EXPRESSIONS.has(op)
    ? null
    : vec4Kinds(
        kinds,
        c.shape,
        c.strides,
        inputs.map((v) => v.offset),
        elems.map((e) => e.bytes),
        oe.bytes,
        n,
        o.length,
      );
  if (kinds4) {
    const acc = kinds4.map((k, i) => elementLoad4(names[i], `slot.inputs[${i}]`, k, letters[i]));
    const shader4 = {
      key: `ew:${key}:${elems.map((e) => e.key).join(",")}>${oe.key}:${kinds4.join("")}:v4`,
      source: () =>
        kernelShader(layout, template4, {
          BINDINGS:
            storageBindings(
              elems.map((e, i) => ({ name: names[i], type: vec4Binding(kinds4[i]!) ? `vec4<${e.store}>` : e.store })),
              { name: "out", type: `vec4<${oe.store}>` },
            ) + `\nalias T = ${T};`,
          PARAMS: elems.map((e, i) => `${letters[i]}: ${e.value}`).join(", "),
          OUT_T: oe.store,
          BODY: `  return ${oe.save(expr)};`,
          ...vec4Operands(acc, kinds4, "slot.dims"),
        }),
    };
    ctx.dispatch(shader4, inputs.map(gpuStorage).concat(o), params, elementwiseGroups(ctx.features.cpuAdapter, Math.ceil(n / 4)));
    return o;
  }
  const access = kinds.map((k, i) => elementLoad(names[i], `slot.inputs[${i}]`, "slot.dims", k));
  const shader = {
    key: `ew:${key}:${elems.map((e) => e.key).join(",")}>${oe.key}:${kinds.join("")}`,
    source: () =>
      kernelShader(layout, template, {
        BINDINGS:
          storageBindings(
            elems.map((e, i) => ({ name: names[i], type: e.store })),
            { name: "out", type: oe.store },
          ) + `\nalias T = ${(elems[0] ?? oe).value};`,
        PRE: access.map((a) => a.pre).join("\n"),
        LOADS: access.map((a, i) => `    let ${letters[i]} = ${elems[i].load(a.load)};`).join("\n"),
        EXPR: oe.save(expr),
      }),
  };
  ctx.dispatch(shader, inputs.map(gpuStorage).concat(o), params, elementwiseGroups(ctx.features.cpuAdapter, n));
  return o;
}

/** Every unary, binary and ternary op's expression, by op name. */
const EXPRESSIONS: Readonly<Record<string, Expr>> = { ...UNARY_EXPRESSIONS, ...BINARY_EXPRESSIONS, ...TERNARY_EXPRESSIONS };

/**
 * The WGSL expression of elementwise `op` (an entry of the expression tables, or `cast`) on
 * inputs of `inputs`' dtypes giving `out`; null when the op has none for them.
 */
export function elementwiseExpression(op: string, inputs: readonly { dtype: DType }[], out: { dtype: DType }): string | null {
  if (op === "cast") return CAST_EXPRESSIONS[`${wgslType(inputs[0].dtype, op)}>${wgslType(out.dtype, op)}`] ?? null;
  return EXPRESSIONS[op]?.(wgslType(inputs[op === "where" ? 1 : 0].dtype, op)) ?? null;
}

/**
 * Run elementwise `op` (an entry of the expression tables, or `cast`) over `inputs` (broadcast to
 * `out.shape`): into `target` when given (a contiguous storage of the output's size and dtype:
 * a lazy value's own buffer, ../lazy.ts), else into a new storage.
 */
export function runElementwiseOp(ctx: KernelContext, op: string, inputs: readonly StridedView[], out: OutSpec, target?: GpuStorage): GpuStorage {
  const e = elementwiseExpression(op, inputs, out);
  if (e === null) throw new WebgradError(op, `the WebGPU backend has no ${op} kernel for ${inputs[0].dtype}`);
  return runElementwise(ctx, op, op, e, inputs, out, target);
}

function fromTable<K extends string>(table: { readonly [P in K]: Expr }): { [P in K]: GpuKernel } {
  const kernels = {} as { [P in K]: GpuKernel };
  for (const op of Object.keys(table) as K[]) kernels[op] = (ctx, inputs, _attrs, out) => runElementwiseOp(ctx, op, inputs, out);
  return kernels;
}

/** Cast between any two GPU dtypes (float → int truncates; → bool is "≠ 0"). */
const cast: GpuKernel = (ctx, inputs, _attrs, out) => runElementwiseOp(ctx, "cast", inputs, out);

/** Elementwise kernels by op name. */
export const ELEMENTWISE_KERNELS = {
  ...fromTable(UNARY_EXPRESSIONS),
  ...fromTable(BINARY_EXPRESSIONS),
  ...fromTable(TERNARY_EXPRESSIONS),
  cast,
} satisfies PartialOpTable<GpuKernel>;
