/**
 * The reverse-mode tapes of the latest run, from the library's `tape` events: the recorded nodes,
 * the leaves they read, and the backward pass node by node. A `reset` event starts a new tape (the
 * library sends one when recording resumes after a backward), so a run can record many: a
 * training loop one per step, example 12 an eager one and a jit-traced one. The store keeps a
 * bounded set of them (the first few, the latest few, and the latest one that had a backward) and
 * the learner picks which one the panel shows. It also keeps the run's evaluation traces
 * (`evaluationTrace()`: a scalar function's rows with tangents or adjoints), the panel's Trace view.
 * @module
 */
import type { EvalTraceEvent, TapeEvent, TapeNodeInfo } from "../../schema/events";

export type { TapeEvent, EvalTraceEvent };

/** A tensor the tape reads that was not produced by a recorded op (an input or a parameter). */
export interface TapeLeaf {
  id: number;
  name?: string;
  shape: number[];
  dtype: string;
  line?: number;
  /** The user's line that made it require grad: the panel reads the variable's name there. */
  gradLine?: number;
  /** Its value and tangent, when a learner-built engine sent them (`showTape`). */
  value?: number[];
  tangent?: number[];
}

/** One node of the backward pass: the gradients it sent to its inputs. */
export interface BackwardStep {
  nodeId: number;
  gradShapes: number[][];
  gradNorms: number[];
  /** The gradient that arrived at the node's output (values when small). */
  gradOut?: { shape: number[]; values: number[] | null };
  /** Per input, the values when small (aligned with `gradShapes`). */
  gradValues?: (number[] | null)[];
}

/** One tape of the run. Immutable: a batch of events replaces the record it changes. */
export interface TapeRecord {
  /** 1-based position among all the tapes of the run (tapes dropped from the middle leave gaps). */
  index: number;
  nodes: TapeNodeInfo[];
  /** Backward steps in the order the engine ran them (empty: no backward ran on this tape). */
  backward: BackwardStep[];
  /** The learner-built engine that sent this tape (`showTape`); absent for the library's own. */
  engine?: string;
}

/** How many evaluation traces of a run the store keeps (the first ones: a lesson's tables come early). */
export const TRACES_KEPT = 20;

/** How many of a run's first tapes, and of its latest, the store keeps. */
export const TAPES_KEPT_FIRST = 3;
export const TAPES_KEPT_LAST = 3;

/**
 * The tape to show by default: the last one a learner-built engine drew (`showTape`: what such a
 * program is about, whatever the library records after it), else the last one whose backward
 * measured its gradients (the one a learner can step through with numbers to read; a jit trace's
 * backward runs symbolically and has none), else the last one that had a backward, else the last one.
 */
export function defaultTape(tapes: readonly TapeRecord[]): TapeRecord | undefined {
  const last = (ok: (t: TapeRecord) => boolean) => tapes.findLast(ok);
  return (
    last((t) => t.engine !== undefined) ??
    last((t) => t.backward.some((s) => s.gradNorms.some(Number.isFinite))) ??
    last((t) => t.backward.length > 0) ??
    tapes.at(-1)
  );
}

/**
 * Drops tapes from the middle of the run until at most first + last remain, besides the latest
 * tape that had a backward (kept wherever it is, so the default choice survives a run that ends
 * with evaluation passes).
 */
function bound(tapes: TapeRecord[]): TapeRecord[] {
  if (tapes.length <= TAPES_KEPT_FIRST + TAPES_KEPT_LAST) return tapes;
  const keep = defaultTape(tapes);
  const out = tapes.filter((t, i) => i < TAPES_KEPT_FIRST || i >= tapes.length - TAPES_KEPT_LAST || t === keep);
  return out;
}

/** The Tape panel's data. Updated in batches (one assignment per batch of events). */
export class TapeStore {
  /** The kept tapes of this run, in recording order. */
  tapes = $state.raw<TapeRecord[]>([]);
  /** Every leaf announced in this run, by tensor id (a leaf is announced once, on its first tape). */
  allLeaves = $state.raw<ReadonlyMap<number, TapeLeaf>>(new Map());
  /** Tapes seen in this run (a training loop records one per step); more than `tapes.length` once some were dropped. */
  tapeCount = $state(0);
  /** The tape the learner picked (its `index`); null: the default one. */
  chosen = $state<number | null>(null);
  /** The run's evaluation traces, in the order they were made (at most {@link TRACES_KEPT}). */
  traces = $state.raw<EvalTraceEvent[]>([]);

  /** The tape the panel shows. */
  current = $derived(this.tapes.find((t) => t.index === this.chosen) ?? defaultTape(this.tapes));
  nodes = $derived(this.current?.nodes ?? []);
  backward = $derived(this.current?.backward ?? []);
  /** The leaves the shown tape reads. */
  leaves = $derived.by(() => {
    const out = new Map<number, TapeLeaf>();
    for (const n of this.nodes)
      for (const id of n.inputs) {
        const leaf = this.allLeaves.get(id);
        if (leaf) out.set(id, leaf);
      }
    return out as ReadonlyMap<number, TapeLeaf>;
  });
  /** Node by output tensor id, for edges. */
  byOutput = $derived(new Map(this.nodes.map((n) => [n.output, n])));
  savedBytes = $derived(this.nodes.reduce((s, n) => s + n.savedBytes, 0));

  /** Show the tape with this `index` (null: the default one). */
  choose(index: number | null): void {
    this.chosen = index;
  }

  /** Apply a batch of events in order. */
  addAll(events: readonly (TapeEvent | EvalTraceEvent)[]): void {
    let tapes = this.tapes,
      count = this.tapeCount;
    let leaves: Map<number, TapeLeaf> | null = null;
    // The last tape, copied on its first change in this batch.
    let last: TapeRecord | null = null;
    const open = (): TapeRecord => {
      if (last) return last;
      const prev = tapes.at(-1);
      // Records before any reset (not expected from the library) open tape 1.
      if (!prev) {
        count = Math.max(count, 1);
        last = { index: count, nodes: [], backward: [] };
        tapes = [last];
        return last;
      }
      last = { ...prev, nodes: [...prev.nodes], backward: [...prev.backward] };
      tapes = [...tapes.slice(0, -1), last];
      return last;
    };
    let traces: EvalTraceEvent[] | null = null;
    for (const e of events) {
      if (e.type === "evaltrace") {
        traces ??= [...this.traces];
        if (traces.length < TRACES_KEPT) traces.push(e);
      } else if (e.phase === "reset") {
        count++;
        last = { index: count, nodes: [], backward: [], ...(e.engine !== undefined ? { engine: e.engine } : {}) };
        tapes = bound([...tapes, last]);
      } else if (e.phase === "record") {
        open().nodes.push(e.node);
      } else if (e.phase === "leaf") {
        leaves ??= new Map(this.allLeaves);
        leaves.set(e.id, { id: e.id, name: e.name, shape: e.shape, dtype: e.dtype, line: e.line, gradLine: e.gradLine, value: e.value, tangent: e.tangent });
      } else if (e.phase === "backward") {
        open().backward.push({ nodeId: e.nodeId, gradShapes: e.gradShapes, gradNorms: e.gradNorms, gradValues: e.gradValues, gradOut: e.gradOut });
      } else if (e.phase === "norms") {
        // Norms read back from the GPU after their pass, which need not be the latest tape (the
        // library measures a training loop's last pass when the program ends): fill in the step
        // they belong to, in the newest tape that has it.
        const at = tapes.findLastIndex((t) => t.backward.some((s) => s.nodeId === e.nodeId));
        if (at >= 0) {
          const t = at === tapes.length - 1 ? open() : { ...tapes[at]!, backward: [...tapes[at]!.backward] };
          if (at !== tapes.length - 1) tapes = tapes.with(at, t);
          const i = t.backward.findIndex((s) => s.nodeId === e.nodeId);
          t.backward[i] = { ...t.backward[i]!, gradNorms: e.gradNorms };
        }
      }
    }
    if (tapes !== this.tapes) this.tapes = tapes;
    if (leaves) this.allLeaves = leaves;
    if (count !== this.tapeCount) this.tapeCount = count;
    if (traces) this.traces = traces;
  }

  clear(): void {
    this.tapes = [];
    this.allLeaves = new Map();
    this.tapeCount = 0;
    this.chosen = null;
    this.traces = [];
  }
}
