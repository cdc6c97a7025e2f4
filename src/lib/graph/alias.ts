/**
 * Views under tracing (functionalization). Eagerly a view shares memory with its base, so a write
 * through one changes the other; graph values are immutable. So each traced tensor records the
 * memory it belongs to (an {@link AliasRoot}: the current value of the whole) and the chain of view
 * ops that cut it out of that memory. A write through a view gives the root a new value (the
 * view's elements put in with gather + where: existing ops, whose gradients are known), and every
 * alias of the root re-derives its value by replaying its chain when it is next read.
 */
import { WebgradError } from "../errors";
import { apply, evalTrace, withDynamicTrace } from "../ops/dispatch";
import { noGrad } from "../ops/gradmode";
import { getBackend, getDefaultBackend } from "../backend/registry";
import type { Attrs, OpDef } from "../ops/registry";
import { Tensor } from "../tensor/tensor";
import { contiguousStrides, fmtShape, shapeSize } from "../tensor/shape";
import * as F from "../ops/functional";
import * as P from "../ops/defs";
import type { IRValue } from "./ir";
import type { StridedView } from "../backend/backend";

/** One view op on the way from a root to a view: replayed to re-derive the view after a write. */
export interface ViewStep {
  readonly op: OpDef;
  readonly attrs: Attrs;
}

/** Strides and offset in the root's memory, mirroring eager's StridedView (which decides what is a view). */
export interface Layout {
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Where the memory of a root comes from, when it outlives the trace (its final value is written back). */
export type RootOrigin =
  /** A tensor captured from outside the function; `local` when it was created inside it (a constant, not written back). */
  | { readonly kind: "capture"; readonly tensor: Tensor; readonly local: boolean }
  /** The i-th tensor leaf of the call's arguments. */
  | { readonly kind: "arg"; readonly index: number };

/** The memory a traced tensor shares with its views: its current value, and how often it was written. */
export class AliasRoot {
  /**
   * The memory's values as a write-back stores them: `value` without the gradient path a write
   * under noGrad keeps (noGradWrite), so an update can still be fused into the tensor's memory.
   */
  data: IRValue;
  /** Bumped by every write; an alias whose value was derived at an older version re-derives it. */
  version = 0;
  /** True once written in place. */
  written = false;
  /** True when a write happened with gradients enabled (eager refuses that on a tensor that requires grad). */
  writtenWithGrad = false;
  constructor(
    /** The value of the whole memory now. */
    public value: IRValue,
    /** Its layout (contiguous, or a captured tensor's real strides). */
    readonly layout: Layout,
    /** Where the memory lives outside the trace, if it does. */
    readonly origin: RootOrigin | null = null,
  ) {
    this.data = value;
  }
}

/** A traced tensor's place in its root's memory. */
export interface Alias {
  readonly root: AliasRoot;
  /** View ops from the root's value to this tensor's (empty for the root itself). */
  readonly chain: readonly ViewStep[];
  readonly layout: Layout;
  /** The root's version when this tensor's value was last derived. */
  seen: number;
}

/**
 * How a compiled function hands back one result with eager's memory sharing: results of one memory
 * may share storage with each other and with that memory's input, never with another's.
 */
export interface ResultMemory {
  /** The memory the result belongs to. */
  readonly memory: AliasRoot;
  /**
   * A view of an argument or captured tensor that the call writes: cut again from that tensor
   * after the write-back, so it is a view of it as eagerly.
   */
  readonly view: {
    readonly target: { readonly kind: "arg"; readonly index: number } | { readonly kind: "capture"; readonly tensor: Tensor };
    readonly chain: readonly ViewStep[];
  } | null;
  /** Eagerly a broadcast (stride-0) view; otherwise a stride-0 result (a filled tensor whose fill the graph kept as an expand) is materialized. */
  readonly broadcast: boolean;
}

/** A root of its own for a fresh value (an op's contiguous result; an argument, with its layout). */
export function freshAlias(value: IRValue, origin: RootOrigin | null = null, layout: Layout = { strides: contiguousStrides(value.shape), offset: 0 }): Alias {
  return { root: new AliasRoot(value, layout, origin), chain: [], layout, seen: 0 };
}

/**
 * The view that `step` cuts from a tensor laid out as `layout`, exactly as eager decides it (a
 * reshape is a view only when the strides allow), or null when eager would copy.
 */
export function viewLayout(step: ViewStep, shape: readonly number[], layout: Layout, outShape: readonly number[], outDtype: Tensor["dtype"]): Layout | null {
  if (!step.op.view) return null;
  return step.op.view({ shape, strides: layout.strides, offset: layout.offset }, step.attrs, { shape: outShape, dtype: outDtype });
}

/**
 * For each element of the view `chain` cuts from a root of `rootShape` (row-major), its position
 * in the root (row-major). Computed by replaying the chain eagerly on an int32 arange on the CPU,
 * so it follows the ops' own semantics.
 */
function viewPositions(rootShape: readonly number[], chain: readonly ViewStep[]): Int32Array {
  const cpu = getBackend("cpu");
  const n = shapeSize(rootShape);
  const arange = Int32Array.from({ length: n }, (_, i) => i);
  const start = Tensor._fromStorage(cpu.fromArray(arange, "int32"), [...rootShape], "int32");
  const view = withDynamicTrace(evalTrace, () => noGrad(() => chain.reduce((t, s) => apply(s.op, [t], s.attrs), start)));
  return cpu.readSync!(view._concrete("copy_")) as Int32Array;
}

/** A constant tensor on `backend` (index maps and masks built at trace time). */
function constant(values: Int32Array | Uint8Array, shape: readonly number[], dtype: "int32" | "bool", like: Tensor): Tensor {
  const backend = like._backendOf() ?? getDefaultBackend();
  return Tensor._fromStorage(backend.fromArray(values, dtype), [...shape], dtype);
}

/**
 * `root` with the elements at `positions` (row-major positions in root, one per element of `vals`
 * in row-major order) replaced by `vals`: the value a write through a view leaves in its base.
 * Built from gather (each root element picks its new value) and where (elements outside the view
 * keep theirs), so reverse and forward mode come from those ops' rules. `op` names the write in errors.
 */
function scatterInto(op: string, root: Tensor, positions: Int32Array, vals: Tensor): Tensor {
  const n = root.size,
    m = positions.length;
  if (vals.size !== m) throw new WebgradError(op, `internal: ${m} positions for a view of shape ${fmtShape(vals.shape)}`);
  if (m === 0) return root;
  const source = new Int32Array(n);
  const covered = new Uint8Array(n);
  let identity = m === n;
  positions.forEach((p, k) => {
    // Several view elements on one root element: a broadcast (expanded) view. Eager refuses to write those.
    if (covered[p])
      throw new WebgradError(
        op,
        `cannot write in place into a tensor of shape ${fmtShape(vals.shape)} whose elements share memory (a broadcast/expanded view of a tensor of shape ${fmtShape(root.shape)}): clone() it first`,
      );
    covered[p] = 1;
    source[p] = k;
    if (p !== k) identity = false;
  });
  const flat = F.reshape(vals, [m]);
  if (identity) return F.reshape(flat, root.shape as number[]);
  const picked = F.reshape(F.gather(flat, 0, constant(source, [n], "int32", root)), root.shape as number[]);
  if (m === n) return picked;
  return F.where(constant(covered, root.shape, "bool", root), picked, root);
}

/** The storage position of each element of a strided view, in row-major order. */
function storagePositions(v: StridedView): Int32Array {
  const out = new Int32Array(shapeSize(v.shape));
  let k = 0;
  const walk = (d: number, at: number): void => {
    if (d === v.shape.length) {
      out[k++] = at;
      return;
    }
    for (let i = 0; i < v.shape[d]; i++) walk(d + 1, at + i * v.strides[d]);
  };
  walk(0, v.offset);
  return out;
}

/**
 * Two captured tensors that view one storage (`to` made from `from` outside the function, or both
 * from a third): `to`'s value once `from` has the value `fromValue`, or null when they share no
 * element. Its elements on `from`'s memory take `from`'s values; the others keep theirs.
 */
export function sharedUpdate(fromValue: Tensor, fromView: StridedView, toValue: Tensor, toView: StridedView): Tensor | null {
  const where = new Map<number, number>();
  storagePositions(fromView).forEach((p, k) => where.set(p, k));
  const dst: number[] = [],
    src: number[] = [];
  storagePositions(toView).forEach((p, j) => {
    const k = where.get(p);
    if (k !== undefined) {
      dst.push(j);
      src.push(k);
    }
  });
  if (dst.length === 0) return null;
  const picked = F.gather(F.reshape(fromValue, [fromValue.size]), 0, constant(Int32Array.from(src), [src.length], "int32", fromValue));
  return scatterInto("copy_", toValue, Int32Array.from(dst), picked);
}

/**
 * The write of `vals` through the view `chain` cuts from `root`, when that view is a strided box
 * of the root (slices, steps, flips, transposes, size-1 dims: each view dimension walks one root
 * dimension): the values are moved into the root's dimension order and padded into place (interior
 * padding for steps), and a mask made of one small 1-D constant per cut dimension keeps the rest.
 * No constant as large as the root, so a loop writing rows of a big buffer stays cheap. Null for
 * other views (a reshape that merges or splits dimensions), which take the gather path.
 */
function writeBox(root: Tensor, chain: readonly ViewStep[], vals: Tensor): Tensor | null {
  const rs = root.shape,
    rStr = contiguousStrides(rs),
    n = rs.length;
  if (rs.some((d) => d === 0)) return null;
  // The view's layout in the root's row-major positions (the root seen as contiguous).
  let shape: readonly number[] = rs;
  let layout: Layout = { strides: rStr, offset: 0 };
  for (const s of chain) {
    const out = s.op.infer([{ shape, dtype: root.dtype }], s.attrs);
    const next = viewLayout(s, shape, layout, out.shape, out.dtype);
    if (next === null) return null;
    [shape, layout] = [out.shape, next];
  }
  // Decode: the start in each root dimension, and which root dimension each view dimension walks.
  const start = new Array<number>(n),
    step = new Array<number>(n).fill(1),
    len = new Array<number>(n).fill(1);
  let rest = layout.offset;
  for (let d = 0; d < n; d++) {
    start[d] = Math.floor(rest / rStr[d]);
    rest -= start[d] * rStr[d];
  }
  if (start[0] >= rs[0]) return null;
  const walked: number[] = []; // view dims of size > 1, by root dim
  const rootDimOf = new Map<number, number>();
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 1) continue;
    const st = layout.strides[k];
    const d = rs.findIndex((size, j) => size > 1 && st !== 0 && Math.abs(st) % rStr[j] === 0 && Math.abs(st) / rStr[j] < size);
    if (d < 0 || rootDimOf.has(d)) return null;
    rootDimOf.set(d, k);
    step[d] = st / rStr[d];
    len[d] = shape[k];
    const last = start[d] + (len[d] - 1) * step[d];
    if (last < 0 || last >= rs[d]) return null;
    walked.push(k);
  }
  // The values in the root's dimension order, then padded into place.
  let v = F.reshape(
    vals,
    walked.map((k) => shape[k]),
  );
  const order = [...rootDimOf.keys()].sort((a, b) => a - b);
  v = F.permute(
    v,
    order.map((d) => walked.indexOf(rootDimOf.get(d)!)),
  );
  v = F.reshape(v, len);
  const reversed = order.filter((d) => step[d] < 0);
  if (reversed.length) v = F.flip(v, reversed);
  const pads = rs.map((size, d): [number, number, number] => {
    const a = Math.abs(step[d]);
    const lo = step[d] > 0 ? start[d] : start[d] + (len[d] - 1) * step[d];
    return [lo, size - (lo + (len[d] - 1) * a + 1), a - 1];
  });
  const cut = pads.map(([lo, hi, interior]) => lo !== 0 || hi !== 0 || interior !== 0);
  if (cut.some(Boolean)) v = apply(P.Pad, [v], { pads, value: 0 });
  let mask: Tensor | null = null;
  cut.forEach((isCut, d) => {
    if (!isCut) return;
    const [lo, , interior] = pads[d];
    const m = Uint8Array.from({ length: rs[d] }, (_, i) => (i >= lo && (i - lo) % (interior + 1) === 0 && (i - lo) / (interior + 1) < len[d] ? 1 : 0));
    const md = constant(
      m,
      rs.map((size, j) => (j === d ? size : 1)),
      "bool",
      root,
    );
    mask = mask === null ? md : F.logicalAnd(mask, md);
  });
  return mask === null ? v : F.where(mask, v, root);
}

/**
 * `root` after writing `vals` (already of the view's shape) through the view `chain` cuts from it:
 * a padded box where the view is one, else a gather from the view's positions.
 */
export function writeThrough(op: string, root: Tensor, chain: readonly ViewStep[], vals: Tensor): Tensor {
  if (vals.size === 0) return root;
  return writeBox(root, chain, vals) ?? scatterInto(op, root, viewPositions(root.shape, chain), vals);
}

/** True when some elements of a tensor with this layout share one memory location (a stride-0 dimension of size > 1). */
export function overlaps(shape: readonly number[], layout: Layout): boolean {
  return shapeSize(shape) > 0 && layout.strides.some((s, i) => s === 0 && shape[i] > 1);
}
