/**
 * The Tape panel's store keeps several tapes of a run (bounded), defaults to the one worth
 * stepping through, and lets the learner pick another.
 */
import { describe, expect, it } from "vitest";
import { TapeStore, TAPES_KEPT_FIRST, TAPES_KEPT_LAST, TRACES_KEPT, type EvalTraceEvent, type TapeEvent } from "../../../src/app/state/tape.svelte";
import type { TapeNodeInfo } from "../../../src/schema/events";

const node = (id: number, inputs: number[], output: number): TapeNodeInfo => ({
  id,
  op: "mul",
  category: "binary",
  inputs,
  output,
  shape: [2],
  dtype: "float32",
  savedBytes: 8,
});
/** One tape: a reset, a leaf, `ops` records and, when `norm` is given, a backward with that norm per node. */
function tape(first: number, ops: number, norm?: number): TapeEvent[] {
  const events: TapeEvent[] = [{ type: "tape", phase: "reset" }];
  events.push({ type: "tape", phase: "leaf", id: first * 100, name: "w", shape: [2], dtype: "float32" });
  for (let k = 0; k < ops; k++)
    events.push({ type: "tape", phase: "record", node: node(first + k, [k === 0 ? first * 100 : first * 100 + k], first * 100 + k + 1) });
  if (norm !== undefined)
    for (let k = ops - 1; k >= 0; k--) events.push({ type: "tape", phase: "backward", nodeId: first + k, gradShapes: [[2]], gradNorms: [norm] });
  return events;
}

describe("TapeStore", () => {
  it("keeps every tape of a short run and shows the last one whose backward measured gradients", () => {
    const store = new TapeStore();
    // eager tape with a backward, then a jit trace whose backward has no numbers, then an eval pass
    store.addAll([...tape(1, 4, 0.5), ...tape(10, 4, NaN), ...tape(20, 2)]);
    expect(store.tapes.map((t) => [t.index, t.nodes.length, t.backward.length])).toEqual([
      [1, 4, 4],
      [2, 4, 4],
      [3, 2, 0],
    ]);
    expect(store.current?.index).toBe(1);
    expect(store.nodes.map((n) => n.id)).toEqual([1, 2, 3, 4]);
    expect([...store.leaves.keys()]).toEqual([100]);
    store.choose(3);
    expect(store.nodes.map((n) => n.id)).toEqual([20, 21]);
    expect(store.backward).toEqual([]);
    expect([...store.leaves.keys()]).toEqual([2000]);
    store.choose(null);
    expect(store.current?.index).toBe(1);
  });

  it("fills in gradient norms that arrive after later tapes began, in the tape they belong to", () => {
    const store = new TapeStore();
    // Two training passes without norms yet (WebGPU measures some passes later), then an evaluation tape.
    store.addAll([...tape(1, 3, NaN), ...tape(10, 3, NaN), ...tape(20, 2)]);
    store.addAll([10, 11, 12].map((nodeId): TapeEvent => ({ type: "tape", phase: "norms", nodeId, gradNorms: [nodeId / 10] })));
    expect(store.tapes.map((t) => t.backward.map((b) => b.gradNorms[0]))).toEqual([[NaN, NaN, NaN], [1.2, 1.1, 1], []]);
    // The view moves to the tape that now has measured gradients.
    expect(store.current?.index).toBe(2);
    // Norms of a node no kept tape has are dropped.
    store.addAll([{ type: "tape", phase: "norms", nodeId: 99, gradNorms: [1] }]);
    expect(store.tapes).toHaveLength(3);
  });

  it("streams a tape over several batches into the same record", () => {
    const store = new TapeStore();
    const events = tape(1, 6, 1);
    store.addAll(events.slice(0, 4));
    store.addAll(events.slice(4));
    expect(store.tapes).toHaveLength(1);
    expect(store.nodes).toHaveLength(6);
    expect(store.backward).toHaveLength(6);
  });

  it("bounds a long training loop to its first and latest tapes, plus the latest with a backward", () => {
    const store = new TapeStore();
    for (let step = 0; step < 50; step++) store.addAll(tape(step * 10 + 1, 3, step + 1));
    for (let e = 0; e < 5; e++) store.addAll(tape(1000 + e * 10, 2)); // evaluation passes, no backward
    expect(store.tapeCount).toBe(55);
    const kept = store.tapes.map((t) => t.index);
    expect(kept).toEqual([1, 2, 3, 50, 53, 54, 55]);
    expect(kept.length).toBe(TAPES_KEPT_FIRST + TAPES_KEPT_LAST + 1);
    expect(store.current?.index).toBe(50);
    expect(store.backward[0].gradNorms).toEqual([50]);
  });

  it("keeps a run's evaluation traces beside its tapes (the first TRACES_KEPT), and forgets them when a run starts", () => {
    const trace = (name: string): EvalTraceEvent => ({
      type: "evaltrace",
      name,
      mode: "reverse",
      inputs: 1,
      seed: [1],
      rows: [{ name: "v₀", expr: "x₁", value: 2, derivExpr: "1", deriv: 1 }],
    });
    const store = new TapeStore();
    store.addAll([trace("f"), ...tape(1, 2, 1), trace("g")]);
    expect(store.traces.map((t) => t.name)).toEqual(["f", "g"]);
    expect(store.nodes).toHaveLength(2); // the tape is unaffected
    store.addAll(Array.from({ length: TRACES_KEPT + 5 }, (_, i) => trace(`t${i}`)));
    expect(store.traces).toHaveLength(TRACES_KEPT);
    expect(store.traces[0].name).toBe("f");
    store.clear();
    expect(store.traces).toEqual([]);
  });
});
