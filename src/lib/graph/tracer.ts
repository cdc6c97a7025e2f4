/**
 * Tracing into a graph: a GraphTracer stands for an IR value; the GraphTrace interpreter turns
 * every op into a node. Concrete tensors used inside (parameters, optimizer state) are lifted to
 * graph inputs; in-place writes to them, to the arguments and to `.grad` become graph outputs that
 * the compiled function writes back (functionalization), so eager-style training code needs no
 * change. Writes through views reach their base and every other alias of it (alias.ts).
 */
import { currentUserLine } from "../debug/source";
import { scopeField } from "../debug/scope";
import { AutogradError, WebgradError } from "../errors";
import { Trace, type RunTimeRefusal } from "../ops/dispatch";
import type { AbstractValue, Attrs, OpDef } from "../ops/registry";
import { Tensor, type GradSlotHook } from "../tensor/tensor";
import type { Backend, Storage } from "../backend/backend";
import { newNodeId, newValue, type IRInput, type IRNode, type IROutput, type IRValue, type InputSource } from "./ir";
import { autodiffPhase, inNoGradRegion, isGradEnabled } from "../ops/gradmode";
import { savedInputMask, type StaleSaved } from "../autodiff/tape";
import { refuseAtRunTime } from "../autodiff/backward";
import { nextTensorIdPeek } from "../tensor/tensor";
import { isFloat } from "../tensor/dtype";
import { fmtShape, shapeEqual } from "../tensor/shape";
import * as F from "../ops/functional";
import { AliasRoot, freshAlias, overlaps, sharedUpdate, viewLayout, writeThrough, type Alias, type Layout, type ResultMemory } from "./alias";

/** A tensor being traced: it stands for an IR value, it has no data. */
export class GraphTracer extends Tensor {
  /** The memory it shares with its views and base during the trace (see alias.ts). */
  readonly alias: Alias;
  constructor(
    trace: GraphTrace,
    /**
     * The IR value this tracer stood for when last derived: read it through
     * `GraphTrace.irValueOf`, which re-derives it after a write to its memory.
     */
    public value: IRValue,
    /** The backend its value will live on when the graph runs (known from its inputs), if any. */
    private readonly backend: Backend | null = null,
    /** Its place in a base's memory (a view); a root of its own when absent. */
    alias?: Alias,
    /** A view shares its base's version counter, as eager views do. */
    version?: { v: number },
  ) {
    super(value.shape, value.dtype, null, trace, version);
    this.alias = alias ?? freshAlias(value);
  }
  override _backendOf(): Backend | null {
    return this.backend;
  }
  override _layout(): Layout {
    return this.alias.layout;
  }
  /**
   * @internal For an argument's tracer: whether the caller's tensor is a leaf (eager's messages and
   * backward depend on it, and the tracer itself has no tape node either way).
   */
  argIsLeaf: boolean | undefined = undefined;
  override get isLeaf(): boolean {
    return this.argIsLeaf ?? super.isLeaf;
  }
}

/** A call argument's tracer: which leaf of the arguments it is, and the caller's tensor when traced. */
export interface ArgTracer {
  readonly index: number;
  readonly path: string;
  readonly tensor: Tensor;
}

/** The interpreter that records a graph for one `jit` trace. */
export class GraphTrace extends Trace implements GradSlotHook {
  readonly inputs: IRInput[] = [];
  readonly nodes: IRNode[] = [];
  /** Concrete (or outer-level) tensors lifted to inputs: the memory each stands for, with its current value. */
  private readonly captured = new Map<Tensor, AliasRoot>();
  /** Captured tensors' memory by the storage they view: a write to one reaches the others that share it. */
  private readonly byStorage = new Map<Storage, AliasRoot[]>();
  /** Arguments' memory, written back into the call's arguments when written (top-level jit only). */
  private readonly argRoots: AliasRoot[] = [];
  /** Run-time refusals of in-place writes (see RunTimeRefusal): graph outputs nothing reads, so they run. */
  private readonly checks: IRValue[] = [];
  /**
   * Uses of captured float tensors and of arguments while they did not require grad (jit stops the
   * ones whose tensor requires grad when the graph runs: it turned requiresGrad on or off in fn).
   */
  readonly usesWithoutGrad: { node: IRNode; input: number; tensor: Tensor }[] = [];
  /** `.grad` slots read or written during the trace. */
  private readonly gradValues = new Map<Tensor, Tensor | null>();
  /** The memory of each `.grad` lifted to an input. */
  private readonly liftedGrads = new Map<Tensor, AliasRoot>();
  /** Owners whose `.grad` was set during the trace. */
  readonly gradWrites = new Set<Tensor>();
  /** Owners whose `.grad` was null when first read: the graph assumes it still is (a guard). */
  readonly nullGradGuards = new Set<Tensor>();
  /** The arguments' tracers (concrete arguments of a jit call; not a control-flow region's abstract values). */
  readonly argTracers = new Map<Tensor, ArgTracer>();
  /** Arguments whose `.grad` was null when first read (by index): the graph assumes it still is. */
  readonly nullArgGradGuards = new Set<number>();
  /** The `.grad` interceptor around this trace (an enclosing jit's): an argument that is its tracer has its `.grad` there. */
  enclosingGradSlots: GradSlotHook | null = null;

  /** Per node id: the version of each tensor its op saves for backward when it ran (see staleSaved). */
  private readonly savedVersions = new Map<
    number,
    { inputs: ({ version: { v: number }; at: number } | null)[]; outputs: { version: { v: number }; at: number }[] }
  >();
  /** Marks brought by the nodes of an inner graph run inside this trace (addStaleSaved). */
  private readonly extraStale = new Map<number, StaleSaved>();

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

  constructor(
    level: number,
    /** Write in-place updates of arguments back into the caller's tensors (jit's top level; regions carry values instead). */
    private readonly argWriteBack = false,
  ) {
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
    // A real argument's layout decides what is a view of it, as eagerly (jit traces per layout).
    const layout = t instanceof Tensor ? t._layout() : undefined;
    const alias = freshAlias(value, this.argWriteBack ? { kind: "arg", index } : null, layout);
    this.argRoots.push(alias.root);
    // Control-flow regions pass abstract values (shape and dtype only): their backend is unknown.
    const tracer = new GraphTracer(this, value, t instanceof Tensor ? t._backendOf() : null, alias);
    tracer.name = t.name;
    if (t instanceof Tensor) {
      // As eager sees the argument: `x.requiresGrad ? … : …`, a backward into it and in-place
      // refusals trace as they run (jit keys each argument's requiresGrad, and guards leaf-ness).
      tracer.requiresGrad = t.requiresGrad;
      tracer.argIsLeaf = t.isLeaf;
      // The argument's gradient hooks run where eager runs them: when backward reaches it in fn.
      // (A copy: a hook registered on the tracer inside fn must not stay on the caller's tensor.)
      if (t.isLeaf) tracer._leafHooks = t._leafHooks.slice();
      this.argTracers.set(tracer, { index, path, tensor: t });
    }
    return tracer;
  }

  private lift(t: Tensor, source: InputSource, name: string, constant = false): IRValue {
    const value = this.newValue(t.shape, t.dtype);
    this.inputs.push({ value, source, name, constant });
    return value;
  }

  /** The memory of a concrete (or outer-level) tensor, lifted to a graph input on first use. */
  private capturedRoot(t: Tensor): AliasRoot {
    let root = this.captured.get(t);
    if (root === undefined) {
      // Created inside the traced function: a constant, and its writes stay local to each call
      // (eagerly every call makes a fresh one).
      const constant = t.id >= this.firstTensorId && !t.requiresGrad && t._trace === null;
      const value = this.lift(
        t,
        { kind: "capture", tensor: t },
        t.name ?? (constant ? `const${this.captured.size}` : `captured${this.captured.size}`),
        constant,
      );
      root = new AliasRoot(value, t._layout(), { kind: "capture", tensor: t, local: constant });
      this.captured.set(t, root);
      const storage = t._view?.storage;
      if (storage) {
        const siblings = this.byStorage.get(storage) ?? [];
        // Lifted after a sibling was written: its reads here must see that write.
        for (const s of siblings) if (s.written) this.shareWrite(s, root);
        this.byStorage.set(storage, [...siblings, root]);
      }
    }
    return root;
  }

  /**
   * After `from` (a captured tensor's memory) was written, the captured tensors that view the same
   * storage (made from one another outside the function) take the new values of the elements they
   * share with it, as eagerly; they are written back too (the same values).
   */
  private shareWrite(from: AliasRoot, to: AliasRoot): void {
    const f = from.origin,
      t = to.origin;
    if (f?.kind !== "capture" || t?.kind !== "capture" || !f.tensor._view || !t.tensor._view) return;
    const next = sharedUpdate(this.wrap(from.value, f.tensor), f.tensor._view, this.wrap(to.value, t.tensor), t.tensor._view);
    if (next === null) return;
    to.value = to.data = this.irValueOf(next);
    to.version++;
    to.written = true;
    to.writtenWithGrad ||= from.writtenWithGrad;
  }

  /** A tensor's place in memory: a tracer's own, or a captured tensor as the root of its memory. */
  private aliasOf(t: Tensor): Alias {
    if (t instanceof GraphTracer && t._trace === this) return t.alias;
    const root = this.capturedRoot(t);
    return { root, chain: [], layout: root.layout, seen: root.version };
  }

  /** The IR value of any tensor seen during the trace (lifting concrete ones; re-deriving views of written memory). */
  irValueOf(t: Tensor): IRValue {
    if (!(t instanceof GraphTracer && t._trace === this)) return this.capturedRoot(t).value;
    const a = t.alias;
    if (a.seen !== a.root.version) {
      // Its memory was written since: replay its view ops on the root's new value.
      let v = a.root.value;
      // Never marked noGrad: the alias and its tape were made where it was created, not here.
      for (const s of a.chain) v = this.emit(s.op, [v], s.attrs, s.op.infer([v], s.attrs)).output;
      t.value = v;
      a.seen = a.root.version;
    }
    return t.value;
  }

  /** Record one node. */
  private emit(op: OpDef, inputs: IRValue[], attrs: Attrs, out: AbstractValue, noGrad = false): IRNode {
    const output = this.newValue(out.shape, out.dtype);
    const node: IRNode = {
      id: newNodeId(),
      op: op.name,
      inputs,
      attrs,
      output,
      line: currentUserLine(),
      phase: autodiffPhase.current,
      ...scopeField(),
      ...(noGrad ? { noGrad: true } : {}),
    };
    this.nodes.push(node);
    return node;
  }

  override process(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, out: AbstractValue): Tensor {
    if (this.onFirstOp) {
      const first = this.onFirstOp;
      this.onFirstOp = null;
      first();
    }
    const node = this.emit(
      op,
      inputs.map((t) => this.irValueOf(t)),
      attrs,
      out,
      this.inNoGrad(),
    );
    const output = node.output;
    inputs.forEach((t, input) => {
      if ((t._trace === null || this.argTracers.has(t)) && !t.requiresGrad && isFloat(t.dtype)) this.usesWithoutGrad.push({ node, input, tensor: t });
    });
    // An op's result lives where its inputs do: constants made from it (scalars) follow.
    let backend: Backend | null = null;
    for (const t of inputs) if ((backend = t._backendOf()) !== null) break;
    let result: GraphTracer | null = null;
    if (op.view && inputs.length === 1) {
      // Where eager returns a view, the tracer is one too: a write to it must reach its base.
      const src = this.aliasOf(inputs[0]);
      const step = { op, attrs };
      const layout = viewLayout(step, inputs[0].shape, src.layout, out.shape, out.dtype);
      if (layout !== null)
        result = new GraphTracer(this, output, backend, { root: src.root, chain: [...src.chain, step], layout, seen: src.root.version }, inputs[0]._version);
    }
    result ??= new GraphTracer(this, output, backend);
    if (op.save && !node.noGrad) this.noteSaved(node, inputs, savedInputMask(op, inputs.length), op.save.output ? [result] : []);
    return result;
  }

  /**
   * The versions of what `node` saves for backward (inputs where `saves`, and `outputs`, its
   * results), as eager's tape records them: see staleSaved.
   */
  noteSaved(node: IRNode, inputs: readonly Tensor[], saves: readonly boolean[], outputs: readonly Tensor[]): void {
    const at = (t: Tensor) => ({ version: t._version, at: t._version.v });
    this.savedVersions.set(node.id, { inputs: inputs.map((t, i) => (saves[i] ? at(t) : null)), outputs: outputs.map(at) });
  }

  /** An outer graph's node that ran inside this trace brought its own mark (a jit inside a jit). */
  addStaleSaved(t: Tensor, stale: StaleSaved): void {
    if (!(t instanceof GraphTracer && t._trace === this)) return;
    const node = this.nodes.findLast((n) => n.output === t.value);
    if (node) this.extraStale.set(node.id, stale);
  }

  /**
   * By node id, the saved tensors the traced code changed in place after the node (their version
   * moved by the end of the trace): eagerly, a backward through the node is refused (tape.ts).
   */
  staleSaved(): Map<number, StaleSaved> {
    const out = new Map<number, StaleSaved>(this.extraStale);
    const moved = (vs: readonly ({ version: { v: number }; at: number } | null)[]) =>
      vs.flatMap((v, index) => (v !== null && v.version.v !== v.at ? [{ index, from: v.at, to: v.version.v }] : []));
    for (const [id, s] of this.savedVersions) {
      const inputs = moved(s.inputs),
        outputs = moved(s.outputs);
      if (inputs.length || outputs.length) out.set(id, { inputs, outputs });
    }
    return out;
  }

  /** A temporary tracer for a value (the ops of a write are built with tensor ops on these). */
  private wrap(v: IRValue, like: Tensor): GraphTracer {
    return new GraphTracer(this, v, like._backendOf());
  }

  /**
   * `dst ← src`, as eager does it: the memory `dst` views gets a new value (a write through a
   * view puts the view's elements into its root), and every alias of it is re-derived when read.
   */
  override assign(dst: Tensor, src: Tensor, refuseWhen?: RunTimeRefusal): void {
    if (!(dst instanceof GraphTracer && dst._trace === this) && dst._trace !== null && dst._trace.level >= this.level) {
      throw new WebgradError("copy_", `cannot write in place into a tensor of another ${dst._trace.kind} trace`);
    }
    const srcValue = this.irValueOf(src); // before the write: src may view the memory written
    const a = this.aliasOf(dst);
    if (overlaps(dst.shape, a.layout)) {
      throw new WebgradError(
        "copy_",
        `cannot write in place into a tensor of shape ${fmtShape(dst.shape)} with strides ${fmtShape(a.layout.strides)}: several of its elements share one memory location (a broadcast/expanded view); clone() it first`,
      );
    }
    const root = a.root;
    let next: IRValue;
    if (a.chain.length === 0) {
      next = this.fresh(src, srcValue, dst.shape);
    } else {
      // Fresh as for a whole write: a view that covers its root hands `vals` on as the written
      // memory, which must not be the source's (an argument written later would change it).
      const vals = this.wrap(this.fresh(src, srcValue, dst.shape), dst);
      next = this.irValueOf(writeThrough("copy_", this.wrap(root.value, dst), a.chain, vals));
    }
    root.data = next;
    // Eagerly a write under noGrad, or through a detached alias, leaves the tape as it was: later
    // reads keep the memory's gradient path, and none of the written value's (a captured tensor
    // that does not require grad stays a constant). The write-back stores the plain value. So
    // does a write eager allows only where its tensors do not require grad (refuseWhen: the
    // graph refuses it when they do).
    if (refuseWhen) {
      // (The refusal becomes a node attribute: plain data, not the flag tensor it came with.)
      const { flag, op, message } = refuseWhen;
      this.checks.push(this.irValueOf(refuseAtRunTime(flag, { op, message }, flag)));
    }
    const untaped = refuseWhen !== undefined || this.inNoGrad() || a.chain.some((s) => s.op.name === "stopGradient");
    root.value = untaped ? this.noGradWrite(next, root.value) : next;
    root.version++;
    root.written = true;
    if (isGradEnabled()) root.writtenWithGrad = true;
    const storage = root.origin?.kind === "capture" ? root.origin.tensor._view?.storage : undefined;
    if (storage) for (const s of this.byStorage.get(storage) ?? []) if (s !== root) this.shareWrite(root, s);
    dst._version.v++;
  }

  /**
   * The value a whole tensor of `shape` takes from `src`: broadcast, and copied unless it is an
   * op's fresh result, so the graph never hands out an argument's or a view's memory as the
   * written tensor (eagerly it has its own).
   */
  private fresh(src: Tensor, v: IRValue, shape: readonly number[]): IRValue {
    const t = this.wrap(v, src);
    if (!shapeEqual(v.shape, shape)) return this.irValueOf(F.clone(F.broadcastTo(t, shape as number[])));
    const owned = src instanceof GraphTracer && src._trace === this && src.alias.chain.length === 0 && src.alias.root.origin === null;
    return owned ? v : this.irValueOf(F.clone(t));
  }

  /** What memory a result belongs to, and how to cut it from a written argument or capture (see ResultMemory). */
  resultMemory(t: Tensor): ResultMemory {
    const a = this.aliasOf(t);
    const o = a.root.origin;
    const writtenBack = a.root.written && o !== null && !(o.kind === "capture" && o.local);
    const target = o?.kind === "arg" ? { kind: "arg" as const, index: o.index } : o?.kind === "capture" ? { kind: "capture" as const, tensor: o.tensor } : null;
    return { memory: a.root, view: writtenBack && target ? { target, chain: a.chain } : null, broadcast: overlaps(t.shape, a.layout) };
  }

  /** The memory an input tensor is (its root), or null for a constant made inside the function (its memory is never a result's). */
  inputMemory(source: InputSource): AliasRoot | null {
    if (source.kind === "arg") return this.argRoots[source.index] ?? null;
    if (source.kind === "grad") return this.liftedGrads.get(source.owner) ?? null;
    if (source.kind === "argGrad") {
      const owner = [...this.argTracers].find(([, a]) => a.index === source.index)?.[0];
      return owner === undefined ? null : (this.liftedGrads.get(owner) ?? null);
    }
    const root = this.captured.get(source.tensor);
    return root && !(root.origin?.kind === "capture" && root.origin.local) ? root : null;
  }

  /** Captured tensors written in place (created outside the function): their final value. */
  get mutations(): Map<Tensor, IRValue> {
    const m = new Map<Tensor, IRValue>();
    for (const [t, root] of this.captured) if (root.written && !(root.origin?.kind === "capture" && root.origin.local)) m.set(t, root.data);
    return m;
  }

  /** Arguments written in place: index → final value, and whether a write happened with gradients enabled. */
  get argWrites(): { index: number; value: IRValue; withGrad: boolean }[] {
    const out: { index: number; value: IRValue; withGrad: boolean }[] = [];
    for (const r of this.argRoots) if (r.written && r.origin?.kind === "arg") out.push({ index: r.origin.index, value: r.data, withGrad: r.writtenWithGrad });
    return out;
  }

  /** `value` written in place under noGrad over `before`: eager keeps the tensor's tape, so the result keeps `before`'s gradient path. */
  private noGradWrite(value: IRValue, before: IRValue): IRValue {
    if (value.shape.length !== before.shape.length || value.shape.some((d, i) => d !== before.shape[i])) {
      // A broadcast write (fill_, a scalar): the written value takes the tensor's shape first.
      const expanded = this.newValue(before.shape, value.dtype);
      this.nodes.push({
        id: newNodeId(),
        op: "expand",
        inputs: [value],
        attrs: { shape: [...before.shape] },
        output: expanded,
        line: currentUserLine(),
        phase: autodiffPhase.current,
        ...scopeField(),
        noGrad: true,
      });
      value = expanded;
    }
    const output = this.newValue(before.shape, before.dtype);
    this.nodes.push({
      id: newNodeId(),
      op: "noGradWrite",
      inputs: [value, before],
      attrs: {},
      output,
      line: currentUserLine(),
      phase: autodiffPhase.current,
      ...scopeField(),
    });
    return output;
  }

  // ------------------------------------------------------------ .grad slots

  read(owner: Tensor): Tensor | null {
    // An argument's `.grad` is the caller's tensor's, read at run time like a captured tensor's.
    const arg = this.argTracers.get(owner);
    if (owner._trace !== null && arg === undefined) return owner._grad;
    // The same tensor on every read, as eagerly: a write through one read reaches the others.
    if (this.gradValues.has(owner)) return this.gradValues.get(owner)!;
    const g = arg === undefined ? owner._grad : this.enclosingGradSlots !== null ? this.enclosingGradSlots.read(arg.tensor) : arg.tensor._grad;
    if (g === null) {
      if (arg === undefined) this.nullGradGuards.add(owner);
      else this.nullArgGradGuards.add(arg.index);
      this.gradValues.set(owner, null);
      return null;
    }
    const v =
      arg === undefined
        ? this.lift(g, { kind: "grad", owner }, `${owner.name ?? "tensor"}.grad`)
        : this.lift(g, { kind: "argGrad", index: arg.index, path: arg.path }, `${arg.path}.grad`);
    const t = new GraphTracer(this, v, g._backendOf(), freshAlias(v), g._version);
    this.gradValues.set(owner, t);
    this.liftedGrads.set(owner, t.alias.root);
    return t;
  }

  write(owner: Tensor, grad: Tensor | null): void {
    const arg = this.argTracers.get(owner);
    if (arg !== undefined && !arg.tensor.isLeaf && autodiffPhase.current === "backward") {
      // Eagerly backward would go on into the tape that made the argument, outside the function.
      throw new AutogradError(
        "backward",
        `the gradient reaches the jit function's argument ${arg.path} (shape ${fmtShape(owner.shape)}), which is not a leaf: it was computed from tensors that require grad outside the function, and eagerly backward would continue into them; a compiled graph cannot reach the caller's tape. Call backward on the jit function's result outside it, or pass a leaf (x.detach().requiresGrad_())`,
      );
    }
    if (owner._trace !== null && arg === undefined) {
      owner._grad = grad;
      return;
    }
    this.gradValues.set(owner, grad);
    this.gradWrites.add(owner);
  }

  /** Owners whose `.grad` changes: a new tensor was set, or the one there was written in place. */
  private changedGrads(): Tensor[] {
    return [...this.gradValues].filter(([owner, t]) => this.gradWrites.has(owner) || (t !== null && this.aliasOf(t).root.written)).map(([owner]) => owner);
  }

  /** The outputs that write back captured tensors, arguments and `.grad` slots. */
  sideEffectOutputs(): IROutput[] {
    const outs: IROutput[] = [];
    for (const w of this.argWrites) outs.push({ value: w.value, sink: { kind: "arg", index: w.index, gradEnabled: w.withGrad }, name: `arg${w.index}` });
    for (const [t, v] of this.mutations) outs.push({ value: v, sink: { kind: "mutation", tensor: t }, name: t.name ?? `tensor${t.id}` });
    this.checks.forEach((v, i) => outs.push({ value: v, sink: { kind: "check" }, name: `check${i}` }));
    for (const owner of this.changedGrads()) {
      const t = this.gradValues.get(owner) ?? null;
      const value = t === null ? null : this.irValueOf(t);
      const arg = this.argTracers.get(owner);
      if (arg !== undefined) outs.push({ value, sink: { kind: "argGrad", index: arg.index }, name: `${arg.path}.grad` });
      else outs.push({ value, sink: { kind: "grad", owner }, name: `${owner.name ?? `tensor${owner.id}`}.grad` });
    }
    return outs;
  }
}
