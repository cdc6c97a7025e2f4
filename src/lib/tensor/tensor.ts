/**
 * The Tensor: an n-dimensional array with a shape, a dtype, and (when concrete) a strided view of
 * backend memory. Tracers (forward mode, graph mode) are Tensors too, so user code runs unchanged
 * under every transform. Every method is an op that goes through `apply` (ops/dispatch).
 */
import type { Backend, StridedView, Storage } from "../backend/backend";
import { WebgradError, AutogradError, ShapeError } from "../errors";
import type { Trace } from "../ops/dispatch";
import type { TapeNode, GradHook, TapeEntry } from "../autodiff/tape";
import { ITEM_SIZE, isFloat, type DType, type TypedArray } from "./dtype";
import { contiguousStrides, fmtShape, shapeSize, type Shape } from "./shape";
import type { BackwardOptions } from "../autodiff/backward";
import type { SliceSpec } from "../ops/functional";
import { F, autodiff } from "./installed-ops";
import { formatTensor } from "./print";
import { fmtValue } from "./validate";
import { placeOnSimDevice } from "./sim-placement";
import { hasListeners } from "../events";
import { currentUserLine } from "../debug/source";
import type { SimDevice } from "../cluster/device";
import type { DeviceTensor } from "../cluster/placement";

/** Open `tidy` scopes, innermost last: each collects the concrete tensors made while it is open. */
const scopes: Tensor[][] = [];

/** A tensor, or a plain number/boolean that acts as a 0-d tensor (weakly typed, like in JAX). */
export type TensorLike = Tensor | number | boolean;

/** Nested arrays of numbers or booleans, as `tolist()` returns and `tensor()` accepts. */
export type NestedArray = number | boolean | NestedArray[];

let nextTensorId = 1;

/** @internal The id the next tensor will get (graph tracing uses it to tell tensors created inside). */
export function nextTensorIdPeek(): number {
  return nextTensorId;
}

/** Intercepts reads and writes of `.grad` (graph tracing turns them into graph inputs and outputs). */
export interface GradSlotHook {
  read(owner: Tensor): Tensor | null;
  write(owner: Tensor, grad: Tensor | null): void;
}

/** @internal The active `.grad` interceptor, if any. */
export const gradSlots: { hook: GradSlotHook | null } = { hook: null };

/** The key of the async pretty-printer the playground's console uses. */
export const INSPECT = Symbol.for("webgrad.inspect");

/** An n-dimensional array with autodiff. Create one with `tensor`, `zeros`, `randn`, … */
export class Tensor {
  /** Unique id (the Tape panel names tensors by it). */
  readonly id = nextTensorId++;
  /** Size of each dimension. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** Optional name, shown in the Tape panel (parameters get theirs from their module). */
  name: string | undefined;
  /** True when gradients should flow to this tensor (set on leaves you want `.grad` for). */
  requiresGrad = false;
  /** @internal Storage of `grad`. */
  _grad: Tensor | null = null;
  /** The accumulated gradient of a leaf after `backward()` (or of a non-leaf after `retainGrad()`). */
  get grad(): Tensor | null {
    const hook = gradSlots.hook;
    return hook === null ? this._grad : hook.read(this);
  }
  set grad(g: Tensor | null) {
    if (g !== null) g._pinned = true;
    const hook = gradSlots.hook;
    if (hook === null) this._grad = g;
    else hook.write(this, g);
  }
  /** @internal The tape node that produced this tensor (null for leaves). */
  _node: TapeNode | null = null;
  /** @internal Version counter shared by views of the same memory: bumped by in-place ops. */
  _version: { v: number };
  /** @internal Concrete memory; null for tracers. */
  _view: StridedView | null;
  /** @internal The interpreter that owns this tensor (null: concrete, eager). */
  _trace: Trace | null;
  /** @internal Leaf announced to the Tape panel already. */
  _announced = false;
  /**
   * @internal The user's line that made this tensor require grad (usually the line that created it,
   * `const W = tensor(…, { requiresGrad: true })`), so the Tape panel can name the leaf by its variable.
   * Captured only while something listens to events.
   */
  _gradLine: number | undefined = undefined;
  /** @internal Hooks on a leaf. */
  _leafHooks: GradHook[] = [];
  /**
   * @internal Referenced from where `tidy` cannot see (a tape node saved it, or it became a `.grad`):
   * a scope ending never disposes it.
   */
  _pinned = false;
  /** @internal For internal scalar constants: the value, known on the host (graph passes read it). */
  _hostScalar: number | undefined = undefined;

  /** Not for direct use: make tensors with the creation functions (`tensor`, `zeros`, `randn`, …). */
  constructor(shape: Shape, dtype: DType, view: StridedView | null, trace: Trace | null, version?: { v: number }) {
    this.shape = shape;
    this.dtype = dtype;
    this._view = view;
    this._trace = trace;
    this._version = version ?? { v: 0 };
    if (view !== null) {
      view.storage.tensorRefs = (view.storage.tensorRefs ?? 0) + 1;
      if (scopes.length > 0) scopes[scopes.length - 1].push(this);
    }
  }

  /** @internal A tensor owning a fresh contiguous storage. */
  static _fromStorage(storage: Storage, shape: Shape, dtype: DType): Tensor {
    return new Tensor(shape, dtype, { storage, shape, strides: contiguousStrides(shape), offset: 0, dtype }, null);
  }

  /** @internal A view sharing memory (and version counter) with another tensor. */
  static _fromView(view: StridedView, version: { v: number }): Tensor {
    return new Tensor(view.shape, view.dtype, view, null, version);
  }

  /** @internal The concrete memory, or an error naming the op when this is a tracer. */
  _concrete(op: string): StridedView {
    if (this._view !== null) return this._view;
    if (this._trace === null) throw new WebgradError(op, `the tensor of shape ${fmtShape(this.shape)} was disposed; its memory is gone`);
    throw new WebgradError(op, `got a ${this._trace.kind} tracer where a concrete tensor was expected`);
  }

  /** @internal The backend this tensor's data lives on (tracers: where it will), or null if unknown. */
  _backendOf(): Backend | null {
    return this._view?.storage.backend ?? null;
  }

  /**
   * @internal The strides and offset of this tensor in its memory (what decides whether a reshape
   * is a view, and whether a tensor is contiguous); tracers know theirs without data. Contiguous
   * when unknown.
   */
  _layout(): { readonly strides: readonly number[]; readonly offset: number } {
    return this._view ?? { strides: contiguousStrides(this.shape), offset: 0 };
  }

  /** @internal The concrete value behind this tensor, when there is one (tracers override). */
  _concreteValue(): Tensor | null {
    return this._view !== null ? this : null;
  }

  // ---------------------------------------------------------------- properties

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return shapeSize(this.shape);
  }
  /** Number of elements (PyTorch name). */
  numel(): number {
    return shapeSize(this.shape);
  }
  /** Bytes of the elements. */
  get nbytes(): number {
    return shapeSize(this.shape) * ITEM_SIZE[this.dtype];
  }
  /** The backend holding the data: "cpu" or "webgpu" (or the tracer kind). */
  get device(): string {
    return this._view?.storage.backend.name ?? this._trace?.kind ?? "unknown";
  }
  /** True for tensors not produced by a recorded op (inputs and parameters). */
  get isLeaf(): boolean {
    return this._node === null;
  }
  /** The name of the op that produced this tensor on the tape (PyTorch's grad_fn), or null. */
  get gradFn(): string | null {
    return this._node?.op.name ?? null;
  }
  /** The transposed matrix (last two axes swapped); for a vector, itself. */
  get T(): Tensor {
    return this.ndim < 2 ? this : this.transpose(-2, -1);
  }

  // ---------------------------------------------------------------- reading values

  /** Read the elements back in row-major order (async: a GPU read-back). */
  async data(): Promise<TypedArray> {
    const c = this._readable("data");
    return c._view!.storage.backend.read(c._view!);
  }
  /** The elements as nested arrays. */
  async tolist(): Promise<NestedArray> {
    const d = await this.data();
    return toNested(d, this.shape, this.dtype);
  }
  /** The value of a one-element tensor as a number. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new ShapeError("item", `needs a tensor with one element, got shape ${fmtShape(this.shape)}`);
    const d = await this.data();
    return Number(d[0]);
  }
  /** Synchronous read (CPU backend only): handy in Node and tests. */
  dataSync(): TypedArray {
    const c = this._readable("dataSync");
    const b = c._view!.storage.backend;
    if (!b.readSync) throw new WebgradError("dataSync", `the ${b.name} backend reads back asynchronously: use await t.data()`);
    return b.readSync(c._view!);
  }
  /** Synchronous nested arrays (CPU backend only). */
  tolistSync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }
  /** Synchronous item (CPU backend only). */
  itemSync(): number {
    if (this.size !== 1) throw new ShapeError("item", `needs a tensor with one element, got shape ${fmtShape(this.shape)}`);
    return Number(this.dataSync()[0]);
  }
  private _readable(op: string): Tensor {
    const c = this._concreteValue();
    if (c === null && this._trace === null) throw new WebgradError(op, `the tensor of shape ${fmtShape(this.shape)} was disposed; its memory is gone`);
    if (c === null) {
      throw new WebgradError(
        op,
        `cannot read the values of a tensor traced by ${this._trace?.kind}: its values are not known while tracing (shape ${fmtShape(this.shape)}, ${this.dtype})`,
      );
    }
    return c;
  }
  /** The printed form, PyTorch-like (async, for the playground console). */
  async [INSPECT](): Promise<string> {
    const c = this._concreteValue();
    if (c === null) return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype}, traced by ${this._trace?.kind})`;
    return formatTensor(await c.data(), this.shape, this.dtype, this._node?.op.name ?? (this.requiresGrad ? "leaf" : undefined));
  }
  /** The printed form where values can be read synchronously (CPU); a summary otherwise. */
  toString(): string {
    const c = this._concreteValue();
    const b = c?._view?.storage.backend;
    if (c !== null && b?.readSync) return formatTensor(b.readSync(c._view!), this.shape, this.dtype, this._node?.op.name);
    return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype}, device=${this.device})`;
  }

  /**
   * JS asks for a primitive in comparisons (`x > 0`), arithmetic and `Number(x)`. A traced tensor
   * has no value yet, so that is a data-dependent decision the graph cannot record: say so here,
   * at the user's line, instead of comparing a string. Concrete tensors keep JS's default (their text).
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint !== "string" && this._concreteValue() === null) {
      throw new WebgradError(
        "Tensor",
        `a ${this._trace?.kind ?? "traced"} tensor (${this.dtype}${fmtShape(this.shape)}) was used as a JS value (a comparison such as x > 0, Number(x), or + with a number): its value is unknown while the function is traced, so JS cannot branch or compute on it. Use tensor ops (x.gt(0), x.add(1)), cond / whileLoop / where for data-dependent control flow, or jit(fn, { autograph: true }) to convert if/while/for`,
      );
    }
    return this.toString();
  }

  // ---------------------------------------------------------------- autograd

  /** Mark this tensor as requiring grad (in place); returns it. */
  requiresGrad_(on = true): this {
    if (on && !isFloat(this.dtype)) {
      throw new AutogradError("requiresGrad_", `only floating-point tensors can require grad, this one is ${this.dtype}`);
    }
    // isLeaf, not _node: a jit argument's tracer is a non-leaf when the caller's tensor is.
    if (!on && !this.isLeaf) throw new AutogradError("requiresGrad_", "cannot turn off requiresGrad on a non-leaf tensor: use detach()");
    if (on && !this.requiresGrad && this._gradLine === undefined && hasListeners()) this._gradLine = currentUserLine();
    this.requiresGrad = on;
    return this;
  }
  /**
   * Reverse mode: compute the gradient of this tensor with respect to every leaf that requires
   * grad and add it to their `.grad`. A non-scalar needs a `seed` (the vector in a vector-Jacobian product).
   * The options may come first when there is no seed: `loss.backward({ retainGraph: true })`.
   * @example loss.backward();
   * @example y.backward(ones([3]), { retainGraph: true });
   */
  backward(options: BackwardOptions): void;
  backward(seed?: Tensor | number | null, options?: BackwardOptions): void;
  backward(seed?: Tensor | number | BackwardOptions | null, options: BackwardOptions = {}): void {
    // PyTorch's backward(gradient=None, retain_graph=…) reads naturally as backward({ retainGraph }) in JS.
    if (seed !== null && typeof seed === "object" && !(seed instanceof Tensor)) {
      if (arguments.length > 1)
        throw new AutogradError(
          "backward",
          `got options as the first argument and ${fmtValue(options)} as the second: pass backward(seed, options) or backward(options)`,
        );
      options = seed;
      seed = undefined;
    }
    if (seed !== undefined && seed !== null && typeof seed !== "number" && !(seed instanceof Tensor)) {
      throw new AutogradError("backward", `the seed must be a Tensor of the output's shape ${fmtShape(this.shape)} or a number, got ${fmtValue(seed)}`);
    }
    if (options === null || typeof options !== "object")
      throw new AutogradError("backward", `options must be an object such as { retainGraph: true }, got ${fmtValue(options)}`);
    const known = ["retainGraph", "createGraph"];
    const unknown = Object.keys(options).filter((k) => !known.includes(k));
    if (unknown.length)
      throw new AutogradError("backward", `unknown option ${unknown.map((k) => JSON.stringify(k)).join(", ")}; the options are ${known.join(", ")}`);
    autodiff.backward([this], seed === undefined || seed === null ? undefined : [seed], options);
  }
  /** A tensor with the same data that is cut from the tape (no gradient flows through it). */
  detach(): Tensor {
    return F.detach(this);
  }
  /** Keep `.grad` for this non-leaf tensor during backward. */
  retainGrad(): this {
    if (this._node !== null) this._node.retainOn = this;
    return this;
  }
  /** Call `hook(grad)` when this tensor's gradient is computed; the hook may return a replacement. Returns a remover. */
  registerHook(hook: GradHook): () => void {
    if (!this.requiresGrad) throw new AutogradError("registerHook", "cannot register a hook on a tensor that does not require grad");
    const list = this._node !== null ? this._node.hooks : this._leafHooks;
    list.push(hook);
    return () => {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    };
  }
  /** The tape behind this tensor: the recorded ops it depends on, in order. */
  tape(): TapeEntry[] {
    return autodiff.tapeOf(this);
  }

  // ---------------------------------------------------------------- in place

  /**
   * Write `src` (broadcast to this shape, cast to this dtype) into this tensor's memory: the one
   * in-place primitive. Not recorded on the tape; allowed on tensors that require grad only inside `noGrad`.
   */
  copy_(src: TensorLike): this {
    F.assign(this, src);
    return this;
  }
  /** In-place `this += other`. */
  add_(other: TensorLike): this {
    return this._writeTemporary(this.add(other));
  }
  /** In-place `this -= other`. */
  sub_(other: TensorLike): this {
    return this._writeTemporary(this.sub(other));
  }
  /** In-place `this *= other`. */
  mul_(other: TensorLike): this {
    return this._writeTemporary(this.mul(other));
  }
  /** In-place `this /= other`. */
  div_(other: TensorLike): this {
    return this._writeTemporary(this.div(other));
  }
  /**
   * @internal `copy_(value)` where `value` is the caller's own intermediate: disposed right after,
   * as `tidy` would (not when the tape or a trace holds it), so the WebGPU backend, which may have
   * written the value's computation straight into this tensor, need not keep a copy of it for a
   * reader that cannot exist.
   */
  _writeTemporary(value: Tensor): this {
    try {
      return this.copy_(value);
    } finally {
      const own = value !== this && value._view !== null && value._view.storage !== this._view?.storage;
      if (own && value._trace === null && tidyMayDispose(value)) value.dispose();
    }
  }
  /** Fill with zeros in place. */
  zero_(): this {
    return this.copy_(0);
  }
  /** Fill with a value in place. */
  fill_(value: number): this {
    return this.copy_(value);
  }

  // ---------------------------------------------------------------- memory

  /**
   * Give the memory back now (it is freed automatically when unreachable anyway): once no other
   * tensor views the same memory, a GPU buffer returns to the pool at once, for the next tensor of
   * its size. Using the tensor afterwards is an error. `tidy` disposes a scope's intermediates.
   */
  dispose(): void {
    const view = this._view;
    this._view = null;
    this._node = null;
    this._grad = null;
    if (view === null) return;
    const s = view.storage;
    if (s.tensorRefs !== undefined && --s.tensorRefs === 0) s.release?.();
  }
  /** For `using t = …`: disposes at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---------------------------------------------------------------- elementwise (unary)

  /** -x */ neg(): Tensor {
    return F.neg(this);
  }
  /** |x| */ abs(): Tensor {
    return F.abs(this);
  }
  /** eˣ */ exp(): Tensor {
    return F.exp(this);
  }
  /** Natural logarithm. */ log(): Tensor {
    return F.log(this);
  }
  /** log(1 + x), accurate near 0. */ log1p(): Tensor {
    return F.log1p(this);
  }
  /** √x */ sqrt(): Tensor {
    return F.sqrt(this);
  }
  /** 1/√x */ rsqrt(): Tensor {
    return F.rsqrt(this);
  }
  /** sin x */ sin(): Tensor {
    return F.sin(this);
  }
  /** cos x */ cos(): Tensor {
    return F.cos(this);
  }
  /** tanh x */ tanh(): Tensor {
    return F.tanh(this);
  }
  /** 1 / (1 + e⁻ˣ) */ sigmoid(): Tensor {
    return F.sigmoid(this);
  }
  /** max(x, 0) */ relu(): Tensor {
    return F.relu(this);
  }
  /** GELU: x·Φ(x) (exact, with erf) or its tanh approximation. */ gelu(approximate: "none" | "tanh" = "none"): Tensor {
    return F.gelu(this, approximate);
  }
  /** SiLU (swish): x·sigmoid(x) */ silu(): Tensor {
    return F.silu(this);
  }
  /** x² */ square(): Tensor {
    return F.square(this);
  }
  /** 1/x */ reciprocal(): Tensor {
    return F.reciprocal(this);
  }
  /** −1, 0 or 1 */ sign(): Tensor {
    return F.sign(this);
  }
  /** Round down. */ floor(): Tensor {
    return F.floor(this);
  }
  /** Round up. */ ceil(): Tensor {
    return F.ceil(this);
  }
  /** Round half to even. */ round(): Tensor {
    return F.round(this);
  }
  /** The error function. */ erf(): Tensor {
    return F.erf(this);
  }
  /** Logical not (bool result). */ logicalNot(): Tensor {
    return F.logicalNot(this);
  }
  /** Cast to another dtype. */ cast(dtype: DType): Tensor {
    return F.cast(this, dtype);
  }
  /** Cast to another dtype (alias of cast). */ astype(dtype: DType): Tensor {
    return F.cast(this, dtype);
  }
  /** Cast to float32. */ float(): Tensor {
    return F.cast(this, "float32");
  }
  /** Cast to float64 (CPU backend). */ double(): Tensor {
    return F.cast(this, "float64");
  }
  /** Cast to float16 (IEEE half: 11 significant bits, largest finite value 65504). */ half(): Tensor {
    return F.cast(this, "float16");
  }
  /** Cast to int32 (truncates toward zero). */ int(): Tensor {
    return F.cast(this, "int32");
  }
  /** Clamp into [min, max]. */ clamp(min?: number, max?: number): Tensor {
    return F.clamp(this, min, max);
  }

  // ---------------------------------------------------------------- elementwise (binary)

  /** this + other (broadcasting) */ add(other: TensorLike): Tensor {
    return F.add(this, other);
  }
  /** this − other */ sub(other: TensorLike): Tensor {
    return F.sub(this, other);
  }
  /** this × other */ mul(other: TensorLike): Tensor {
    return F.mul(this, other);
  }
  /** this ÷ other (true division: ints give floats) */ div(other: TensorLike): Tensor {
    return F.div(this, other);
  }
  /** thisᵒᵗʰᵉʳ */ pow(other: TensorLike): Tensor {
    return F.pow(this, other);
  }
  /** atan2(this, other): the angle of the point (other, this). */ atan2(other: TensorLike): Tensor {
    return F.atan2(this, other);
  }
  /** Elementwise maximum. */ maximum(other: TensorLike): Tensor {
    return F.maximum(this, other);
  }
  /** Elementwise minimum. */ minimum(other: TensorLike): Tensor {
    return F.minimum(this, other);
  }
  /** this == other (bool) */ eq(other: TensorLike): Tensor {
    return F.eq(this, other);
  }
  /** this != other (bool) */ ne(other: TensorLike): Tensor {
    return F.ne(this, other);
  }
  /** this < other (bool) */ lt(other: TensorLike): Tensor {
    return F.lt(this, other);
  }
  /** this <= other (bool) */ le(other: TensorLike): Tensor {
    return F.le(this, other);
  }
  /** this > other (bool) */ gt(other: TensorLike): Tensor {
    return F.gt(this, other);
  }
  /** this >= other (bool) */ ge(other: TensorLike): Tensor {
    return F.ge(this, other);
  }
  /** Logical and (bool). */ logicalAnd(other: TensorLike): Tensor {
    return F.logicalAnd(this, other);
  }
  /** Logical or (bool). */ logicalOr(other: TensorLike): Tensor {
    return F.logicalOr(this, other);
  }
  /** Logical xor (bool). */ logicalXor(other: TensorLike): Tensor {
    return F.logicalXor(this, other);
  }

  // ---------------------------------------------------------------- reductions

  /** Sum over `axis` (all axes by default). */ sum(axis?: number | number[] | null, keepdims = false): Tensor {
    return F.sum(this, axis, keepdims);
  }
  /** Mean over `axis`. */ mean(axis?: number | number[] | null, keepdims = false): Tensor {
    return F.mean(this, axis, keepdims);
  }
  /** Maximum over `axis`. */ max(axis?: number | number[] | null, keepdims = false): Tensor {
    return F.max(this, axis, keepdims);
  }
  /** Minimum over `axis`. */ min(axis?: number | number[] | null, keepdims = false): Tensor {
    return F.min(this, axis, keepdims);
  }
  /** Product over `axis`. */ prod(axis?: number | number[] | null, keepdims = false): Tensor {
    return F.prod(this, axis, keepdims);
  }
  /** Index of the maximum along `axis` (int32; flattened when no axis). */ argmax(axis?: number, keepdims = false): Tensor {
    return F.argmax(this, axis, keepdims);
  }
  /** Index of the minimum along `axis`. */ argmin(axis?: number, keepdims = false): Tensor {
    return F.argmin(this, axis, keepdims);
  }
  /** Variance over `axis` (`correction` 1 = unbiased, the default, as in PyTorch). */ var(
    axis?: number | number[] | null,
    keepdims = false,
    correction = 1,
  ): Tensor {
    return F.variance(this, axis, keepdims, correction);
  }
  /** Standard deviation over `axis`. */ std(axis?: number | number[] | null, keepdims = false, correction = 1): Tensor {
    return F.std(this, axis, keepdims, correction);
  }
  /** log Σ exp over `axis`, computed stably. */ logsumexp(axis?: number | number[] | null, keepdims = false): Tensor {
    return F.logsumexp(this, axis, keepdims);
  }
  /** Cumulative sum along `axis`. */ cumsum(axis: number): Tensor {
    return F.cumsum(this, axis);
  }

  // ---------------------------------------------------------------- linear algebra

  /** Matrix product with batch broadcasting (vectors are promoted like NumPy's matmul). */ matmul(other: Tensor): Tensor {
    return F.matmul(this, other);
  }
  /** Matrix product (alias of matmul). */ mm(other: Tensor): Tensor {
    return F.matmul(this, other);
  }

  // ---------------------------------------------------------------- movement

  /** Same data, new shape (one dimension may be −1). A view when the layout allows. */ reshape(...shape: number[] | [number[]]): Tensor {
    return F.reshape(this, flatArgs(shape));
  }
  /** Alias of reshape. */ view(...shape: number[] | [number[]]): Tensor {
    return F.reshape(this, flatArgs(shape));
  }
  /** Reorder the dimensions. */ permute(...axes: number[] | [number[]]): Tensor {
    return F.permute(this, flatArgs(axes));
  }
  /** Swap two dimensions. */ transpose(dim0 = -2, dim1 = -1): Tensor {
    return F.transpose(this, dim0, dim1);
  }
  /** Broadcast to a larger shape without copying. */ expand(...shape: number[] | [number[]]): Tensor {
    return F.broadcastTo(this, flatArgs(shape));
  }
  /** Broadcast to `shape` without copying. */ broadcastTo(shape: number[]): Tensor {
    return F.broadcastTo(this, shape);
  }
  /**
   * Slice with one `[start, stop, step]` (or a single index, or null for all) per leading dimension.
   * Negative indices count from the end. A view.
   * @example x.slice([0, 2], null, [null, null, -1])
   */
  slice(...specs: SliceSpec[]): Tensor {
    return F.slice(this, specs);
  }
  /** Elements `start … start+length-1` along `axis` (a view). */ narrow(axis: number, start: number, length: number): Tensor {
    return F.narrow(this, axis, start, length);
  }
  /** Drop size-1 dimensions (all, or the given one). */ squeeze(axis?: number | number[]): Tensor {
    return F.squeeze(this, axis);
  }
  /** Insert a size-1 dimension at `axis`. */ unsqueeze(axis: number): Tensor {
    return F.unsqueeze(this, axis);
  }
  /** Flatten dimensions startDim … endDim into one. */ flatten(startDim = 0, endDim = -1): Tensor {
    return F.flatten(this, startDim, endDim);
  }
  /** A contiguous copy when this is a non-contiguous view; itself otherwise. */ contiguous(): Tensor {
    return F.contiguous(this);
  }
  /** A copy (recorded on the tape). */ clone(): Tensor {
    return F.clone(this);
  }
  /** Split into pieces of `size` (or the given sizes) along `axis`. */ split(size: number | number[], axis = 0): Tensor[] {
    return F.split(this, size, axis);
  }
  /** Split into `chunks` nearly equal pieces along `axis`. */ chunk(chunks: number, axis = 0): Tensor[] {
    return F.chunk(this, chunks, axis);
  }
  /** Pick rows along `axis` by an int32 index tensor. */ indexSelect(axis: number, index: Tensor): Tensor {
    return F.indexSelect(this, axis, index);
  }
  /** Gather along `axis` with an index tensor of the output's shape (PyTorch's gather). */ gather(axis: number, index: Tensor): Tensor {
    return F.gather(this, axis, index);
  }
  /** A copy with `src` added at `index` along `axis` (PyTorch's scatter_add, out of place). */ scatterAdd(axis: number, index: Tensor, src: Tensor): Tensor {
    return F.scatterAdd(this, axis, index, src);
  }
  /** Reverse the order along `axes` (all by default): a view with negative strides. */ flip(axes?: number | number[]): Tensor {
    return F.flip(this, axes);
  }
  /** Upper triangle of the last two dims (column − row ≥ k), zeros elsewhere. */ triu(k = 0): Tensor {
    return F.triu(this, k);
  }
  /** Lower triangle of the last two dims (column − row ≤ k), zeros elsewhere. */ tril(k = 0): Tensor {
    return F.tril(this, k);
  }
  /** One-hot float32 encoding of int32 class ids: shape [...this.shape, numClasses]. */ oneHot(numClasses: number): Tensor {
    return F.oneHot(this, numClasses);
  }
  /**
   * Move to another backend ("cpu" or "webgpu") or cast to a dtype; or copy onto a simulated
   * device (`dist.SimDevice`), which gives a `dist.DeviceTensor` with its bytes accounted there.
   * @example x.to("webgpu")
   * @example const onD3 = x.to(c.devices[3]);   // a placed copy
   */
  to(device: SimDevice): DeviceTensor;
  to(target: string): Tensor;
  to(target: string | SimDevice): Tensor | DeviceTensor {
    return typeof target === "string" ? F.to(this, target) : placeOnSimDevice(this, target, "to", true);
  }

  // ---------------------------------------------------------------- nn helpers

  /** Softmax along `axis` (default last). */ softmax(axis = -1): Tensor {
    return F.softmax(this, axis);
  }
  /** log(softmax) along `axis`, computed stably. */ logSoftmax(axis = -1): Tensor {
    return F.logSoftmax(this, axis);
  }
}

function flatArgs(a: number[] | [number[]]): number[] {
  return a.length === 1 && Array.isArray(a[0]) ? (a[0] as number[]) : (a as number[]);
}

function toNested(d: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const conv = dtype === "bool" ? (x: number) => x !== 0 : (x: number) => x;
  if (shape.length === 0) return conv(d[0]);
  const rec = (dim: number, off: number): NestedArray[] => {
    const n = shape[dim];
    const out: NestedArray[] = [];
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out.push(conv(d[off + i]));
      return out;
    }
    const stride = shapeSize(shape.slice(dim + 1));
    for (let i = 0; i < n; i++) out.push(rec(dim + 1, off + i * stride));
    return out;
  };
  return rec(0, 0);
}

/** Tensors inside `value` (a tensor, or arrays and plain objects of them, as `tidy` may return). */
function tensorsIn(value: unknown, into: Set<Tensor>, seen = new Set<unknown>()): Set<Tensor> {
  if (value instanceof Tensor) into.add(value);
  else if (value !== null && typeof value === "object" && !seen.has(value)) {
    seen.add(value);
    if (Array.isArray(value)) for (const v of value) tensorsIn(v, into, seen);
    else if (Object.getPrototypeOf(value) === Object.prototype || value instanceof Map)
      for (const v of value instanceof Map ? value.values() : Object.values(value)) tensorsIn(v, into, seen);
  }
  return into;
}

/** False for a tensor referenced from where a scope cannot see: pinned, requiring grad, or on the tape. */
function tidyMayDispose(t: Tensor): boolean {
  return !t._pinned && !t.requiresGrad && t._node === null;
}

/**
 * Run `fn` and dispose every tensor it made that it does not return (as a tensor, or inside arrays,
 * plain objects or Maps): eager intermediates give their GPU buffers back at once, for the next
 * op of the same size, instead of when the garbage collector finds them — what makes an eager loop
 * on WebGPU fast (TensorFlow.js's `tf.tidy`). Tensors the autodiff tape saved or that became a
 * `.grad`, and tensors passed to `keep`, are never disposed; a tensor a scope stored elsewhere
 * (a global, a closure) must be returned or kept. Scopes nest: what an inner one returns belongs
 * to the outer one. `fn` must be synchronous (a Promise it returns would escape the scope).
 *
 * ```ts
 * const y = tidy(() => x.mul(1.5).add(0.25).tanh()); // two intermediates freed here
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const made: Tensor[] = [];
  scopes.push(made);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  if (result instanceof Promise) throw new WebgradError("tidy", "the function returned a Promise: tidy scopes synchronous code only (await outside it)");
  const kept = tensorsIn(result, new Set());
  const outer = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of made) {
    if (kept.has(t) || !tidyMayDispose(t)) outer?.push(t);
    else t.dispose();
  }
  return result;
}

/** Exempt `t` from the `tidy` scopes open now (it outlives them); returns `t`. */
export function keep<T extends Tensor>(t: T): T {
  t._pinned = true;
  return t;
}
