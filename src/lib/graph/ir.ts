/**
 * The graph IR: SSA values with shapes and dtypes, op nodes with attributes and the user's source
 * line, and graph inputs that say where their value comes from at run time (an argument, a
 * captured tensor such as a parameter, or a parameter's `.grad`). Plain data: passes rewrite it,
 * the printer shows it, the Graph panel draws it.
 */
import type { DType } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import type { Attrs } from "../ops/registry";
import type { StaleSaved } from "../autodiff/tape";

/** An SSA value: produced once (by an input or a node), used any number of times. */
export interface IRValue {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** One op application. */
export interface IRNode {
  readonly id: number;
  /** A primitive's name in the op table. */
  readonly op: string;
  readonly inputs: IRValue[];
  readonly attrs: Attrs;
  readonly output: IRValue;
  /** The user's source line that created it, when known. */
  readonly line?: number;
  /** "backward" for nodes traced while the reverse-mode engine ran (the generated backward graph). */
  readonly phase?: "forward" | "backward";
  /** The module scope it was traced in, outermost first (`["TinyGPT", "blocks", "0", "attn"]`; debug/scope.ts). */
  readonly scope?: readonly string[];
  /**
   * Recorded inside `noGrad`: eager mode would not have put it on the tape, so when the graph is
   * replayed under reverse mode its result is cut from the tape too (the executor runs it inside
   * noGrad). Passes must keep the mark and must not rewrite across it.
   */
  readonly noGrad?: boolean;
  /**
   * Inputs (or the output) the op saves for backward that the traced code changed in place after
   * it: eagerly a backward through this op is refused, so the executor marks the op's tape node to
   * refuse it too. Passes must keep the mark (a rewrite of a marked node would lose the refusal).
   */
  readonly staleSaved?: StaleSaved;
  /** Sub-graphs: the body of a fused kernel, or the branches and bodies of control flow. */
  readonly regions?: IRGraph[];
  /**
   * Every value the node defines, for ops with several results (control flow: a loop's carries);
   * `output` is then `results[0]`. Absent for single-result nodes.
   */
  readonly results?: IRValue[];
}

/** The values a node defines: its `results`, or its one `output`. */
export function nodeResults(n: IRNode): readonly IRValue[] {
  return n.results ?? [n.output];
}

let nextNodeId = 0;
/** A fresh node id (unique across graphs, so pass diffs can match nodes). */
export function newNodeId(): number {
  return nextNodeId++;
}

let nextValueId = 0;
/** A fresh SSA value. */
export function newValue(shape: readonly number[], dtype: DType): IRValue {
  return { id: nextValueId++, shape: [...shape], dtype };
}

/** Where a graph input's value comes from when the compiled graph runs. */
export type InputSource =
  /** The i-th tensor leaf of the call's arguments. */
  | { readonly kind: "arg"; readonly index: number; readonly path: string }
  /** A concrete tensor captured from the enclosing scope (a parameter, optimizer state, a constant). */
  | { readonly kind: "capture"; readonly tensor: Tensor }
  /** The `.grad` of a captured tensor, read at run time. */
  | { readonly kind: "grad"; readonly owner: Tensor }
  /** The `.grad` of the i-th tensor leaf of the call's arguments, read at run time. */
  | { readonly kind: "argGrad"; readonly index: number; readonly path: string };

/** Where a graph output goes when the compiled graph has run. */
export type OutputSink =
  /** The i-th tensor leaf of the function's return value. */
  | { readonly kind: "result"; readonly index: number }
  /** Written back into a captured tensor (an in-place update: parameters, optimizer state). */
  | { readonly kind: "mutation"; readonly tensor: Tensor }
  /**
   * Written back into the i-th tensor leaf of the call's arguments (the function changed it in
   * place). `gradEnabled`: a write happened with gradients enabled, which eager refuses on a
   * tensor that requires grad.
   */
  | { readonly kind: "arg"; readonly index: number; readonly gradEnabled: boolean }
  /** Becomes a captured tensor's new `.grad` (null clears it). */
  | { readonly kind: "grad"; readonly owner: Tensor }
  /** Becomes the new `.grad` of the i-th tensor leaf of the call's arguments (null clears it). */
  | { readonly kind: "argGrad"; readonly index: number }
  /**
   * Read by no one: a run-time refusal that must run (its value is the flag it checks). Eager
   * refuses an in-place write on a tensor that requires grad, which a cond result may do only
   * after one branch.
   */
  | { readonly kind: "check" };

/** A graph input. */
export interface IRInput {
  readonly value: IRValue;
  readonly source: InputSource;
  /** Display name: the argument path, the tensor's name, or `name.grad`. */
  readonly name: string;
  /** A tensor created inside the traced function (not reachable from outside): safe to fold. */
  readonly constant?: boolean;
  /**
   * A fused region's input that is a literal: a 0-d float32 or int32 constant made from a JS
   * number while tracing (`x.mul(0.9)`'s 0.9). Kernels write its value into their code instead
   * of binding a buffer, so it counts against no binding limit (see `literalInputs`).
   */
  readonly literal?: number;
}

/** A graph output; `value` is null for a `.grad` that is cleared. */
export interface IROutput {
  readonly value: IRValue | null;
  readonly sink: OutputSink;
  readonly name: string;
}

/** A whole graph. */
export interface IRGraph {
  readonly name: string;
  readonly inputs: IRInput[];
  readonly nodes: IRNode[];
  readonly outputs: IROutput[];
  /**
   * Nothing differentiates this graph when it runs: a training step (its own backward pass, and
   * writes to parameters or `.grad`), which jit runs under noGrad. Only then may passes drop
   * gradient stops (a transform running the step gets a variant compiled without this flag).
   */
  readonly runsUnderNoGrad?: boolean;
}

const DTYPE_SHORT: Record<DType, string> = { float16: "f16", float32: "f32", float64: "f64", int32: "i32", bool: "bool" };

/** A short dtype name for the text form: f16, f32, f64, i32, bool. */
function dtypeShort(d: DType): string {
  return DTYPE_SHORT[d];
}

/** `f32[2,3]` */
export function typeText(v: { shape: readonly number[]; dtype: DType }): string {
  return `${dtypeShort(v.dtype)}[${v.shape.join(",")}]`;
}

/** `{ scope }` for a node made of `nodes` (a fused kernel): the scope they all sit in, if any. */
export function sharedScope(nodes: readonly IRNode[]): { scope?: readonly string[] } {
  let common: readonly string[] | undefined = nodes[0]?.scope;
  for (const n of nodes) {
    if (!common || !n.scope) return {};
    let k = 0;
    while (k < common.length && k < n.scope.length && common[k] === n.scope[k]) k++;
    common = common.slice(0, k);
  }
  return common && common.length ? { scope: common } : {};
}
