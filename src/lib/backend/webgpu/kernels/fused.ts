/**
 * Fused regions (the graph's `fused` nodes) as single WGSL kernels: an elementwise chain becomes
 * one generated shader whose body is the region's ops inlined as expressions over the inputs, and
 * a matmul + bias + activation region becomes the matmul kernel with an epilogue. Pipelines are
 * keyed by the region's structure (ops, wiring, dtypes), never by shapes: shapes and strides travel
 * in the parameter block as for every other kernel. A region codegen cannot take (too many inputs,
 * an op without an expression) runs op by op through the ordinary kernels.
 */
import { WebgradError } from "../../../errors";
import type { DType } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import type { OutSpec, StridedView } from "../../backend";
import { broadcastView } from "../../../ops/dispatch";
import type { IRGraph, IRNode } from "../../../graph/ir";
import template from "../../../../../shaders/elementwise.wgsl?raw";
import { buildShader, elementLoad, elementwiseGroups, storageBindings, wgslType, type WgslType } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { coalesce, viewKind, type ViewKind } from "../layout";
import { ParamWriter, VIEW_SLOTS } from "../params";
import type { GpuStorage } from "../storage";
import { BINARY_EXPRESSIONS, CAST_EXPRESSIONS, ELEMENTWISE_KERNELS, TERNARY_EXPRESSIONS, UNARY_EXPRESSIONS } from "./elementwise";
import { runMatmul, type Epilogue } from "./matmul";

/** Inputs one fused kernel binds: WebGPU guarantees 8 storage buffers per stage, one is the output. */
export const MAX_FUSED_INPUTS = 7;

const EXPRESSIONS: Record<string, (t: WgslType) => string | null> = { ...UNARY_EXPRESSIONS, ...BINARY_EXPRESSIONS, ...TERNARY_EXPRESSIONS };
const LETTERS = ["a", "b", "c"];

/** A region's elementwise kernel: its WGSL, the cache key and the order its inputs bind in. */
export interface FusedShader {
  key: string;
  source: () => string;
}

/** WGSL for one node: a function of its operands (a, b, c) returning its output type; null when codegen has none. */
function nodeFunction(n: IRNode, fnName: string): { fn: string; sig: string } | null {
  const types = n.inputs.map((v) => wgslType(v.dtype, n.op));
  const outType = wgslType(n.output.dtype, n.op);
  let expr: string | null;
  if (n.op === "cast") expr = CAST_EXPRESSIONS[`${types[0]}>${outType}`] ?? null;
  else expr = EXPRESSIONS[n.op]?.(types[n.op === "where" ? 1 : 0]) ?? null;
  if (expr === null) return null;
  // The tables write T for the operand type (the template's alias); here each node has its own.
  const body = expr.replace(/\bT\b/g, types[n.op === "where" ? 1 : 0]);
  const params = types.map((t, i) => `${LETTERS[i]}: ${t}`).join(", ");
  return { fn: `fn ${fnName}(${params}) -> ${outType} { return ${body}; }`, sig: `${n.op}:${types.join(",")}>${outType}` };
}

/**
 * The generated kernel of an elementwise region, or null when the region cannot be one kernel.
 * `kinds` gives each input's access kind (contiguous, broadcast scalar, strided; the general
 * strided read when left out). Exported so the Graph panel (and tests) can show the WGSL without
 * running it.
 */
export function fusedElementwiseShader(region: IRGraph, kinds?: readonly ViewKind[], inPlace = -1): FusedShader | null {
  if (region.inputs.length > MAX_FUSED_INPUTS || region.outputs.length !== 1) return null;
  const names = new Map<number, string>();
  const keyParts: string[] = [];
  const loads: string[] = [];
  const pre: string[] = [];
  const inTypes: WgslType[] = [];
  for (const [k, inp] of region.inputs.entries()) {
    const t = wgslType(inp.value.dtype, "fused");
    inTypes.push(t);
    names.set(inp.value.id, `x${k}`);
    if (k === inPlace) {
      // Updated in place: read from the output binding (one buffer cannot be bound twice).
      loads.push(`    let x${k} = out[i];`);
      continue;
    }
    const a = elementLoad(`in${k}`, 10 + VIEW_SLOTS * k, kinds?.[k] ?? "v");
    pre.push(a.pre);
    loads.push(`    let x${k} = ${a.load};`);
  }
  const fns: string[] = [];
  const body: string[] = [];
  for (const [j, n] of region.nodes.entries()) {
    const f = nodeFunction(n, `op${j}`);
    if (!f || n.regions) return null;
    const args = n.inputs.map((v) => names.get(v.id));
    if (args.some((a) => a === undefined)) return null;
    fns.push(f.fn);
    body.push(`    let v${j} = op${j}(${args.join(", ")});`);
    names.set(n.output.id, `v${j}`);
    keyParts.push(`${f.sig}(${args.join(",")})`);
  }
  const outValue = region.outputs[0].value;
  const result = outValue ? names.get(outValue.id) : undefined;
  if (!result) return null;
  const outType = wgslType(outValue!.dtype, "fused");
  const key = `fused:${inTypes.join(",")}>${outType}:${inTypes.map((_, k) => kinds?.[k] ?? "v").join("")}${inPlace >= 0 ? `@${inPlace}` : ""}|${keyParts.join(";")}|${result}`;
  return {
    key,
    source: () =>
      buildShader(template, {
        BINDINGS: [
          storageBindings(inTypes.flatMap((t, i) => (i === inPlace ? [] : [{ name: `in${i}`, type: t }])), { name: "out", type: outType }),
          `// The region ${region.name}, one function per op.`,
          ...fns,
        ].join("\n"),
        PRE: pre.join("\n"),
        LOADS: [...loads, ...body].join("\n"),
        EXPR: result,
      }),
  };
}

/**
 * Run an elementwise region as one kernel (inputs broadcast to the output shape); null when
 * codegen cannot. With `inPlace` = k the output overwrites input k's storage (the executor asks
 * for it when input k is a tensor written back with this value and nothing reads it later); it
 * must then be contiguous from offset 0 with the output's dtype, or the kernel allocates as usual.
 */
function runFusedElementwise(ctx: KernelContext, region: IRGraph, inputs: readonly StridedView[], out: OutSpec, inPlace = -1): GpuStorage | null {
  const n = shapeSize(out.shape);
  const views = inputs.map((v) => broadcastView(v, out.shape));
  const c = coalesce(out.shape, views.map((v) => v.strides));
  const kinds = c.strides.map((s) => viewKind(c.shape, s));
  const into = inPlace >= 0 ? views[inPlace] : undefined;
  if (into && !(into.offset === 0 && kinds[inPlace] === "c" && into.dtype === out.dtype && gpuStorage(into).length === n && n > 0 && views.every((v, i) => i === inPlace || gpuStorage(v) !== gpuStorage(into)))) inPlace = -1;
  const shader = fusedElementwiseShader(region, kinds, inPlace);
  if (!shader) return null;
  const o = inPlace >= 0 ? gpuStorage(views[inPlace]) : ctx.alloc(out.dtype, n, "fused", out.shape);
  if (n === 0) return o;
  const p = new ParamWriter("fused").int(n).dims(c.shape);
  views.forEach((v, i) => p.seek(10 + VIEW_SLOTS * i).view(v.offset, c.strides[i], kinds[i] === "c"));
  ctx.dispatch(shader, views.flatMap((v, i) => (i === inPlace ? [] : [gpuStorage(v)])).concat(o), p.data, elementwiseGroups(ctx.features.cpuAdapter, n));
  return o;
}

/** Interpret a region with the ordinary kernels, one dispatch per op (what codegen could not take). */
function interpret(ctx: KernelContext, region: IRGraph, inputs: readonly StridedView[]): StridedView {
  const env = new Map<number, StridedView>();
  region.inputs.forEach((inp, i) => env.set(inp.value.id, inputs[i]));
  for (const n of region.nodes) {
    const k = ELEMENTWISE_KERNELS[n.op] ?? (n.op === "matmul" ? (c: KernelContext, [a, b]: readonly StridedView[], _: unknown, o: OutSpec) => runMatmul(c, a, b, o) : undefined);
    if (!k) throw new WebgradError("fused", `the WebGPU backend cannot run ${n.op} inside a fused region`);
    const out = { shape: n.output.shape, dtype: n.output.dtype as DType };
    const args = n.inputs.map((v) => env.get(v.id)!);
    const views = n.op === "matmul" ? args : args.map((v) => broadcastView(v, out.shape));
    const s = k(ctx, views, n.attrs, out);
    env.set(n.output.id, { storage: s, shape: out.shape, strides: contiguous(out.shape), offset: 0, dtype: out.dtype });
  }
  return env.get(region.outputs[0].value!.id)!;
}

function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Parameter slots of the bias view in a matmul epilogue (after the matmul's own 0…36). */
const BIAS_SLOT = 40;

/**
 * The epilogue of a matmul region: `acc` (+ bias) then an activation. The bias is read through a
 * 2-D view [M, N] of the output's last two dims (stride 0 where it broadcasts); batched outputs
 * need a bias that does not vary over the batch dims. Null when the region is not that shape.
 */
function matmulEpilogue(region: IRGraph, inputs: readonly StridedView[], out: OutSpec): { epilogue: Epilogue; a: StridedView; b: StridedView; bias?: StridedView; biasStrides?: [number, number] } | null {
  const [mm, ...rest] = region.nodes;
  if (mm?.op !== "matmul" || rest.length > 2) return null;
  const argOf = (id: number) => region.inputs.findIndex((x) => x.value.id === id);
  const ai = argOf(mm.inputs[0].id), bi = argOf(mm.inputs[1].id);
  if (ai < 0 || bi < 0) return null;
  let expr = "acc";
  let key = "";
  let prev = mm.output.id;
  let bias: StridedView | undefined;
  let biasStrides: [number, number] | undefined;
  const t = wgslType(out.dtype, "fused");
  const fns: string[] = [];
  for (const [j, n] of rest.entries()) {
    if (n.op === "add" && n.inputs.length === 2 && j === 0) {
      const other = n.inputs[0].id === prev ? n.inputs[1] : n.inputs[0];
      const oi = argOf(other.id);
      if (oi < 0 || (n.inputs[0].id !== prev && n.inputs[1].id !== prev)) return null;
      const full = broadcastView(inputs[oi], out.shape);
      const r = out.shape.length;
      if (full.strides.slice(0, r - 2).some((s) => s !== 0)) return null;
      bias = full;
      biasStrides = [full.strides[r - 2], full.strides[r - 1]];
      expr = `(${expr} + E0[P(${BIAS_SLOT}u) + i32(r) * P(${BIAS_SLOT + 1}u) + i32(col) * P(${BIAS_SLOT + 2}u)])`;
      key += "+bias";
    } else if (n.inputs.length === 1 && UNARY_EXPRESSIONS[n.op]?.(t)) {
      fns.push(`fn epi${j}(a: ${t}) -> ${t} { return ${UNARY_EXPRESSIONS[n.op](t)!.replace(/\bT\b/g, t)}; }`);
      expr = `epi${j}(${expr})`;
      key += `+${n.op}`;
    } else return null;
    if (n.output.dtype !== out.dtype) return null;
    prev = n.output.id;
  }
  // Helper functions ride in front of the expression's first use: the templates put BINDINGS at module scope.
  return { epilogue: { key: `epi${key}`, expr, prelude: fns.join("\n") }, a: inputs[ai], b: inputs[bi], bias, biasStrides };
}

/**
 * The `fused` op on WebGPU. attrs: `region` (the fused node's IR region), `kind`
 * ("elementwise" | "matmul-epilogue") and optionally `inPlace` (the input an elementwise region
 * overwrites). Inputs arrive unbroadcast, in the region's input order.
 */
const fused: GpuKernel = (ctx, inputs, attrs, out) => {
  const region = attrs.region as IRGraph;
  if (attrs.kind === "elementwise") {
    const s = runFusedElementwise(ctx, region, inputs, out, typeof attrs.inPlace === "number" ? attrs.inPlace : -1);
    if (s) return s;
  } else if (attrs.kind === "matmul-epilogue") {
    const m = matmulEpilogue(region, inputs, out);
    if (m) {
      const extra = m.bias ? [gpuStorage(m.bias)] : [];
      return runMatmul(ctx, m.a, m.b, out, m.epilogue, extra, m.bias ? [m.bias.offset, ...m.biasStrides!] : []);
    }
  }
  const v = interpret(ctx, region, inputs);
  return gpuStorage(v);
};

/** The fused-region kernel by op name. */
export const FUSED_KERNELS: Record<string, GpuKernel> = { fused };
