/**
 * A learner-built engine in the Tape panel: `showTape` takes the nodes of an autodiff engine the
 * learner wrote (a micrograd-style `Value`, a forward-mode `Dual` …) and sends them as the same
 * `tape` events the library's own tape sends, so the panel draws the learner's graph with its
 * values, and steps through its backward pass (or, for a forward-mode engine, its tangents).
 *
 * The engine stays the learner's: the hook only reads what `describe` returns for each node. In
 * reverse mode the learner calls `step(node)` right after that node's backward step ran, and the
 * hook reads the gradients as they are then: the node's own (what arrived) and how much each input's
 * grew since the hook last looked (what this step sent; an input used twice, as in x·x, shares it
 * evenly between its two slots). So the panel shows the engine's own numbers,
 * right or wrong — a wrong vjp shows as a wrong number at the step that computed it.
 *
 * Ids live apart from the library's: nodes are numbered 1… per tape, values (the tape's "tensors")
 * get negative ids, counted down over the run, so they never meet a tensor's or another tape's. The library's next recorded op starts a tape of
 * its own.
 * @module
 */
import { WebgradError } from "../errors";
import { emit, hasListeners, type TapeNodeInfo } from "../events";
import type { OpCategory } from "../ops/registry";
import { endTape } from "./tape";

/** What the Tape panel needs of one node of a learner-built engine. */
export interface EngineNode<T> {
  /** The op that made it (`"*"`, `"tanh"`); absent or `""` for an input or a parameter (a leaf). */
  op?: string;
  /** The nodes it was computed from (the engine's own objects; a leaf has none). */
  inputs?: readonly T[];
  /** Its value. */
  value: number;
  /** Reverse mode: its gradient ∂L/∂v, read at each `step` (absent for a forward-mode engine). */
  grad?: number;
  /** Forward mode: its tangent v̇ (the panel then steps through the forward sweep). */
  tangent?: number;
  /** What to call it in the panel (leaves: the variable's name; default `x1`, `x2` … in the order met). */
  name?: string;
}

/** Options of {@link showTape}. */
export interface ShowTapeOptions {
  /** What the tape is called in the panel (default "engine"). */
  name?: string;
}

/** The tape `showTape` sent: call `step` after each backward step of the learner's engine. */
export interface EngineTape<T> {
  /**
   * Sends one backward step of `node`: the gradient it holds now (what arrived at it) and, per
   * input, how much that input's gradient grew since the hook last read it (what this step sent).
   * Call it right after the node's own backward step ran, before the engine's next one.
   */
  step(node: T): void;
  /** How many op nodes (not leaves) the tape holds. */
  readonly ops: number;
  /** How many leaves (inputs and parameters) it reads. */
  readonly leaves: number;
}

/** The next value's id: negative, and never reused in a run, so two engine tapes' leaves stay apart. */
let nextValueId = -1;

/** The op category the panel colours an engine op by: by how many inputs it has. */
const categoryOf = (inputs: number): OpCategory => (inputs <= 1 ? "unary" : inputs === 2 ? "binary" : "ternary");

/**
 * Draws a learner-built autodiff engine in the Tape panel, as the library's own tape is drawn:
 * `nodes` are the engine's op results in the order they were computed (inputs before the ops that
 * use them; leaves they read are found through `describe(node).inputs`), `describe` says what each
 * one is. Returns a handle whose `step(node)` sends each backward step as the engine runs it.
 * Call it after the forward pass and before the backward (the gradients it starts from are the
 * ones the nodes hold then, normally 0). A forward-mode engine gives `tangent`s and needs no steps.
 * @example
 * const view = showTape(tape, (v) => ({ op: v.op, inputs: v.inputs, value: v.data, grad: v.grad }), { name: "micrograd" });
 * loss.backward((node) => view.step(node));   // the engine calls this after each node's step
 */
export function showTape<T extends object>(nodes: Iterable<T>, describe: (node: T) => EngineNode<T>, options: ShowTapeOptions = {}): EngineTape<T> {
  const ops = [...nodes];
  const opIds = new Map<T, number>(); // node id (1…) of each op
  const valueIds = new Map<T, number>(); // "tensor" id (−1, −2 …) of every value, op or leaf
  const lastGrad = new Map<T, number>(); // each value's gradient when the hook last read it
  const inputsOf = new Map<T, readonly T[]>();
  const leaves: T[] = [];
  const valueId = (v: T): number => {
    let id = valueIds.get(v);
    if (id === undefined) valueIds.set(v, (id = nextValueId--));
    return id;
  };
  const described = ops.map((n) => {
    const d = describe(n);
    if (!d.op) throw new WebgradError("showTape", `a node in 'nodes' has no op: pass only op results; the leaves are found through 'inputs'`);
    return d;
  });
  ops.forEach((n, k) => {
    opIds.set(n, k + 1);
    valueId(n);
  });
  const info: TapeNodeInfo[] = [];
  const leafEvents: Extract<Parameters<typeof emit>[0], { type: "tape"; phase: "leaf" }>[] = [];
  ops.forEach((n, k) => {
    const d = described[k]!;
    const inputs = d.inputs ?? [];
    inputsOf.set(n, inputs);
    for (const inp of inputs) {
      if (opIds.has(inp) || valueIds.has(inp)) continue;
      const l = describe(inp);
      leaves.push(inp);
      leafEvents.push({
        type: "tape",
        phase: "leaf",
        id: valueId(inp),
        name: l.name ?? `x${leaves.length}`,
        shape: [],
        dtype: "float64",
        value: [l.value],
        ...(l.tangent !== undefined ? { tangent: [l.tangent] } : {}),
      });
    }
    info.push({
      id: k + 1,
      op: d.op!,
      category: categoryOf(inputs.length),
      inputs: inputs.map(valueId),
      output: valueId(n),
      shape: [],
      dtype: "float64",
      savedBytes: 0,
      value: [d.value],
      ...(d.tangent !== undefined ? { tangent: [d.tangent] } : {}),
    });
  });
  for (const v of [...leaves, ...ops]) lastGrad.set(v, describe(v).grad ?? 0);

  if (hasListeners()) {
    emit({ type: "tape", phase: "reset", engine: options.name ?? "engine" });
    for (const e of leafEvents) emit(e);
    for (const node of info) emit({ type: "tape", phase: "record", node });
  }
  // The library's next recorded op starts a tape of its own instead of joining this one.
  endTape();

  return {
    ops: ops.length,
    leaves: leaves.length,
    step(node: T): void {
      const nodeId = opIds.get(node);
      if (nodeId === undefined) throw new WebgradError("showTape", "step() got a node that is not one of the tape's ops");
      const g = describe(node).grad ?? 0;
      const inputs = inputsOf.get(node) ?? [];
      // What each input's gradient grew by; an input used twice (x·x) shares its growth between its slots.
      const grew = new Map<T, number>();
      for (const inp of new Set(inputs)) {
        const now = describe(inp).grad ?? 0;
        grew.set(inp, now - (lastGrad.get(inp) ?? 0));
        lastGrad.set(inp, now);
      }
      const sent = inputs.map((inp) => grew.get(inp)! / inputs.filter((x) => x === inp).length);
      lastGrad.set(node, g);
      if (!hasListeners()) return;
      emit({
        type: "tape",
        phase: "backward",
        nodeId,
        gradShapes: sent.map(() => []),
        gradNorms: sent.map(Math.abs),
        gradValues: sent.map((s) => [s]),
        gradOut: { shape: [], values: [g] },
      });
    },
  };
}
