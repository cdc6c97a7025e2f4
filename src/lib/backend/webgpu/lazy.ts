/**
 * Lazy fusion of eager elementwise ops. On WebGPU an eager elementwise op (add, tanh, where,
 * cast …) does not dispatch: its result is a storage whose `lazy` field holds the op and its
 * inputs. When something needs the values (a kernel binds the storage, a read-back, a copy), the
 * chain of lazy ops behind it runs as one generated kernel (kernels/fused.ts, the code jit's fused
 * regions use), so `x.mul(1.5).add(0.25).tanh()` reads x once and writes only what is used.
 *
 * Never silently wrong:
 * - a dispatch that may write a buffer first computes every lazy value that still reads it (the
 *   kernel's `read_write` bindings, from its WGSL), so an in-place update never changes what a
 *   lazy value sees;
 * - a buffer lazy values read is not returned to the pool until they are computed or unreachable
 *   (storage.ts);
 * - a lazy value read by a second lazy op is computed first, so no value is computed twice (as
 *   jit's vertical fusion, which fuses only values with one reader), and a lazy input seen through
 *   a view other than itself (a transpose, a broadcast, a reshape) is computed before its reader;
 * - a chain stops growing at MAX_LAZY_NODES ops or MAX_ELEMENTWISE_INPUTS buffers, and is computed;
 * - host scalars go into the code only where `codeLiteral` allows (never 0: see there).
 *
 * `copy_` of a chain into a whole tensor (`p.sub_(g.mul(lr))`, an optimizer's state updates) is
 * computed straight into the tensor's buffer, in place where the chain reads the tensor, and the
 * chain's value then reads that buffer (writeLazyInto): no buffer of its own and no copy.
 *
 * A chain runs op by op through the ordinary elementwise kernels until it has run often enough to
 * pay for building its own kernel (LAZY_TIERING).
 * @module
 */
import { contiguousStrides, shapeSize } from "../../tensor/shape";
import type { DType } from "../../tensor/dtype";
import type { OutSpec, StridedView } from "../backend";
import type { IRGraph, IRInput, IRNode, IRValue } from "../../graph/ir";
import type { KernelContext } from "./kernel";
import type { GpuStorage } from "./storage";
import { elementwiseExpression } from "./kernels/elementwise";
import { codeLiteral } from "./kernels/fused-node";
import { runElementwiseRegion, runElementwiseRegionInto } from "./kernels/fused";
import { MAX_ELEMENTWISE_INPUTS } from "./kernels/layouts";

/** Ops one lazy chain holds at most before it is computed (a bound on the generated kernel's size). */
export const MAX_LAZY_NODES = 24;

/**
 * When a chain's own kernel is worth building (`runElementwiseRegion`). Each run of a chain of n
 * ops over e elements counts (n − 1)·(e + `dispatchElements`) toward `threshold`: the ops one
 * kernel saves, each a dispatch (on SwiftShader about 0.4 ms, the time of ~65 000 elements) plus
 * its elements. The threshold is about what building the kernel costs there (~100 ms for f32,
 * more for float16's emulation): a chain over a million elements is built after its first run; a
 * few small ops in a loop after a dozen or so iterations; a quick run's few steps build nothing new.
 */
export const LAZY_TIERING = { dispatchElements: 65_536, threshold: 2 ** 21 };

/** The op that will compute a lazy storage (`GpuStorage.lazy`). */
export interface LazyValue {
  readonly op: string;
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Its inputs, broadcast to `out.shape`: computed storages, or lazy ones (computed inline when `fusable`). */
  readonly inputs: readonly StridedView[];
  readonly out: OutSpec;
  /** Ops the chain ending here computes (itself and the lazy inputs it fuses). */
  readonly nodes: number;
  /** The buffers the chain reads (literals left out), for the binding limit. */
  readonly reads: ReadonlySet<GpuStorage>;
  /**
   * True for a value whose computation was written into another tensor's memory by `copy_`
   * ({@link writeLazyInto}): it reads that memory as it is, so any number of chains may read it
   * inline (nothing is computed twice), and it is copied out only if that memory is written again
   * while it is still reachable, or a kernel other than a chain binds it.
   */
  readonly alias?: boolean;
}

/** What lazy fusion needs from the backend. */
export interface LazyContext extends KernelContext {
  /** Above 0 while a lazy value is being computed: its dispatch reads its inputs and writes only its own buffer. */
  realizing: number;
}

/**
 * True when `v` is all of lazy `s` as `s` computes it (same shape, row-major, from offset 0) and
 * of shape `out`: the reader takes s's values element for element, and s's own inputs are views
 * over the same index space. (A reshape of s is not: its inputs' views would need reshaping too.)
 */
function isWhole(v: StridedView, s: GpuStorage, out: OutSpec): boolean {
  const made = s.lazy!.out.shape;
  return v.dtype === s.dtype && sameShape(out.shape, made) && readsRowMajor(v, made);
}

/** True when `v` has `shape` and reads its storage row-major from offset 0 (size-1 dimensions' strides aside). */
function readsRowMajor(v: StridedView, shape: readonly number[]): boolean {
  if (v.offset !== 0 || !sameShape(v.shape, shape)) return false;
  const c = contiguousStrides(shape);
  return shape.every((d, i) => d === 1 || v.strides[i] === c[i]);
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The lazy storage `v` views when its reader may compute it inline; null when it is computed or must be first. */
function fusable(v: StridedView, out: OutSpec): GpuStorage | null {
  const s = v.storage as GpuStorage;
  return s.lazy && isWhole(v, s, out) ? s : null;
}

/** A host scalar a kernel can write into its code instead of binding (`codeLiteral`). */
function literal(v: StridedView): number | undefined {
  const s = v.storage as GpuStorage;
  return s.length === 1 && s.hostValue !== undefined && codeLiteral(s.hostValue, v.dtype) ? s.hostValue : undefined;
}

/**
 * Make `op`'s result a lazy storage when it can wait in a fused chain; undefined when the op runs
 * now (it has no expression for these dtypes, or its result is empty). Lazy inputs that cannot
 * join the chain (read through another view, read by another lazy op already, or the chain would
 * outgrow one kernel) are computed first.
 */
export function lazyResult(
  ctx: LazyContext,
  op: string,
  inputs: readonly StridedView[],
  attrs: Readonly<Record<string, unknown>>,
  out: OutSpec,
): GpuStorage | undefined {
  const n = shapeSize(out.shape);
  if (n === 0 || elementwiseExpression(op, inputs, out) === null) return undefined;
  const joins = inputs.map((v) => {
    const s = fusable(v, out);
    // A value two lazy ops read is computed once and read by both (no work done twice); an alias
    // costs nothing to read again.
    return s && (s.lazy!.alias === true || !s.hasLazyReaders()) ? s : null;
  });
  let nodes = 1;
  let reads = new Set<GpuStorage>();
  inputs.forEach((v, i) => {
    const s = joins[i];
    if (s) {
      nodes += s.lazy!.nodes;
      for (const r of s.lazy!.reads) reads.add(r);
    } else if (literal(v) === undefined) reads.add(v.storage as GpuStorage);
  });
  if (nodes > MAX_LAZY_NODES || reads.size > MAX_ELEMENTWISE_INPUTS) {
    // Too big for one kernel: the lazy inputs are computed, and this op starts a new chain.
    joins.fill(null);
    nodes = 1;
    reads = new Set(inputs.flatMap((v) => (literal(v) === undefined ? [v.storage as GpuStorage] : [])));
  }
  inputs.forEach((v, i) => {
    const s = v.storage as GpuStorage;
    if (s.lazy && !joins[i]) realize(ctx, s);
  });
  const o = ctx.alloc(out.dtype, n, op, out.shape);
  o.lazy = { op, attrs, inputs: [...inputs], out, nodes, reads };
  for (const v of inputs) {
    const s = v.storage as GpuStorage;
    (s.lazyReaders ??= new Set()).add(o.ref);
  }
  return o;
}

/** The IR region that computes lazy `root` and the views its inputs bind. */
function regionOf(root: GpuStorage): { region: IRGraph; views: StridedView[] } {
  let ids = 0;
  const value = (shape: readonly number[], dtype: DType): IRValue => ({ id: ids++, shape, dtype });
  const inputs: IRInput[] = [];
  const views: StridedView[] = [];
  const nodes: IRNode[] = [];
  const computed = new Map<GpuStorage, IRValue>();
  const leaf = (v: StridedView): IRValue => {
    // One input per distinct view (x.mul(x) binds x once).
    const k = views.findIndex((w) => w.storage === v.storage && w.offset === v.offset && w.strides.every((s, i) => s === v.strides[i]));
    if (k >= 0) return inputs[k].value;
    const val = value(v.shape, v.dtype);
    inputs.push({ value: val, source: { kind: "arg", index: inputs.length, path: "" }, name: `in${inputs.length}`, literal: literal(v) });
    views.push(v);
    return val;
  };
  const visit = (s: GpuStorage): IRValue => {
    const known = computed.get(s);
    if (known) return known;
    const lz = s.lazy!;
    const args = lz.inputs.map((v) => {
      const t = fusable(v, lz.out);
      return t ? visit(t) : leaf(v);
    });
    const output = value(lz.out.shape, lz.out.dtype);
    nodes.push({ id: nodes.length, op: lz.op, inputs: args, attrs: lz.attrs as IRNode["attrs"], output });
    computed.set(s, output);
    return output;
  };
  const result = visit(root);
  const name = nodes.map((n) => n.op).join("→");
  return { region: { name: `eager ${name}`, inputs, nodes, outputs: [{ value: result, sink: { kind: "result", index: 0 }, name: "out" }] }, views };
}

/** Compute lazy `s` (and the chain behind it) into its buffer, as one kernel. A computed storage is left as it is. */
export function realize(ctx: LazyContext, s: GpuStorage): void {
  const lz = s.lazy;
  if (!lz) return;
  // Inputs the chain reads through a view of their own are computed before it (lazyResult did
  // this when the chain was built; a value computed since is simply read).
  const { region, views } = regionOf(s);
  for (const v of views) realize(ctx, v.storage as GpuStorage);
  ctx.realizing++;
  try {
    const work = (region.nodes.length - 1) * (shapeSize(lz.out.shape) + LAZY_TIERING.dispatchElements);
    runElementwiseRegion(ctx, region, views, lz.out, s, { work, threshold: LAZY_TIERING.threshold });
  } finally {
    ctx.realizing--;
  }
  // After the dispatch is queued: an input whose release waited for this reader now waits for the submit.
  s.forgetLazy();
}

/** Written-binding numbers by shader key (from each kernel's WGSL, once). */
const writesByKey = new Map<string, ReadonlySet<number>>();

/** The bindings (1…n) a shader may write: its `read_write` storage buffers. */
export function writtenBindings(key: string, source: () => string): ReadonlySet<number> {
  let w = writesByKey.get(key);
  if (!w) {
    w = new Set([...source().matchAll(/@binding\((\d+)\)\s*var<storage,\s*read_write>/g)].map((m) => Number(m[1])));
    writesByKey.set(key, w);
  }
  return w;
}

/**
 * Before a dispatch binds `bindings` (a kernel's inputs and outputs): every lazy one is computed,
 * and every lazy value still reading a binding the kernel may write (`written`) is computed first,
 * so it sees the values it was made from.
 */
export function settleBindings(ctx: LazyContext, bindings: readonly GpuStorage[], written: ReadonlySet<number>): void {
  bindings.forEach((b, j) => {
    if (b.lazy) realize(ctx, b);
    if (written.has(j + 1)) {
      realizeReaders(ctx, b);
      // A storage a kernel may write no longer holds its host value (a read-only binding keeps it).
      b.hostValue = undefined;
    }
  });
}

/**
 * Compute every lazy value that still reads `s` (before `s` is overwritten), but `except`. A
 * reader whose release was asked for (its tensors disposed: nothing reads it but the chains that
 * hold it inline) is not computed; its own lazy readers are, as they would read `s` through it.
 */
export function realizeReaders(ctx: LazyContext, s: GpuStorage, except?: GpuStorage): void {
  if (!s.lazyReaders) return;
  for (const r of [...s.lazyReaders]) {
    const reader = r.deref();
    if (reader === except) continue;
    if (!reader?.lazy) s.lazyReaders.delete(r);
    else if (reader.releaseAfterSubmit) realizeReaders(ctx, reader, except);
    else realize(ctx, reader);
  }
}

/**
 * `copy_` of a lazy value into a whole tensor: the chain is computed straight into the tensor's
 * buffer, reading it element for element where the chain reads it (`p.sub_(g.mul(lr))` is one
 * kernel, not the chain into a buffer of its own and a copy). The lazy value then stands for
 * the tensor's memory as written ({@link LazyValue.alias}). False, having done nothing that
 * changes a value, when the write is not of that kind: the caller copies as usual.
 *
 * Never silently wrong: every other lazy value still reading `dst` is computed first; the chain
 * may read `dst` only through the same whole view (a transposed or broadcast read would see
 * elements other invocations already wrote).
 */
export function writeLazyInto(ctx: LazyContext, dst: StridedView, src: StridedView): boolean {
  const s = src.storage as GpuStorage;
  const d = dst.storage as GpuStorage;
  if (!s.lazy || s.lazy.alias || d.lazy || s === d || src.dtype !== dst.dtype) return false;
  const out: OutSpec = { shape: dst.shape, dtype: dst.dtype };
  const n = shapeSize(out.shape);
  if (n === 0 || n !== d.length || !readsRowMajor(dst, out.shape) || !isWhole(src, s, out)) return false;
  if (elementwiseExpression("cast", [out], out) === null) return false;
  // From here on `dst` is as good as written: lazy values reading it take its values now.
  realizeReaders(ctx, d, s);
  d.hostValue = undefined;
  const { region, views } = regionOf(s);
  let inPlace = -1;
  for (const [k, v] of views.entries()) {
    if (v.storage !== d) continue;
    if (!readsRowMajor(v, out.shape) || inPlace >= 0) return false;
    inPlace = k;
  }
  for (const v of views) realize(ctx, v.storage as GpuStorage);
  ctx.realizing++;
  let done: boolean;
  try {
    // Its kernel saves the chain's dispatches after the first (as in realize), and in place the copy too.
    const work = (region.nodes.length - (inPlace < 0 ? 1 : 0)) * (n + LAZY_TIERING.dispatchElements);
    done = runElementwiseRegionInto(ctx, region, views, out, d, inPlace, { work, threshold: LAZY_TIERING.threshold });
  } finally {
    ctx.realizing--;
  }
  if (!done) return false;
  s.forgetLazy();
  s.lazy = { op: "cast", attrs: { dtype: out.dtype }, inputs: [dst], out, nodes: 1, reads: new Set([d]), alias: true };
  (d.lazyReaders ??= new Set()).add(s.ref);
  return true;
}
