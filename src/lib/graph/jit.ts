/**
 * `jit`: trace a function into a graph once per input signature, cache it, and run the graph.
 * In eager mode (the toolbar's Eager/Graph toggle, or `setMode("eager")`) jit runs the function
 * as written, so the same user code runs both ways.
 *
 * Gradients through a compiled function: the graph is differentiated when it runs — the
 * executor's `apply` records the tape (grad of jit, `jit(f)(x).backward()`) or pushes tangents
 * (jvp of jit) node by node. So what eager leaves off the tape must be in the graph: `detach` is a
 * `stopGradient` node, ops traced inside `noGrad` carry `noGrad: true` (run under noGrad again),
 * and an in-place write under noGrad is `noGradWrite(value, before)`, keeping the old tensor's
 * gradient path as eager does. The cache keys on the grad mode.
 */
import { emit, hasListeners } from "../events";
import { WebgradError } from "../errors";
import { sourceOf } from "../debug/scope";
import { enterTrace, evalTrace, exitTrace, topTrace, withDynamicTrace } from "../ops/dispatch";
import { isGradEnabled, noGrad } from "../ops/gradmode";
import { treeFlatten } from "../autodiff/pytree";
import type { StaleSaved } from "../autodiff/tape";
import { Tensor, gradSlots, nextTensorIdPeek } from "../tensor/tensor";
import { fmtShape } from "../tensor/shape";
import { isFloat } from "../tensor/dtype";
import * as F from "../ops/functional";
import { newNodeId, newValue, type IRGraph, type IRNode, type IROutput, type InputSource } from "./ir";
import type { AliasRoot, ResultMemory } from "./alias";
import type { Storage } from "../backend/backend";
import { handBack } from "./handback";
import { GraphTrace } from "./tracer";
import { disposable, executeGraph, writtenInPlace } from "./executor";
import { graphToJSON, graphToText } from "./printer";
import { verifyGraph } from "./verify";
import { optimize, type PassSnapshot } from "./passes/pipeline";
import { convert } from "./autograph/convert";
import { truthinessGuard } from "./truthinessError";
import { fusedKernels } from "./kernels";
import { callKey, callSignature, describeChange, fmtNumber, type CallSignature } from "./cacheKey";
import { MAX_SCHEDULED_NODES, scheduleOf } from "./schedule";
import { stepCompiler } from "../optim/optimizer";

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
  /** The call signature it was traced for (what a later retrace compares with). */
  signature: CallSignature;
  /** The optimized graph that runs without a tape. */
  graph: IRGraph;
  /** The graph as traced. */
  traced: IRGraph;
  /** A training step's optimized graph that keeps its gradient stops, compiled when a transform first runs it. */
  withStops?: IRGraph;
  /** Owners whose `.grad` was null when traced: the graph assumes it still is. */
  nullGradGuards: Tensor[];
  /** Owners whose `.grad` the graph reads as an input: it must still be set. */
  gradInputs: Tensor[];
  /** The same two guards for the arguments' `.grad`, by argument index. */
  nullArgGrads: number[];
  argGradInputs: number[];
  /**
   * Arguments that were not leaves when traced (computed from tensors that require grad): eager
   * messages and backward depend on it, and the key does not say, so a change retraces.
   */
  nonLeafArgs: Set<number>;
  /** Arguments whose requiresGrad fn changed (`x.requiresGrad_()`): index → the value it left. */
  argRequiresGrad: Map<number, boolean>;
  /** Concrete tensors the graph reads by reference: disposed since, they cannot be read. */
  captured: Tensor[];
  /**
   * Captured float tensors and whether each required grad when traced: the traced backward (and
   * the .grad writes) of a training step depend on it, so a change retraces.
   */
  requiresGradGuards: Map<Tensor, boolean>;
  rebuild: (leaves: readonly unknown[]) => unknown;
  resultCount: number;
  /**
   * A training step (its own backward pass, and writes to parameters or `.grad`): the graph runs
   * under noGrad, as eager's tape of a step is spent by its backward. Other graphs run in the
   * caller's grad mode, so gradients flow through them (their noGrad regions cut where eager's do).
   */
  runsUnderNoGrad: boolean;
  /** Each result's memory (see handback.ts). */
  resultMemory: ResultMemory[];
  inputMemory: (s: InputSource) => AliasRoot | null;
}

/** Why `entry` cannot run now for the call's argument tensors `leaves` (a guard broke), or null when it can. */
function brokenGuard(entry: CacheEntry, leaves: readonly Tensor[]): string | null {
  const set = entry.nullGradGuards.find((t) => t._grad !== null);
  if (set) return `${set.name ?? "a captured tensor"}.grad was null when traced and is set now`;
  const cleared = entry.gradInputs.find((t) => t._grad === null);
  if (cleared) return `${cleared.name ?? "a captured tensor"}.grad was set when traced and is null now`;
  const argSet = entry.nullArgGrads.find((i) => leaves[i].grad !== null);
  if (argSet !== undefined) return `arg${argSet}.grad was null when traced and is set now`;
  const argCleared = entry.argGradInputs.find((i) => leaves[i].grad === null);
  if (argCleared !== undefined) return `arg${argCleared}.grad was set when traced and is null now`;
  const leafness = leaves.findIndex((t, i) => t.requiresGrad && !t.isLeaf !== entry.nonLeafArgs.has(i));
  if (leafness >= 0)
    return entry.nonLeafArgs.has(leafness)
      ? `arg${leafness} was computed from tensors that require grad when traced and is a leaf now`
      : `arg${leafness} was a leaf when traced and is computed from tensors that require grad now`;
  // Disposed, typically because the variable now holds a new tensor: tracing again reads that one.
  const gone = entry.captured.find((t) => t._view === null);
  if (gone) return `the captured tensor ${gone.name ?? `#${gone.id}`} was disposed since tracing (the graph read it by reference)`;
  // Which parameters a traced backward reaches (and which .grad it writes) was fixed by requiresGrad.
  const flipped = [...entry.requiresGradGuards].find(([t, on]) => t.requiresGrad !== on);
  if (flipped) return `${flipped[0].name ?? "a captured tensor"}.requiresGrad was ${flipped[1]} when traced and is ${!flipped[1]} now`;
  return null;
}

/**
 * The call key with the grad mode: a graph marks fn's noGrad regions only when traced with grad
 * mode on, so a call inside noGrad and one outside need their own traces.
 */
function gradModeKey(key: string): string {
  return isGradEnabled() ? key : `noGrad|${key}`;
}

/** {@link gradModeKey} for a full signature: the grad mode is its first part (retrace reasons name it). */
function gradModeSignature(sig: CallSignature): CallSignature {
  const on = isGradEnabled();
  return { key: gradModeKey(sig.key), parts: [{ path: "grad mode", desc: on ? "on" : "off (inside noGrad)", token: on ? "grad" : "noGrad" }, ...sig.parts] };
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
  /** How many times it has traced (a new signature retraces; see {@link jit} for what keys). */
  readonly traceCount: number;
  /**
   * The guards of the trace the latest call ran: what a later call must match to reuse that trace
   * ("arg0: float32[8, 4] on cpu", "arg1: 3", "w.grad is null"). A call that breaks one retraces.
   * Empty before the first call (and in eager mode, which does not trace).
   * @example const f = jit((x: Tensor) => x.relu()); f(randn([2, 3])); console.log(f.guards); // ["grad mode: on", "arg0: float32[2, 3] on cpu"]
   */
  readonly guards: readonly string[];
  /**
   * Why each retrace happened, oldest first: the guard that broke ("arg0: float32[8, 4] → float32[16, 4]").
   * Its length is `traceCount - 1`.
   */
  readonly retraceReasons: readonly string[];
}

/** What a later call must match to reuse `entry`: its keyed values, then its `.grad` and requiresGrad guards. */
function guardsOf(entry: CacheEntry): string[] {
  const named = (t: Tensor) => t.name ?? `captured ${t.dtype}${fmtShape(t.shape)}`;
  return [
    ...entry.signature.parts.map((p) => `${p.path}: ${p.desc}`),
    ...entry.nullGradGuards.map((t) => `${named(t)}.grad is null`),
    ...entry.gradInputs.map((t) => `${named(t)}.grad is set`),
    ...entry.nullArgGrads.map((i) => `arg${i}.grad is null`),
    ...entry.argGradInputs.map((i) => `arg${i}.grad is set`),
    ...[...entry.nonLeafArgs].map((i) => `arg${i} is not a leaf`),
    ...[...entry.requiresGradGuards].map(([t, on]) => `${named(t)}.requiresGrad is ${on}`),
  ];
}

/** True for arrow functions (they ignore the `this` of a call) and bound functions (theirs is fixed). */
function ignoresThis(fn: (...args: never[]) => unknown): boolean {
  if (fn.name.startsWith("bound ")) return true;
  if (Object.prototype.hasOwnProperty.call(fn, "prototype")) return false;
  return /^(async\s*)?(\(|[\w$]+\s*=>)/.test(sourceOf(fn));
}

/** An async function's awaits cannot be traced: refuse it before it runs. */
function refuseAsync(fn: (...args: never[]) => unknown): void {
  const kind = Object.prototype.toString.call(fn);
  if (kind === "[object AsyncFunction]" || kind === "[object AsyncGeneratorFunction]") {
    throw new WebgradError(
      "jit",
      `${fn.name ? `${fn.name} is` : "got"} an async function: a trace records the ops until the first await and the graph would end there. Make it synchronous (tensor ops need no await) and await outside it: const f = jit((x) => ...); const y = f(x); console.log(await y.tolist())`,
    );
  }
}

/** What a trace fixed that no later call checks, for the Graph panel (see jit's TSDoc). */
function bakedIn(graph: IRGraph): string[] {
  const captured = graph.inputs.filter((i) => i.source.kind === "capture" && !i.constant).map((i) => i.name);
  const grads = graph.inputs.filter((i) => i.source.kind === "grad" || i.source.kind === "argGrad").map((i) => i.name);
  const constants = graph.inputs.flatMap((i) => {
    if (!i.constant || i.source.kind !== "capture") return [];
    const t = i.source.tensor;
    return [t._hostScalar !== undefined ? fmtNumber(t._hostScalar) : `${t.dtype}${fmtShape(t.shape)}`];
  });
  const lines = [
    "Keyed, a change retraces: each tensor argument's dtype, shape, backend and requiresGrad; numbers, strings, booleans, null and undefined in the arguments by exact value; functions, modules and other objects in the arguments by identity, with their public fields; the grad mode (inside noGrad or not). Guarded, a change retraces: whether each .grad read was set, and whether each argument that requires grad is a leaf.",
    "Baked in, not checked again: JS values fn reads from its closure or from objects it was not passed (a number, a module's training flag, an array's length). Pass what changes as an argument.",
  ];
  const list = (xs: string[]) => (xs.length > 6 ? `${xs.slice(0, 6).join(", ")} and ${xs.length - 6} more` : xs.join(", "));
  if (captured.length) {
    lines.push(
      `Captured tensors, read by reference on every run: ${list(captured)}. In-place updates are seen; a variable rebound to another tensor is not, unless the old one was disposed (pass it as an argument). A change of their requiresGrad retraces.`,
    );
  }
  if (grads.length) lines.push(`Read at every run: ${list(grads)} (a .grad cleared since tracing retraces).`);
  if (constants.length) lines.push(`Constants made while tracing, fixed in the graph: ${list(constants)} (a JS number such as x.mul(lr)'s lr becomes one).`);
  return lines;
}

/**
 * A name for an anonymous function from the control flow it traced ("while cond/body", "scan
 * body", "cond then/else"), from its regions' names; undefined when it traced none.
 */
function controlFlowName(nodes: readonly IRNode[]): string | undefined {
  const parts: string[] = [];
  for (const n of nodes) {
    if (!n.regions?.length || n.op === "fused") continue;
    const roles = n.regions.map((r) => r.name.split(" ")[1] ?? r.name);
    const part = `${n.op} ${roles.join("/")}`;
    if (!parts.includes(part)) parts.push(part);
  }
  return parts.length ? parts.join(", ") : undefined;
}

function lowerTrace(
  name: string,
  fn: (...args: any[]) => unknown,
  self: unknown,
  args: unknown[],
  checkTruthiness: boolean,
  anonymous = false,
): { entry: Omit<CacheEntry, "signature">; trace: GraphTrace; lowered: Lowered } {
  const { leaves, unflatten } = treeFlatten(args);
  // `if (x)` on a traced tensor cannot be caught while it runs (objects are truthy): read the source.
  const guard = checkTruthiness ? truthinessGuard(fn, args, name) : null;
  const trace = enterTrace((level) => new GraphTrace(level, true));
  // Traced with grad mode on, the noGrad regions inside fn are marked in the graph (jit keys its
  // cache on the grad mode, so a graph traced inside noGrad only runs inside noGrad).
  trace.marksNoGrad = isGradEnabled();
  const prevHook = gradSlots.hook;
  trace.enclosingGradSlots = prevHook;
  gradSlots.hook = trace;
  let result: unknown;
  try {
    const tracers = leaves.map((t, i) => trace.addArg(t, i, `arg${i}`));
    if (guard) trace.onFirstOp = () => guard.fail();
    result = withDynamicTrace(trace, () => {
      guard?.enter();
      return fn.apply(self, unflatten(tracers) as unknown[]);
    });
    // A function that records no op still gets the error (with lines within the function).
    if (guard) guard.fail();
  } finally {
    gradSlots.hook = prevHook;
    exitTrace(trace);
  }
  if (result instanceof Promise) {
    throw new WebgradError(
      "jit",
      `${name} returned a Promise: a trace records the ops until the first await only. Make it synchronous and await outside it: const y = f(x); console.log(await y.tolist())`,
    );
  }
  const out = treeFlatten(result);
  const outputs: IROutput[] = out.leaves.map((t, i) => ({ value: trace.irValueOf(t), sink: { kind: "result", index: i }, name: `result${i}` }));
  const sideEffects = trace.sideEffectOutputs();
  // A training step runs under noGrad (see CacheEntry.runsUnderNoGrad): its gradient stops may go.
  const step = sideEffects.some((o) => o.sink.kind !== "check") && trace.nodes.some((n) => n.phase === "backward");
  const requiresGradGuards = new Map<Tensor, boolean>();
  for (const i of trace.inputs)
    if (i.source.kind === "capture" && !i.constant && i.source.tensor._trace === null && isFloat(i.source.tensor.dtype))
      requiresGradGuards.set(i.source.tensor, i.source.tensor.requiresGrad);
  const traced: IRGraph = {
    name: anonymous ? (controlFlowName(trace.nodes) ?? name) : name,
    inputs: trace.inputs,
    nodes: markStaleSaved(stopUsesWithoutGrad(trace), trace.staleSaved()),
    outputs: [...outputs, ...sideEffects],
    ...(step ? { runsUnderNoGrad: true } : {}),
  };
  verifyGraph(traced);
  const { graph, snapshots } = optimize(traced);
  verifyGraph(graph);
  return {
    trace,
    lowered: lowered(traced, graph, snapshots),
    entry: {
      graph,
      traced,
      nullGradGuards: [...trace.nullGradGuards],
      gradInputs: graph.inputs.flatMap((i) => (i.source.kind === "grad" ? [i.source.owner] : [])),
      nullArgGrads: [...trace.nullArgGradGuards],
      argGradInputs: graph.inputs.flatMap((i) => (i.source.kind === "argGrad" ? [i.source.index] : [])),
      nonLeafArgs: new Set(leaves.flatMap((t, i) => (t.requiresGrad && !t.isLeaf ? [i] : []))),
      argRequiresGrad: new Map(
        [...trace.argTracers].flatMap(([tracer, a]) => (tracer.requiresGrad !== a.tensor.requiresGrad ? [[a.index, tracer.requiresGrad] as const] : [])),
      ),
      captured: graph.inputs.flatMap((i) => (i.source.kind === "capture" && i.source.tensor._view !== null ? [i.source.tensor] : [])),
      requiresGradGuards,
      rebuild: out.unflatten,
      resultCount: out.leaves.length,
      runsUnderNoGrad: step,
      resultMemory: out.leaves.map((t) => trace.resultMemory(t)),
      inputMemory: (s) => trace.inputMemory(s),
    },
  };
}

/**
 * The traced nodes, where fn used a captured tensor before turning its requiresGrad on (after the
 * trace it requires grad, so the replayed graph would differentiate into it): those uses read it
 * through a stopGradient, as eager's did not record them.
 */
function stopUsesWithoutGrad(trace: GraphTrace): IRNode[] {
  // An argument whose requiresGrad fn turned on or off requires grad while the graph runs (see jit's call).
  const late = trace.usesWithoutGrad.filter((u) => u.tensor.requiresGrad || trace.argTracers.get(u.tensor)?.tensor.requiresGrad === true);
  if (late.length === 0) return trace.nodes;
  const byNode = new Map<IRNode, number[]>();
  for (const u of late) byNode.set(u.node, [...(byNode.get(u.node) ?? []), u.input]);
  const nodes: IRNode[] = [];
  for (const n of trace.nodes) {
    const stopped = byNode.get(n);
    if (stopped === undefined) {
      nodes.push(n);
      continue;
    }
    const inputs = n.inputs.slice();
    for (const k of stopped) {
      const output = newValue(inputs[k].shape, inputs[k].dtype);
      nodes.push({ id: newNodeId(), op: "stopGradient", inputs: [inputs[k]], attrs: {}, output, line: n.line, phase: n.phase });
      inputs[k] = output;
    }
    nodes.push({ ...n, inputs });
  }
  return nodes;
}

/** The nodes, each whose saved tensors the traced code changed in place afterwards marked (IRNode.staleSaved). */
function markStaleSaved(nodes: IRNode[], stale: Map<number, StaleSaved>): IRNode[] {
  return stale.size === 0 ? nodes : nodes.map((n) => (stale.has(n.id) ? { ...n, staleSaved: stale.get(n.id)! } : n));
}

/**
 * Each argument is traced as a tensor of its own: one tensor passed as two arguments (or passed and
 * also read from fn's closure) whose `.grad` the graph reads or writes would get two gradients
 * where eager adds them into one. Refuse it.
 */
function refuseSharedGradArgs(name: string, graph: IRGraph, leaves: readonly Tensor[]): void {
  const used = new Set<number>();
  for (const i of graph.inputs) if (i.source.kind === "argGrad") used.add(i.source.index);
  for (const o of graph.outputs) if (o.sink.kind === "argGrad") used.add(o.sink.index);
  for (const i of used) {
    const j = leaves.findIndex((t, k) => k !== i && t === leaves[i]);
    if (j >= 0) {
      const [a, b] = i < j ? [i, j] : [j, i];
      throw new WebgradError(
        "jit",
        `${name} was passed the same tensor (shape ${fmtShape(leaves[i].shape)}) as arg${a} and arg${b}, and it reads or writes that argument's .grad: jit traces each argument as a tensor of its own, so its gradients would not add up into one .grad as eagerly. Pass the tensor once`,
      );
    }
    const t = leaves[i];
    const alsoCaptured =
      graph.inputs.some((x) => (x.source.kind === "capture" && x.source.tensor === t) || (x.source.kind === "grad" && x.source.owner === t)) ||
      graph.outputs.some((o) => o.sink.kind === "grad" && o.sink.owner === t);
    if (alsoCaptured) {
      throw new WebgradError(
        "jit",
        `${name} was passed ${t.name ?? "a tensor"} (shape ${fmtShape(t.shape)}) as arg${i} and also reads it from its closure, and it reads or writes arg${i}'s .grad: jit traces the argument as a tensor of its own, so its gradients would not add up into one .grad as eagerly. Pass it only as an argument, or only through the closure`,
      );
    }
  }
}

/** The graph to run for these inputs: a training step under a transform (jvp, an outer jit) takes the variant that keeps its gradient stops. */
function graphFor(entry: CacheEntry, leaves: readonly Tensor[]): IRGraph {
  if (!entry.runsUnderNoGrad) return entry.graph;
  const captured = entry.traced.inputs.flatMap((i) => (i.source.kind === "capture" ? [i.source.tensor] : []));
  if (topTrace([...leaves, ...captured]) === evalTrace) return entry.graph;
  if (entry.withStops === undefined) {
    const { runsUnderNoGrad: _, ...g } = entry.traced;
    entry.withStops = optimize(g).graph;
    verifyGraph(entry.withStops);
  }
  return entry.withStops;
}

function lowered(graph: IRGraph, optimized: IRGraph, stages: PassSnapshot[]): Lowered {
  const pick = (which: "traced" | "optimized" = "traced") => (which === "traced" ? graph : optimized);
  return { graph, optimized, stages, text: (w) => graphToText(pick(w)), json: (w) => graphToJSON(pick(w)) };
}

/**
 * Compile `fn`: in graph mode the first call traces it into a graph, later calls with the same
 * signature run the cached graph. Parameters, optimizer state and `.grad` used inside become graph
 * inputs, and their in-place updates graph outputs written back after each run, so an eager-style
 * training step (forward, backward, opt.step) compiles unchanged. Gradients flow through the
 * compiled function as through the eager one: `detach`, `noGrad` regions and writes under noGrad cut
 * them in the graph where they did. In eager mode (`setMode("eager")`) the function runs as written.
 *
 * **The signature** (a new one traces again; the Graph panel says which argument changed and how):
 * - tensors in the arguments (also inside arrays and plain objects): dtype, shape, layout (a
 *   non-contiguous one decides what is a view of it), backend and
 *   requiresGrad — their values are graph inputs, read on every call;
 * - numbers by exact value (NaN, Infinity, -Infinity and -0 each their own), strings, booleans,
 *   null and undefined by type and value; arrays and plain objects by structure, keys in order;
 * - functions by identity: pass the same function object to reuse the trace (a new arrow
 *   function on every call retraces on every call);
 * - modules, optimizers and other class instances by identity plus their public fields (not the
 *   ones starting with `_`; a module's buffers count): `m.eval()`, `opt.paramGroups[0].options`
 *   or a field set to another tensor retraces; an optimizer's lr does not (its update reads the lr
 *   as a tensor). Two models of the same shape get two traces; the same model reuses its trace;
 * - Maps and Sets by contents, typed arrays by values, Dates by time; `this` like an argument
 *   when fn is a `function` called as a method.
 * - the grad mode (a call inside `noGrad` and one outside trace apart: the graph marks fn's own
 *   noGrad regions only when traced with grad mode on).
 * BigInt arguments, Promises and cycles among arrays and plain objects are refused. A `.grad`
 * (of a captured tensor or an argument) that was null when traced and is set now (or the reverse),
 * a captured tensor disposed since, a captured tensor whose requiresGrad changed since, or an
 * argument that requires grad and was a leaf when traced but is computed now (or the reverse),
 * also retraces.
 *
 * **Baked in at trace time, not checked again:** JS values fn reads from its closure or from
 * objects it was not passed — a number (`lr`), a module's `training` flag, an array's length —
 * keep the value they had when traced; pass what changes as an argument. Tensors fn reads from its
 * closure (parameters, state) are read by reference on every run: in-place updates (`copy_`,
 * `opt.step()`) are seen, but rebinding the variable to another tensor is not — the graph keeps
 * reading the tensor it captured, unless that one was disposed (`w.dispose()`); pass the tensor as
 * an argument instead. Scalars and tensors made inside fn from JS values are constants of the
 * graph. Inside fn, tensor arguments are tracers: reading their values (`itemSync`, `if (x)`) is
 * refused; their `requiresGrad` and `isLeaf` are the argument's, so a backward inside fn writes
 * the argument's `.grad` and in-place writes to it are refused outside noGrad, as eagerly. A
 * backward that reaches an argument which is not a leaf is refused (eagerly it would continue into
 * the caller's tape), as is one tensor passed as two arguments whose `.grad` fn uses. The Graph
 * panel lists, per trace, what it captured and fixed.
 *
 * fn must be synchronous: an `async` function is refused (await outside the jit function).
 * @example const step = jit((x: Tensor, y: Tensor) => { const l = nn.mse(model.forward(x), y); opt.zeroGrad(); l.backward(); opt.step(); return l; });
 */
export function jit<Args extends unknown[], R>(fn: (...args: Args) => R, options: JitOptions = {}): JitFunction<Args, R> {
  return compile(fn, options, false);
}

/**
 * `jit`, or with `internal` a function the library compiles for itself (an optimizer's eager
 * step, optim/optimizer.ts): it compiles in eager mode too and sends no graph event, since the
 * user wrote no `jit` and the Graph panel shows the user's graphs.
 */
function compile<Args extends unknown[], R>(fn: (...args: Args) => R, options: JitOptions, internal: boolean): JitFunction<Args, R> {
  if (typeof fn !== "function") throw new WebgradError("jit", `expects a function, got ${fn === null ? "null" : typeof fn}`);
  const given = options.name ?? fn.name;
  const name = given || "fn";
  refuseAsync(fn);
  const plainCall = ignoresThis(fn);
  const autograph = options.autograph ? convert(fn, { scope: options.scope, maxIterations: options.maxIterations }) : undefined;
  if (autograph) fn = autograph;
  /** Per signature, the traces made under it (they differ by `.grad` guards). */
  const cache = new Map<string, CacheEntry[]>();
  let traces = 0;
  let last: CallSignature | null = null;
  let lastEntry: CacheEntry | null = null;
  const reasons: string[] = [];

  /** The `this` fn sees: a method call's receiver, unless fn ignores it (or it is a module namespace: `ns.step(x)`). */
  const receiver = (self: unknown): unknown =>
    plainCall || self === undefined || self === globalThis || self === jitted || Object.prototype.toString.call(self) === "[object Module]" ? undefined : self;

  const call = function (this: unknown, ...args: Args): R {
    const self = receiver(this);
    if (mode === "eager" && !internal) return fn.apply(self, args);
    const key = gradModeKey(callKey(args, self));
    const entries = cache.get(key);
    const leaves = treeFlatten(args).leaves;
    let entry = entries?.find((e) => brokenGuard(e, leaves) === null);
    if (entry === undefined) {
      // A miss: walk again for the paths and descriptions, to say what changed since the last call.
      const sig = entries?.[0]?.signature ?? gradModeSignature(callSignature(args, self));
      const reason = entries !== undefined ? brokenGuard(entries[entries.length - 1]!, leaves)! : last !== null ? describeChange(last, sig) : undefined;
      const { entry: e, lowered: l } = lowerTrace(name, fn as (...a: any[]) => unknown, self, args, !autograph, !given);
      entry = { signature: sig, ...e };
      // A graph whose captured tensor was disposed can never run again: drop it.
      cache.set(key, [...(entries ?? []).filter((x) => !x.captured.some((t) => t._view === null)), entry]);
      traces++;
      if (traces > 1) reasons.push(reason ?? "a new signature");
      if (hasListeners() && !internal) {
        emit({
          type: "graph",
          phase: "compiled",
          name: l.graph.name,
          reason,
          baked: bakedIn(l.graph),
          ...(autograph ? { autograph: autograph.code } : {}),
          stages: l.stages.map((st) => ({
            pass: st.pass,
            title: st.title,
            enabled: st.enabled,
            changes: st.changes,
            stats: st.stats,
            text: graphToText(st.graph),
            json: graphToJSON(st.graph),
          })),
          kernels: fusedKernels(l.stages.map((st) => st.graph)),
          ...(l.optimized.nodes.length <= MAX_SCHEDULED_NODES ? { schedule: scheduleOf(l.optimized, l.graph) } : {}),
          guards: guardsOf(entry),
          traceCount: traces,
        });
      }
    }
    // Equal keys have equal parts, so the entry's signature describes this call too.
    last = entry.signature;
    lastEntry = entry;
    const ran = entry;
    const graph = graphFor(ran, leaves);
    refuseSharedGradArgs(name, graph, leaves);
    // (In-place writes to an argument that requires grad are refused while tracing, by eager's own
    // check: its tracer requires grad too. A write through a detached alias is allowed, as eagerly.)
    // An argument fn turns requiresGrad on for requires grad while the graph runs (uses made
    // before are stopped in the graph), so the caller's tape records the uses after, as eagerly.
    for (const [i, on] of ran.argRequiresGrad) if (on) leaves[i].requiresGrad = true;
    const firstId = nextTensorIdPeek();
    const run = () => executeGraph(graph, leaves);
    const values = ran.runsUnderNoGrad ? noGrad(run) : run();
    // A result the passes left in the memory of an argument or capture the call writes back (a
    // copy of it simplified away) would see the write: it gets its own memory first.
    const mutated = new Set<Tensor>(),
      argsWritten = new Set<number>();
    for (const o of graph.outputs) {
      if (o.sink.kind === "mutation") mutated.add(o.sink.tensor);
      else if (o.sink.kind === "arg") argsWritten.add(o.sink.index);
    }
    const written = new Map<Storage | undefined, AliasRoot | null>();
    if (mutated.size + argsWritten.size > 0) {
      for (const { source: s } of graph.inputs) {
        const dst = s.kind === "capture" && mutated.has(s.tensor) ? s.tensor : s.kind === "arg" && argsWritten.has(s.index) ? leaves[s.index] : null;
        if (dst) written.set(dst._view?.storage, ran.inputMemory(s));
      }
    }
    for (let i = 0; i < ran.resultCount; i++) {
      const v = values[i],
        plan = ran.resultMemory[i];
      if (v?._view && written.has(v._view.storage) && written.get(v._view.storage) !== plan.memory && !plan.view) values[i] = F.clone(v);
    }
    // Write back in-place updates and gradients, as the eager code would have left them.
    const copied: Tensor[] = [];
    graph.outputs.forEach((o, i) => {
      const v = values[i];
      if (o.sink.kind === "mutation" || o.sink.kind === "arg") {
        const dst = o.sink.kind === "mutation" ? o.sink.tensor : leaves[o.sink.index];
        // A fused kernel may already have updated it in place (executor.ts): then only the version moves.
        if (writtenInPlace(dst, v!)) dst._version.v++;
        else {
          noGrad(() => F.assign(dst, v!));
          copied.push(v!);
        }
      } else if (o.sink.kind === "grad") o.sink.owner._grad = v;
      // Through the setter: inside an enclosing jit's trace, the argument's .grad is that trace's.
      else if (o.sink.kind === "argGrad") leaves[o.sink.index].grad = v;
    });
    // A value only copied into its destination is dead now: its memory goes back at once (a
    // training step's updates would otherwise wait for the garbage collector).
    if (copied.length > 0) {
      const held = new Set(values.filter((v, i) => i < ran.resultCount || !["mutation", "arg"].includes(graph.outputs[i].sink.kind)));
      for (const v of new Set(copied)) if (!held.has(v) && disposable(v, firstId)) v.dispose();
    }
    // fn's `x.requiresGrad_()` on an argument: eagerly the caller's tensor keeps it.
    for (const [i, on] of ran.argRequiresGrad) leaves[i].requiresGrad = on;
    const results = handBack(graph, values.slice(0, ran.resultCount), ran.resultMemory, leaves, ran.inputMemory);
    return ran.rebuild(results) as R;
  };

  const jitted = call as JitFunction<Args, R>;
  jitted.lower = (...args: Args) => {
    callKey(args); // the same refusals as a call (cycles, BigInt), before tracing
    const l = lowerTrace(name, fn as (...a: any[]) => unknown, undefined, args, !autograph, !given).lowered;
    return autograph ? { ...l, autograph: autograph.code } : l;
  };
  Object.defineProperty(jitted, "traceCount", { get: () => traces });
  Object.defineProperty(jitted, "guards", { get: () => (lastEntry ? guardsOf(lastEntry) : []) });
  Object.defineProperty(jitted, "retraceReasons", { get: () => [...reasons] });
  return jitted;
}

// The optimizers' eager steps on WebGPU run compiled once they repeat (optim sits below graph).
stepCompiler.compile = (fn, name) => compile(fn, { name }, true);
