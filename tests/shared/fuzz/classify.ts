/**
 * Families of mismatches. The four known ones (a)–(d) are being fixed on other branches; a
 * program is put in one by what its failure needs (ablation: does it persist without the in-place
 * writes? with detach/noGrad made plain ops? in a single call?), anything else is a new family
 * keyed by the statement kinds of its minimized program.
 */
import { check, type Mismatch } from "./check";
import type { ModeName } from "./modes";
import type { Program, Stmt } from "./program";

export const FAMILIES = {
  a: "(a) in-place writes under jit",
  b: "(b) detach / noGrad / stopGradient inside jit",
  ab: "(a)+(b) needs both: in-place writes and detach/noGrad under jit",
  c: "(c) jit cache key: functions, modules, NaN/-0/null arguments sharing a trace",
  d: "(d) bad-input errors: an odd argument (null, undefined, a bigint, a string …) throws in one mode only",
  f: "(f) new: an in-place write to a jit argument is not written back to the caller's tensor (captured tensors are)",
  e: "(e) new: non-finite values from an odd scalar (x / 0, NaN) give other values under jit or a transform",
  g: "(g) jit(grad) through cond refuses conservatively: eager refuses a backward through a tensor saved and then changed in place only when the branch that ran tapes or reaches it; jit(grad) builds one backward for both branches and refuses when either would",
} as const;
export type KnownFamily = keyof typeof FAMILIES;

/** How a mismatch shows: one side threw, or values differ. Minimizing keeps this fixed. */
export const shapeOf = (m: Mismatch): string =>
  m.detail.startsWith("threw only in the first") ? "threw-first" : m.detail.startsWith("threw only in the second") ? "threw-second" : "values";

/** Does `p` still fail in `pair` the way `how` says? */
export async function failsSame(p: Program, pair: readonly [ModeName, ModeName], how: string): Promise<boolean> {
  const ms = await check(p, [pair]);
  return ms.length > 0 && shapeOf(ms[0]!) === how;
}

const withoutInplace = (p: Program): Program => ({ ...p, stmts: p.stmts.filter((s) => s.k !== "inplace") });
/** detach → clone and noGrad(u) → u: the same values, with gradients flowing. */
const withoutStops = (p: Program): Program => ({
  ...p,
  stmts: p.stmts.map((s): Stmt =>
    s.k === "detach" ? { k: "clone", out: s.out, a: s.a } : s.k === "noGrad" ? { k: "unary", out: s.out, op: s.op, a: s.a } : s,
  ),
});
/** Call 1 with call 0's arguments (tensor values, helpers, the odd scalar). */
function sameArgs(p: Program): Program {
  return {
    ...p,
    tensors: p.tensors.map((t) => ({ ...t, values: [t.values[0], t.values[0]] })),
    helpers: p.helpers.map((h) => (h.kind === "fn" ? { ...h, scale: [h.scale[0], h.scale[0]] } : { ...h, seed: [h.seed[0], h.seed[0]] })),
    odd: [p.odd[0], p.odd[0]],
  };
}
const hasStops = (p: Program) => p.stmts.some((s) => s.k === "detach" || s.k === "noGrad");
const hasInplace = (p: Program) => p.stmts.some((s) => s.k === "inplace");

/** Eager's refusal of a backward through a saved tensor changed in place. */
const IN_PLACE_REFUSAL = /saved for backward.* was changed in place afterwards/;

/** Bad inputs: the odd scalar is null/undefined, or the error names a bad argument. */
const BAD_INPUT = /must be a Tensor or a number|got null|got undefined|argument/i;

/** The known family of a failing program, or null when it is none of (a)–(d). */
export async function knownFamily(p: Program, m: Mismatch): Promise<KnownFamily | null> {
  const how = shapeOf(m);
  // A bigint, a string or a boolean as the scalar: gone with plain numbers in their place.
  const exotic = (v: unknown) => typeof v === "bigint" || typeof v === "string" || typeof v === "boolean";
  if (p.odd.some(exotic) && !(await failsSame({ ...p, odd: [exotic(p.odd[0]) ? 1.5 : p.odd[0], exotic(p.odd[1]) ? 2.5 : p.odd[1]] }, m.pair, how))) return "d";
  // An argument's value afterwards differs, and the same tensor passed as a capture is fine.
  if (m.pair[1] === "jit×2" && /^call \d input after/.test(m.detail)) {
    const captured: Program = { ...p, tensors: p.tensors.map((t) => ({ ...t, role: "capture" as const })) };
    if ((await check(captured, [m.pair])).length === 0) return "f";
  }
  if (m.pair[1] === "jit×2") {
    // Gone when the second call gets the first call's arguments: the second call reused a trace.
    const same = sameArgs(p);
    if (!(await failsSame(same, m.pair, how))) return "c";
    p = same;
  }
  if (how !== "values" && BAD_INPUT.test(m.detail)) return "d";
  if (m.pair[1] === "jit(grad)" && how === "threw-second" && IN_PLACE_REFUSAL.test(m.detail) && p.stmts.some((s) => s.k === "cond")) return "g";
  // Any mismatch left in the pair counts here (not only the same shape): a failure that changes
  // shape when a feature goes still needed that feature.
  const fails = async (q: Program) => (await check(q, [m.pair])).length > 0;
  const inplace = hasInplace(p),
    stops = hasStops(p);
  if ((inplace || stops) && !(await fails(withoutStops(withoutInplace(p))))) {
    if (!stops) return "a";
    if (!inplace) return "b";
    const needsInplace = !(await fails(withoutInplace(p))),
      needsStops = !(await fails(withoutStops(p)));
    return needsInplace && !needsStops ? "a" : needsStops && !needsInplace ? "b" : "ab";
  }
  // Gone with a plain scalar: null/undefined is a bad input (d), a non-finite number or 0 (x / 0) is (e).
  const plain = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v !== 0;
  if (!p.odd.every(plain) && !(await failsSame({ ...p, odd: [1.5, 1.5] }, m.pair, how))) {
    return p.odd.some((v) => v === null || v === undefined) && how !== "values" ? "d" : "e";
  }
  return null;
}

/** A new family's key: the mode pair, how it fails, and the kinds of the minimized program's statements. */
export function newFamilyKey(p: Program, m: Mismatch): string {
  const kinds = [...new Set(p.stmts.map((s) => (s.k === "inplace" ? `${s.op}` : s.k === "view" ? `view:${s.v.op}` : s.k)))].sort();
  return `${m.pair.join(" vs ")} [${shapeOf(m)}] {${kinds.join(", ")}}`;
}
