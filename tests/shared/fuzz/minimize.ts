/**
 * Delta debugging for a failing program: drop statements (chunks, then one by one), outputs,
 * unused tensors and helpers, then simplify values and the odd scalar, keeping each step only
 * while `stillFails` holds. Every candidate is repaired first (what read a dropped variable goes).
 */
import { infer, isValid, repair, type Program } from "./program";

const clone = (p: Program): Program => structuredClone(p);

/** Give a program that lost all its outputs one: the last variable defined. */
function withOutputs(p: Program): Program {
  if (p.outputs.length) return p;
  const { vars } = infer(p);
  const last = [...vars.keys()].pop();
  return last === undefined ? p : { ...p, outputs: [last] };
}

function used(p: Program): { tensors: Set<number>; helpers: Set<number>; odd: boolean } {
  const tensors = new Set<number>(p.outputs), helpers = new Set<number>();
  let odd = false;
  for (const s of p.stmts) {
    for (const k of ["a", "b", "target", "cap"] as const) if (k in s && typeof (s as Record<string, unknown>)[k] === "number") tensors.add((s as Record<string, number>)[k]!);
    if (s.k === "inplace" && s.src !== null && typeof s.src === "object") tensors.add(s.src.v);
    if (s.k === "call") helpers.add(s.helper);
    if ((s.k === "scalar" && s.s === "s") || (s.k === "inplace" && s.src === "s")) odd = true;
  }
  return { tensors, helpers, odd };
}

/** Drop tensors and helpers nothing reads (helper indices in `call`s shift down). */
function prune(p: Program): Program {
  const u = used(p);
  const q = clone(p);
  q.tensors = q.tensors.filter((t) => u.tensors.has(t.id));
  const keep = q.helpers.map((_, i) => u.helpers.has(i));
  const newIndex = keep.map((_, i) => keep.slice(0, i).filter(Boolean).length);
  q.helpers = q.helpers.filter((_, i) => keep[i]);
  for (const s of q.stmts) if (s.k === "call") s.helper = newIndex[s.helper]!;
  if (!u.odd) q.odd = [1, 1];
  return q;
}

export async function minimize(p0: Program, stillFails: (p: Program) => Promise<boolean>, budget = 300): Promise<Program> {
  let best = p0, tries = 0;
  const attempt = async (cand: Program): Promise<boolean> => {
    if (tries >= budget) return false;
    const q = withOutputs(repair(cand));
    if (!isValid(q) || JSON.stringify(q) === JSON.stringify(best)) return false;
    tries++;
    if (await stillFails(q)) {
      best = q;
      return true;
    }
    return false;
  };
  let changed = true;
  while (changed && tries < budget) {
    changed = false;
    // Statements: halves, quarters, … then single ones, from the end (later ones depend on earlier).
    for (let chunk = Math.max(1, best.stmts.length >> 1); chunk >= 1; chunk >>= 1) {
      for (let i = best.stmts.length - chunk; i >= 0; i -= chunk) {
        const q = clone(best);
        q.stmts.splice(Math.max(0, i), chunk);
        if (await attempt(q)) changed = true;
      }
    }
    for (let i = best.outputs.length - 1; i >= 0 && best.outputs.length > 1; i--) {
      const q = clone(best);
      q.outputs.splice(i, 1);
      if (await attempt(q)) changed = true;
    }
    const pruned = prune(best);
    if (await attempt(pruned)) changed = true;
    // A capture is simpler than an argument, when the failure does not need the argument.
    for (const t of best.tensors) {
      if (t.role !== "input") continue;
      const q = clone(best);
      q.tensors.find((x) => x.id === t.id)!.role = "capture";
      if (await attempt(q)) changed = true;
    }
    for (const [i, t] of best.tensors.entries()) {
      for (const simplify of [(v: number) => Math.round(v), () => 1]) {
        const q = clone(best);
        const vs = q.tensors[i]!.values;
        if (vs[0].every((v, k) => v === simplify(t.values[0][k]!))) continue;
        q.tensors[i]!.values = [vs[0].map(simplify), vs[1].map(simplify)];
        if (await attempt(q)) changed = true;
      }
    }
    for (const v of [0, 1] as const) {
      if (best.odd[v] === 1) continue;
      const q = clone(best);
      q.odd[v] = 1;
      if (await attempt(q)) changed = true;
    }
  }
  return best;
}
