/**
 * Memory planning: liveness of every value in execution order, then buffers assigned so that a
 * value whose last use has passed gives its buffer to a later value of the same size, and an
 * elementwise op may write into an input that dies at it (in place). Reports peak bytes with
 * one buffer per value (before) and with the plan (after).
 */
import { getOp } from "../../ops/registry";
import { nodeResults, type IRGraph, type IRNode } from "../ir";
import { isControlFlow } from "../control/registry";
import type { Pass } from "./pass";
import { isViewOp, valueBytes } from "./util";
import { ELEMENTWISE_CATEGORIES } from "../../../schema/op-category";

/** Buffer assignment of one graph. */
export interface MemoryPlan {
  /** value id → buffer index (values of view ops share their input's buffer). */
  bufferOf: Map<number, number>;
  bufferBytes: number[];
  /** Peak bytes of intermediates with one buffer per value. */
  peakBefore: number;
  /** Peak bytes with reuse and in-place writes. */
  peakAfter: number;
  inPlace: number;
  /** value id → index of the node after which it is no longer needed (graph outputs: never). */
  lastUse: Map<number, number>;
}

/** Plan buffers for the nodes of `g` in their current order. */
export function planMemory(g: IRGraph): MemoryPlan {
  const lastUse = new Map<number, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((v) => lastUse.set(v.id, i)));
  for (const o of g.outputs) if (o.value) lastUse.set(o.value.id, Infinity);
  const isInput = new Set(g.inputs.map((i) => i.value.id));

  const bufferOf = new Map<number, number>();
  const bufferBytes: number[] = [];
  const free = new Map<number, number[]>(); // bytes → free buffer indices
  let live = 0,
    peakAfter = 0,
    peakBefore = 0,
    inPlace = 0;
  const refCount = new Map<number, number>(); // buffer → live values using it

  const release = (vid: number) => {
    const b = bufferOf.get(vid);
    if (b === undefined) return;
    const r = (refCount.get(b) ?? 1) - 1;
    refCount.set(b, r);
    if (r === 0) {
      live -= bufferBytes[b];
      free.set(bufferBytes[b], [...(free.get(bufferBytes[b]) ?? []), b]);
    }
  };

  /** A fresh buffer (or a free one of the same size) for value `vid`. */
  const allocate = (vid: number, bytes: number, reuse?: number) => {
    let b = reuse ?? free.get(bytes)?.pop();
    if (b === undefined) {
      b = bufferBytes.length;
      bufferBytes.push(bytes);
    }
    bufferOf.set(vid, b);
    refCount.set(b, (refCount.get(b) ?? 0) + 1);
    live += bytes;
  };

  g.nodes.forEach((n: IRNode, i) => {
    const bytes = valueBytes(n.output);
    if (isControlFlow(n) || n.results) {
      // Control flow (and multi-output fused kernels): one buffer per result; control-flow regions plan their own memory while they run.
      for (const v of nodeResults(n)) {
        peakBefore += valueBytes(v);
        allocate(v.id, valueBytes(v));
      }
    } else if (isViewOp(n) && bufferOf.has(n.inputs[0].id)) {
      const b = bufferOf.get(n.inputs[0].id)!;
      bufferOf.set(n.output.id, b);
      refCount.set(b, (refCount.get(b) ?? 0) + 1);
    } else {
      peakBefore += bytes;
      let b: number | undefined;
      // In place: an elementwise op may overwrite an input buffer that dies here.
      if (ELEMENTWISE_CATEGORIES.has(getOp(n.op === "fused" ? "add" : n.op).category)) {
        const dying = n.inputs.find(
          (v) =>
            !isInput.has(v.id) &&
            lastUse.get(v.id) === i &&
            bufferOf.has(v.id) &&
            bufferBytes[bufferOf.get(v.id)!] === bytes &&
            refCount.get(bufferOf.get(v.id)!) === 1,
        );
        if (dying) {
          b = bufferOf.get(dying.id)!;
          refCount.set(b, 0);
          live -= bytes;
          inPlace++;
        }
      }
      allocate(n.output.id, bytes, b);
    }
    peakAfter = Math.max(peakAfter, live);
    for (const v of n.inputs) if (lastUse.get(v.id) === i && !isInput.has(v.id)) release(v.id);
    for (const v of nodeResults(n)) if (!lastUse.has(v.id)) release(v.id);
  });
  return { bufferOf, bufferBytes, peakBefore, peakAfter, inPlace, lastUse };
}

export const memoryPlanning: Pass = {
  name: "memory",
  title: "Memory planning",
  description: "Liveness analysis: buffers are reused once their value is dead, and elementwise ops write in place.",
  run(g: IRGraph) {
    const p = planMemory(g);
    return {
      graph: g,
      changes: [
        `peak intermediate memory ${fmtBytes(p.peakBefore)} → ${fmtBytes(p.peakAfter)} (${p.bufferBytes.length} buffers for ${p.bufferOf.size} values, ${p.inPlace} in place)`,
      ],
    };
  },
};

/** 1.5 KiB style. */
function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
