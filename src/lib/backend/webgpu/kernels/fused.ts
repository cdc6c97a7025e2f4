/**
 * Fused regions (the graph's `fused` nodes) as single WGSL kernels: an elementwise chain becomes
 * one generated shader whose body is the region's ops inlined as expressions over the inputs, and
 * a matmul region becomes the matmul kernel with its other ops as an epilogue; a "multi" region
 * (horizontal fusion) is kernels/fused-multi.ts. Pipelines are
 * keyed by the region's structure (ops, wiring, dtypes), never by shapes: shapes and strides travel
 * in the parameter block as for every other kernel. A region codegen cannot take (too many inputs,
 * an op without an expression) runs op by op through the ordinary kernels.
 */
import { WebgradError } from "../../../errors";
import type { DType } from "../../../tensor/dtype";
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import type { OutSpec, StridedView } from "../../backend";
import { broadcastView } from "../../../tensor/shape";
import type { IRGraph, IRNode } from "../../../graph/ir";
import template from "../../../../../shaders/elementwise.wgsl?raw";
import template4 from "../../../../../shaders/elementwise4.wgsl?raw";
import {
  elementLoad,
  elementLoad4,
  elementwiseGroups,
  gpuElement,
  kernelShader,
  storageBindings,
  vec4Binding,
  vec4Kinds,
  vec4Operands,
  wgslType,
  type GpuElement,
  type Vec4Kind,
} from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { coalesce, viewKind, type ViewKind } from "../layout";
import { elementwiseParams, MAX_ELEMENTWISE_INPUTS, MAX_MATMUL_EPILOGUE_INPUTS } from "./layouts";
import type { GpuStorage } from "../storage";
import { ELEMENTWISE_KERNELS, LONG_EXPRESSIONS, runElementwiseOp } from "./elementwise";
import { boundInputs, literalOf, nodeFunction, type FusedShader, type Literal } from "./fused-node";
import { runFusedMulti } from "./fused-multi";
import { REDUCE_KERNELS } from "./reduce";
import { runMatmul, type Epilogue, type EpilogueInputView } from "./matmul";

/** Inputs one fused kernel binds: WebGPU guarantees 8 storage buffers per stage, one is the output. */
const MAX_FUSED_INPUTS = MAX_ELEMENTWISE_INPUTS;

/**
 * The generated kernel of an elementwise region, or null when the region cannot be one kernel.
 * `kinds` gives each input's access kind (contiguous, broadcast scalar, strided; the general
 * strided read when left out). `nativeF16`: float16 buffers hold f16 (see `gpuElement`). `vec4`:
 * four elements at a time (shaders/elementwise4.wgsl), each input read as its `Vec4Kind` (from
 * `vec4Kinds`, by region input).
 * Exported so the Graph panel (and tests) can show the WGSL without running it.
 */
export function fusedElementwiseShader(
  region: IRGraph,
  kinds?: readonly ViewKind[],
  inPlace = -1,
  nativeF16 = false,
  vec4: readonly Vec4Kind[] | null = null,
): FusedShader | null {
  // Literal inputs are written into the code: they take neither a binding nor a parameter slot.
  const literals = region.inputs.map(literalOf);
  const bound = region.inputs.flatMap((_, k) => (literals[k] ? [] : [k]));
  if (bound.length > MAX_FUSED_INPUTS || region.outputs.length !== 1) return null;
  const slotOf = (k: number) => bound.indexOf(k);
  const names = new Map<number, string>();
  const keyParts: string[] = [];
  const loads: string[] = [];
  const pre: string[] = [];
  const outValue = region.outputs[0].value;
  if (!outValue) return null;
  const oe = gpuElement(outValue.dtype, nativeF16, "fused");
  const elems: GpuElement[] = [];
  for (const [k, inp] of region.inputs.entries()) {
    const e = gpuElement(inp.value.dtype, nativeF16, "fused");
    elems.push(e);
    names.set(inp.value.id, `x${k}`);
    const literal = literals[k];
    if (literal) {
      loads.push(`    let x${k} = ${literal.expr}; // ${literal.note}`);
      continue;
    }
    if (k === inPlace) {
      // Updated in place: read from the output binding (one buffer cannot be bound twice).
      loads.push(`    let x${k} = ${oe.load("out[i]")};`);
      continue;
    }
    const a = elementLoad(`in${k}`, `slot.inputs[${slotOf(k)}]`, "slot.dims", kinds?.[k] ?? "v");
    pre.push(a.pre);
    loads.push(`    let x${k} = ${e.load(a.load)};`);
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
  const result = names.get(outValue.id);
  if (!result) return null;
  const kindKey = (k: number) => literals[k]?.key ?? kinds?.[k] ?? "v";
  if (vec4) return fusedShader4(region, literals, bound, vec4, inPlace, elems, oe, fns, body, keyParts, result);
  const key = `fused:${elems.map((e) => e.key).join(",")}>${oe.key}:${elems.map((_, k) => kindKey(k)).join("")}${inPlace >= 0 ? `@${inPlace}` : ""}|${keyParts.join(";")}|${result}`;
  return {
    key,
    source: () =>
      kernelShader(elementwiseParams(bound.length), template, {
        BINDINGS: [
          storageBindings(
            bound.flatMap((i) => (i === inPlace ? [] : [{ name: `in${i}`, type: elems[i].store }])),
            { name: "out", type: oe.store },
          ),
          `// The region ${region.name}, one function per op.`,
          ...fns,
        ].join("\n"),
        PRE: pre.join("\n"),
        LOADS: [...loads, ...body].join("\n"),
        EXPR: oe.save(result),
      }),
  };
}

/** `fusedElementwiseShader`'s vec4 kernel: the region's body is `elem`, called for each of four elements. */
function fusedShader4(
  region: IRGraph,
  literals: readonly (Literal | undefined)[],
  bound: readonly number[],
  kinds: readonly Vec4Kind[],
  inPlace: number,
  elems: readonly GpuElement[],
  oe: GpuElement,
  fns: readonly string[],
  body: readonly string[],
  keyParts: readonly string[],
  result: string,
): FusedShader {
  const access = elems.map((_, k) => {
    const literal = literals[k];
    if (literal) return { pre: `  let x${k}One = ${literal.expr}; // ${literal.note}`, load: "", lane: () => `x${k}One`, key: literal.key };
    if (k === inPlace) return { pre: "", load: `    let x${k}4 = out[i];`, lane: (l: string) => `x${k}4.${l}`, key: kinds[k] };
    return { ...elementLoad4(`in${k}`, `slot.inputs[${bound.indexOf(k)}]`, kinds[k], `x${k}`), key: kinds[k] };
  });
  return {
    key: `fused:${elems.map((e) => e.key).join(",")}>${oe.key}:${access.map((a) => a.key).join("")}${inPlace >= 0 ? `@${inPlace}` : ""}:v4|${keyParts.join(";")}|${result}`,
    source: () =>
      kernelShader(elementwiseParams(bound.length), template4, {
        BINDINGS: [
          storageBindings(
            bound.flatMap((i) => (i === inPlace ? [] : [{ name: `in${i}`, type: vec4Binding(kinds[i]!) ? `vec4<${elems[i].store}>` : elems[i].store }])),
            { name: "out", type: `vec4<${oe.store}>` },
          ),
          `// The region ${region.name}, one function per op.`,
          ...fns,
        ].join("\n"),
        PARAMS: elems.map((e, k) => `x${k}: ${e.value}`).join(", "),
        OUT_T: oe.store,
        BODY: [...body.map((b) => b.replace(/^ {4}/, "  ")), `  return ${oe.save(result)};`].join("\n"),
        ...vec4Operands(access, kinds, "slot.dims"),
      }),
  };
}

/**
 * Run an elementwise region as one kernel (inputs broadcast to the output shape); null when
 * codegen cannot. With `inPlace` = k the output overwrites input k's storage (the executor asks
 * for it when input k is a tensor written back with this value and nothing reads it later); it
 * must then be contiguous from offset 0 with the output's dtype, or the kernel allocates as usual.
 * With `target`, the output goes into that storage (contiguous, the output's size and dtype).
 * With `ready`, the kernel runs only when `ready(shader)` says so (null otherwise: tiered builds).
 */
function runFusedElementwise(
  ctx: KernelContext,
  region: IRGraph,
  inputs: readonly StridedView[],
  out: OutSpec,
  inPlace = -1,
  target?: GpuStorage,
  ready?: (shader: FusedShader) => boolean,
): GpuStorage | null {
  const n = shapeSize(out.shape);
  const views = inputs.map((v) => broadcastView(v, out.shape));
  const c = coalesce(
    out.shape,
    views.map((v) => v.strides),
  );
  const kinds = c.strides.map((s) => viewKind(c.shape, s));
  const into = inPlace >= 0 ? views[inPlace] : undefined;
  // (One element reads as a broadcast scalar, "s", and is contiguous all the same: a 1-output layer's bias.)
  if (
    into &&
    !(
      into.offset === 0 &&
      (kinds[inPlace] === "c" || n === 1) &&
      into.dtype === out.dtype &&
      gpuStorage(into).length === n &&
      n > 0 &&
      views.every((v, i) => i === inPlace || gpuStorage(v) !== gpuStorage(into))
    )
  )
    inPlace = -1;
  const bound = boundInputs(region);
  const bound4 = region.nodes.some((nd) => LONG_EXPRESSIONS.has(nd.op))
    ? null
    : vec4Kinds(
        bound.map((i) => kinds[i]),
        c.shape,
        bound.map((i) => c.strides[i]),
        bound.map((i) => views[i].offset),
        bound.map((i) => ctx.elem(views[i].dtype, "fused").bytes),
        ctx.elem(out.dtype, "fused").bytes,
        n,
        // The storage written: `target`, else the in-place input's or a new one (both of n elements).
        target?.length ?? n,
      );
  // By region input (an unbound one is a literal, read as a broadcast element).
  const vec4 = bound4 && region.inputs.map((_, k): Vec4Kind => bound4[bound.indexOf(k)] ?? "s");
  const shader = fusedElementwiseShader(region, kinds, inPlace, ctx.features.nativeF16, vec4);
  if (!shader || (ready && !ready(shader))) return null;
  const o = target ?? (inPlace >= 0 ? gpuStorage(views[inPlace]) : ctx.alloc(out.dtype, n, "fused", out.shape));
  if (n === 0) return o;
  const params = elementwiseParams(bound.length).pack("fused", {
    count: n,
    dims: c.shape,
    inputs: bound.map((i) => ({ offset: views[i].offset, strides: c.strides[i], contiguous: kinds[i] === "c" })),
  });
  ctx.dispatch(
    shader,
    bound.flatMap((i) => (i === inPlace ? [] : [gpuStorage(views[i])])).concat(o),
    params,
    elementwiseGroups(ctx.features.cpuAdapter, vec4 ? Math.ceil(n / 4) : n),
  );
  return o;
}

/** Whether a region's own kernel is built and worth running yet (`KernelContext.tierUp` with the chain's work). */
const tierReady =
  (ctx: KernelContext, tier: { work: number; threshold: number }) =>
  (shader: FusedShader): boolean =>
    !ctx.tierUp || ctx.tierUp(shader, tier.work, tier.threshold);

/**
 * Compute an elementwise region (one output) into `into`, a contiguous storage of `out`'s size
 * whose nodes all have `out`'s shape (a lazy eager chain, ../lazy.ts). A chain of several ops is
 * one generated kernel once that kernel is built: its build starts when `tier.work` summed over
 * the chain's runs reaches `tier.threshold` (`KernelContext.tierUp`), and until it is ready the
 * chain runs op by op through the ordinary elementwise kernels (cheap to build, shared by every
 * chain), the last one writing `into` — as it does when one kernel cannot bind all its inputs.
 */
export function runElementwiseRegion(
  ctx: KernelContext,
  region: IRGraph,
  inputs: readonly StridedView[],
  out: OutSpec,
  into: GpuStorage,
  tier: { work: number; threshold: number },
): void {
  if (region.nodes.length > 1 && runFusedElementwise(ctx, region, inputs, out, -1, into, tierReady(ctx, tier))) return;
  const env = new Map<number, StridedView>();
  region.inputs.forEach((inp, i) => env.set(inp.value.id, inputs[i]));
  const temps: GpuStorage[] = [];
  region.nodes.forEach((n, j) => {
    const last = j === region.nodes.length - 1;
    const spec = { shape: n.output.shape, dtype: n.output.dtype };
    const s = runElementwiseOp(
      ctx,
      n.op,
      n.inputs.map((v) => env.get(v.id)!),
      spec,
      last ? into : undefined,
    );
    if (!last) temps.push(s);
    env.set(n.output.id, { storage: s, shape: spec.shape, strides: contiguousStrides(spec.shape), offset: 0, dtype: spec.dtype });
  });
  // Queued work holds them until its submit (GpuStorage.release).
  for (const t of temps) t.release();
}

/**
 * Compute an elementwise region (one output of `out`'s shape) straight into `dst`, a contiguous
 * storage of its size and dtype that a tensor's in-place write replaces (`copy_` of a lazy chain,
 * ../lazy.ts): one kernel instead of the chain's own buffer and a copy. With `inPlace` = k the
 * region reads dst itself as input k (element for element, so each invocation reads its element
 * before writing it); with −1 it does not read dst, and runs as {@link runElementwiseRegion} does.
 * False, having dispatched nothing, when one in-place kernel cannot do it or is not worth building
 * yet (`tier`: op by op, an op would read and write dst in one dispatch).
 */
export function runElementwiseRegionInto(
  ctx: KernelContext,
  region: IRGraph,
  inputs: readonly StridedView[],
  out: OutSpec,
  dst: GpuStorage,
  inPlace: number,
  tier: { work: number; threshold: number },
): boolean {
  if (inPlace < 0) {
    // Nothing reads dst: the region as usual (op by op until its kernel is worth building), into dst.
    runElementwiseRegion(ctx, region, inputs, out, dst, tier);
    return true;
  }
  const o = runFusedElementwise(ctx, region, inputs, out, inPlace, undefined, tierReady(ctx, tier));
  if (o !== null && o !== dst) throw new WebgradError("copy_", "internal: an in-place kernel wrote a buffer of its own");
  return o !== null;
}

/** Interpret a region with the ordinary kernels, one dispatch per op (what codegen could not take); returns each output. */
function interpret(ctx: KernelContext, region: IRGraph, inputs: readonly StridedView[]): StridedView[] {
  const env = new Map<number, StridedView>();
  region.inputs.forEach((inp, i) => env.set(inp.value.id, inputs[i]));
  for (const n of region.nodes) {
    const k =
      (ELEMENTWISE_KERNELS as Partial<Record<string, GpuKernel>>)[n.op] ??
      (n.op === "sum" ? REDUCE_KERNELS.sum : undefined) ??
      (n.op === "matmul" ? (c: KernelContext, [a, b]: readonly StridedView[], _: unknown, o: OutSpec) => runMatmul(c, a, b, o) : undefined);
    if (!k) throw new WebgradError("fused", `the WebGPU backend cannot run ${n.op} inside a fused region`);
    const out = { shape: n.output.shape, dtype: n.output.dtype as DType };
    const args = n.inputs.map((v) => env.get(v.id)!);
    const views = n.op === "matmul" || n.op === "sum" ? args : args.map((v) => broadcastView(v, out.shape));
    const s = k(ctx, views, n.attrs, out);
    env.set(n.output.id, { storage: s, shape: out.shape, strides: contiguousStrides(out.shape), offset: 0, dtype: out.dtype });
  }
  return region.outputs.map((o) => env.get(o.value!.id)!);
}

/**
 * A multi-output region that does not fit one kernel (too many bindings, a view past rank 2), run
 * member by member: each output's cone of nodes as one fused elementwise kernel (a training step's
 * parameter update stays one dispatch per parameter, not one per op), op by op only where codegen
 * cannot take the cone either. `inPlace` pairs [output, input] are honoured as for one region.
 */
function runMembers(ctx: KernelContext, region: IRGraph, inputs: readonly StridedView[], inPlace: readonly (readonly [number, number])[]): GpuStorage[] {
  const producer = new Map(region.nodes.map((n) => [n.output.id, n]));
  const argOf = new Map(region.inputs.map((inp, k) => [inp.value.id, k]));
  return region.outputs.map((o, j) => {
    const cone = new Set<IRNode>();
    const used = new Set<number>(); // region inputs the cone reads
    const visit = (id: number) => {
      const n = producer.get(id);
      if (!n) {
        if (argOf.has(id)) used.add(argOf.get(id)!);
        return;
      }
      if (cone.has(n)) return;
      n.inputs.forEach((v) => visit(v.id));
      cone.add(n);
    };
    visit(o.value!.id);
    const ks = [...used].sort((a, b) => a - b);
    const sub: IRGraph = {
      name: `${region.name} (output ${j})`,
      inputs: ks.map((k) => region.inputs[k]),
      nodes: region.nodes.filter((n) => cone.has(n)),
      outputs: [{ ...o, sink: { kind: "result", index: 0 } }],
    };
    const views = ks.map((k) => inputs[k]);
    const spec = { shape: o.value!.shape, dtype: o.value!.dtype };
    const pair = inPlace.find(([r]) => r === j);
    const into = pair ? ks.indexOf(pair[1]) : -1;
    // An input another member still reads (members run in order) is not overwritten.
    const shared = pair !== undefined && region.outputs.some((_, m) => m > j && readsInput(region, m, pair[1], producer, argOf));
    const elementwise = sub.nodes.every((n) => n.op !== "sum" && n.op !== "matmul");
    const s = sub.nodes.length > 0 && elementwise ? runFusedElementwise(ctx, sub, views, spec, shared ? -1 : into) : null;
    return s ?? gpuStorage(interpret(ctx, sub, views)[0]);
  });
}

/** True when output `m` of `region` reads region input `k`. */
function readsInput(region: IRGraph, m: number, k: number, producer: Map<number, IRNode>, argOf: Map<number, number>): boolean {
  const seen = new Set<number>();
  const visit = (id: number): boolean => {
    if (seen.has(id)) return false;
    seen.add(id);
    const n = producer.get(id);
    if (!n) return argOf.get(id) === k;
    return n.inputs.some((v) => visit(v.id));
  };
  return visit(region.outputs[m].value!.id);
}

/** Inputs a matmul epilogue may read besides A and B (with A, B and C: the 8 storage buffers WebGPU guarantees). */
const MAX_EPILOGUE_INPUTS = MAX_MATMUL_EPILOGUE_INPUTS;

/** A matmul region as `runMatmul`'s operands, epilogue, the storages it reads and their views. */
interface MatmulPlan {
  epilogue: Epilogue;
  a: StridedView;
  b: StridedView;
  extra: StridedView[];
  views: EpilogueInputView[];
  /** Region output → the input whose buffer it overwrites (read in the epilogue as `prev<output>`). */
  into: Map<number, number>;
  /** The product's shape as the kernel runs it (a batch whose B is shared runs as one 2-D product). */
  out: OutSpec;
}

/** `v` broadcast to `shape`, its dims before the last merged into one (rows); null when they do not run at one stride. */
function rowsView(v: StridedView, shape: readonly number[]): StridedView | null {
  const r = shape.length;
  const full = broadcastView(v, shape);
  const lead = coalesce(shape.slice(0, r - 1), [full.strides.slice(0, r - 1)]);
  if (lead.shape.length > 1) return null;
  return { ...full, shape: [shapeSize(shape.slice(0, r - 1)), shape[r - 1]], strides: [lead.strides[0][0] ?? 0, full.strides[r - 1]] };
}

/**
 * A batched product whose B is the same for every batch (a [B, T, D] activation times a [D, N]
 * weight) as one 2-D product of B·T rows: A's batch dims must run into its rows, and every
 * epilogue input (a residual [B, T, N]) then reads as a 2-D view too, which a batched epilogue
 * cannot take when it varies over the batch. The inputs and output seen so, or null.
 */
function asOneProduct(region: IRGraph, inputs: readonly StridedView[], out: OutSpec, ai: number, bi: number): { inputs: StridedView[]; out: OutSpec } | null {
  const r = out.shape.length;
  const batch = out.shape.slice(0, r - 2);
  const [a, b] = [inputs[ai], inputs[bi]];
  const k = a.shape[a.shape.length - 1];
  // A and B only feed the product (an epilogue reading them would need their own views).
  const operands = new Set([region.inputs[ai].value.id, region.inputs[bi].value.id]);
  if (region.nodes.slice(1).some((n) => n.inputs.some((v) => operands.has(v.id)))) return null;
  const bFull = broadcastView(b, [...batch, k, out.shape[r - 1]]);
  if (bFull.strides.slice(0, r - 2).some((s) => s !== 0)) return null;
  const views = inputs.map((v, i) =>
    i === ai
      ? rowsView(v, [...batch, out.shape[r - 2], k])
      : i === bi
        ? { ...bFull, shape: bFull.shape.slice(r - 2), strides: bFull.strides.slice(r - 2) }
        : rowsView(v, out.shape),
  );
  if (views.some((v) => v === null)) return null;
  return { inputs: views as StridedView[], out: { shape: [shapeSize(out.shape.slice(0, r - 1)), out.shape[r - 1]], dtype: out.dtype } };
}

/**
 * The epilogue of a matmul region: its other nodes (elementwise, in order) as one expression over
 * `acc` (the product) and the region's other inputs, each read at the output's [row, col] through
 * a 2-D view (offset and two strides, the matmul's `slot.epilogue[e]`; stride 0 where it broadcasts):
 * a bias, a relu mask's `h > 0`, a residual. Batched outputs need epilogue inputs that do not vary
 * over the batch dims. Each region output is one kernel output (the product itself may be one:
 * a weight gradient next to the weight it updates). An `inPlace` pair [output, input] is taken
 * when the input has exactly the output's contiguous layout and shares no buffer with another
 * operand: the output is stored into that input's buffer, which the epilogue reads element by
 * element before storing. Null when the region is not that shape (it then runs op by op).
 */
function matmulEpilogue(
  region: IRGraph,
  inputs: readonly StridedView[],
  out: OutSpec,
  inPlace: readonly (readonly [number, number])[] = [],
): MatmulPlan | null {
  const [mm, ...rest] = region.nodes;
  if (mm?.op !== "matmul" || rest.length === 0) return null;
  const argOf = (id: number) => region.inputs.findIndex((x) => x.value.id === id);
  const ai = argOf(mm.inputs[0].id),
    bi = argOf(mm.inputs[1].id);
  if (ai < 0 || bi < 0 || mm.output.dtype !== out.dtype) return null;
  if (out.shape.length > 2) {
    const flat = asOneProduct(region, inputs, out, ai, bi);
    const plan = flat && matmulEpilogue(region, flat.inputs, flat.out, inPlace);
    if (plan) return plan;
  }
  const r = out.shape.length;
  const size = shapeSize(out.shape);
  const dense = contiguousStrides(out.shape);
  const into = new Map<number, number>(); // output → input
  for (const [j, k] of inPlace) {
    const v = inputs[k];
    const exact =
      v &&
      v.offset === 0 &&
      v.dtype === out.dtype &&
      v.shape.length === r &&
      v.shape.every((d, i) => d === out.shape[i] && (d === 1 || v.strides[i] === dense[i]));
    // Not an operand of the product itself (other threads still read it while this one stores).
    const alone = exact && k !== ai && k !== bi && inputs.every((u, i) => i === k || gpuStorage(u) !== gpuStorage(v));
    if (alone && size > 0 && gpuStorage(v).length === size && j < region.outputs.length && !into.has(j) && ![...into.values()].includes(k)) into.set(j, k);
  }
  const prevOf = new Map([...into].map(([j, k]) => [k, j]));
  // A float16 product is rounded to a half before the epilogue reads it, as the matmul alone stores it.
  const exprs = new Map<number, string>([[mm.output.id, out.dtype === "float16" ? "f16r(acc)" : "acc"]]);
  const names = new Map<number, string>([[mm.output.id, "acc"]]); // for the pipeline key
  const extra: StridedView[] = [];
  const views: EpilogueInputView[] = [];
  const keys: string[] = [];
  const fns: string[] = [];
  const privates: string[] = [];
  const setup: string[] = [];
  const operand = (id: number): string | null => {
    const known = exprs.get(id);
    if (known !== undefined) return known;
    const k = argOf(id);
    const literal = k >= 0 ? literalOf(region.inputs[k]) : undefined;
    if (literal && region.inputs[k].value.dtype === out.dtype) {
      exprs.set(id, literal.expr);
      names.set(id, `L${literal.key}`);
      return literal.expr;
    }
    if (k >= 0 && prevOf.has(k)) {
      exprs.set(id, `prev${prevOf.get(k)}`);
      names.set(id, `P${prevOf.get(k)}`);
      return `prev${prevOf.get(k)}`;
    }
    // An input of the output's dtype, or a bool mask (attention's causal mask in a `where`).
    if (k < 0 || extra.length >= MAX_EPILOGUE_INPUTS || (inputs[k].dtype !== out.dtype && inputs[k].dtype !== "bool")) return null;
    const own = inputs[k].dtype === out.dtype ? "" : `:${wgslType(inputs[k].dtype, "fused")}`;
    const full = broadcastView(inputs[k], out.shape);
    if (full.strides.slice(0, r - 2).some((st) => st !== 0)) return null;
    const e = extra.length;
    extra.push(full);
    const [sr, sc] = [r >= 2 ? full.strides[r - 2] : 0, full.strides[r - 1] ?? 0];
    views.push({ offset: full.offset, rowStride: sr, colStride: sc });
    // Read once per thread into private variables, not per element (docs/WEBGPU_TUNING.md): a
    // scalar (a learning rate) as its value, anything else as its view's three words.
    const scalar = sr === 0 && sc === 0;
    privates.push(
      ...(scalar
        ? [`var<private> es${e}: ${wgslType(inputs[k].dtype, "fused")};`]
        : [`var<private> eo${e}: i32;`, `var<private> er${e}: i32;`, `var<private> ec${e}: i32;`]),
    );
    const v = `slot.epilogue[${e}]`;
    setup.push(scalar ? `es${e} = E${e}[P(${v}.offset)];` : `eo${e} = P(${v}.offset); er${e} = P(${v}.rowStride); ec${e} = P(${v}.colStride);`);
    const load = scalar ? `es${e}` : `E${e}[eo${e} + i32(r) * er${e} + i32(col) * ec${e}]`;
    exprs.set(id, load);
    names.set(id, `${scalar ? "S" : "E"}${e}${own}`);
    return load;
  };
  for (const [j, n] of rest.entries()) {
    const f = nodeFunction(n, `epi${j}`);
    if (!f || n.regions) return null;
    const args: string[] = [];
    for (const v of n.inputs) {
      const x = operand(v.id);
      if (x === null) return null;
      args.push(x);
    }
    fns.push(f.fn);
    exprs.set(n.output.id, `epi${j}(${args.join(", ")})`);
    names.set(n.output.id, `v${j}`);
    keys.push(`${f.sig}(${n.inputs.map((v) => names.get(v.id)).join(",")})`);
  }
  const results = region.outputs.map((o) => o.value);
  if (results.some((v) => !v || v.dtype !== out.dtype || !exprs.has(v.id))) return null;
  const [first, ...more] = results.map((v) => exprs.get(v!.id)!);
  const outKey = results.map((v) => names.get(v!.id)).join(",");
  // Helper functions ride in front of the expression's first use: the templates put BINDINGS at module scope.
  return {
    epilogue: {
      key: `epi+${rest.map((n) => n.op).join("+")}|${keys.join(";")}>${outKey}`,
      expr: first,
      more,
      prelude: [...privates, ...fns].join("\n"),
      setup: setup.join(" "),
    },
    a: inputs[ai],
    b: inputs[bi],
    extra,
    views,
    into,
    out,
  };
}

/**
 * The `fused` op on WebGPU. attrs: `region` (the fused node's IR region), `kind`
 * ("elementwise" | "matmul-epilogue" | "multi") and optionally `inPlace` (the input an elementwise
 * region overwrites; for a region with several outputs, [result, input] pairs) and `results` (an
 * array the kernel fills with every result's storage when the region has several; the first is
 * also returned). Inputs arrive unbroadcast, in the region's input order.
 */
const fused: GpuKernel = (ctx, inputs, attrs, out) => {
  const region = attrs.region as IRGraph;
  const pairs: (readonly [number, number])[] = Array.isArray(attrs.inPlace)
    ? (attrs.inPlace as [number, number][])
    : typeof attrs.inPlace === "number"
      ? [[0, attrs.inPlace]]
      : [];
  const give = (all: GpuStorage[]) => {
    (attrs.results as GpuStorage[] | undefined)?.push(...all);
    return all[0];
  };
  if (attrs.kind === "multi") return give(runFusedMulti(ctx, region, inputs, pairs) ?? runMembers(ctx, region, inputs, pairs));
  if (attrs.kind === "elementwise" && region.outputs.length === 1) {
    const s = runFusedElementwise(ctx, region, inputs, out, typeof attrs.inPlace === "number" ? attrs.inPlace : -1);
    if (s) return s;
  } else if (attrs.kind === "matmul-epilogue") {
    const m = matmulEpilogue(region, inputs, out, pairs);
    if (m) {
      const bufferOf = (j: number) => (m.into.has(j) ? gpuStorage(inputs[m.into.get(j)!]) : undefined);
      const more = region.outputs.slice(1).map((o, j) => bufferOf(j + 1) ?? ctx.alloc(out.dtype, shapeSize(out.shape), "fused", o.value!.shape));
      const c = runMatmul(ctx, m.a, m.b, m.out, m.epilogue, m.extra.map(gpuStorage), m.views, { into: bufferOf(0), more });
      return give([c, ...more]);
    }
  }
  return give(interpret(ctx, region, inputs).map(gpuStorage));
};

/** The fused-region kernel by op name. */
export const FUSED_KERNELS: Record<string, GpuKernel> = { fused };
