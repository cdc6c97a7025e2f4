/**
 * The reverse-mode tape, PyTorch-style: each op whose inputs require grad records a node on its
 * output (`t._node`). Nodes point at the nodes (or leaf tensors) of their inputs, so the tape of a
 * value is the graph reachable from it, and it is garbage-collected with it: no global list grows.
 */
import { VJP_RULES } from "./rules";
import { currentUserLine } from "../debug/source";
import { currentScope } from "../debug/scope";
import { emit, hasListeners, type TapeNodeInfo } from "../events";
import { ITEM_SIZE } from "../tensor/dtype";
import { shapeSize } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import type { AbstractValue, Attrs, OpDef } from "../ops/registry";
import { evalTrace, tapeRecorder, topTrace } from "../ops/dispatch";

/** Where an input's gradient goes: to the node that produced it, or to a leaf tensor. */
export type Edge = { readonly node: TapeNode; readonly leaf: null } | { readonly node: null; readonly leaf: Tensor };

/** A gradient hook: sees the gradient of a tensor and may return a replacement. */
export type GradHook = (grad: Tensor) => Tensor | void;

let nextNodeId = 1;

/**
 * Saved tensors a compiled graph's node would have had changed in place after it ran: jit runs the
 * functionalized program, where the write made a new value and the saved one never changes, so
 * the trace notes which saved inputs (and output) eager would have seen move, with their versions.
 */
export interface StaleSaved {
  readonly inputs: readonly VersionMove[];
  /** By result index (a control-flow node has several results; a primitive's one is 0). */
  readonly outputs: readonly VersionMove[];
}

/** A saved tensor's version when the node ran and at the end of the traced function. */
export interface VersionMove {
  readonly index: number;
  readonly from: number;
  readonly to: number;
}

/** Which of an op's `count` inputs its vjp rule saves (`op.save.inputs`). */
export function savedInputMask(op: OpDef, count: number): boolean[] {
  const s = op.save?.inputs;
  return Array.from({ length: count }, (_, i) => s === true || (Array.isArray(s) && s.includes(i)));
}

/** One recorded op. */
export class TapeNode {
  readonly id = nextNodeId++;
  /** Where each input's gradient flows; null for inputs that do not require grad. */
  readonly edges: (Edge | null)[];
  readonly inputAvals: AbstractValue[];
  /** Saved tensors for the vjp rule; emptied when the graph is freed after backward. */
  saved: { inputs: (Tensor | null)[]; output: Tensor | null } | null;
  /** Versions of the saved inputs when recorded: an in-place change afterwards is an error at backward. */
  readonly savedVersions: number[];
  /** Version of the output when recorded (rules such as exp's and tanh's read the saved output). */
  readonly savedOutputVersion: number;
  readonly savedBytes: number;
  /** Set when a compiled graph ran this op: saved tensors the traced code changed in place afterwards (see StaleSaved). */
  stale: StaleSaved | undefined = undefined;
  /**
   * In a traced program: eager mode would have put this op on the tape only when one of these traced
   * booleans holds at run time (its gradient-carrying input came out of a cond branch that may not
   * carry one); null when it always would. The backward turns a refusal here into a run-time check.
   */
  tapedWhen: readonly Tensor[] | null = null;
  /**
   * In a traced program: eager mode would have saved this op's tensors only when this traced
   * boolean holds at run time (a bounded whileLoop's step that saves them runs only when the loop
   * runs at all); null when always. Only the in-place refusal reads it: gradients flow regardless.
   */
  savesWhen: Tensor | null = null;
  /** Hooks registered on the output tensor (a non-leaf). */
  hooks: GradHook[] = [];
  /** Set by `retainGrad()`: the non-leaf output whose `.grad` should be kept. */
  retainOn: Tensor | null = null;
  /** Id of the output tensor, for the Tape panel. */
  readonly outputId: number;
  /** Shape and dtype of the output. */
  readonly outAval: AbstractValue;
  readonly line: number | undefined;
  /** The module scope its op ran in (debug/scope.ts): its gradient is traced in the same scope. */
  readonly scope: readonly string[] | undefined;

  constructor(
    readonly op: OpDef,
    inputs: readonly Tensor[],
    readonly attrs: Attrs,
    output: Tensor,
  ) {
    this.edges = inputs.map((t) => (!t.requiresGrad ? null : t._node !== null ? { node: t._node, leaf: null } : { node: null, leaf: t }));
    this.inputAvals = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    const save = op.save ?? {};
    const saveIn = savedInputMask(op, inputs.length);
    const savedInputs = inputs.map((t, i) => (saveIn[i] ? t : null));
    this.saved = { inputs: savedInputs, output: save.output ? output : null };
    this.savedVersions = inputs.map((t) => t._version.v);
    this.savedOutputVersion = output._version.v;
    let bytes = 0;
    const counted = new Set<Tensor>();
    for (const t of [...savedInputs, save.output ? output : null]) {
      if (t !== null && !counted.has(t)) {
        counted.add(t);
        bytes += shapeSize(t.shape) * ITEM_SIZE[t.dtype];
      }
    }
    this.savedBytes = bytes;
    this.outputId = output.id;
    this.outAval = { shape: output.shape, dtype: output.dtype };
    this.line = currentUserLine();
    this.scope = currentScope();
  }

  /** The ids of the input tensors, for display. */
  inputIds: number[] = [];
}

/**
 * Tape events: a tape is what is recorded between two backward passes. The first record after a
 * backward starts a new one (a `reset` event), and each tape streams at most `maxNodes` records,
 * so a long training loop cannot flood the panels.
 */
const tapeStream = { pendingReset: true, recorded: 0, maxNodes: 10_000 };

/** @internal Called when a backward pass ends: the next record starts a new tape. */
export function endTape(): void {
  tapeStream.pendingReset = true;
}

/** Limit how many nodes of one tape are streamed to listeners (default 10 000). */
export function setTapeEventLimit(maxNodes: number): void {
  tapeStream.maxNodes = maxNodes;
}

/** The run-time boolean that ops recorded now are taped under (see {@link tapedOnlyWhen}), or null. */
let tapingWhen: Tensor | null = null;

/** @internal The flag of the innermost {@link tapedOnlyWhen} running now, or null. */
export const tapingFlag = (): Tensor | null => tapingWhen;

/**
 * @internal Run `fn` with every op it records taped only when `flag` (a boolean scalar tensor)
 * holds; inside another call, `flag` should include the outer one's (see {@link tapingFlag}).
 * Eager control flow on a device it cannot read synchronously (WebGPU) runs a branch or a loop
 * step that may not be taken and selects its results with `where`: eagerly on the CPU that code
 * is never on the tape, so its nodes' cotangents must add nothing (not 0·NaN) when `flag` is
 * false. The backward masks them (TapeNode.tapedWhen).
 */
export function tapedOnlyWhen<T>(flag: Tensor, fn: () => T): T {
  const prev = tapingWhen;
  tapingWhen = flag;
  try {
    return fn();
  } finally {
    tapingWhen = prev;
  }
}

/** @internal Record `op` on the tape: gives `output` a node and marks it as requiring grad. */
export function recordNode(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, output: Tensor): void {
  const node = new TapeNode(op, inputs, attrs, output);
  // Under tapedOnlyWhen the flag alone is enough: an input node taped only at times masks its own
  // cotangents. Only for concrete values: a trace running inside such code (a jit traced in an
  // eager branch) must not bake one call's flag into a graph that later calls reuse.
  node.tapedWhen = tapingWhen !== null && topTrace([]) === evalTrace ? [tapingWhen] : tapedWhenOf(node);
  node.inputIds = inputs.map((t) => t.id);
  output._node = node;
  output.requiresGrad = true;
  if (hasListeners()) {
    if (tapeStream.pendingReset) {
      tapeStream.pendingReset = false;
      tapeStream.recorded = 0;
      emit({ type: "tape", phase: "reset" });
    }
    if (tapeStream.recorded++ >= tapeStream.maxNodes) return;
    for (const e of node.edges) {
      if (e !== null && e.leaf !== null && !e.leaf._announced) {
        e.leaf._announced = true;
        emit({
          type: "tape",
          phase: "leaf",
          id: e.leaf.id,
          name: e.leaf.name,
          shape: [...e.leaf.shape],
          dtype: e.leaf.dtype,
          line: currentUserLine(),
          gradLine: e.leaf._gradLine,
        });
      }
    }
    emit({
      type: "tape",
      phase: "record",
      node: {
        id: node.id,
        op: op.name,
        category: op.category,
        inputs: node.inputIds,
        output: output.id,
        shape: [...output.shape],
        dtype: output.dtype,
        savedBytes: node.savedBytes,
        line: node.line,
        rule: VJP_RULES[op.name],
      },
    });
  }
}

/** When eager would tape `node`: when any of its inputs' nodes would be (null: always, a leaf or an always-taped node feeds it). */
function tapedWhenOf(node: TapeNode): readonly Tensor[] | null {
  let when: Set<Tensor> | null = null;
  for (const e of node.edges) {
    if (e === null) continue;
    const w = e.node?.tapedWhen ?? null;
    if (w === null) return null;
    when ??= new Set();
    for (const t of w) when.add(t);
  }
  return when === null ? null : [...when];
}

/** A node of a tape, as `tensor.tape()` returns it: plain data for inspection. */
export interface TapeEntry extends TapeNodeInfo {
  /** True once backward has freed it (without retainGraph). */
  freed: boolean;
}

/** The nodes reachable from `root`'s node, inputs before the ops that use them. */
export function collectNodes(roots: readonly TapeNode[]): TapeNode[] {
  const order: TapeNode[] = [];
  const seen = new Set<TapeNode>();
  // Iterative post-order DFS: deep tapes (10 000 nodes) must not overflow the JS stack.
  const stack: { node: TapeNode; next: number }[] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push({ node: r, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.edges.length) {
        const e = top.node.edges[top.next++];
        if (e !== null && e.node !== null && !seen.has(e.node)) {
          seen.add(e.node);
          stack.push({ node: e.node, next: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

/** The tape behind a tensor as plain entries, in recording order. */
export function tapeOf(t: Tensor): TapeEntry[] {
  if (t._node === null) return [];
  return collectNodes([t._node])
    .sort((a, b) => a.id - b.id)
    .map((n) => ({
      id: n.id,
      op: n.op.name,
      category: n.op.category,
      inputs: n.inputIds,
      output: n.outputId,
      shape: [...n.outAval.shape],
      dtype: n.outAval.dtype,
      savedBytes: n.savedBytes,
      line: n.line,
      freed: n.saved === null,
    }));
}

// The op dispatcher records through this (ops/dispatch.ts cannot import reverse mode).
tapeRecorder.record = recordNode;
