/** Shared pieces of op definitions: shape rules and cost estimates. */
import { DTypeError, ShapeError } from "../../errors";
import { ITEM_SIZE, isFloat, type DType } from "../../tensor/dtype";
import { broadcastShapes, fmtShape, shapeSize } from "../../tensor/shape";
import type { Tensor } from "../../tensor/tensor";
import type { AbstractValue } from "../registry";
import { F } from "../../tensor/installed-ops";

/** Bytes of an abstract value. */
export function bytesOf(v: AbstractValue): number {
  return shapeSize(v.shape) * ITEM_SIZE[v.dtype];
}

/** Cost of an elementwise op: `flopsPerElement` per output element; reads inputs, writes the output. */
export function elementwiseCost(flopsPerElement: number) {
  return (inputs: readonly AbstractValue[], out: AbstractValue) => ({
    flops: flopsPerElement * shapeSize(out.shape),
    bytes: inputs.reduce((s, v) => s + bytesOf(v), 0) + bytesOf(out),
  });
}

/** Cost of moving data: no flops. */
export function copyCost(inputs: readonly AbstractValue[], out: AbstractValue) {
  return { flops: 0, bytes: bytesOf(inputs[0] ?? out) + bytesOf(out) };
}

/** Check that every input has the same dtype; returns it. */
export function sameDtype(op: string, inputs: readonly AbstractValue[]): DType {
  const d = inputs[0].dtype;
  for (const v of inputs) {
    if (v.dtype !== d) throw new DTypeError(op, `inputs must have one dtype, got ${inputs.map((i) => i.dtype).join(" and ")}`);
  }
  return d;
}

/** Check a float dtype. */
export function needFloat(op: string, v: AbstractValue): void {
  if (!isFloat(v.dtype)) throw new DTypeError(op, `needs a floating-point tensor, got ${v.dtype} (shape ${fmtShape(v.shape)})`);
}

/** Broadcast shapes of all inputs. */
export function broadcastAll(op: string, inputs: readonly AbstractValue[]): number[] {
  return broadcastShapes(op, ...inputs.map((v) => v.shape));
}

/** Check the number of inputs. */
export function arity(op: string, inputs: readonly unknown[], n: number): void {
  if (inputs.length !== n) throw new ShapeError(op, `takes ${n} input${n === 1 ? "" : "s"}, got ${inputs.length}`);
}

/** Sum of tangents, skipping symbolic zeros (null). */
export function addTangents(...ts: (Tensor | null)[]): Tensor | null {
  let acc: Tensor | null = null;
  for (const t of ts) if (t !== null) acc = acc === null ? t : F.add(acc, t);
  return acc;
}

/** Check a primitive's (already normalized) axis attribute against the input's rank. */
export function checkAxis(op: string, axis: number, shape: readonly number[]): void {
  if (!(Number.isInteger(axis) && axis >= 0 && axis < shape.length)) throw new ShapeError(op, `axis ${axis} is out of range for shape ${fmtShape(shape)}`);
}
