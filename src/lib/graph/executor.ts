/**
 * Runs a graph on concrete tensors: binds inputs from their sources, applies each node's op
 * (through the eager interpreter, so the backend's kernels run), and returns the values of the
 * outputs. Random ops drawn from the global generator take a fresh counter offset on every run.
 * A fused node runs as one kernel on backends that have a `fused` kernel (WebGPU generates its
 * WGSL); elsewhere, or when autodiff or an outer trace must see its ops, its region is interpreted.
 */
import { WebgradError } from "../errors";
import { apply, evalTrace, topTrace } from "../ops/dispatch";
import { isGradEnabled, noGrad } from "../ops/gradmode";
import { Tensor, nextTensorIdPeek } from "../tensor/tensor";
import { getOp } from "../ops/registry";
import { takeGlobalRandom } from "../ops/creation";
import { shapeSize } from "../tensor/shape";
import { nodeResults, type IRGraph, type IRNode } from "./ir";
import type { Storage } from "../backend/backend";
import { getControlOp } from "./control/registry";
import * as F from "../ops/functional";
import { GraphTrace } from "./tracer";

/** Execute `g` with the call's argument tensors; returns each output's tensor (null for a cleared grad). */
export function executeGraph(g: IRGraph, args: readonly Tensor[]): (Tensor | null)[] {
  // Drop each value after its last use so its memory can be reused while the graph runs.
  const lastUse = new Map<number, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((v) => lastUse.set(v.id, i)));
  for (const o of g.outputs) if (o.value) lastUse.set(o.value.id, Infinity);
  const inPlace = inPlaceCandidates(g);
  const env = new Map<number, Tensor>();
  const bindings = new Map<Tensor, number>(); // tensor → values bound to it in env
  for (const inp of g.inputs) {
    const s = inp.source;
    let t: Tensor | null;
    if (s.kind === "arg") t = args[s.index];
    else if (s.kind === "capture") t = s.tensor;
    else if (s.kind === "argGrad")
      t = args[s.index].grad; // the getter: an enclosing trace may hold it
    else t = s.owner._grad;
    if (!t) throw new WebgradError("jit", `input ${inp.name} of graph ${g.name} has no value (was it cleared since tracing?)`);
    env.set(inp.value.id, t);
  }
  const firstId = nextTensorIdPeek();
  /** Value `id` is dead: drop it, and free its tensor's memory now when nothing else can hold that tensor. */
  const drop = (id: number) => {
    const t = env.get(id);
    if (!t) return;
    env.delete(id);
    const left = (bindings.get(t) ?? 1) - 1;
    bindings.set(t, left);
    if (left === 0 && disposable(t, firstId)) t.dispose();
  };
  g.nodes.forEach((n, i) => {
    // A node traced inside noGrad runs inside noGrad, as eager ran it: nothing it computes is taped
    // (and a jit tracing through this graph marks it again).
    if (n.noGrad) noGrad(() => runNode(n, env, inPlace));
    else runNode(n, env, inPlace);
    for (const v of nodeResults(n)) {
      const t = env.get(v.id);
      if (t) bindings.set(t, (bindings.get(t) ?? 0) + 1);
      if (!lastUse.has(v.id)) drop(v.id); // read by nothing
    }
    for (const v of n.inputs) if (lastUse.get(v.id) === i) drop(v.id);
  });
  return g.outputs.map((o) => (o.value === null ? null : env.get(o.value.id)!));
}

/**
 * An intermediate whose last use has passed may give its memory back at once (GPU buffers return
 * to the pool for the next node of their size, instead of when the garbage collector finds them:
 * without this a training step creates new buffers for most of its intermediates). Only a tensor
 * made since tensor id `since` (by this run: not one it was given, nor a constant a region holds
 * and a branch returns) that nothing outside the run can reach: not a tracer, not one a tape saved
 * or recorded (pinned, or with a grad node), not one that requires grad. Its storage is freed
 * only once no other tensor views it (`Tensor.dispose`).
 */
export function disposable(t: Tensor, since: number): boolean {
  return t.id >= since && t._view !== null && !t._pinned && t._node === null && !t.requiresGrad;
}

/** Apply one node to the values in `env`, binding its results there. */
function runNode(n: IRNode, env: Map<number, Tensor>, inPlace: Map<IRNode, InPlace[]>): void {
  const inputs = n.inputs.map((v) => env.get(v.id)!);
  let attrs = n.attrs;
  if (n.op === "random" && attrs.fromGlobal) attrs = { ...attrs, ...takeGlobalRandom(shapeSize(n.output.shape)) };
  const control = getControlOp(n.op);
  if (control) {
    // Control flow: the op decides how its regions run (eagerly here, or staged again when a
    // transform traces through this graph).
    // Operands the traced code changed in place afterwards: the regions' ops save them on the tape
    // as they run (eagerly, or as the outer trace's node), and a moved version makes those refuse
    // a backward, as eager's would. Each is passed as a copy of its own (the value may be the
    // caller's tensor, or share its version counter), so only the ops that saved it see the move.
    // Only where a tape records (or an outer jit traces) is there a backward to refuse.
    const taping = topTrace(inputs) !== evalTrace || (isGradEnabled() && inputs.some((t) => t.requiresGrad));
    const stale = taping ? n.staleSaved : undefined;
    const operands = stale ? inputs.map((t, k) => (stale.inputs.some((s) => s.index === k) ? F.clone(t) : t)) : inputs;
    const outs = control.bind(operands, n.regions!, attrs);
    n.results!.forEach((v, k) => env.set(v.id, outs[k]));
    if (stale) {
      for (const s of stale.inputs) operands[s.index]._version.v++;
      for (const s of stale.outputs) if (!operands.includes(outs[s.index])) outs[s.index]._version.v++;
      if (outs[0]._trace instanceof GraphTrace) outs[0]._trace.addStaleSaved(outs[0], stale);
    }
  } else if (n.op === "fused") {
    const outs = runFused(n, inputs, inPlace.get(n) ?? []);
    nodeResults(n).forEach((v, k) => env.set(v.id, outs[k]));
  } else {
    const out = apply(getOp(n.op), inputs, attrs);
    if (n.staleSaved) markStale(out, n);
    env.set(n.output.id, out);
  }
}

/**
 * A node whose saved tensors the traced code changed in place afterwards: its tape node (or, run
 * inside an outer jit's trace, the outer graph's node) refuses a backward as eager's would.
 */
function markStale(out: Tensor, n: IRNode): void {
  if (out._node !== null && out._node.op.name === n.op) out._node.stale = n.staleSaved;
  if (out._trace instanceof GraphTrace) out._trace.addStaleSaved(out, n.staleSaved!);
}

/**
 * A fused node: one kernel when every input is a concrete tensor on a backend with a `fused`
 * kernel and no tape needs to see the ops inside; otherwise the region op by op. Returns each
 * result (several for a multi-output kernel: the backend hands the others back in `results`).
 */
function runFused(n: IRNode, inputs: readonly Tensor[], inPlace: readonly InPlace[]): Tensor[] {
  const concrete = topTrace(inputs) === evalTrace && !(isGradEnabled() && inputs.some((t) => t.requiresGrad));
  const backend = concrete && inputs.length > 0 ? inputs[0]._concrete("fused").storage.backend : null;
  if (backend?.supports("fused") && inputs.every((t) => t._concrete("fused").storage.backend === backend)) {
    const specs = nodeResults(n).map((v) => ({ shape: v.shape, dtype: v.dtype }));
    // Which result overwrites which input: [result, input] pairs the kernel may honour.
    const pairs = inPlace.filter((p) => inputs[p.input] === p.target).map((p) => [p.result, p.input]);
    const write = n.results ? { inPlace: pairs } : pairs.length ? { inPlace: pairs[0][1] } : {};
    const results: Storage[] = [];
    const storage = backend.exec(
      "fused",
      inputs.map((t) => t._concrete("fused")),
      { kind: n.attrs.kind, region: n.regions![0], results, ...write },
      specs[0],
    );
    if (!n.results) return [Tensor._fromStorage(storage, specs[0].shape, specs[0].dtype)];
    return specs.map((s, k) => Tensor._fromStorage(results[k], s.shape, s.dtype));
  }
  return executeGraph(n.regions![0], inputs) as Tensor[];
}

/** A fused node's result `result` may overwrite its input `input`, the captured tensor `target`. */
interface InPlace {
  result: number;
  input: number;
  target: Tensor;
}

/** Fused kernels that may store a result into an input's buffer (each reads that input only at the element it stores). */
const IN_PLACE_KINDS = new Set(["elementwise", "multi", "matmul-epilogue"]);

/** Ops whose result may share its input's memory (views), for the in-place check. */
const ALIASING = new Set(["identity", "stopGradient", "noGradWrite"]);

/**
 * Fused nodes (elementwise, multi-output, matmul epilogues) whose result is written back into a
 * tensor that is also their input, when nothing runs after them that reads that tensor (or a view
 * of it) and no other output holds such a view: the kernel may then overwrite the tensor (an
 * optimizer update without the copy of the write-back). The backend decides whether the layout allows it; the write-back then sees the
 * value already in place (`writtenInPlace`).
 */
function inPlaceCandidates(g: IRGraph): Map<IRNode, InPlace[]> {
  const found = new Map<IRNode, InPlace[]>();
  const targets = new Map<number, Tensor>();
  for (const o of g.outputs) if (o.value && o.sink.kind === "mutation") targets.set(o.value.id, o.sink.tensor);
  if (targets.size === 0) return found;
  // Each value's memory root: through view-like ops back to the value they alias.
  const root = new Map<number, number>();
  const rootOf = (id: number) => root.get(id) ?? id;
  for (const n of g.nodes) {
    if (n.inputs.length > 0 && n.op !== "fused" && !getControlOp(n.op) && (ALIASING.has(n.op) || getOp(n.op).category === "movement"))
      root.set(n.output.id, rootOf(n.inputs[0].id));
  }
  const lastRead = new Map<number, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((v) => lastRead.set(rootOf(v.id), i)));
  for (const o of g.outputs) if (o.value && !(o.sink.kind === "mutation" && targets.has(o.value.id))) lastRead.set(rootOf(o.value.id), Infinity);
  const bound = new Map<number, Tensor>();
  for (const inp of g.inputs) if (inp.source.kind === "capture") bound.set(inp.value.id, inp.source.tensor);
  g.nodes.forEach((n, i) => {
    if (n.op !== "fused" || !IN_PLACE_KINDS.has(n.attrs.kind as string)) return;
    const pairs: InPlace[] = [];
    nodeResults(n).forEach((v, result) => {
      const target = targets.get(v.id);
      if (!target) return;
      const k = n.inputs.findIndex((x) => bound.get(x.id) === target);
      if (k >= 0 && (lastRead.get(rootOf(n.inputs[k].id)) ?? -1) <= i) pairs.push({ result, input: k, target });
    });
    if (pairs.length) found.set(n, pairs);
  });
  return found;
}

/** True when `value` already occupies `dst`'s memory (a fused kernel updated it in place): the write-back has nothing to copy. */
export function writtenInPlace(dst: Tensor, value: Tensor): boolean {
  const d = dst._view,
    v = value._view;
  return (
    !!d && !!v && d.storage === v.storage && d.offset === v.offset && d.strides.length === v.strides.length && d.strides.every((s, i) => s === v.strides[i])
  );
}
