/**
 * The op table: one entry per primitive. An entry gives the shape/dtype rule, the reverse-mode
 * rule (vjp), the forward-mode rule (jvp) and a cost estimate; backends provide one kernel per entry.
 * vjp and jvp rules are written with Tensor ops, so they are differentiable again (higher order)
 * and traceable (graph mode) for free.
 */
import type { DType } from "../tensor/dtype";
import type { Shape } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";

/** Op attributes: plain data (numbers, strings, arrays), never tensors. */
export type Attrs = Readonly<Record<string, unknown>>;

/** What is known of a value without its data: shape and dtype. */
export interface AbstractValue {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a vjp rule receives. Inputs and output are present only where the op saves them. */
export interface VjpContext<A extends Attrs = Attrs> {
  /** Saved input tensors (null where the op does not save that input). */
  readonly inputs: readonly (Tensor | null)[];
  /** The saved output, when the op saves it. */
  readonly output: Tensor | null;
  readonly attrs: A;
  /** Shapes and dtypes of the inputs, always available. */
  readonly inputAvals: readonly AbstractValue[];
  /** Which inputs need a gradient: rules may skip the others (return null). */
  readonly needsGrad: readonly boolean[];
}

/** What a jvp rule receives: the primal inputs and output, all present. */
export interface JvpContext<A extends Attrs = Attrs> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
}

/** Op categories: used by panels (colours), fusion (issue: graph mode) and test generation. */
export type OpCategory = "unary" | "binary" | "ternary" | "reduce" | "movement" | "matmul" | "nn" | "index" | "random" | "cast";

/** One primitive op. */
export interface OpDef<A extends Attrs = Attrs> {
  readonly name: string;
  readonly category: OpCategory;
  /** Shape/dtype rule: validates inputs and attrs (throwing ShapeError / DTypeError) and gives the output. */
  infer(inputs: readonly AbstractValue[], attrs: A): AbstractValue;
  /** Inputs are broadcast (as stride-0 views) to the output shape before the kernel runs. */
  readonly broadcast?: boolean;
  /**
   * Movement ops: the result as a view of the input's memory, or null when a copy is needed
   * (then the backend kernel runs).
   */
  view?(input: { shape: Shape; strides: readonly number[]; offset: number }, attrs: A, out: AbstractValue): { strides: number[]; offset: number } | null;
  /** What the reverse rule needs kept alive (the "saved tensors" the Tape panel shows). */
  readonly save?: { readonly inputs?: boolean | readonly number[]; readonly output?: boolean };
  /** Reverse mode: cotangent of the output → cotangent of each input (null = zero / not needed). */
  vjp?(g: Tensor, ctx: VjpContext<A>): (Tensor | null)[];
  /** Forward mode: tangents of the inputs (null = zero) → tangent of the output (null = zero). */
  jvp?(tangents: readonly (Tensor | null)[], ctx: JvpContext<A>): Tensor | null;
  /** Work estimate, for the cost model and panels. */
  cost?(inputs: readonly AbstractValue[], out: AbstractValue, attrs: A): { flops: number; bytes: number };
}

const OPS = new Map<string, OpDef>();

/** Register a primitive. Names are unique. */
export function defineOp<A extends Attrs>(def: OpDef<A>): OpDef<A> {
  if (OPS.has(def.name)) throw new Error(`op ${def.name} is defined twice`);
  OPS.set(def.name, def as unknown as OpDef);
  return def;
}

/** Look up a primitive by name. */
export function getOp(name: string): OpDef {
  const op = OPS.get(name);
  if (!op) throw new Error(`unknown op ${name}`);
  return op;
}

/** Every registered primitive, in definition order. */
export function allOps(): OpDef[] {
  return [...OPS.values()];
}
