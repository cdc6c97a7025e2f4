/**
 * `cond`: choose one of two functions by a scalar predicate. Eagerly it is a JS `if`; under
 * `jit` it is one graph node with a `then` and an `else` region, and only the chosen region runs.
 */
import { AutogradError, WebgradError } from "../../errors";
import type { AbstractValue, Attrs } from "../../ops/registry";
import { treeFlatten } from "../../autodiff/pytree";
import { isFloat } from "../../tensor/dtype";
import { Tensor } from "../../tensor/tensor";
import { zerosLike } from "../../ops/creation";
import * as F from "../../ops/functional";
import { installRefusalGuard, setReachFlag, type Refusal } from "../../autodiff/backward";
import { defineControlOp } from "./bind";
import { argsReached } from "./reach";
import { jvpRegion, runRegion, vjpRegion } from "./closed";
import { canReadSync, checkSameStructure, isStaged, mergeCaptures, readBool, scalarPred, selectBoth, traceRegion, withOwnMemory } from "./region";

const avalsOf = (ts: readonly AbstractValue[]) => ts.map((t) => ({ shape: t.shape, dtype: t.dtype }));
const floatIndices = (ts: readonly AbstractValue[]) => ts.flatMap((t, i) => (isFloat(t.dtype) ? [i] : []));

/** The `cond` graph op: operands are [pred, ...args, ...captures]; regions [then, else]. */
export const condOp = defineControlOp({
  name: "cond",
  savingRegions: { regions: [0, 1], offset: 1, resultsAreOutputs: true, oneRuns: true },
  regionNames: ["then", "else"],
  regionRuns: (operands, r) => (r === 0 ? operands[0] : F.logicalNot(operands[0])),
  outAvals: (_ops, regions) => regions[0].outputs.map((o) => ({ shape: o.value!.shape, dtype: o.value!.dtype })),
  visibleCount: (regions) => regions[0].outputs.length,
  run(operands, regions, attrs) {
    const [pred, ...args] = operands;
    const refuse = (attrs.refuse ?? [null, null]) as readonly (Refusal | null)[];
    if (canReadSync(pred)) {
      const r = readBool("cond", pred) ? 0 : 1;
      if (refuse[r]) throw new AutogradError(refuse[r].op, refuse[r].message);
      return runRegion(regions[r], args);
    }
    // No synchronous read-back (WebGPU): run both branches, each taped only when it is the one
    // taken, and select, which needs no read (so a refusal of either branch refuses).
    const refused = refuse.find((x) => x);
    if (refused) throw new AutogradError(refused.op, refused.message);
    return selectBoth(
      pred,
      args,
      () => runRegion(regions[0], args),
      () => runRegion(regions[1], args),
    );
  },
  jvp(primals, tangents, regions) {
    const [pred, ...args] = primals;
    const diff = args.flatMap((a, k) => (isFloat(a.dtype) && tangents[k + 1] !== null ? [k] : []));
    const outF = floatIndices(regions[0].outputs.map((o) => o.value!));
    const n = args.length;
    const branch =
      (r: number) =>
      (...ins: Tensor[]) => {
        const [outs, touts] = jvpRegion(regions[r], ins.slice(0, n), diff, ins.slice(n), outF);
        return [...outs, ...touts];
      };
    const res = cond(pred, branch(0), branch(1), ...args, ...diff.map((k) => tangents[k + 1]!)) as Tensor[];
    const outs = res.slice(0, regions[0].outputs.length);
    const touts: (Tensor | null)[] = outs.map(() => null);
    outF.forEach((i, j) => (touts[i] = res[outs.length + j]));
    return [outs, touts];
  },
  vjp({ operands, regions, outputs, cts, needsGrad, refusals, reach }) {
    // Eager refuses a backward through the branch taken when a tensor it saved was changed in
    // place since: both refuse now; one, when the backward graph runs and takes it. When the
    // cotangents themselves are real only at times (reach), so are the refusals.
    let refuse = [refusals[0] ?? null, refusals[1] ?? null];
    const args = operands.slice(1);
    let pred = operands[0];
    if (reach && (refuse[0] || refuse[1])) {
      const whenThen = F.logicalAnd(reach, pred),
        whenElse = F.logicalAnd(reach, F.logicalNot(pred));
      if (refuse[0]) pred = guardRefusal(whenThen, refuse[0], pred);
      if (refuse[1]) pred = guardRefusal(whenElse, refuse[1], pred);
      refuse = [null, null];
    } else if (refuse[0] && refuse[1]) throw new AutogradError(refuse[0].op, refuse[0].message);
    const diff = args.flatMap((a, k) => (needsGrad[k + 1] ? [k] : []));
    const outF = floatIndices(outputs);
    const n = args.length;
    const ctsF = outF.map((i) => cts[i] ?? zerosLike(outputs[i]));
    const branch =
      (r: number) =>
      (...ins: Tensor[]) =>
        vjpRegion(regions[r], ins.slice(0, n), diff, outF, ins.slice(n));
    const grads = diff.length ? (condWith(refuse[0] || refuse[1] ? { refuse } : {}, pred, branch(0), branch(1), [...args, ...ctsF]) as Tensor[]) : [];
    // Eagerly, only the branch taken is on the tape: an operand only the other branch uses gets no
    // cotangent, and a refusal behind it does not happen. The traced backward says so at run time.
    if (isStaged() && diff.length) {
      const live = outF.filter((i) => cts[i] !== null);
      const [inThen, inElse] = [argsReached(regions[0], live), argsReached(regions[1], live)];
      diff.forEach((k, j) => {
        const a = inThen.has(k),
          b = inElse.has(k);
        if (a && b) return;
        setReachFlag(grads[j], a ? pred : b ? F.logicalNot(pred) : F.scalarTensor(false, "bool", pred));
      });
    }
    return [null, ...args.map((_, k) => (diff.includes(k) ? grads[diff.indexOf(k)] : null))];
  },
  regionTypes(node) {
    const args = avalsOf(node.inputs.slice(1));
    const outs = avalsOf(node.results ?? [node.output]);
    return [
      [args, outs],
      [args, outs],
    ];
  },
});

/** `t`, unchanged, behind a refusal taken at run time when `flag` holds: a cond that refuses its then-branch. */
function guardRefusal(flag: Tensor, refusal: Refusal, t: Tensor): Tensor {
  return condWith(
    { refuse: [refusal, null] },
    flag,
    (x: Tensor) => x,
    (x: Tensor) => x,
    [t],
  );
}

// A traced backward's run-time refusals go through guardRefusal.
installRefusalGuard(guardRefusal);

/**
 * Run `trueFn(...operands)` if `pred` is true, else `falseFn(...operands)`. Eagerly this is a JS
 * `if` on the predicate's value; under `jit` it becomes a `cond` node with both branches traced
 * as regions (they must return the same structure, shapes and dtypes) and only one runs.
 * Gradients flow through the branch taken, in both modes. On WebGPU, whose values cannot be read
 * synchronously, both branches run and each result is selected with `where`; the branch not taken
 * still adds nothing to a gradient, but a backward that either branch would refuse (a tensor it
 * saved, changed in place since) is refused, and the result requires grad when either branch's does.
 * @example const y = cond(x.sum().gt(0), (v) => v.mul(2), (v) => v.neg(), x);
 */
export function cond<A extends unknown[], R>(pred: Tensor | boolean, trueFn: (...operands: A) => R, falseFn: (...operands: A) => R, ...operands: A): R {
  return condWith({}, pred, trueFn, falseFn, operands);
}

/** `cond` with the node's attributes (the backward's: `refuse`, a refusal per branch). */
function condWith<A extends unknown[], R>(attrs: Attrs, pred: Tensor | boolean, trueFn: (...operands: A) => R, falseFn: (...operands: A) => R, operands: A): R {
  if (typeof trueFn !== "function" || typeof falseFn !== "function") throw new WebgradError("cond", "trueFn and falseFn must be functions");
  if (!isStaged() || !(pred instanceof Tensor)) {
    const refuse = (attrs.refuse ?? [null, null]) as readonly (Refusal | null)[];
    if (canReadSync(pred)) {
      const r = readBool("cond", pred) ? 0 : 1;
      if (refuse[r]) throw new AutogradError(refuse[r].op, refuse[r].message);
      return withOwnMemory(operands, () => (r === 0 ? trueFn(...operands) : falseFn(...operands)));
    }
    // No synchronous read-back (WebGPU): a refusal of either branch refuses (loud, never silent);
    // run both branches, each taped only when it is the one taken, and select with where.
    const refused = refuse.find((x) => x);
    if (refused) throw new AutogradError(refused.op, refused.message);
    let result!: ReturnType<typeof treeFlatten>;
    const selected = selectBoth(
      scalarPred("cond", pred as Tensor),
      operands,
      () => (result = treeFlatten(trueFn(...operands))).leaves,
      () => treeFlatten(falseFn(...operands)).leaves,
    );
    return result.unflatten(selected);
  }
  const p = scalarPred("cond", pred);
  const { leaves, unflatten } = treeFlatten(operands);
  const call = (fn: (...a: A) => R) => (tracers: Tensor[]) => fn(...(unflatten(tracers) as A));
  const t = traceRegion("cond", "then", call(trueFn), leaves, trueFn);
  const f = traceRegion("cond", "else", call(falseFn), leaves, falseFn);
  checkSameStructure("cond", "the two branches", t, f, "then, else");
  const { graphs, captures } = mergeCaptures([t, f], leaves.length);
  const outs = condOp.bind([p, ...leaves, ...captures], graphs, attrs);
  return t.unflatten(outs);
}
