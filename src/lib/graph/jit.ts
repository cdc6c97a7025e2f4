/**
 * `jit`: trace a function into a graph once per input signature, cache it, and run the graph.
 * In eager mode (the toolbar's Eager/Graph toggle, or `setMode("eager")`) jit runs the function
 * as written, so the same user code runs both ways.
 */
import { emit, hasListeners } from "../events";
import { AutogradError, WebgradError } from "../errors";
import { enterTrace, exitTrace, withDynamicTrace } from "../ops/dispatch";
import { isGradEnabled, noGrad } from "../autodiff/gradmode";
import { treeFlatten } from "../autodiff/pytree";
import { Tensor, gradSlots } from "../tensor/tensor";
import { contiguousStrides, fmtShape } from "../tensor/shape";
import * as F from "../ops/functional";
import type { IRGraph, IROutput, InputSource } from "./ir";
import type { AliasRoot, ResultMemory } from "./alias";
import { handBack } from "./handback";
import { GraphTrace, GraphTracer } from "./tracer";
import { executeGraph, writtenInPlace } from "./executor";
import { graphToJSON, graphToText } from "./printer";
import { verifyGraph } from "./verify";
import { optimize, type PassSnapshot } from "./passes/pipeline";
import { convert } from "./autograph/convert";
import { truthinessGuard } from "./truthinessError";
import { fusedKernels } from "./kernels";

/** "eager": run functions as written. "graph": trace, compile and run graphs. */
export type ExecutionMode = "eager" | "graph";

let mode: ExecutionMode = "graph";

/** Choose how `jit` functions run: "graph" (compile) or "eager" (as written). */
export function setMode(m: ExecutionMode): void {
  if (m !== "eager" && m !== "graph") throw new WebgradError("setMode", `mode must be "eager" or "graph", got ${JSON.stringify(m)}`);
  mode = m;
}

/** The current execution mode. */
export function getMode(): ExecutionMode {
  return mode;
}

/** A traced graph, its optimized form, and every stage of the pass pipeline. */
export interface Lowered {
  /** The graph as traced. */
  readonly graph: IRGraph;
  /** The graph after the pass pipeline (what runs). */
  readonly optimized: IRGraph;
  /** The traced graph and the graph after each pass, with what changed and stats. */
  readonly stages: readonly PassSnapshot[];
  /** The traced IR as text (jaxpr-like); `text("optimized")` for the final graph. */
  text(which?: "traced" | "optimized"): string;
  /** The IR as JSON (what the Graph panel draws). */
  json(which?: "traced" | "optimized"): ReturnType<typeof graphToJSON>;
  /** With `{ autograph: true }`: the converted source that was traced. */
  autograph?: string;
}

interface CacheEntry {
  key: string;
  /** The optimized graph that runs without a tape. */
  graph: IRGraph;
  /** The traced graph, optimized again for a run with a tape on the first such call. */
  traced: IRGraph;
  /** The optimized graph that runs with a tape (keeps stopGradient), once compiled. */
  taped: IRGraph | null;
  nullGradGuards: Tensor[];
  rebuild: (leaves: readonly unknown[]) => unknown;
  resultCount: number;
  hasSideEffects: boolean;
  /** Each result's memory (see handback.ts). */
  resultMemory: ResultMemory[];
  inputMemory: (s: InputSource) => AliasRoot | null;
}

/** Options of {@link jit}. */
export interface JitOptions {
  /** Name shown in the Graph panel and the IR text (defaults to the function's name). */
  name?: string;
  /**
   * Convert the function's JS control flow first (`if`/`while`/`for` on tensors become
   * cond/whileLoop; see `convert`). The converted code is in `lower().autograph` and the graph event.
   */
  autograph?: boolean;
  /** With autograph: the names fn reads from its enclosing scope (a recompiled function cannot see its closure). */
  scope?: Record<string, unknown>;
  /** With autograph: the bound of every converted tensor loop (see `ConvertOptions.maxIterations`). */
  maxIterations?: number;
}

/** A compiled function: call it like the original; `lower` shows its graph. */
export interface JitFunction<Args extends unknown[], R> {
  (...args: Args): R;
  /** Trace for these arguments (without running) and return the graph. */
  lower(...args: Args): Lowered;
  /** How many times it has traced (a new input signature retraces). */
  readonly traceCount: number;
}

/**
 * A non-contiguous argument's layout ("" for a contiguous one): it decides what is a view eagerly
 * (a reshape of a transposed tensor copies), so a graph is traced per layout.
 */
function layoutOf(t: Tensor): string {
  const { strides, offset } = t._layout();
  const plain = offset === 0 && strides.every((s, i) => t.shape[i] === 1 || s === contiguousStrides(t.shape)[i]);
  return plain ? "" : ` strides ${fmtShape(strides)} offset ${offset}`;
}

function signatureOf(args: unknown[]): { key: string; leaves: Tensor[]; desc: string[] } {
  const { leaves } = treeFlatten(args);
  const desc = leaves.map((t, i) => `arg leaf ${i}: ${t.dtype}${fmtShape(t.shape)}${layoutOf(t)}`);
  const statics = JSON.stringify(args, (_k, v) => (v instanceof Tensor ? `T:${v.dtype}[${v.shape.join(",")}]${layoutOf(v)}` : typeof v === "function" ? "fn" : v));
  return { key: statics, leaves, desc };
}

function lowerTrace(name: string, fn: (...args: any[]) => unknown, args: unknown[], checkTruthiness: boolean): { entry: Omit<CacheEntry, "key">; trace: GraphTrace; lowered: Lowered } {
  const { leaves, unflatten } = treeFlatten(args);
  // `if (x)` on a traced tensor cannot be caught while it runs (objects are truthy): read the source.
  const guard = checkTruthiness ? truthinessGuard(fn, args, name) : null;
  const trace = enterTrace((level) => new GraphTrace(level, true));
  const prevHook = gradSlots.hook;
  gradSlots.hook = trace;
  let result: unknown;
  try {
    const tracers = leaves.map((t, i) => trace.addArg(t, i, `arg${i}`));
    if (guard) trace.onFirstOp = () => guard.fail();
    result = withDynamicTrace(trace, () => {
      guard?.enter();
      return fn(...(unflatten(tracers) as unknown[]));
    });
    // A function that records no op still gets the error (with lines within the function).
    if (guard) guard.fail();
  } finally {
    gradSlots.hook = prevHook;
    exitTrace(trace);
  }
  const out = treeFlatten(result);
  const outputs: IROutput[] = out.leaves.map((t, i) => ({ value: trace.irValueOf(t), sink: { kind: "result", index: i }, name: `result${i}` }));
  const sideEffects = trace.sideEffectOutputs();
  const traced: IRGraph = { name, inputs: trace.inputs, nodes: trace.nodes, outputs: [...outputs, ...sideEffects] };
  verifyGraph(traced);
  const { graph, snapshots } = optimize(traced);
  verifyGraph(graph);
  return {
    trace,
    lowered: lowered(traced, graph, snapshots),
    entry: {
      graph,
      traced,
      taped: null,
      nullGradGuards: [...trace.nullGradGuards],
      rebuild: out.unflatten,
      resultCount: out.leaves.length,
      hasSideEffects: sideEffects.length > 0,
      resultMemory: out.leaves.map((t) => trace.resultMemory(t)),
      inputMemory: (s) => trace.inputMemory(s),
    },
  };
}

function lowered(graph: IRGraph, optimized: IRGraph, stages: PassSnapshot[]): Lowered {
  const pick = (which: "traced" | "optimized" = "traced") => (which === "traced" ? graph : optimized);
  return { graph, optimized, stages, text: (w) => graphToText(pick(w)), json: (w) => graphToJSON(pick(w)) };
}

/**
 * Compile `fn`: in graph mode the first call traces it into a graph (cached per input signature:
 * shapes, dtypes and non-tensor arguments), later calls run the graph. Parameters, optimizer state
 * and `.grad` used inside become graph inputs, and their in-place updates graph outputs written
 * back after each run, so an eager-style training step (forward, backward, opt.step) compiles
 * unchanged. In eager mode the function runs as written.
 * @example const step = jit((x: Tensor, y: Tensor) => { const l = nn.mse(model.forward(x), y); opt.zeroGrad(); l.backward(); opt.step(); return l; });
 */
export function jit<Args extends unknown[], R>(fn: (...args: Args) => R, options: JitOptions = {}): JitFunction<Args, R> {
  const name = options.name ?? (fn.name || "fn");
  const autograph = options.autograph ? convert(fn, { scope: options.scope, maxIterations: options.maxIterations }) : undefined;
  if (autograph) fn = autograph;
  const cache = new Map<string, CacheEntry>();
  let traces = 0;
  let lastDesc: string[] | null = null;

  const call = (...args: Args): R => {
    if (mode === "eager") return fn(...args);
    const { key, leaves, desc } = signatureOf(args);
    let entry = cache.get(key);
    let reason: string | undefined;
    if (entry !== undefined) {
      const stale = entry.nullGradGuards.find((t) => t._grad !== null);
      if (stale) {
        reason = `${stale.name ?? "a captured tensor"}.grad was null when traced and is set now`;
        entry = undefined;
      }
    } else if (lastDesc !== null) {
      const changed = desc.map((d, i) => (d !== lastDesc![i] ? `${lastDesc![i] ?? "(none)"} → ${d}` : null)).filter(Boolean);
      reason = changed.length ? `new input signature: ${changed.join("; ")}` : "new non-tensor argument values";
    }
    if (entry === undefined) {
      const { entry: e, lowered: l } = lowerTrace(name, fn as (...a: any[]) => unknown, args, !autograph);
      entry = { key, ...e };
      cache.set(key, entry);
      traces++;
      if (hasListeners()) {
        emit({
          type: "graph",
          phase: "compiled",
          name,
          reason,
          ...(autograph ? { autograph: autograph.code } : {}),
          stages: l.stages.map((st) => ({ pass: st.pass, title: st.title, enabled: st.enabled, changes: st.changes, stats: st.stats, text: graphToText(st.graph), json: graphToJSON(st.graph) })),
          kernels: fusedKernels(l.stages.map((st) => st.graph)),
        });
      }
    }
    lastDesc = desc;
    const e = entry;
    // A graph with side effects (a training step) runs without a tape, unless a gradient with respect to an argument is wanted.
    const argGrad = isGradEnabled() && leaves.some((t) => t.requiresGrad);
    const untaped = e.hasSideEffects && !argGrad;
    const taped = !untaped && isGradEnabled() && (argGrad || e.graph.inputs.some((i) => (i.source.kind === "capture" ? i.source.tensor : i.source.kind === "grad" ? i.source.owner._grad : null)?.requiresGrad));
    if (taped && e.taped === null) {
      e.taped = optimize(e.traced, { taped: true }).graph;
      verifyGraph(e.taped);
    }
    const graph = taped ? e.taped! : e.graph;
    for (const o of graph.outputs) {
      // Eager refuses to change a tensor that requires grad in place with gradients enabled: so does the graph, before it runs.
      if (o.sink.kind === "arg" && o.sink.gradEnabled && isGradEnabled() && leaves[o.sink.index].requiresGrad) {
        throw new AutogradError("copy_", `${name} changes its argument ${o.name} (shape ${fmtShape(leaves[o.sink.index].shape)}) in place, and it requires grad: in-place ops are not recorded on the tape; use the out-of-place op, or wrap the update in noGrad()`);
      }
    }
    const run = () => executeGraph(graph, leaves);
    const values = untaped ? noGrad(run) : run();
    // Write back in-place updates and gradients, as the eager code would have left them.
    graph.outputs.forEach((o, i) => {
      const v = values[i];
      if (o.sink.kind === "mutation" || o.sink.kind === "arg") {
        const dst = o.sink.kind === "mutation" ? o.sink.tensor : leaves[o.sink.index];
        // A fused kernel may already have updated it in place (executor.ts): then only the version moves.
        if (writtenInPlace(dst, v!)) dst._version.v++;
        else noGrad(() => F.assign(dst, v!));
      }
      else if (o.sink.kind === "grad") o.sink.owner._grad = v;
    });
    const results = handBack(graph, values.slice(0, e.resultCount), e.resultMemory, leaves, e.inputMemory);
    return e.rebuild(results) as R;
  };

  const jitted = call as JitFunction<Args, R>;
  jitted.lower = (...args: Args) => {
    const l = lowerTrace(name, fn as (...a: any[]) => unknown, args, !autograph).lowered;
    return autograph ? { ...l, autograph: autograph.code } : l;
  };
  Object.defineProperty(jitted, "traceCount", { get: () => traces });
  return jitted;
}

/** True for tensors that stand for graph values during a trace. */
export function isTracer(t: unknown): boolean {
  return t instanceof GraphTracer;
}
