/**
 * The numbers of a learner-built engine's tape (`showTape`), as the Tape panel writes them beside
 * each box and row: every value, and its gradient ḡ (reverse mode: what arrived at an op when its
 * step ran; a leaf's sum of what the steps so far sent it) or its tangent v̇ (forward mode), with
 * "?" where the stepper has not got there yet. The library's own tapes carry no values: no numbers.
 * @module
 */
import type { TapeNodeInfo } from "../../../schema/events";
import type { BackwardStep, TapeLeaf } from "../../state/tape.svelte";

/** How the stepper walks a tape: its backward pass, or (an engine that sent tangents and no backward) its forward sweep. */
export type Sweep = "reverse" | "forward";

/** A box's numbers: its value, and its gradient or tangent as far as the stepper has come. */
export interface EngineNumbers {
  value: string;
  deriv: string;
}

/** A scalar as the panel prints it: three significant digits, no trailing zeros (0.5, -0.762, 14). */
export const fmtScalar = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3))));

/** True when the tape's nodes carry their values (a learner-built engine's tape). */
export const hasValues = (nodes: readonly TapeNodeInfo[]): boolean => nodes.length > 0 && nodes.every((n) => n.value !== undefined);

/** The sweep the stepper walks: forward when the tape has tangents and no backward ran on it. */
export function sweepOf(nodes: readonly TapeNodeInfo[], backward: readonly BackwardStep[]): Sweep {
  return backward.length === 0 && nodes.length > 0 && nodes.every((n) => n.tangent !== undefined) ? "forward" : "reverse";
}

/** The forward sweep's steps: one per op, in recording order (each reveals that op's tangent). */
export function forwardSteps(nodes: readonly TapeNodeInfo[]): BackwardStep[] {
  return nodes.map((n) => ({ nodeId: n.id, gradShapes: [], gradNorms: [] }));
}

/** Each leaf's gradient so far: the sum of what the reached steps sent to it (a leaf absent: nothing yet). */
export function leafGrads(nodes: readonly TapeNodeInfo[], reached: ReadonlyMap<number, BackwardStep>): Map<number, number> {
  const producers = new Set(nodes.map((n) => n.output));
  const out = new Map<number, number>();
  for (const n of nodes) {
    const step = reached.get(n.id);
    if (!step?.gradValues) continue;
    n.inputs.forEach((id, k) => {
      const v = step.gradValues?.[k]?.[0];
      if (producers.has(id) || v === undefined) return;
      out.set(id, (out.get(id) ?? 0) + v);
    });
  }
  return out;
}

/**
 * The numbers of every box of an engine tape, by the layout's box key (`op<id>` for ops, `t<id>` for
 * leaves); empty for a tape without values. `reached`: the steps the stepper has shown.
 */
export function engineNumbers(
  nodes: readonly TapeNodeInfo[],
  leaves: ReadonlyMap<number, TapeLeaf>,
  reached: ReadonlyMap<number, BackwardStep>,
  sweep: Sweep,
): Map<string, EngineNumbers> {
  const out = new Map<string, EngineNumbers>();
  if (!hasValues(nodes)) return out;
  const mark = sweep === "forward" ? "v̇" : "ḡ";
  const grads = sweep === "reverse" ? leafGrads(nodes, reached) : new Map<number, number>();
  for (const n of nodes) {
    const step = reached.get(n.id);
    const d = sweep === "forward" ? (step ? n.tangent?.[0] : undefined) : step?.gradOut?.values?.[0];
    out.set(`op${n.id}`, { value: fmtScalar(n.value![0]), deriv: `${mark} ${d === undefined ? "?" : fmtScalar(d)}` });
    for (const id of n.inputs) {
      const leaf = leaves.get(id);
      if (!leaf?.value || out.has(`t${id}`)) continue;
      const ld = sweep === "forward" ? leaf.tangent?.[0] : grads.get(id);
      out.set(`t${id}`, { value: fmtScalar(leaf.value[0]), deriv: `${mark} ${ld === undefined ? "?" : fmtScalar(ld)}` });
    }
  }
  return out;
}
