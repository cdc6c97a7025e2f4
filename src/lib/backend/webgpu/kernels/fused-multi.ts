/**
 * Multi-output fused kernels (the graph's `fused` nodes of kind "multi", from horizontal and
 * multi-output fusion): a member is an elementwise cone over the region's inputs that stores one
 * output or several sharing nodes (an optimizer's moments and the parameter they update: computed
 * once per element, each stored), or a `sum` of one input; the kernel runs every member in one
 * dispatch (shaders/fused_multi.wgsl). Inputs are
 * read through rank ≤ 2 views after coalescing (four parameter words each); a reduction member
 * loops over its reduced run per output element (a thread per output: docs/WEBGPU_TUNING.md). A member may overwrite the captured tensor it
 * updates (`inPlace` pairs from the executor) when no other member reads it. What does not fit
 * (a view of rank > 2, too many bindings) runs member by member through the ordinary kernels.
 */
import type { OutSpec, StridedView } from "../../backend";
import { broadcastView } from "../../../tensor/shape";
import type { IRGraph, IRNode } from "../../../graph/ir";
import { shapeSize } from "../../../tensor/shape";
import template from "../../../../../shaders/fused_multi.wgsl?raw";
import { elementwiseGroups, kernelShader, gpuElement, halfAccesses, storageBindings, wgslType, type HalfBinding } from "../codegen";
import { gpuStorage, type KernelContext } from "../kernel";
import { coalesce } from "../layout";
import type { FieldValue, ParamLayout } from "../params";
import { MULTI_READ, MULTI_SUM, multiParams, type MultiFields } from "./layouts";
import type { GpuStorage } from "../storage";
import { literalOf, nodeFunction, type FusedShader } from "./fused-node";

/** Storage buffers a multi-output kernel binds at most (WebGPU's guaranteed per-stage count). */
const MAX_MULTI_BINDINGS = 8;

/** One member of the region: the nodes that compute its outputs (region output indices), over one index space. */
interface Member {
  nodes: IRNode[];
  shape: readonly number[];
  outputs: number[];
  /** A reduction member: the `sum` node (its one input is a region input). */
  reduce?: IRNode;
}

/**
 * The region's members: each output's cone of nodes, and outputs whose cones share a node in one
 * member (they have one shape: multi-output fusion groups same-shape kernels). Members are
 * independent of one another.
 */
function members(region: IRGraph): Member[] | null {
  const producer = new Map(region.nodes.map((n) => [n.output.id, n]));
  const ms: (Member & { seen: Set<IRNode> })[] = [];
  for (const [j, o] of region.outputs.entries()) {
    const seen = new Set<IRNode>();
    const visit = (id: number) => {
      const n = producer.get(id);
      if (!n || seen.has(n)) return;
      n.inputs.forEach((v) => visit(v.id));
      seen.add(n);
    };
    visit(o.value!.id);
    // Every member this cone shares a node with joins it (an update reads both moments).
    const shared = ms.filter((m) => [...seen].some((n) => m.seen.has(n)));
    if (shared.some((m) => m.shape.join() !== o.value!.shape.join())) return null;
    const merged = { seen, nodes: [], shape: o.value!.shape, outputs: [...shared.flatMap((m) => m.outputs), j].sort((a, b) => a - b) };
    for (const m of shared) m.seen.forEach((n) => seen.add(n));
    ms.splice(0, ms.length, ...ms.filter((m) => !shared.includes(m)), merged);
  }
  return ms.map(({ seen, shape, outputs }) => {
    const nodes = region.nodes.filter((n) => seen.has(n));
    const reduce = nodes.length === 1 && nodes[0].op === "sum" ? nodes[0] : undefined;
    return { nodes, shape, outputs, reduce };
  });
}

/** A member's read of `v` over its index space (offset, row and column strides, columns), or null past rank 2. */
function viewWords(v: StridedView, shape: readonly number[]): { words: FieldValue<typeof MULTI_READ>; kind: "c" | "s" | "2" } | null {
  const full = broadcastView(v, shape);
  const c = coalesce(shape, [full.strides]);
  if (c.shape.length > 2) return null;
  const [s0, s1, cols] =
    c.shape.length === 2 ? [c.strides[0][0], c.strides[0][1], c.shape[1]] : c.shape.length === 1 ? [0, c.strides[0][0], c.shape[0]] : [0, 0, 1];
  const kind = s0 === 0 && s1 === 0 ? "s" : (c.shape.length === 1 && s1 === 1) || (c.shape.length === 2 && s1 === 1 && s0 === cols) ? "c" : "2";
  return { words: { offset: full.offset, rowStride: s0, colStride: s1, cols }, kind };
}

/** A reduction member's read: offset, output stride, reduced stride, reduced length; null when either run is not one stride. */
function reduceWords(v: StridedView, node: IRNode): FieldValue<typeof MULTI_SUM> | null {
  const rank = v.shape.length;
  const axes = ((node.attrs.axes as number[] | undefined) ?? v.shape.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  const kept = v.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const k = coalesce(
    kept.map((d) => v.shape[d]),
    [kept.map((d) => v.strides[d])],
  );
  const r = coalesce(
    axes.map((d) => v.shape[d]),
    [axes.map((d) => v.strides[d])],
  );
  if (k.shape.length > 1 || r.shape.length > 1) return null;
  return { offset: v.offset, outStride: k.strides[0]?.[0] ?? 0, reducedStride: r.strides[0]?.[0] ?? 0, reducedLen: r.shape[0] ?? 1 };
}

/** A multi-output region's kernel, its parameters, the inputs it binds and the outputs stored over an input. */
interface MultiPlan {
  shader: FusedShader;
  params: Int32Array;
  bound: number[];
  into: Map<number, number>;
  total: number;
}

/**
 * Plans by region, then by what of the inputs the plan depends on (`planSignature`): a compiled
 * graph runs the same regions every step with inputs laid out alike, and writing a plan (member
 * code, key, parameters) took ~40 % of a tiny-Transformer Graph step's host time. A few
 * signatures per region are kept; the oldest goes first.
 */
const PLANS = new WeakMap<IRGraph, Map<string, MultiPlan | null>>();
const PLANS_PER_REGION = 4;

/**
 * Everything of the inputs that `multiShader` reads: each view's dtype, offset, shape and strides,
 * its buffer's length and which input first binds that buffer (in-place and aliasing checks), with
 * the in-place pairs and native f16.
 */
function planSignature(inputs: readonly StridedView[], inPlace: readonly (readonly [number, number])[], nativeF16: boolean): string {
  const storages = inputs.map(gpuStorage);
  const views = inputs.map(
    (v, k) => `${v.dtype}@${v.offset}:${v.shape.join(",")}:${v.strides.join(",")}#${storages[k].length}=${storages.indexOf(storages[k])}`,
  );
  return `${views.join(";")}|${inPlace.map(([j, k]) => `${j}>${k}`).join(",")}|${nativeF16 ? "h" : ""}`;
}

/** `multiShader`, remembered per region and input signature (see PLANS). */
function multiPlan(
  region: IRGraph,
  inputs: readonly StridedView[],
  outs: readonly OutSpec[],
  inPlace: readonly (readonly [number, number])[],
  nativeF16: boolean,
): MultiPlan | null {
  const key = planSignature(inputs, inPlace, nativeF16);
  let plans = PLANS.get(region);
  if (!plans) PLANS.set(region, (plans = new Map()));
  if (plans.has(key)) return plans.get(key)!;
  const plan = multiShader(region, inputs, outs, inPlace, nativeF16);
  if (plans.size >= PLANS_PER_REGION) plans.delete(plans.keys().next().value!);
  plans.set(key, plan);
  return plan;
}

/** A multi-output region's kernel and its parameters, or null when it cannot be one; `nativeF16` as in `gpuElement`. */
function multiShader(
  region: IRGraph,
  inputs: readonly StridedView[],
  outs: readonly OutSpec[],
  inPlace: readonly (readonly [number, number])[] = [],
  nativeF16 = false,
): MultiPlan | null {
  const ms = members(region);
  if (!ms) return null;
  const argOf = new Map(region.inputs.map((inp, k) => [inp.value.id, k]));
  // Literal inputs are written into the code (`literalOf`): nothing binds or reads them.
  const literals = region.inputs.map((inp) => literalOf(inp));
  const readers = new Map<number, Set<number>>();
  ms.forEach((m, j) =>
    m.nodes.forEach((n) =>
      n.inputs.forEach((v) => {
        const k = argOf.get(v.id);
        if (k !== undefined && !(literals[k] && !m.reduce)) readers.set(k, (readers.get(k) ?? new Set()).add(j));
      }),
    ),
  );
  // In place: output j overwrites input k when only j's member reads it, contiguously, all of it
  // (each thread reads an element of it before storing that element). Not a sum's: it reads
  // many elements for each it stores, from its input's binding (a captured tensor written with
  // its own sum, `c.copy_(c.sum(0, true))`, left the kernel reading an input it never bound).
  const memberOf = new Map(ms.flatMap((m, q) => m.outputs.map((j) => [j, q] as const)));
  const into = new Map<number, number>(); // output → input
  for (const [j, k] of inPlace) {
    const v = inputs[k];
    const q = memberOf.get(j);
    if (q === undefined || ms[q].reduce || readers.get(k)?.size !== 1 || !readers.get(k)!.has(q) || into.has(j) || [...into.values()].includes(k)) continue;
    const w = viewWords(v, ms[q].shape);
    const n = shapeSize(ms[q].shape);
    // (One element reads as a broadcast scalar, "s", and is contiguous all the same: an optimizer's step count.)
    if (
      (w?.kind === "c" || (w?.kind === "s" && n === 1)) &&
      v.offset === 0 &&
      v.dtype === outs[j].dtype &&
      gpuStorage(v).length === n &&
      n > 0 &&
      inputs.every((u, i) => i === k || gpuStorage(u) !== gpuStorage(v))
    )
      into.set(j, k);
  }
  const inPlaceInputs = new Set(into.values());
  const bound = [...readers.keys()].filter((k) => !inPlaceInputs.has(k)).sort((a, b) => a - b);
  if (bound.length + outs.length > MAX_MULTI_BINDINGS) return null;
  const inPlaceOf = new Map([...into].map(([j, k]) => [k, j])); // input → the output stored over it
  const ends: number[] = [];
  let total = 0;
  for (const m of ms) ends.push((total += shapeSize(m.shape)));
  const reads: FieldValue<typeof MULTI_READ>[] = [];
  const sums: FieldValue<typeof MULTI_SUM>[] = [];
  const fns: string[] = [];
  const dispatch: string[] = [];
  const keys: string[] = [];
  for (const [j, m] of ms.entries()) {
    const outT = wgslType(outs[m.outputs[0]].dtype, "fused");
    const names = new Map<number, string>();
    const lines: string[] = [];
    if (m.reduce) {
      const k = argOf.get(m.reduce.inputs[0].id);
      const w = k === undefined ? null : reduceWords(inputs[k], m.reduce);
      if (k === undefined || !w) return null;
      const s = `slot.sums[${sums.length}]`;
      sums.push(w);
      lines.push(
        `  var acc = ${outT}(0);`,
        `  let base = P(${s}.offset) + i32(i) * P(${s}.outStride);`,
        `  for (var r = 0u; r < PU(${s}.reducedLen); r++) { acc += in${k}[u32(base + i32(r) * P(${s}.reducedStride))]; }`,
        `  out${m.outputs[0]}[i] = acc;`,
      );
      keys.push(`sum:${outT}(x${k})${m.outputs[0] === j ? "" : `=>${m.outputs[0]}`}`);
    } else {
      const ks = new Set<number>();
      m.nodes.forEach((n) => n.inputs.forEach((v) => argOf.has(v.id) && ks.add(argOf.get(v.id)!)));
      const kinds: string[] = [];
      for (const k of [...ks].sort((a, b) => a - b)) {
        const t = wgslType(inputs[k].dtype, "fused");
        names.set(region.inputs[k].value.id, `x${k}`);
        const literal = literals[k];
        if (literal) {
          lines.push(`  let x${k}: ${t} = ${literal.expr}; // ${literal.note}`);
          kinds.push(`${k}${literal.key}`);
          continue;
        }
        const over = inPlaceOf.get(k);
        if (over !== undefined) {
          lines.push(`  let x${k} = out${over}[i];`);
          kinds.push(`${k}@${m.outputs.length > 1 ? over : ""}`);
          continue;
        }
        const w = viewWords(inputs[k], m.shape);
        if (!w) return null;
        const s = `slot.reads[${reads.length}]`;
        reads.push(w.words);
        const at =
          w.kind === "c"
            ? `PU(${s}.offset) + i`
            : w.kind === "s"
              ? `PU(${s}.offset)`
              : `u32(P(${s}.offset) + i32(i / PU(${s}.cols)) * P(${s}.rowStride) + i32(i % PU(${s}.cols)) * P(${s}.colStride))`;
        lines.push(`  let x${k}: ${t} = in${k}[${at}];`);
        kinds.push(`${k}${w.kind}`);
      }
      for (const [q, n] of m.nodes.entries()) {
        const f = nodeFunction(n, `m${j}op${q}`);
        const args = n.inputs.map((v) => names.get(v.id));
        if (!f || n.regions || args.some((a) => a === undefined)) return null;
        fns.push(f.fn);
        lines.push(`  let v${q} = m${j}op${q}(${args.join(", ")});`);
        names.set(n.output.id, `v${q}`);
        keys.push(`${f.sig}(${args.join(",")})`);
      }
      // Every element is read before any is stored: a store may overwrite an input (in place).
      for (const o of m.outputs) {
        const res = names.get(region.outputs[o].value!.id);
        if (!res) return null;
        lines.push(`  out${o}[i] = ${res};`);
      }
      // Which value goes to which output, where that is not simply member j's to output j.
      const stores =
        m.outputs.length === 1 && m.outputs[0] === j ? "" : `=>${m.outputs.map((o) => `${names.get(region.outputs[o].value!.id)}:${o}`).join(",")}`;
      keys.push(`>${kinds.join(",")}${stores}`);
    }
    fns.push(`fn member${j}(i: u32) {\n${lines.join("\n")}\n}`);
    // Member j's first index on thread t: the one ≡ t (mod width) in the concatenated space.
    const first = j === 0 ? "t" : `(t + width - PU(slot.ends[${j - 1}]) % width) % width`;
    dispatch.push(`  for (var i = ${first}; i < PU(slot.ends[${j}])${j === 0 ? "" : ` - PU(slot.ends[${j - 1}])`}; i += width) { member${j}(i); }`);
    keys.push("|");
  }
  const inTypes = bound.map((k) => ({ name: `in${k}`, type: wgslType(inputs[k].dtype, "fused") }));
  const outTypes = outs.map((o, j) => ({ name: `out${j}`, type: wgslType(o.dtype, "fused") }));
  // The members are written for f32 buffers; float16 bindings come from halfAccesses.
  const halves: HalfBinding[] = [
    ...bound.map((k) => ({ name: `in${k}`, elem: gpuElement(inputs[k].dtype, nativeF16, "fused") })),
    ...outs.map((o, j) => ({ name: `out${j}`, elem: gpuElement(o.dtype, nativeF16, "fused") })),
  ];
  const [inKeys, outKeys] = [halves.slice(0, bound.length).map((h) => h.elem.key), halves.slice(bound.length).map((h) => h.elem.key)];
  const key = `fused-multi:${bound.map((k, q) => `${k}:${inKeys[q]}`).join(",")}>${outKeys.join(",")}|${keys.join("")}`;
  const layout = multiParams(ms.length, reads.length, sums.length);
  if (!layout) return null;
  const bindings =
    storageBindings(inTypes, null) +
    "\n" +
    outTypes.map((o, j) => `@group(0) @binding(${inTypes.length + 1 + j}) var<storage, read_write> ${o.name}: array<${o.type}>;`).join("\n");
  return {
    shader: {
      key,
      source: () =>
        halfAccesses(
          kernelShader(layout, template, { BINDINGS: `${bindings}\n// ${region.name}`, ...hoisted(layout, fns.join("\n"), dispatch.join("\n")) }),
          halves,
        ),
    },
    params: layout.pack("fused", { total, ends, reads, sums }),
    bound,
    into,
    total,
  };
}

/**
 * The members' parameters read once per thread into private variables, one per slot read
 * (`P(slot.reads[2].cols)` becomes `reads2_cols`; see docs/WEBGPU_TUNING.md: each dynamically
 * indexed uniform read inside the per-element member functions cost).
 */
function hoisted(layout: ParamLayout<MultiFields>, segments: string, dispatch: string): { SEGMENTS: string; DISPATCH: string; PRE: string } {
  const vars = new Map<string, string>(); // private variable → the slot it holds
  const local = (src: string) =>
    src.replace(/\bP(U?)\((slot\.(\w+)\[(\d+)\](?:\.(\w+))?)\)/g, (_, u: string, at: string, field: string, index: string, part?: string) => {
      const name = `${field}${index}${part ? `_${part}` : ""}`;
      vars.set(name, at);
      return u ? `u32(${name})` : name;
    });
  const code = local(segments);
  dispatch = local(dispatch);
  const ordered = [...vars].sort(([, a], [, b]) => layout.slotOf(a) - layout.slotOf(b));
  return {
    SEGMENTS: `${ordered.map(([n]) => `var<private> ${n}: i32;`).join("\n")}\n${code}`,
    DISPATCH: dispatch,
    PRE: ordered.map(([n, at]) => `  ${n} = P(${at});`).join("\n"),
  };
}

/**
 * Run a multi-output region as one kernel: returns each output's storage, or null when codegen
 * cannot take it. `inPlace` pairs are [member, input] the executor allows to be overwritten.
 */
export function runFusedMulti(
  ctx: KernelContext,
  region: IRGraph,
  inputs: readonly StridedView[],
  inPlace: readonly (readonly [number, number])[],
): GpuStorage[] | null {
  const outs = region.outputs.map((o) => ({ shape: o.value!.shape, dtype: o.value!.dtype }));
  const plan = multiPlan(region, inputs, outs, inPlace, ctx.features.nativeF16);
  if (!plan) return null;
  const storages = outs.map((o, j) => (plan.into.has(j) ? gpuStorage(inputs[plan.into.get(j)!]) : ctx.alloc(o.dtype, shapeSize(o.shape), "fused", o.shape)));
  if (plan.total > 0)
    ctx.dispatch(
      plan.shader,
      [...plan.bound.map((k) => gpuStorage(inputs[k])), ...storages],
      plan.params,
      elementwiseGroups(ctx.features.cpuAdapter, plan.total),
    );
  return storages;
}
