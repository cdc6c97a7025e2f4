/**
 * The latest reverse-mode tape, from the library's `tape` events: the recorded nodes, the leaves
 * they read, and the backward pass node by node. A `reset` event starts a new tape (the library
 * sends one when recording resumes after a backward), so a training loop shows its last step.
 * @module
 */
import type { TapeEvent, TapeNodeInfo } from "../../schema/events";

export type { TapeEvent };

/** A tensor the tape reads that was not produced by a recorded op (an input or a parameter). */
export interface TapeLeaf {
  id: number;
  name?: string;
  shape: number[];
  dtype: string;
  line?: number;
}

/** One node of the backward pass: the gradients it sent to its inputs. */
export interface BackwardStep {
  nodeId: number;
  gradShapes: number[][];
  gradNorms: number[];
}

/** The Tape panel's data. Updated in batches (one assignment per batch of events). */
export class TapeStore {
  nodes = $state.raw<TapeNodeInfo[]>([]);
  leaves = $state.raw<ReadonlyMap<number, TapeLeaf>>(new Map());
  /** Backward steps in the order the engine ran them. */
  backward = $state.raw<BackwardStep[]>([]);
  /** Tapes seen in this run (a training loop records one per step). */
  tapeCount = $state(0);

  /** Node by output tensor id, for edges. */
  byOutput = $derived(new Map(this.nodes.map((n) => [n.output, n])));
  savedBytes = $derived(this.nodes.reduce((s, n) => s + n.savedBytes, 0));

  /** Apply a batch of events in order. */
  addAll(events: readonly TapeEvent[]): void {
    let nodes = this.nodes,
      backward = this.backward,
      tapes = this.tapeCount;
    let leaves: Map<number, TapeLeaf> | null = null;
    for (const e of events) {
      if (e.phase === "reset") {
        nodes = [];
        backward = [];
        leaves = new Map();
        tapes++;
      } else if (e.phase === "record") {
        if (nodes === this.nodes) nodes = [...nodes];
        nodes.push(e.node);
      } else if (e.phase === "leaf") {
        leaves ??= new Map(this.leaves);
        leaves.set(e.id, { id: e.id, name: e.name, shape: e.shape, dtype: e.dtype, line: e.line });
      } else if (e.phase === "backward") {
        if (backward === this.backward) backward = [...backward];
        backward.push({ nodeId: e.nodeId, gradShapes: e.gradShapes, gradNorms: e.gradNorms });
      } else if (e.phase === "norms") {
        // Norms read back from the GPU after the pass: fill in the step they belong to.
        const i = backward.findIndex((s) => s.nodeId === e.nodeId);
        if (i >= 0) {
          if (backward === this.backward) backward = [...backward];
          backward[i] = { ...backward[i], gradNorms: e.gradNorms };
        }
      }
    }
    if (nodes !== this.nodes) this.nodes = nodes;
    if (backward !== this.backward) this.backward = backward;
    if (leaves) this.leaves = leaves;
    if (tapes !== this.tapeCount) this.tapeCount = tapes;
  }

  clear(): void {
    this.nodes = [];
    this.backward = [];
    this.leaves = new Map();
    this.tapeCount = 0;
  }
}
