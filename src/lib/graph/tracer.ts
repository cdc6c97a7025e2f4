/**
 * Tracing into a graph: a GraphTracer stands for an IR value; the GraphTrace interpreter turns
 * every op into a node. Concrete tensors used inside (parameters, optimizer state) are lifted to
 * graph inputs; in-place writes to them and writes of their `.grad` become graph outputs that the
 * compiled function writes back (functionalization), so eager-style training code needs no change.
 */
import { currentUserLine } from "../debug/source";
import { WebgradError } from "../errors";
import { Trace } from "../ops/dispatch";
import type { AbstractValue, Attrs, OpDef } from "../ops/registry";
import { Tensor, type GradSlotHook } from "../tensor/tensor";
import type { Backend } from "../backend/backend";
import { newNodeId, newValue, type IRInput, type IRNode, type IROutput, type IRValue, type InputSource } from "./ir";
import { autodiffPhase, inNoGradRegion } from "../autodiff/gradmode";
import { nextTensorIdPeek } from "../tensor/tensor";
import { isFloat } from "../tensor/dtype";


/** A tensor being traced: it stands for an IR value, it has no data. */
export class GraphTracer extends Tensor {
  constructor(
    trace: GraphTrace,
    /** The IR value this tracer stands for (replaced when it is written in place). */
    public value: IRValue,
    /** The backend its value will live on when the graph runs (known from its inputs), if any. */
    private readonly backend: Backend | null = null,
  ) {
    super(value.shape, value.dtype, null, trace);
  }
  override _backendOf(): Backend | null {
    return this.backend;
  }
}

/** The interpreter that records a graph for one `jit` trace. */
export class GraphTrace extends Trace implements GradSlotHook {
  readonly inputs: IRInput[] = [];
  readonly nodes: IRNode[] = [];
  /** Concrete (or outer-level) tensors lifted to inputs, and their current value (updated by writes). */
  private readonly captured = new Map<Tensor, IRValue>();
  /** Uses of captured float tensors while they did not require grad (jit stops the ones whose tensor requires grad by the end). */
  readonly usesWithoutGrad: { node: IRNode; input: number; tensor: Tensor }[] = [];
  /** Captured tensors written in place: their final value. */
  readonly mutations = new Map<Tensor, IRValue>();
  /** `.grad` slots read or written during the trace. */
  private readonly gradValues = new Map<Tensor, IRValue | null>();
  readonly gradWrites = new Set<Tensor>();
  /** Owners whose `.grad` was null when first read: the graph assumes it still is (a guard). */
  readonly nullGradGuards = new Set<Tensor>();

  /** Tensors with ids from here on were created inside the traced function. */
  private readonly firstTensorId = nextTensorIdPeek();

  /**
   * Mark nodes recorded with grad mode off (a `noGrad` region of the traced function) so the
   * graph cuts gradients where eager would. Set by jit when it traces with grad mode on; off for
   * control-flow regions, which trace under noGrad and are differentiated by their op's rule.
   */
  marksNoGrad = false;

  /** Called once, at the first op recorded (jit's truthiness check throws from there, inside fn). */
  onFirstOp: (() => void) | null = null;

  constructor(level: number) {
    super(level, "jit");
  }

  /** Whether an op recorded now is inside a user's noGrad region (not the backward engine's own grad-off). */
  inNoGrad(): boolean {
    return this.marksNoGrad && inNoGradRegion();
  }

  private newValue(shape: readonly number[], dtype: AbstractValue["dtype"]): IRValue {
    return newValue(shape, dtype);
  }

  /** A graph input for a call argument. */
  addArg(t: Tensor, index: number, path: string): GraphTracer {
    const value = this.newValue(t.shape, t.dtype);
    this.inputs.push({ value, source: { kind: "arg", index, path }, name: path });
    // Control-flow regions pass abstract values (shape and dtype only): their backend is unknown.
    const tracer = new GraphTracer(this, value, t instanceof Tensor ? t._backendOf() : null);
    tracer.name = t.name;
    return tracer;
  }

  private lift(t: Tensor, source: InputSource, name: string, constant = false): IRValue {
    const value = this.newValue(t.shape, t.dtype);
    this.inputs.push({ value, source, name, constant });
    return value;
  }

  /** The IR value of any tensor seen during the trace (lifting concrete ones). */
  irValueOf(t: Tensor): IRValue {
    if (t instanceof GraphTracer && t._trace === this) return t.value;
    let v = this.captured.get(t);
    if (v === undefined) {
      const constant = t.id >= this.firstTensorId && !t.requiresGrad && t._trace === null;
      v = this.lift(t, { kind: "capture", tensor: t }, t.name ?? (constant ? `const${this.captured.size}` : `captured${this.captured.size}`), constant);
      this.captured.set(t, v);
    }
    return v;
  }

  override process(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, out: AbstractValue): Tensor {
    if (this.onFirstOp) {
      const first = this.onFirstOp;
      this.onFirstOp = null;
      first();
    }
    const output = this.newValue(out.shape, out.dtype);
    const node: IRNode = { id: newNodeId(), op: op.name, inputs: inputs.map((t) => this.irValueOf(t)), attrs, output, line: currentUserLine(), phase: autodiffPhase.current, ...(this.inNoGrad() ? { noGrad: true } : {}) };
    this.nodes.push(node);
    inputs.forEach((t, input) => {
      if (t._trace === null && !t.requiresGrad && isFloat(t.dtype)) this.usesWithoutGrad.push({ node, input, tensor: t });
    });
    // An op's result lives where its inputs do: constants made from it (scalars) follow.
    let backend: Backend | null = null;
    for (const t of inputs) if ((backend = t._backendOf()) !== null) break;
    return new GraphTracer(this, output, backend);
  }

  override assign(dst: Tensor, src: Tensor): void {
    const v = this.irValueOf(src);
    if (dst instanceof GraphTracer && dst._trace === this) {
      dst.value = this.inNoGrad() ? this.noGradWrite(v, dst.value) : v;
    } else if (dst._trace === null || dst._trace.level < this.level) {
      const before = this.irValueOf(dst); // lift first, so reads before the write see the old value
      // Later reads of a parameter written under noGrad still differentiate into it (a leaf).
      this.captured.set(dst, this.inNoGrad() && dst.requiresGrad ? this.noGradWrite(v, before) : v);
      this.mutations.set(dst, v);
    } else {
      throw new WebgradError("copy_", `cannot write in place into a tensor of another ${dst._trace.kind} trace`);
    }
    dst._version.v++;
  }

  /** `value` written in place under noGrad over `before`: eager keeps the tensor's tape, so the result keeps `before`'s gradient path. */
  private noGradWrite(value: IRValue, before: IRValue): IRValue {
    if (value.shape.length !== before.shape.length || value.shape.some((d, i) => d !== before.shape[i])) {
      // A broadcast write (fill_, a scalar): the written value takes the tensor's shape first.
      const expanded = this.newValue(before.shape, value.dtype);
      this.nodes.push({ id: newNodeId(), op: "expand", inputs: [value], attrs: { shape: [...before.shape] }, output: expanded, line: currentUserLine(), phase: autodiffPhase.current, noGrad: true });
      value = expanded;
    }
    const output = this.newValue(before.shape, before.dtype);
    this.nodes.push({ id: newNodeId(), op: "noGradWrite", inputs: [value, before], attrs: {}, output, line: currentUserLine(), phase: autodiffPhase.current });
    return output;
  }

  // ------------------------------------------------------------ .grad slots

  read(owner: Tensor): Tensor | null {
    if (owner._trace !== null) return owner._grad;
    if (this.gradValues.has(owner)) {
      const v = this.gradValues.get(owner)!;
      return v === null ? null : new GraphTracer(this, v);
    }
    const g = owner._grad;
    if (g === null) {
      this.nullGradGuards.add(owner);
      this.gradValues.set(owner, null);
      return null;
    }
    const v = this.lift(g, { kind: "grad", owner }, `${owner.name ?? "tensor"}.grad`);
    this.gradValues.set(owner, v);
    return new GraphTracer(this, v, g._backendOf());
  }

  write(owner: Tensor, grad: Tensor | null): void {
    if (owner._trace !== null) {
      owner._grad = grad;
      return;
    }
    this.gradValues.set(owner, grad === null ? null : this.irValueOf(grad));
    this.gradWrites.add(owner);
  }

  /** The outputs that write back captured tensors and `.grad` slots. */
  sideEffectOutputs(): IROutput[] {
    const outs: IROutput[] = [];
    for (const [t, v] of this.mutations) outs.push({ value: v, sink: { kind: "mutation", tensor: t }, name: t.name ?? `tensor${t.id}` });
    for (const owner of this.gradWrites) outs.push({ value: this.gradValues.get(owner) ?? null, sink: { kind: "grad", owner }, name: `${owner.name ?? `tensor${owner.id}`}.grad` });
    return outs;
  }
}
