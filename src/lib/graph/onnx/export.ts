/**
 * ONNX export: trace a function (through `jit`), take its optimized graph with fused kernels
 * expanded back into primitives, and write it as an ONNX model. Arguments become graph inputs,
 * captured tensors (parameters, constants) become initializers.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- `JitFunction<any[], unknown>`: any jitted
   function, whatever its arguments (a narrower Args would not accept the user's). */
import { WebgradError } from "../../errors";
import { ITEM_SIZE, type DType, type TypedArray } from "../../tensor/dtype";
import { toFloat16Words } from "../../tensor/float16";
import type { Tensor } from "../../tensor/tensor";
import { nodeResults, type IRGraph, type IRNode, type IRValue } from "../ir";
import { jit, type JitFunction } from "../jit";
import { encodeModel, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxAttr } from "./model";
import { ONNX_OPS, type EmitContext, type Rule } from "./ops";
import { implOf, reasonIfAbsent } from "../../ops/names";

/** The ONNX opset the exporter targets. */
export const ONNX_OPSET = 17;

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /** The graph's name in the file. */
  name?: string;
  /** Export the traced graph instead of the optimized one. */
  optimized?: boolean;
}

/** Replace each fused node by the primitives of its region (ONNX runtimes fuse on their own). */
export function expandFused(g: IRGraph): IRNode[] {
  const nodes: IRNode[] = [];
  for (const n of g.nodes) {
    if (n.op !== "fused" || !n.regions) {
      nodes.push(n);
      continue;
    }
    const region = n.regions[0];
    const rename = new Map<number, IRValue>();
    region.inputs.forEach((inp) => {
      const s = inp.source;
      if (s.kind === "arg") rename.set(inp.value.id, n.inputs[s.index]);
    });
    // The region's results are the fused node's result values (several for a multi-output kernel):
    // rename them where they are made, and where the region itself reads them (a multi-output
    // kernel's moment feeds the update it also stores).
    const results = new Map(region.outputs.map((o, k) => [o.value!.id, nodeResults(n)[k]]));
    const inner = region.nodes.map((m) => ({ ...m, inputs: m.inputs.map((v) => rename.get(v.id) ?? results.get(v.id) ?? v) }));
    nodes.push(...expandFused({ ...region, nodes: inner }).map((m) => (results.has(m.output.id) ? { ...m, output: results.get(m.output.id)! } : m)));
  }
  return nodes;
}

/** Reads a captured tensor's elements for an initializer. */
type TensorReader = (t: Tensor) => TypedArray;

/** Synchronous read (CPU); {@link exportOnnxAsync} reads every tensor first and works on WebGPU. */
const readSync: TensorReader = (t) => {
  const c = t._concreteValue();
  if (c === null) throw new WebgradError("exportOnnx", "a captured tensor has no value to write as an initializer");
  const b = c._view!.storage.backend;
  if (!b.readSync)
    throw new WebgradError(
      "exportOnnx",
      `parameters on the ${b.name} backend read back asynchronously: use await exportOnnxAsync(…) (or await downloadOnnx(…))`,
    );
  return c.dataSync();
};

function rawBytes(t: Tensor, read: TensorReader): Uint8Array {
  const data = read(t);
  if (t.dtype === "bool") return Uint8Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  // float16 values are held in a Float32Array: ONNX wants their binary16 words.
  if (t.dtype === "float16") return new Uint8Array(toFloat16Words(data).buffer);
  const copy = new Uint8Array(data.length * ITEM_SIZE[t.dtype]);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, copy.length));
  return copy;
}

/** Every captured tensor of a graph and of its regions (initializers to read). */
function capturedTensors(g: IRGraph, out = new Set<Tensor>()): Set<Tensor> {
  for (const i of g.inputs) if (i.source.kind === "capture") out.add(i.source.tensor);
  for (const n of g.nodes) for (const r of n.regions ?? []) capturedTensors(r, out);
  return out;
}

function constantTensor(name: string, dtype: DType | "int64", values: readonly number[], dims: number[]): OnnxTensor {
  let raw: Uint8Array;
  if (dtype === "int64") raw = new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer);
  else if (dtype === "float32") raw = new Uint8Array(Float32Array.from(values).buffer);
  else if (dtype === "float16") raw = new Uint8Array(toFloat16Words(values).buffer);
  else if (dtype === "float64") raw = new Uint8Array(Float64Array.from(values).buffer);
  else if (dtype === "int32") raw = new Uint8Array(Int32Array.from(values).buffer);
  else raw = Uint8Array.from(values, (v) => (v ? 1 : 0));
  return { name, dims, dtype, raw };
}

/** Build the ONNX model of a graph (plain data; `encodeModel` writes it). */
export function graphToOnnx(g: IRGraph, name = g.name, read: TensorReader = readSync): OnnxModel {
  const names = new Map<number, string>();
  const initializers: OnnxTensor[] = [];
  const inputs: OnnxModel["inputs"] = [];
  const used = new Set<string>();
  const unique = (base: string) => {
    const clean = base.replace(/[^A-Za-z0-9_.]/g, "_") || "v";
    let s = clean;
    for (let k = 1; used.has(s); k++) s = `${clean}_${k}`;
    used.add(s);
    return s;
  };
  for (const inp of g.inputs) {
    const s = inp.source;
    if (s.kind === "grad" || s.kind === "argGrad")
      throw new WebgradError("exportOnnx", `the graph reads ${inp.name}, a gradient: export an inference function (no backward, no optimizer step)`);
    const n = unique(inp.name);
    names.set(inp.value.id, n);
    if (s.kind === "arg") inputs.push({ name: n, dims: [...inp.value.shape], dtype: inp.value.dtype });
    else initializers.push({ name: n, dims: [...inp.value.shape], dtype: inp.value.dtype, raw: rawBytes(s.tensor, read) });
  }
  const side = g.outputs.find((o) => o.sink.kind !== "result");
  if (side?.sink.kind === "check")
    throw new WebgradError("exportOnnx", "the function writes in place a tensor that may require grad: export it under noGrad(), as an inference function");
  if (side)
    throw new WebgradError("exportOnnx", `the function writes ${side.name} (an in-place update or a .grad): export an inference function, not a training step`);

  const nodes: OnnxNode[] = [];
  let valueCount = 0;
  const unsupported = new Set<string>();
  /** Emit IR nodes into `out`, IR values named through `scope` (a graph's or a body's). */
  const emitInto = (irNodes: readonly IRNode[], scope: Map<number, string>, out: OnnxNode[]): void => {
    const ctx: EmitContext = {
      name(v) {
        let s = scope.get(v.id);
        if (s === undefined) {
          // Numbered in the order they are first named, not by IR id (a global counter), so that
          // one function always exports the same bytes.
          s = unique(`v${valueCount++}`);
          scope.set(v.id, s);
        }
        return s;
      },
      fresh: (hint) => unique(hint),
      node(op, ins, outs, attrs?: Record<string, OnnxAttr>) {
        out.push({ op, inputs: ins, outputs: outs, name: unique(`${op}_${nodes.length + out.length}`), attrs });
      },
      int64s(values, hint) {
        const s = unique(hint);
        initializers.push(constantTensor(s, "int64", values, [values.length]));
        return s;
      },
      scalar(value, dtype, hint) {
        const s = unique(hint);
        initializers.push(constantTensor(s, dtype, [value], []));
        return s;
      },
      inline(region, args, into) {
        // A body gets its own names (the same region may appear twice); constants it holds become
        // initializers of the model, which every subgraph can read.
        const inner = new Map<number, string>();
        for (const inp of region.inputs) {
          const s = inp.source;
          if (s.kind === "arg") inner.set(inp.value.id, args[s.index]);
          else if (s.kind === "capture") {
            const n = unique(inp.name);
            initializers.push({ name: n, dims: [...inp.value.shape], dtype: inp.value.dtype, raw: rawBytes(s.tensor, read) });
            inner.set(inp.value.id, n);
          }
        }
        emitInto(expandFused(region), inner, into);
        return region.outputs.map((o) => inner.get(o.value!.id) ?? ctx.name(o.value!));
      },
    };
    for (const n of irNodes) {
      const rule = implOf<Rule>(ONNX_OPS, n.op);
      if (!rule) {
        const why = reasonIfAbsent(ONNX_OPS, n.op);
        unsupported.add(why && why !== "not in the table" ? `${n.op} (${why})` : n.op);
        continue;
      }
      try {
        rule(n, ctx);
      } catch (e) {
        throw new WebgradError("exportOnnx", `${n.op} (node ${n.id}${n.line !== undefined ? `, line ${n.line}` : ""}): ${(e as Error).message}`);
      }
    }
  };
  emitInto(expandFused(g), names, nodes);
  if (unsupported.size) {
    throw new WebgradError(
      "exportOnnx",
      `no ONNX mapping for ${[...unsupported].join(", ")} (exportable: ${Object.keys(ONNX_OPS)
        .filter((op) => implOf(ONNX_OPS, op))
        .join(", ")})`,
    );
  }
  const ctx = { name: (v: IRValue) => names.get(v.id)! };
  // An output that is an input (or appears twice) still needs its own ONNX name.
  const outputs: OnnxModel["outputs"] = [];
  g.outputs.forEach((o, i) => {
    const v = o.value!;
    const out = unique(`output${i}`);
    nodes.push({ op: "Identity", inputs: [ctx.name(v)], outputs: [out], name: unique(`Identity_out${i}`) });
    outputs.push({ name: out, dims: [...v.shape], dtype: v.dtype });
  });
  return { name, opset: ONNX_OPSET, nodes, inputs, outputs, initializers, docString: "exported by webgrad" };
}

/**
 * Trace `fn` (a function or a `jit` function) on example arguments and write its graph as an
 * ONNX model: its tensor arguments become the model's inputs (`arg0`, `arg1` …), captured
 * parameters its initializers, its returned tensors its outputs (`output0` …). Throws a clear
 * error naming any op that has no ONNX mapping.
 * @example const bytes = exportOnnx((x: Tensor) => model.forward(x), randn([1, 4]));
 */
export function exportOnnx(fn: JitFunction<any[], unknown> | ((...args: any[]) => unknown), ...exampleArgs: unknown[]): Uint8Array {
  return encodeModel(onnxModelOf(fn, exampleArgs));
}

/**
 * The ONNX model of `fn` as plain data (what {@link exportOnnx} encodes): to inspect its nodes.
 * @example onnxModelOf((x: Tensor) => x.relu(), [randn([3])]).nodes.map((n) => n.op)  // ["Relu", "Identity"]
 */
export function onnxModelOf(
  fn: JitFunction<any[], unknown> | ((...args: any[]) => unknown),
  exampleArgs: unknown[],
  options: OnnxExportOptions = {},
): OnnxModel {
  const g = exportedGraph(fn, exampleArgs, options);
  return graphToOnnx(g, options.name ?? g.name);
}

function exportedGraph(fn: JitFunction<any[], unknown> | ((...args: any[]) => unknown), exampleArgs: unknown[], options: OnnxExportOptions): IRGraph {
  const jitted = "lower" in fn ? (fn as JitFunction<any[], unknown>) : jit(fn);
  const lowered = jitted.lower(...exampleArgs);
  return options.optimized === false ? lowered.graph : lowered.optimized;
}

/**
 * {@link exportOnnx} for any backend: parameters are read back asynchronously (WebGPU).
 * @example const bytes = await exportOnnxAsync((x: Tensor) => model.forward(x), randn([1, 4]));
 */
export async function exportOnnxAsync(fn: JitFunction<any[], unknown> | ((...args: any[]) => unknown), ...exampleArgs: unknown[]): Promise<Uint8Array> {
  const g = exportedGraph(fn, exampleArgs, {});
  const data = new Map<Tensor, TypedArray>();
  for (const t of capturedTensors(g)) data.set(t, await t.data());
  return encodeModel(graphToOnnx(g, g.name, (t) => data.get(t)!));
}

/**
 * Export `fn` as a `.onnx` file: in a page it starts a download; elsewhere (the runner's Worker,
 * Node) it resolves to the bytes for the caller to save. Works on every backend.
 * @example await downloadOnnx("mlp.onnx", (x: Tensor) => model.forward(x), randn([1, 4]));
 */
export async function downloadOnnx(
  filename: string,
  fn: JitFunction<any[], unknown> | ((...args: any[]) => unknown),
  ...exampleArgs: unknown[]
): Promise<Uint8Array> {
  const bytes = await exportOnnxAsync(fn, ...exampleArgs);
  // Feature-detected, and typed by what it uses: the library is checked without DOM types (tsconfig.lib.json).
  const doc = (globalThis as { document?: { createElement(tag: "a"): { href: string; download: string; click(): void } } }).document;
  if (doc !== undefined && typeof URL.createObjectURL === "function") {
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
    const a = doc.createElement("a");
    a.href = url;
    a.download = filename.endsWith(".onnx") ? filename : `${filename}.onnx`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return bytes;
}
