/**
 * The reverse-mode engine: walks the tape from the outputs back to the leaves, calling each
 * node's vjp rule. With `createGraph` the rules' own ops are recorded, so gradients can be
 * differentiated again; without `retainGraph` the saved tensors are freed as it goes.
 */
import { SMALL_GRAD_ELEMENTS } from "../../schema/events";
import { AutogradError, IndexError } from "../errors";
import { emit, hasListeners, listenerEpoch } from "../events";
import { shapeEqual, fmtShape } from "../tensor/shape";
import type { Tensor, TensorLike } from "../tensor/tensor";
import { withGradMode, autodiffPhase, setGradEnabled } from "../ops/gradmode";
import { withScope } from "../debug/scope";
import { collectNodes, endTape, tapeOf, type TapeNode, type GradHook } from "./tape";
import { installAutodiff } from "../tensor/installed-ops";
import * as F from "../ops/functional";

/** Options of `backward()`. */
export interface BackwardOptions {
  /** Keep the saved tensors so backward can run through this tape again. */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order derivatives (implies retainGraph). */
  createGraph?: boolean;
}

/** Sum a cotangent down to `shape` (the transpose of broadcasting). */
function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapeEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  let r = F.sum(g, axes, true);
  if (lead > 0) r = F.reshape(r, shape as number[]);
  return r;
}

/**
 * Run-time reachability of a cotangent inside a traced backward (jit(grad)). A control-flow op's
 * vjp gives an operand a cotangent that eager mode would not have produced at all when the branch
 * that runs does not reach it: its reach flag is the traced boolean that says, at run time, whether
 * it is real. Eager refuses a backward through a tensor saved and then changed in place only when
 * the backward reaches it, so the traced backward turns that refusal into a run-time check on the flag
 * (see `guardRefusal`) instead of refusing for every branch at trace time.
 */
const reachFlags = new WeakMap<Tensor, Tensor>();

/** Mark `cotangent` as real only where `flag` (a traced boolean scalar) holds at run time. */
export function setReachFlag(cotangent: Tensor, flag: Tensor): void {
  reachFlags.set(cotangent, flag);
}

/** Why a backward is refused: the op, and the message of the AutogradError it throws. */
export interface Refusal {
  readonly op: string;
  readonly message: string;
}

/** Builds `g`, unchanged, behind a run-time `refusal` taken when `flag` holds (installed by the graph layer). */
type RefusalGuard = (flag: Tensor, refusal: Refusal, g: Tensor) => Tensor;
let refusalGuard: RefusalGuard | null = null;

/**
 * `t`, unchanged, behind `refusal` taken when the traced boolean `flag` holds at run time (the
 * graph layer's guard); without the graph layer, the refusal at once.
 */
export function refuseAtRunTime(flag: Tensor, refusal: Refusal, t: Tensor): Tensor {
  if (refusalGuard === null) throw new AutogradError(refusal.op, refusal.message);
  return refusalGuard(flag, refusal, t);
}

/** Install the graph layer's run-time refusal (a `cond` that refuses on its true branch). */
export function installRefusalGuard(guard: RefusalGuard): void {
  refusalGuard = guard;
}

/**
 * Eager's in-place check: the refusal of a backward through `node` because a tensor it saved (an
 * input or its output) was changed in place since it was recorded, or null.
 */
function staleSaved(node: TapeNode, saved: NonNullable<TapeNode["saved"]>): Refusal | null {
  const at = node.line ? ` (op at line ${node.line})` : "";
  const changed = (what: string, from: number, to: number, comma = ""): Refusal => ({
    op: node.op.name,
    message: `${what}${at}${comma} was changed in place afterwards (version ${from} → ${to}); use an out-of-place op, or clone() it before changing it`,
  });
  const i = saved.inputs.findIndex((t, k) => t !== null && t._version.v !== node.savedVersions[k]);
  if (i >= 0) {
    const t = saved.inputs[i]!;
    return changed(`an input of shape ${fmtShape(t.shape)} saved for backward`, node.savedVersions[i], t._version.v);
  }
  // A compiled graph's node: the versions its trace saw (jit ran the functionalized program).
  const stale = node.stale;
  if (stale !== undefined && stale.inputs.length > 0) {
    const s = stale.inputs[0];
    return changed(`an input of shape ${fmtShape(node.inputAvals[s.index].shape)} saved for backward`, s.from, s.to);
  }
  if (stale !== undefined && stale.outputs.length > 0) {
    const s = stale.outputs[0];
    return changed(`its output of shape ${fmtShape(node.outAval.shape)}, saved for backward`, s.from, s.to, ",");
  }
  const out = saved.output;
  if (out !== null && out._version.v !== node.savedOutputVersion)
    return changed(`its output of shape ${fmtShape(out.shape)}, saved for backward`, node.savedOutputVersion, out._version.v, ",");
  return null;
}

/** A traced boolean that holds when any of `flags` does (TapeNode.tapedWhen's meaning). */
export const anyFlag = (flags: readonly Tensor[]): Tensor => flags.reduce((a, b) => F.logicalOr(a, b));

/** Both flags' reach: null is "always". */
const orFlags = (a: Tensor | null, b: Tensor | null): Tensor | null => (a === null || b === null ? null : F.logicalOr(a, b));
const andFlags = (a: Tensor | null, b: Tensor | null): Tensor | null => (a === null ? b : b === null ? a : F.logicalAnd(a, b));

function runHooks(hooks: readonly GradHook[], g: Tensor): Tensor {
  for (const h of hooks) {
    const r = h(g);
    if (r !== undefined && r !== null) g = r;
  }
  return g;
}

/**
 * The Tape panel's gradient norms. Where values can be read synchronously (CPU) they go with the
 * `backward` event. Elsewhere (WebGPU) a pass's norms are computed on the device, stacked into one
 * tensor, read back once and sent afterwards as `norms` events. That is a few kernels per
 * gradient: measuring every pass a read allowed cost the tiny Transformer example's eager steps
 * about a tenth of their time in the playground. So a training loop measures its first pass and
 * then one in {@link NORMS_EVERY} (never while a read is in flight); the latest pass left out is
 * kept, and {@link flushGradNorms} measures it when the program ends (the runner calls it), so the
 * tape the panel shows last still gets its norms. A gradient written in place or disposed before
 * it is measured gets none (NaN: the panel's "–", whose tooltip, tape.normUnmeasured, names this
 * cadence).
 */
export const NORMS_EVERY = 32;

/** One backward pass's gradients, by tape node, as they were when the pass made them. */
type PassGrads = { nodeId: number; grads: Tensor[]; versions: number[] }[];

const norms = {
  /** Passes since the last one measured; a new listener starts over (its first pass is measured). */
  passesSince: Infinity,
  epoch: -1,
  /** The read of the last measured pass, while in flight. */
  inFlight: null as Promise<void> | null,
  /** The latest pass not measured yet. */
  deferred: null as PassGrads | null,
};

/** Measure `pass` on the device: one read for the whole pass, then a `norms` event per node. */
function measurePass(pass: PassGrads): Promise<void> {
  norms.passesSince = 0;
  const valid = pass.map((e) => e.grads.map((g, i) => g._concreteValue() !== null && g._version.v === e.versions[i]));
  const prev = setGradEnabled(false);
  let all: Tensor | null = null;
  try {
    const each = pass.flatMap((e, k) => e.grads.filter((_, i) => valid[k]![i]).map((g) => F.reshape(F.sqrt(F.sum(F.square(F.cast(g, "float32")))), [1])));
    if (each.length > 0) all = F.concat(each, 0);
  } finally {
    setGradEnabled(prev);
  }
  const send = (values: ArrayLike<number>) => {
    let at = 0;
    pass.forEach((e, k) => emit({ type: "tape", phase: "norms", nodeId: e.nodeId, gradNorms: valid[k]!.map((ok) => (ok ? Number(values[at++]) : NaN)) }));
  };
  if (all === null) {
    send([]);
    return Promise.resolve();
  }
  let done!: () => void;
  const inFlight = new Promise<void>((resolve) => (done = resolve));
  norms.inFlight = inFlight;
  const finish = () => {
    if (norms.inFlight === inFlight) norms.inFlight = null;
    done();
  };
  // Not awaited by anyone who could swallow it: an IndexError from this read (the first after a
  // WebGPU kernel met a bad index, with the stack of the backward() that started it) must reach
  // the program's error handling; a lost device reports itself, and the panel keeps "–".
  void all.data().then(
    (values) => {
      finish();
      send(values);
    },
    (e: unknown) => {
      finish();
      if (e instanceof IndexError) throw e;
    },
  );
  return inFlight;
}

/**
 * Measure the gradient norms of the latest backward pass that was left out (see NORMS_EVERY) and
 * send them as `norms` events; resolves once they are sent. The playground's runner calls it when
 * a program ends; a host listening to the library's events may call it too.
 * @example await flushGradNorms();
 */
export async function flushGradNorms(): Promise<void> {
  while (norms.inFlight) await norms.inFlight;
  const pass = norms.deferred;
  norms.deferred = null;
  if (pass) await measurePass(pass);
}

class GradNorms {
  private readonly pass: PassGrads = [];

  /** The norms of `grads` now (NaN where they will arrive later). */
  measure(nodeId: number, grads: readonly Tensor[]): number[] {
    const concrete = grads.map((g) => g._concreteValue());
    if (concrete.every((c) => c?._view?.storage.backend.readSync)) {
      return concrete.map((c) => {
        const d = c!._view!.storage.backend.readSync!(c!._view!);
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i] * d[i];
        return Math.sqrt(s);
      });
    }
    if (concrete.every((c) => c !== null)) this.pass.push({ nodeId, grads: concrete as Tensor[], versions: concrete.map((c) => c!._version.v) });
    return grads.map(() => NaN);
  }

  /** The values of `t` when it is small and readable at once (CPU), else null. */
  small(t: Tensor): number[] | null {
    if (t.size > SMALL_GRAD_ELEMENTS) return null;
    const c = t._concreteValue();
    const b = c?._view?.storage.backend;
    return c && b?.readSync ? Array.from(b.readSync(c._view!), Number) : null;
  }

  /** At the end of the pass: measure it now, or keep it as the latest one left out. */
  flush(): void {
    if (this.pass.length === 0) return;
    const epoch = listenerEpoch();
    if (epoch !== norms.epoch) {
      norms.epoch = epoch;
      norms.passesSince = Infinity;
    }
    norms.passesSince++;
    if (norms.inFlight === null && norms.passesSince >= NORMS_EVERY) {
      norms.deferred = null;
      void measurePass(this.pass);
    } else {
      norms.deferred = this.pass;
    }
  }
}

/**
 * Run reverse mode from `roots` seeded with `seeds` (ones for scalars). With `targets`, return the
 * gradients with respect to those tensors (and stop there) instead of accumulating into leaves' `.grad`.
 */
export function backward(
  roots: readonly Tensor[],
  seeds: readonly TensorLike[] | undefined,
  options: BackwardOptions = {},
  targets?: readonly Tensor[],
): (Tensor | null)[] {
  // The engine's own grad mode (off unless createGraph) is not a noGrad region of the caller's:
  // jit must not mark the backward ops it traces as cut.
  return withGradMode(options.createGraph ?? false, () => backwardPass(roots, seeds, options, targets));
}

/** The scope of the ops that write the leaves' `.grad` (the gradients' accumulation and stops). */
const LEAF_GRADS_SCOPE = ["backward.grads"] as const;

function backwardPass(
  roots: readonly Tensor[],
  seeds: readonly TensorLike[] | undefined,
  options: BackwardOptions,
  targets?: readonly Tensor[],
): (Tensor | null)[] {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const prevGrad = setGradEnabled(createGraph);
  const prevPhase = autodiffPhase.current;
  autodiffPhase.current = "backward";
  try {
    const nodeGrads = new Map<TapeNode, Tensor>();
    // Reach flag of each node's cotangent (absent: always reached).
    const nodeFlags = new Map<TapeNode, Tensor | null>();
    const leafGrads = new Map<Tensor, Tensor>();
    const targetIndex = new Map<Tensor, number>();
    const targetNodes = new Map<TapeNode, number>();
    targets?.forEach((t, i) => {
      if (t._node !== null) targetNodes.set(t._node, i);
      else targetIndex.set(t, i);
    });
    const results: (Tensor | null)[] = targets ? targets.map(() => null) : [];
    const addTo = <K>(m: Map<K, Tensor>, k: K, g: Tensor) => {
      const prev = m.get(k);
      m.set(k, prev === undefined ? g : F.add(prev, g));
    };
    const addToNode = (n: TapeNode, g: Tensor, flag: Tensor | null) => {
      nodeFlags.set(n, nodeGrads.has(n) ? orFlags(nodeFlags.get(n) ?? null, flag) : flag);
      addTo(nodeGrads, n, g);
    };

    roots.forEach((root, i) => {
      if (!root.requiresGrad) {
        throw new AutogradError("backward", `the tensor (shape ${fmtShape(root.shape)}) does not require grad: no input it depends on has requiresGrad set`);
      }
      let seed: Tensor;
      const s = seeds?.[i];
      if (s === undefined) {
        if (root.size !== 1) {
          throw new AutogradError(
            "backward",
            `needs a seed for a non-scalar output of shape ${fmtShape(root.shape)}: call .backward(seed) with a tensor of that shape (or reduce it first, e.g. .sum())`,
          );
        }
        seed = F.broadcastTo(F.scalarTensor(1, root.dtype, root), root.shape as number[]);
      } else {
        seed = typeof s === "number" || typeof s === "boolean" ? F.broadcastTo(F.scalarTensor(s, root.dtype, root), root.shape as number[]) : s;
        if (!shapeEqual(seed.shape, root.shape))
          throw new AutogradError("backward", `the seed has shape ${fmtShape(seed.shape)} but the output has shape ${fmtShape(root.shape)}`);
      }
      if (root._node === null) addTo(leafGrads, root, seed);
      else addToNode(root._node, seed, null);
    });

    const order = collectNodes(roots.flatMap((r) => (r._node ? [r._node] : [])));
    // With targets, skip nodes from which no target can be reached.
    let needed: Set<TapeNode> | null = null;
    if (targets) {
      needed = new Set();
      for (const n of order) {
        if (targetNodes.has(n) || n.edges.some((e) => e !== null && ((e.leaf !== null && targetIndex.has(e.leaf)) || (e.node !== null && needed!.has(e.node)))))
          needed.add(n);
      }
    }
    const listening = hasListeners();
    const gradNorms = listening ? new GradNorms() : null;

    for (let oi = order.length - 1; oi >= 0; oi--) {
      const node = order[oi];
      let g = nodeGrads.get(node);
      if (g === undefined) continue;
      nodeGrads.delete(node);
      // Real when the cotangent is, and eager would have taped the node at all.
      const flag = andFlags(nodeFlags.get(node) ?? null, node.tapedWhen === null ? null : anyFlag(node.tapedWhen));
      // A refusal: at once when the cotangent is always real and the tensors always saved, else
      // when the graph runs and both hold.
      const refuseWhen = andFlags(flag, node.savesWhen);
      const refuse = (r: Refusal) => {
        if (refuseWhen === null) throw new AutogradError(r.op, r.message);
        g = refuseAtRunTime(refuseWhen, r, g!);
      };
      if (node.hooks.length) g = runHooks(node.hooks, g);
      if (node.retainOn !== null && !targets) node.retainOn.grad = node.retainOn.grad === null ? g : F.add(node.retainOn.grad, g);
      const ti = targetNodes.get(node);
      if (ti !== undefined) {
        results[ti] = results[ti] === null ? g : F.add(results[ti]!, g);
        continue;
      }
      if (needed !== null && !needed.has(node)) continue;
      const saved = node.saved;
      if (saved === null) {
        throw new AutogradError(
          node.op.name,
          `backward through this tape a second time${node.line ? ` (op recorded at line ${node.line})` : ""}: its saved tensors were freed after the first backward. Pass { retainGraph: true } to the first backward() if you need to run it twice`,
        );
      }
      const stale = staleSaved(node, saved);
      if (stale !== null) refuse(stale);
      const needsGrad = node.edges.map((e) => e !== null);
      const shapes: number[][] = [];
      const sent: Tensor[] = [];
      const gIn = g;
      // The gradient's ops run in the scope its forward op ran in (a traced graph groups them by module).
      withScope(node.scope, () => {
        const grads = node.op.vjp!(gIn, { inputs: saved.inputs, output: saved.output, attrs: node.attrs, inputAvals: node.inputAvals, needsGrad, reach: flag });
        node.edges.forEach((e, i) => {
          let gi = grads[i];
          if (e === null || gi === null || gi === undefined) return;
          const giFlag = andFlags(flag, reachFlags.get(gi) ?? null);
          const aval = node.inputAvals[i];
          gi = sumToShape(gi, aval.shape);
          if (gi.dtype !== aval.dtype) gi = F.cast(gi, aval.dtype);
          // A cotangent real only at times adds nothing when it is not: eagerly it does not exist,
          // and 0 times a NaN or ∞ the forward kept (x / 0) must not reach the sum as NaN.
          if (giFlag !== null) gi = F.where(giFlag, gi, 0);
          if (listening) {
            shapes.push([...gi.shape]);
            sent.push(gi);
          }
          if (e.node !== null) addToNode(e.node, gi, giFlag);
          else addTo(leafGrads, e.leaf, gi);
        });
      });
      if (gradNorms) {
        emit({
          type: "tape",
          phase: "backward",
          nodeId: node.id,
          gradShapes: shapes,
          gradNorms: gradNorms.measure(node.id, sent),
          gradValues: sent.map((t) => gradNorms.small(t)),
          gradOut: { shape: [...g.shape], values: gradNorms.small(g) },
        });
      }
      if (!retainGraph) node.saved = null;
    }

    // Writing the leaves' .grad is a step of its own in a traced graph (its folded box).
    withScope(LEAF_GRADS_SCOPE, () => {
      for (const [leaf, g0] of leafGrads) {
        const g = leaf._leafHooks.length ? runHooks(leaf._leafHooks, g0) : g0;
        const ti = targetIndex.get(leaf);
        if (targets) {
          if (ti !== undefined) results[ti] = results[ti] === null ? g : F.add(results[ti]!, g);
        } else {
          const acc = createGraph ? g : F.detach(g);
          leaf.grad = leaf.grad === null ? acc : F.add(leaf.grad, acc);
        }
      }
    });
    gradNorms?.flush();
    endTape();
    return results;
  } finally {
    setGradEnabled(prevGrad);
    autodiffPhase.current = prevPhase;
  }
}

// Tensor.backward() and Tensor.tape reach reverse mode through the tensor core's slot.
installAutodiff({ backward, tapeOf });
