/** Shapes, strides and broadcasting rules. */
import { ShapeError } from "../errors";
import type { StridedView } from "../backend/backend";

/** A tensor shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** Number of elements in a shape (1 for a scalar). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-contiguous) strides of a shape, in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when two shapes are equal. */
export function shapeEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `[2, 3]` style text for messages. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** NumPy broadcasting of several shapes, or a ShapeError naming the op and the shapes. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new ShapeError(
          op,
          `shapes ${shapes.map(fmtShape).join(" and ")} cannot be broadcast together: dimension ${o - rank} is ${out[o]} in one and ${d} in another (sizes must match or be 1)`,
        );
      }
    }
  }
  return out;
}

/** Normalize a possibly negative axis for a tensor of the given rank. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    if (!(rank === 0 && (axis === 0 || axis === -1))) {
      throw new ShapeError(op, `axis ${axis} is out of range for a tensor of rank ${rank} (valid: ${-rank} … ${rank - 1})`);
    }
    return 0;
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalize an axis argument (one axis, several, or undefined = all) to sorted unique axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined | null, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const set = new Set(out);
  if (set.size !== out.length) throw new ShapeError(op, `repeated axis in ${JSON.stringify(axis)}`);
  return [...set].sort((a, b) => a - b);
}

/** A stride-0 view that broadcasts `v` to `shape` (no copy). */
export function broadcastView(v: StridedView, shape: readonly number[]): StridedView {
  if (shapeEqual(v.shape, shape)) return v;
  const rank = shape.length,
    pad = rank - v.shape.length;
  const strides = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const j = i - pad;
    strides[i] = j < 0 || v.shape[j] === 1 ? 0 : v.strides[j];
  }
  return { storage: v.storage, shape, strides, offset: v.offset, dtype: v.dtype };
}
