/**
 * Delta debugging for a failing program: drop statements (chunks, then one by one), outputs,
 * unused tensors and helpers, then simplify values and the odd scalar, keeping each step only
 * while `stillFails` holds. Every candidate is repaired first (what read a dropped variable goes).
 */
import { infer, isValid, reads, repair, type Program } from "./program";

const clone = (p: Program): Program => structuredClone(p);
/** Programs as text for "did this step change anything" (bigints, -0 and NaN kept apart). */
const key = (p: Program): string =>
  JSON.stringify(p, (_k, v) =>
    typeof v === "bigint" ? `${v}n` : typeof v === "number" && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? "-0" : v === undefined ? "undefined" : v,
  );

/** Give a program that lost all its outputs one: the last variable defined. */
function withOutputs(p: Program): Program {
  if (p.outputs.length) return p;
  const { vars } = infer(p);
  const last = [...vars.keys()].pop();
  return last === undefined ? p : { ...p, outputs: [last] };
}

function used(p: Program): { tensors: Set<number>; helpers: Set<number>; odd: boolean } {
  const tensors = new Set<number>(p.outputs),
    helpers = new Set<number>();
  let odd = false;
  for (const s of p.stmts) {
    for (const id of reads(s)) tensors.add(id);
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
  if (q.tensors.filter((t) => t.role === "input").length === 0 && p.tensors.some((t) => t.role === "input")) {
    // Keep one argument when the original had some: the grad modes need one.
    const first = p.tensors.find((t) => t.role === "input")!;
    q.tensors.unshift(structuredClone(first));
  }
  const keep = q.helpers.map((_, i) => u.helpers.has(i));
  const newIndex = keep.map((_, i) => keep.slice(0, i).filter(Boolean).length);
  q.helpers = q.helpers.filter((_, i) => keep[i]);
  for (const s of q.stmts) if (s.k === "call") s.helper = newIndex[s.helper]!;
  return q;
}

export async function minimize(p0: Program, stillFails: (p: Program) => Promise<boolean>, budget = 300): Promise<Program> {
  let best = p0,
    tries = 0;
  const attempt = async (cand: Program): Promise<boolean> => {
    if (tries >= budget) return false;
    const q = withOutputs(repair(cand));
    if (!isValid(q) || key(q) === key(best)) return false;
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
    // Shapes: each dimension of each tensor down to 1 (what no longer fits is repaired away).
    for (const [i, t] of best.tensors.entries()) {
      for (let d = 0; d < t.shape.length; d++) {
        if (t.shape[d]! <= 1 || best.tensors[i]!.shape[d]! <= 1) continue;
        const q = clone(best);
        const shape = q.tensors[i]!.shape.map((n, k) => (k === d ? 1 : n));
        const n = shape.reduce((a, b) => a * b, 1);
        q.tensors[i] = { ...q.tensors[i]!, shape, values: [q.tensors[i]!.values[0].slice(0, n), q.tensors[i]!.values[1].slice(0, n)] };
        if (await attempt(q)) changed = true;
      }
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
    // An odd scalar nothing reads still matters when the failure is about passing it at all.
    for (const v of [0, 1] as const) {
      if (best.odd[v] === 1) continue;
      const q = clone(best);
      q.odd[v] = 1;
      if (await attempt(q)) changed = true;
    }
  }
  return best;
}
