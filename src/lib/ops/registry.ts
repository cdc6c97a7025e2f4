/**
 * The op table: one entry per primitive. An entry gives the shape/dtype rule, the reverse-mode
 * rule (vjp), the forward-mode rule (jvp) and a cost estimate; backends provide one kernel per entry.
 * vjp and jvp rules are written with Tensor ops, so they are differentiable again (higher order)
 * and traceable (graph mode) for free.
 */
import type { DType } from "../tensor/dtype";
import type { Shape } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import type { OpCategory } from "../../schema/op-category";

export type { OpCategory } from "../../schema/op-category";

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
  /**
   * In a traced backward, the boolean that says at run time whether this cotangent is real (eager
   * would have reached the node at all); absent when it always is. Control-flow rules gate the
   * refusals they build on it.
   */
  readonly reach?: Tensor | null;
}

/** What a jvp rule receives: the primal inputs and output, all present. */
export interface JvpContext<A extends Attrs = Attrs> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
}

/**
 * The dtypes an op's (value) inputs may have: "float" (float16/32/64), "numeric" (floats and
 * int32), "bool", or "any" dtype. `infer` enforces it; tests read it to choose their inputs.
 */
export type DTypeDomain = "float" | "numeric" | "bool" | "any";

/**
 * Where one input of an op should be sampled for tests (gradient checks, CPU ≡ WebGPU cases):
 * inside the op's domain and off its kinks and poles.
 */
export interface TestDomain {
  /** Uniform range that keeps the op smooth and well-conditioned (gradcheck's default is [-1.5, 1.5]). */
  readonly range?: readonly [number, number];
  /** Keep |x| at least this far from 0 (the kinks of abs/relu, the poles of 1/x). */
  readonly awayFromZero?: number;
  /** Only positive values are in the op's domain, or are well-conditioned (log, sqrt, pow's base). */
  readonly positive?: true;
}

/**
 * One primitive op. `N` and `C` are its name and category as literal types, so the op table's
 * names form a type ({@link OpName} in ./names) and per-op tables elsewhere can be checked against it.
 */
export interface OpDef<A extends Attrs = Attrs, N extends string = string, C extends OpCategory = OpCategory> {
  readonly name: N;
  /** What kind of op it is: fusion, the memory plan and the panels (through events) read it. */
  readonly category: C;
  /** The dtypes its value inputs may have. */
  readonly dtypes: DTypeDomain;
  /** Per input: where tests should sample it (absent: anywhere in [-1.5, 1.5] is fine). */
  readonly testInputs?: readonly (TestDomain | undefined)[];
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
  /**
   * The inputs a gradient can reach (absent: all of them). Only these make the output require
   * grad: an input whose vjp is always null (noGradWrite's written value) must not put the result
   * on the tape, or a backward that eagerly refuses ("does not require grad") would run instead.
   */
  readonly gradInputs?: readonly number[];
  /** Forward mode: tangents of the inputs (null = zero) → tangent of the output (null = zero). */
  jvp?(tangents: readonly (Tensor | null)[], ctx: JvpContext<A>): Tensor | null;
  /** Work estimate, for the cost model and panels. */
  cost?(inputs: readonly AbstractValue[], out: AbstractValue, attrs: A): { flops: number; bytes: number };
}

const OPS = new Map<string, OpDef>();

/** Register a primitive. Names are unique. Name and category keep their literal types. */
export function defineOp<const N extends string, const C extends OpCategory, A extends Attrs = Attrs>(def: OpDef<A, N, C>): OpDef<A, N, C> {
  if (OPS.has(def.name)) throw new Error(`op ${def.name} is defined twice`);
  OPS.set(def.name, def as unknown as OpDef);
  return def;
}

/**
 * `defineOp` for an op with typed attributes: `defineOpWithAttrs<ReduceAttrs>()({ name: "sum", … })`
 * (curried, because TypeScript infers no type arguments once one is given explicitly).
 */
export function defineOpWithAttrs<A extends Attrs>() {
  return <const N extends string, const C extends OpCategory>(def: OpDef<A, N, C>): OpDef<A, N, C> => defineOp<N, C, A>(def);
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
