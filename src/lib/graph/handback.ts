/**
 * Handing back a compiled function's results with eager's memory sharing. The graph computes
 * values; passes may turn a result into one of its inputs (x·1 → x) or one result into another,
 * and a view of an argument the call wrote is computed apart from it. Eagerly a result shares
 * memory only with tensors of its own memory (views of one base): so a result that would share
 * another memory's storage is copied, and a view of a written argument or capture is cut again
 * from it after the write-back. A result that eager holds as a plain tensor but the graph left
 * as a broadcast (a fill kept as an expand) is materialized, so it can be written in place.
 */
import { apply } from "../ops/dispatch";
import * as F from "../ops/functional";
import type { Storage } from "../backend/backend";
import type { Tensor } from "../tensor/tensor";
import type { AliasRoot, ResultMemory } from "./alias";
import type { IRGraph, InputSource } from "./ir";

/** The results of one run, each with the memory eager would give it (call after the write-backs). */
export function handBack(
  graph: IRGraph,
  values: readonly (Tensor | null)[],
  plans: readonly ResultMemory[],
  args: readonly Tensor[],
  inputMemory: (s: InputSource) => AliasRoot | null,
): Tensor[] {
  const owner = new Map<Storage, AliasRoot | null>();
  const claim = (t: Tensor | null, m: AliasRoot | null) => {
    const s = t?._view?.storage;
    if (s) owner.set(s, m);
  };
  for (const inp of graph.inputs) {
    const s = inp.source;
    claim(s.kind === "arg" ? args[s.index] : s.kind === "capture" ? s.tensor : null, inputMemory(s));
  }
  return values.map((v, i) => {
    const plan = plans[i];
    let r = v!;
    if (plan.view) {
      const t = plan.view.target;
      r = plan.view.chain.reduce((x, s) => apply(s.op, [x], s.attrs), t.kind === "arg" ? args[t.index] : t.tensor);
    }
    const view = r._view;
    if (view) {
      const shared = owner.has(view.storage) && owner.get(view.storage) !== plan.memory;
      const broadcast = r.size > 0 && view.strides.some((st, k) => st === 0 && r.shape[k] > 1);
      if (shared || (broadcast && !plan.broadcast)) r = F.clone(r);
      else owner.set(view.storage, plan.memory);
    }
    return r;
  });
}
