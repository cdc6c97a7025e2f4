/**
 * Algebraic simplification: a table of local rewrites (x·1 → x, x+0 → x, double transpose,
 * reshape chains, casts to the same dtype, no-op copies …). Each rule looks at one node and may
 * return the value that replaces it.
 */
import { shapeEqual } from "../../tensor/shape";
import { getOp } from "../../ops/registry";
import { isFloat } from "../../tensor/dtype";
import { newNodeId, newValue, nodeResults, type InputSource, type IRGraph, type IRNode, type IRValue, type OutputSink } from "../ir";
import type { Pass } from "./pass";
import { hostScalarInputs, isViewOp, substitute, useCounts } from "./util";
import type { PartialOpTable } from "../../ops/names";

interface Ctx {
  /**
   * The node that produced a value, if any — hidden when it sits on the other side of a noGrad
   * boundary from the node being rewritten (composing the two would move the gradient cut), or
   * when it is marked staleSaved (it must run as traced: its tape node refuses the backward).
   */
  producer(v: IRValue): IRNode | undefined;
  /** Whether no gradient can reach `v` when the graph is differentiated (constants, stops, noGrad results). */
  gradFree(v: IRValue): boolean;
  /** How many nodes and outputs of the traced graph use `v` (0 for values a rule emitted). */
  uses(v: IRValue): number;
  /** The value of a scalar constant input, if `v` is one. */
  scalar(v: IRValue): number | undefined;
  /** Add a node (for rules that rewrite into a different op); returns its output. */
  emit(op: string, inputs: IRValue[], attrs: Record<string, unknown>, like: IRNode): IRValue;
}

/** A rule: the replacement value for node `n`, or undefined to leave it. */
type Rule = (n: IRNode, ctx: Ctx) => IRValue | undefined;

const sameType = (a: IRValue, b: IRValue) => a.dtype === b.dtype && shapeEqual(a.shape, b.shape);

/** `x op c` or `c op x` (when commutative) with the scalar constant c equal to `value`: x. */
function neutral(value: number, commutative: boolean): Rule {
  return (n, ctx) => {
    const [a, b] = n.inputs;
    if (ctx.scalar(b) === value && sameType(a, n.output)) return a;
    if (commutative && ctx.scalar(a) === value && sameType(b, n.output)) return b;
    return undefined;
  };
}

/** Whether `axes` swaps the last two of its dims and keeps the others in place. */
const swapsLastTwo = (axes: readonly number[]) =>
  axes.length >= 2 && axes.every((a, i) => a === (i === axes.length - 2 ? i + 1 : i === axes.length - 1 ? i - 1 : i));

/** `v` with its last two dims swapped: the input of a permute that swapped them, else a new permute. */
function swapLastTwo(v: IRValue, like: IRNode, ctx: Ctx): IRValue {
  const p = ctx.producer(v);
  if (p?.op === "permute" && swapsLastTwo(p.attrs.axes as number[])) return p.inputs[0];
  const axes = v.shape.map((_, i) => i);
  [axes[axes.length - 2], axes[axes.length - 1]] = [axes[axes.length - 1], axes[axes.length - 2]];
  return ctx.emit("permute", [v], { axes }, like);
}

/** Rewrites by op: most ops have none, so the table is partial, but its keys must be ops of the table. */
const RULES = {
  add: [neutral(0, true)],
  sub: [neutral(0, false)],
  mul: [neutral(1, true)],
  div: [neutral(1, false)],
  pow: [neutral(1, false), (n, ctx) => (ctx.scalar(n.inputs[1]) === 2 ? ctx.emit("square", [n.inputs[0]], {}, n) : undefined)],
  neg: [(n, ctx) => (ctx.producer(n.inputs[0])?.op === "neg" ? ctx.producer(n.inputs[0])!.inputs[0] : undefined)],
  identity: [(n) => n.inputs[0]],
  // The graph is differentiated when it runs (the executor replays it under the tape or jvp), so a
  // stop stays — unless nothing it could stop reaches it.
  stopGradient: [(n, ctx) => (ctx.gradFree(n.inputs[0]) ? n.inputs[0] : undefined)],
  // A write under noGrad over a value no gradient reaches is just the written value.
  noGradWrite: [(n, ctx) => (ctx.gradFree(n.inputs[1]) && ctx.gradFree(n.inputs[0]) ? n.inputs[0] : undefined)],
  copy: [(n) => n.inputs[0]],
  cast: [
    (n) => (n.inputs[0].dtype === n.output.dtype ? n.inputs[0] : undefined),
    (n, ctx) => {
      const p = ctx.producer(n.inputs[0]);
      // f32 → f64 → f32 is exact.
      return p?.op === "cast" && p.inputs[0].dtype === n.output.dtype && n.output.dtype === "float32" && n.inputs[0].dtype === "float64"
        ? p.inputs[0]
        : undefined;
    },
  ],
  reshape: [
    (n) => (shapeEqual(n.inputs[0].shape, n.output.shape) ? n.inputs[0] : undefined),
    // reshape(reshape(x)) → reshape(x), unless the inner reshape copies (x is a permuted or
    // expanded view) and is read elsewhere too: then both would copy, where one copy is shared now.
    (n, ctx) => {
      const p = ctx.producer(n.inputs[0]);
      if (p?.op !== "reshape") return undefined;
      const source = ctx.producer(p.inputs[0]);
      if (ctx.uses(p.output) > 1 && source && isViewOp(source) && source.op !== "reshape") return undefined;
      return ctx.emit("reshape", [p.inputs[0]], { shape: [...n.output.shape] }, n);
    },
  ],
  expand: [(n) => (shapeEqual(n.inputs[0].shape, n.output.shape) ? n.inputs[0] : undefined)],
  permute: [
    (n) => ((n.attrs.axes as number[]).every((a, i) => a === i) ? n.inputs[0] : undefined),
    (n, ctx) => {
      const p = ctx.producer(n.inputs[0]);
      if (p?.op !== "permute") return undefined;
      const inner = p.attrs.axes as number[],
        outer = n.attrs.axes as number[];
      const axes = outer.map((a) => inner[a]);
      return axes.every((a, i) => a === i) ? p.inputs[0] : ctx.emit("permute", [p.inputs[0]], { axes }, n);
    },
    // (A·B)ᵀ → Bᵀ·Aᵀ: the product is written in the layout its one reader wants. A weight's
    // gradient (xᵀ·dy, transposed back to the weight's [out, in]) otherwise reaches the optimizer
    // update as a strided view of a [in, out] buffer, read with a div/mod per element.
    (n, ctx) => {
      const p = ctx.producer(n.inputs[0]);
      if (p?.op !== "matmul" || ctx.uses(p.output) !== 1 || !swapsLastTwo(n.attrs.axes as number[])) return undefined;
      const [a, b] = p.inputs;
      if (a.shape.length !== b.shape.length || a.shape.length !== n.output.shape.length) return undefined;
      return ctx.emit("matmul", [swapLastTwo(b, n, ctx), swapLastTwo(a, n, ctx)], {}, n);
    },
  ],
} satisfies PartialOpTable<Rule[]>;

/** Whether `sink` writes into the memory that `source` reads. */
function writesBack(sink: OutputSink, source: InputSource): boolean {
  return (
    (sink.kind === "mutation" && source.kind === "capture" && sink.tensor === source.tensor) ||
    (sink.kind === "arg" && source.kind === "arg" && sink.index === source.index)
  );
}

export const algebraicSimplification: Pass = {
  name: "simplify",
  title: "Algebraic simplification",
  description:
    "Local rewrites: x·1 → x, x+0 → x, double transposes, reshape chains, no-op casts and copies, (A·B)ᵀ → Bᵀ·Aᵀ; gradient stops and noGrad marks are kept.",
  run(g: IRGraph) {
    const scalars = hostScalarInputs(g);
    const producers = new Map<number, IRNode>();
    const map = new Map<number, IRValue>();
    const nodes: IRNode[] = [];
    const changes: string[] = [];
    const resolve = (v: IRValue): IRValue => {
      let r = v;
      while (map.has(r.id)) r = map.get(r.id)!;
      return r;
    };
    const uses = useCounts(g);
    // Values no gradient reaches: constants and non-float values, results of stops and of noGrad
    // nodes, and what is computed from such values only.
    const free = new Set<number>();
    for (const i of g.inputs) if (i.constant || !isFloat(i.value.dtype)) free.add(i.value.id);
    const added = (n: IRNode) => {
      for (const v of nodeResults(n)) producers.set(v.id, n);
      if (n.noGrad || n.op === "stopGradient" || n.inputs.every((v) => free.has(v.id))) for (const v of nodeResults(n)) free.add(v.id);
      else for (const v of nodeResults(n)) if (!isFloat(v.dtype)) free.add(v.id);
    };
    // Inputs the call writes back (in-place updates of arguments and captures), and views of them.
    const written = new Set(g.inputs.filter((i) => g.outputs.some((o) => writesBack(o.sink, i.source))).map((i) => i.value.id));
    const viewsWritten = (v: IRValue): boolean => {
      for (let p: IRNode | undefined; !written.has(v.id); v = p.inputs[0]) {
        p = producers.get(v.id);
        if (!p || p.regions || p.op === "fused" || !getOp(p.op).view) return false;
      }
      return true;
    };
    let current: IRNode | undefined;
    const ctx: Ctx = {
      producer(v) {
        const p = producers.get(v.id);
        return p && !p.staleSaved && (p.noGrad ?? false) === (current?.noGrad ?? false) ? p : undefined;
      },
      gradFree: (v) => free.has(v.id),
      uses: (v) => uses.get(v.id) ?? 0,
      scalar: (v) => scalars.get(v.id),
      emit(op, inputs, attrs, like) {
        const out = getOp(op).infer(inputs, attrs);
        const node: IRNode = {
          id: newNodeId(),
          op,
          inputs,
          attrs,
          output: newValue(out.shape, out.dtype),
          line: like.line,
          phase: like.phase,
          ...(like.scope ? { scope: like.scope } : {}),
          ...(like.noGrad ? { noGrad: true } : {}),
        };
        nodes.push(node);
        added(node);
        return node.output;
      },
    };
    for (const n0 of g.nodes) {
      const n = { ...n0, inputs: n0.inputs.map(resolve) };
      current = n;
      if (g.runsUnderNoGrad && (n.op === "stopGradient" || n.op === "noGradWrite")) {
        // Nothing differentiates this graph: a gradient stop is the identity on values.
        map.set(n.output.id, n.inputs[0]);
        changes.push(`${n.op} (node ${n.id}) → its value %${n.inputs[0].id}: the graph is a training step run under noGrad, nothing differentiates it`);
        continue;
      }
      let replacement: IRValue | undefined;
      // A node marked staleSaved must run: its tape node is what refuses the backward eager refuses.
      for (const rule of n.staleSaved ? [] : ((RULES as Partial<Record<string, Rule[]>>)[n.op] ?? [])) {
        replacement = rule(n, ctx);
        if (replacement !== undefined) break;
      }
      // A noGrad node's result takes no gradient: only a value that takes none either may replace it.
      if (replacement !== undefined && n.noGrad && !free.has(replacement.id)) replacement = undefined;
      // An op with memory of its own (x+0, a copy) may not become an input the call writes back, or
      // a view of one: its result (or a tensor saved for backward) would change with the write.
      if (replacement !== undefined && !getOp(n.op).view && viewsWritten(replacement)) replacement = undefined;
      if (replacement !== undefined && sameType(replacement, n.output)) {
        map.set(n.output.id, replacement);
        changes.push(`${n.op} (node ${n.id}) → ${producers.get(replacement.id)?.op ?? "input"} %${replacement.id}`);
      } else {
        nodes.push(n);
        added(n);
      }
    }
    return { graph: substitute({ ...g, nodes }, map), changes };
  },
};
