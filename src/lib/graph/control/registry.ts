/**
 * The table of control-flow ops (cond, while, scan): graph nodes with regions. The executor, the
 * verifier and the passes look ops up here, so a node with regions is never mistaken for a
 * primitive of the op table (which has one kernel per op) or for a fused kernel.
 */
import type { Tensor } from "../../tensor/tensor";
import type { Attrs } from "../../ops/registry";
import type { IRGraph, IRNode } from "../ir";

/** A control-flow op as the graph machinery sees it. */
export interface ControlOp {
  readonly name: string;
  /**
   * Run the op on these operands: eagerly (regions interpreted), staged into the graph being
   * traced, or pushed through forward mode — whichever interpreter is active. Returns every
   * result of the node (visible results, then residuals kept for reverse mode).
   */
  bind(operands: Tensor[], regions: IRGraph[], attrs: Attrs): Tensor[];
  /** Throw a WebgradError when the node's regions do not fit its operands and results. */
  verify(node: IRNode): void;
  /** What a region is for, for the printer: "then", "else", "cond", "body". */
  regionNames: readonly string[];
}

const CONTROL_OPS = new Map<string, ControlOp>();

/** @internal Register a control-flow op (done by its module when it loads). */
export function registerControlOp(op: ControlOp): void {
  CONTROL_OPS.set(op.name, op);
}

/** The control-flow op of this name, if it is one. */
export function getControlOp(name: string): ControlOp | undefined {
  return CONTROL_OPS.get(name);
}

/** True for control-flow nodes (cond, while, scan): their regions are sub-graphs of their own. */
export function isControlFlow(n: IRNode): boolean {
  return CONTROL_OPS.has(n.op);
}
