/**
 * Tracing a JS function into a region: a sub-graph with explicit inputs and outputs. Values the
 * function closes over (parameters, tensors of the enclosing graph) become extra inputs of the
 * region and extra operands of its node (closure conversion), so a region is a closed function
 * that the executor, forward mode and reverse mode can run on any values.
 */
import { WebgradError, ShapeError } from "../../errors";
import { enterTrace, exitTrace, topTrace, withDynamicTrace } from "../../ops/dispatch";
import { withGradMode } from "../../ops/gradmode";
import { treeFlatten } from "../../autodiff/pytree";
import { tapedOnlyWhen, tapingFlag } from "../../autodiff/tape";
import type { AbstractValue } from "../../ops/registry";
import { Tensor, nextTensorIdPeek } from "../../tensor/tensor";
import * as F from "../../ops/functional";
import { fmtShape } from "../../tensor/shape";
import { newValue, typeText, type IRGraph, type IRInput, type IROutput } from "../ir";
import { GraphTrace } from "../tracer";

/** A traced region before its captures are merged with those of its sibling regions. */
export interface TracedRegion {
  graph: IRGraph;
  /** Tensors the function closed over, in the order of the region's extra inputs. */
  captures: Tensor[];
  /** Rebuilds the function's return value from the node's results. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the user function's own result (a pytree), as treeFlatten gives it
  unflatten: (leaves: readonly unknown[]) => any;
  /** The return value's structure with each tensor as its type: two regions must agree. */
  structure: string;
  outAvals: AbstractValue[];
}

/**
 * Run an eager control-flow op whose results never share memory with a tensor that existed before
 * it ran (an operand, or one its functions captured), as in the compiled graph, where they are
 * new values: a result that would (a branch returned its operand, a loop ran no step) is copied,
 * so an in-place write to it changes the same tensors in both modes.
 */
export function withOwnMemory<T>(operands: readonly unknown[], run: () => T): T {
  const own = ownSince(operands);
  const result = run();
  const out = treeFlatten(result);
  let copied = false;
  const leaves = out.leaves.map((t) => {
    if (!t._view || own(t)) return t;
    copied = true;
    return F.clone(t);
  });
  return copied ? (out.unflatten(leaves) as T) : result;
}

/**
 * From now on: whether a tensor is a control op's own result, made after this call and sharing no
 * memory with `operands` (ask once the op's functions have run).
 */
function ownSince(operands: readonly unknown[]): (t: Tensor) => boolean {
  const firstId = nextTensorIdPeek();
  let before: Set<unknown> | null = null;
  return (t) => {
    before ??= new Set(treeFlatten(operands).leaves.flatMap((o) => (o._view ? [o._view.storage] : [])));
    return t._view !== null && t.id >= firstId && !before.has(t._view.storage);
  };
}

/** What an in-place write to a select made by selectLinked moves the versions of, instead of (only) its own. */
const selectedFrom = new WeakMap<Tensor, readonly Tensor[]>();

/** Move the version of `t` by `moved`: of the tensors it stands for, when it is a linked select. */
function moveVersion(t: Tensor, moved: number): void {
  const sides = selectedFrom.get(t);
  if (sides) for (const s of sides) moveVersion(s, moved);
  else t._version.v += moved;
}

/**
 * where(pred, a, b) for control flow that ran both sides with no read of `pred` (WebGPU): on the
 * CPU the result *is* the side taken, so an in-place write to it changes a tensor that an op of
 * that side may have saved (exp's output), and a backward through it is refused. Here a write
 * moves the version of each side that is the op's own result (`own`; a side that is itself such a
 * select, through to what it stands for): which side ran is not known without a read, so a backward
 * either side would refuse is refused, as a compiled cond does on such a device.
 */
function selectLinked(pred: Tensor, a: Tensor, b: Tensor, own: (t: Tensor) => boolean): Tensor {
  const y = F.where(pred, a, b);
  const sides = [a, b].filter((s) => selectedFrom.has(s) || own(s));
  if (sides.length === 0 || sides.includes(y)) return y;
  selectedFrom.set(y, sides);
  const mine = y._version;
  y._version = {
    get v() {
      return mine.v;
    },
    set v(n: number) {
      const moved = n - mine.v;
      mine.v = n;
      for (const s of sides) moveVersion(s, moved);
    },
  };
  return y;
}

/** True while `jit` traces (control flow must become graph nodes), false when running eagerly. */
export function isStaged(): boolean {
  return topTrace([]) instanceof GraphTrace;
}

/** A pytree's shape: the nesting, non-tensor values, and each tensor's dtype and shape. */
export function structureOf(tree: unknown): string {
  return JSON.stringify(tree ?? null, (_k, v) => (v instanceof Tensor ? `${typeText(v)}` : v === undefined ? null : v));
}

/** "scan body", "while cond", "cond then (positive)": what a region is, and whose function it traced. */
export function regionGraphName(op: string, role: string, userFn?: { readonly name: string }): string {
  const fnName = userFn?.name && userFn.name !== role ? ` (${userFn.name})` : "";
  return `${op === "whileLoop" ? "while" : op} ${role}${fnName}`;
}

/**
 * Trace `fn` on fresh values of the types `args` into a region. It runs with grad mode off (the
 * region's own tape would be unreachable: reverse mode differentiates the region instead); a
 * noGrad region inside fn is marked, so the region cuts gradients where eager would.
 * The region's graph is named by what it is ("scan body", "while cond", "cond then") and by the
 * user's function when it has a name ("scan body (step)"): the IR and the Graph panel show it.
 */
export function traceRegion(
  op: string,
  name: string,
  fn: (args: Tensor[]) => unknown,
  args: readonly AbstractValue[],
  userFn?: { readonly name: string },
): TracedRegion {
  const trace = enterTrace((level) => new GraphTrace(level));
  let outputs: IROutput[];
  let out: ReturnType<typeof treeFlatten>;
  let result: unknown;
  try {
    const tracers = args.map((a, i) => trace.addArg(a as Tensor, i, `in${i}`));
    // The region's noGrad regions are marked (the op's rules differentiate the region by running it).
    trace.marksNoGrad = true;
    result = withGradMode(false, () => withDynamicTrace(trace, () => fn(tracers)));
    out = treeFlatten(result);
    outputs = out.leaves.map((t, i) => ({ value: trace.irValueOf(t), sink: { kind: "result", index: i }, name: `out${i}` }));
  } finally {
    exitTrace(trace);
  }
  if (trace.mutations.size > 0 || trace.gradWrites.size > 0) {
    throw new WebgradError(
      op,
      `the ${name} function writes in place into a tensor from outside (or a .grad); inside control flow, return the new value instead and let ${op} carry it`,
    );
  }
  const captures: Tensor[] = [];
  const argInputs: IRInput[] = [];
  const captureInputs: IRInput[] = [];
  const constants: IRInput[] = [];
  for (const inp of trace.inputs) {
    if (inp.source.kind === "arg") argInputs.push(inp);
    else if (inp.source.kind === "capture" && inp.constant) constants.push(inp);
    else if (inp.source.kind === "capture") {
      captureInputs.push({ ...inp, source: { kind: "arg", index: args.length + captures.length, path: `capture${captures.length}` } });
      captures.push(inp.source.tensor);
    } else throw new WebgradError(op, `the ${name} function reads a .grad, which control flow cannot carry`);
  }
  argInputs.sort((a, b) => (a.source as { index: number }).index - (b.source as { index: number }).index);
  return {
    graph: { name: regionGraphName(op, name, userFn), inputs: [...argInputs, ...captureInputs, ...constants], nodes: trace.nodes, outputs: outputs! },
    captures,
    unflatten: out!.unflatten,
    structure: structureOf(result),
    outAvals: out!.leaves.map((t) => ({ shape: t.shape, dtype: t.dtype })),
  };
}

/**
 * Give sibling regions one signature: the explicit arguments, then the union of everyone's
 * captures (a region that does not use a capture gets an unused input for it).
 */
export function mergeCaptures(regions: TracedRegion[], argCount: number): { graphs: IRGraph[]; captures: Tensor[] } {
  const captures: Tensor[] = [];
  for (const r of regions) for (const t of r.captures) if (!captures.includes(t)) captures.push(t);
  const graphs = regions.map((r) => {
    const byTensor = new Map<Tensor, IRInput>();
    const rest: IRInput[] = [];
    for (const inp of r.graph.inputs) {
      const s = inp.source;
      if (s.kind === "arg" && s.index >= argCount) byTensor.set(r.captures[s.index - argCount], inp);
      else rest.push(inp);
    }
    const args = rest.filter((i) => i.source.kind === "arg");
    const consts = rest.filter((i) => i.source.kind !== "arg");
    const caps: IRInput[] = captures.map((t, k) => {
      const index = argCount + k;
      const prev = byTensor.get(t);
      const source = { kind: "arg" as const, index, path: `capture${k}` };
      return prev ? { ...prev, source } : { value: newValue(t.shape, t.dtype), source, name: t.name ?? `capture${k}` };
    });
    return { ...r.graph, inputs: [...args, ...caps, ...consts] };
  });
  return { graphs, captures };
}

/** Throw unless two regions return values of the same structure and types. */
export function checkSameStructure(op: string, what: string, a: TracedRegion, b: TracedRegion | string, bName: string): void {
  const sb = typeof b === "string" ? b : b.structure;
  if (a.structure !== sb) throw new ShapeError(op, `${what} must have the same structure, shapes and dtypes, but got ${a.structure} and ${sb} (${bName})`);
}

/**
 * Whether a predicate can be read on the host right now (the CPU backend can; WebGPU reads back
 * asynchronously, so control flow there selects with `where` instead of branching).
 */
export function canReadSync(pred: unknown): boolean {
  if (!(pred instanceof Tensor)) return true;
  const c = pred._concreteValue();
  return c !== null && c._view!.storage.backend.readSync !== undefined;
}

/** `pred` as a boolean scalar, or the shape error when it has more than one element. */
export function scalarPred(op: string, pred: Tensor): Tensor {
  if (pred.size !== 1) throw new ShapeError(op, `the predicate must have exactly one element, got shape ${fmtShape(pred.shape)}`);
  let p = pred.ndim > 0 ? F.reshape(pred, []) : pred;
  if (p.dtype !== "bool") p = F.ne(p, 0);
  return p;
}

/**
 * Run eagerly, on a device with no synchronous read-back, code that the CPU would run only when
 * `pred` holds (a branch or a guarded loop step, whose results are then selected with where): its
 * ops are taped only when `pred` (and any enclosing such code's flag) holds, so an untaken branch
 * adds nothing to a gradient, as on the CPU where it never ran.
 */
function runGuarded<T>(pred: Tensor, fn: () => T): T {
  const outer = tapingFlag();
  return tapedOnlyWhen(outer === null ? pred : F.logicalAnd(outer, pred), fn);
}

/**
 * A two-way choice on a device with no synchronous read-back (WebGPU): both sides run, each taped
 * only when `pred` (a boolean scalar) picks it, and each result is selected with where, linked to
 * the side it stands for (selectLinked). `operands`: the op's inputs, which no result owns.
 */
export function selectBoth(pred: Tensor, operands: readonly unknown[], whenTrue: () => Tensor[], whenFalse: () => Tensor[]): Tensor[] {
  const own = ownSince(operands);
  const a = runGuarded(pred, whenTrue),
    b = runGuarded(F.logicalNot(pred), whenFalse);
  return a.map((t, i) => selectLinked(pred, t, b[i], own));
}

/**
 * A bounded loop on a device with no synchronous read-back (WebGPU): `max` guarded steps from
 * `init`, each running `body` taped only when `test` holds and selecting its result or the carry
 * with where (selectLinked; the carry's leaves, as `init`'s). `operands`: the op's inputs.
 */
export function guardedSteps(
  max: number,
  operands: readonly unknown[],
  init: Tensor[],
  test: (carry: Tensor[]) => Tensor,
  body: (carry: Tensor[]) => Tensor[],
): Tensor[] {
  const own = ownSince(operands);
  let carry = init;
  for (let k = 0; k < max; k++) {
    const p = test(carry);
    const next = runGuarded(p, () => body(carry));
    carry = carry.map((c, i) => selectLinked(p, next[i], c, own));
  }
  return carry;
}

/** The value of a one-element predicate, read on the host (eager control flow branches on it). */
export function readBool(op: string, pred: unknown): boolean {
  if (!(pred instanceof Tensor)) return Boolean(pred);
  if (pred.size !== 1) scalarPred(op, pred); // throws the shape error
  const c = pred._concreteValue();
  if (c === null) throw new WebgradError(op, `the predicate is a traced value with no data here (${pred._trace?.kind})`);
  const b = c._view!.storage.backend;
  if (!b.readSync)
    throw new WebgradError(
      op,
      `branching on a tensor reads it back synchronously, which the ${b.name} backend cannot do; pass { maxIterations } (whileLoop then runs that many guarded steps; for loops converted by autograph, jit(fn, { autograph: true, maxIterations })), use scan/fori with a static trip count, or read it with await pred.item() and branch in JS`,
    );
  return Boolean(b.readSync(c._view!)[0]);
}
