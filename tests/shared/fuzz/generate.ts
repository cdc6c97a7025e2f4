/**
 * The random program generator. Statements are drawn with weights that favour the features where
 * jit and the transforms have gone wrong before (views and in-place writes, detach/noGrad,
 * closures, helpers passed as arguments, odd scalars, control flow, float16), and every statement
 * is checked with `infer` so programs stay inside the ops' domains.
 */
import { Rng } from "./prng";
import {
  infer,
  size,
  broadcastsTo,
  type FDType,
  type Helper,
  type Odd,
  type Program,
  type Stmt,
  type TensorSpec,
  type Unary,
  type VarInfo,
  type ViewOp,
} from "./program";

export interface GenOptions {
  /** Allow float64 (the CPU backend only). */
  float64?: boolean;
  /** Statement kinds to leave out (to look past a known family: e.g. ["inplace", "detach", "noGrad"]). */
  exclude?: readonly string[];
}

const UNARY: Unary[] = [
  "neg",
  "abs",
  "exp",
  "log",
  "sqrt",
  "reciprocal",
  "tanh",
  "sigmoid",
  "sin",
  "cos",
  "relu",
  "square",
  "silu",
  "gelu",
  "softmax",
  "logSoftmax",
  "cumsum",
  "clamp",
];
/**
 * The JS values `s` takes: plain numbers, odd numbers and null/undefined (which a trace's cache key
 * must tell apart), and now and then a bigint, a string or a boolean (bad inputs: while jit
 * cannot take them at all, each such program fails whole, so they are kept rare).
 */
const ODD: [readonly Odd[], number][] = [
  [[1.5, -2, 0.5], 50],
  [[NaN, -0, 0, Infinity, -Infinity, null, undefined], 40],
  [[10n, "2", true], 10],
];
const pickOdd = (rng: Rng): Odd => rng.pick(rng.weighted(ODD));
type Kind = Stmt["k"];
const KINDS: [Kind, number][] = [
  ["unary", 10],
  ["binary", 10],
  ["scalar", 6],
  ["reduce", 5],
  ["matmul", 4],
  ["view", 14],
  ["inplace", 14],
  ["detach", 4],
  ["noGrad", 4],
  ["cast", 4],
  ["clone", 2],
  ["call", 5],
  ["cond", 3],
  ["while", 2],
  ["scan", 2],
];

const values = (rng: Rng, n: number) => Array.from({ length: n }, () => Math.round((rng.next() * 4 - 2) * 100) / 100);

export function generate(seed: number, opts: GenOptions = {}): Program {
  const rng = new Rng(seed * 2654435761 + 12345);
  const dtypes: FDType[] = opts.float64 === false ? ["float32", "float32", "float16"] : ["float32", "float32", "float16", "float64"];
  const base = rng.pick(dtypes);
  const baseShape = Array.from({ length: rng.int(1, 3) }, () => rng.int(1, 4));
  let nextId = 0;
  const p: Program = { seed, tensors: [], helpers: [], odd: [pickOdd(rng), pickOdd(rng)], stmts: [], outputs: [] };
  const addTensor = (role: TensorSpec["role"], shape: number[], dtype: FDType): number => {
    const id = nextId++;
    p.tensors.push({ id, role, shape, dtype, values: [values(rng, size(shape)), values(rng, size(shape))] });
    return id;
  };
  const relatedShape = (): number[] => {
    const r = rng.next();
    if (r < 0.5) return baseShape.slice();
    if (r < 0.7) return baseShape.slice(rng.int(0, baseShape.length));
    if (r < 0.85) return baseShape.map((n) => (rng.chance(0.4) ? 1 : n));
    return Array.from({ length: rng.int(0, 3) }, () => rng.int(1, 4));
  };
  const nInputs = rng.int(0, 3) === 0 ? 0 : rng.int(1, 2);
  for (let i = 0; i < nInputs; i++) addTensor("input", i === 0 ? baseShape.slice() : relatedShape(), rng.chance(0.8) ? base : rng.pick(dtypes));
  for (let i = rng.int(nInputs === 0 ? 1 : 0, 2); i > 0; i--) addTensor("capture", relatedShape(), rng.chance(0.8) ? base : rng.pick(dtypes));
  if (rng.chance(0.3)) p.helpers.push({ kind: "fn", unary: rng.pick(UNARY), scale: [values(rng, 1)[0]!, values(rng, 1)[0]!] });
  if (rng.chance(0.25)) {
    const s = rng.int(1, 1000);
    p.helpers.push({ kind: "module", inF: baseShape[baseShape.length - 1]!, outF: rng.int(1, 4), seed: [s, s + 1] });
  }

  const kinds = KINDS.filter(([k]) => !opts.exclude?.includes(k));
  const nStmts = rng.int(2, 12);
  for (let tries = 0; p.stmts.length < nStmts && tries < nStmts * 8; tries++) {
    const { vars } = infer(p);
    const ids = [...vars.keys()];
    // Recent variables more often: programs become chains rather than fans.
    const pickVar = (ok: (v: VarInfo, id: number) => boolean = () => true): number | undefined => {
      const cands = ids.filter((id) => ok(vars.get(id)!, id));
      if (cands.length === 0) return undefined;
      return rng.chance(0.6) ? cands[cands.length - 1 - Math.min(rng.int(0, 2), cands.length - 1)] : rng.pick(cands);
    };
    const s = makeStmt(
      rng,
      rng.weighted(kinds),
      p,
      vars,
      pickVar,
      () => nextId,
      (shape, dtype) => addTensor("capture", shape, dtype),
      dtypes,
    );
    if (!s) continue;
    if ("out" in s) s.out = nextId;
    p.stmts.push(s);
    if (!infer(p).valid.every(Boolean)) {
      p.stmts.pop();
      continue;
    }
    if ("out" in s) nextId++;
  }
  const { vars } = infer(p);
  const defined = p.stmts.filter((s) => "out" in s).map((s) => (s as { out: number }).out);
  const last = defined[defined.length - 1] ?? p.tensors[p.tensors.length - 1]!.id;
  const outs = new Set([last]);
  // Return what in-place writes touched, so a write that jit drops or misplaces shows.
  for (const s of p.stmts) if (s.k === "inplace" && rng.chance(0.5)) outs.add(s.target);
  if (rng.chance(0.4)) outs.add(rng.pick([...vars.keys()]));
  p.outputs = [...outs];
  return p;
}

function makeStmt(
  rng: Rng,
  kind: Kind,
  p: Program,
  vars: Map<number, VarInfo>,
  pick: (ok?: (v: VarInfo, id: number) => boolean) => number | undefined,
  next: () => number,
  capture: (shape: number[], dtype: FDType) => number,
  dtypes: FDType[],
): Stmt | null {
  const a = pick();
  if (a === undefined) return null;
  const av = vars.get(a)!;
  const out = next();
  const r = av.shape.length;
  switch (kind) {
    case "unary":
      return { k: "unary", out, op: rng.pick(UNARY), a };
    case "binary": {
      const b = pick((v) => broadcastsTo(v.shape, av.shape) || broadcastsTo(av.shape, v.shape));
      return b === undefined ? null : { k: "binary", out, op: rng.pick(["add", "sub", "mul", "div", "maximum", "minimum", "pow", "where"] as const), a, b };
    }
    case "scalar":
      return { k: "scalar", out, op: rng.pick(["add", "sub", "mul", "div"] as const), a, s: rng.chance(0.35) ? "s" : rng.pick([0.5, 2, -1.5, 3]) };
    case "reduce":
      return {
        k: "reduce",
        out,
        op: rng.pick(["sum", "mean", "max", "logsumexp"] as const),
        a,
        axis: r === 0 || rng.chance(0.3) ? null : rng.int(0, r - 1),
        keep: rng.chance(0.4),
      };
    case "matmul": {
      if (r < 1) return null;
      const k = av.shape[r - 1]!;
      const b = pick((v) => v.shape.length === 2 && v.shape[0] === k) ?? capture([k, rng.int(1, 4)], av.dtype);
      return { k: "matmul", out, a, b };
    }
    case "view": {
      const v = makeView(rng, av.shape);
      return v ? { k: "view", out, a, v } : null;
    }
    case "inplace": {
      // Views and their bases are the interesting targets: prefer variables defined by a view.
      const views = p.stmts
        .filter((s) => s.k === "view" && vars.has(s.out) && !vars.get(s.out)!.expanded)
        .map((s) => (rng.chance(0.5) ? (s as { out: number }).out : (s as { a: number }).a));
      const target = views.length && rng.chance(0.6) ? rng.pick(views) : pick((v) => !v.expanded);
      if (target === undefined || vars.get(target)!.expanded) return null;
      const tv = vars.get(target)!;
      const op = rng.pick(["mul_", "add_", "fill_", "zero_", "copy_"] as const);
      const srcVar = pick((v, id) => id !== target && broadcastsTo(v.shape, tv.shape));
      const src =
        op === "zero_"
          ? null
          : op === "fill_"
            ? rng.pick([0, 1.5, -2])
            : (op === "copy_" || rng.chance(0.5)) && srcVar !== undefined
              ? { v: srcVar }
              : op === "copy_"
                ? null
                : rng.pick([0.5, 2, -1, "s" as const]);
      if (op === "copy_" && src === null) return null;
      const needsNoGrad = tv.grad || (src !== null && typeof src === "object" && vars.get(src.v)!.grad);
      return { k: "inplace", op, target, src, noGrad: needsNoGrad ? rng.chance(0.8) : rng.chance(0.2) };
    }
    case "detach":
      return { k: "detach", out, a };
    case "noGrad":
      return { k: "noGrad", out, op: rng.pick(UNARY), a };
    case "cast": {
      const to = dtypes.filter((d) => d !== av.dtype);
      return to.length ? { k: "cast", out, a, dtype: rng.pick(to) } : null;
    }
    case "clone":
      return { k: "clone", out, a };
    case "call": {
      const hs = p.helpers.map((h, i) => [h, i] as [Helper, number]).filter(([h]) => h.kind === "fn" || av.shape[r - 1] === h.inF);
      return hs.length ? { k: "call", out, helper: rng.pick(hs)[1], a } : null;
    }
    case "cond": {
      const cap = rng.chance(0.5) ? (pick((v, id) => id !== a && v.dtype === av.dtype && broadcastsTo(v.shape, av.shape)) ?? null) : null;
      return { k: "cond", out, a, t: rng.pick(UNARY), f: rng.pick(UNARY), cap };
    }
    case "while":
      return { k: "while", out, a, limit: rng.int(2, 30), max: rng.int(1, 5) };
    case "scan":
      return r >= 1 ? { k: "scan", out, a } : null;
    default:
      return null;
  }
}

function makeView(rng: Rng, sh: number[]): ViewOp | null {
  const r = sh.length;
  const ops = ["reshape", "expand", "unsqueeze", ...(r >= 1 ? ["slice", "narrow", "flip"] : []), ...(r >= 2 ? ["transpose", "transpose"] : [])];
  switch (rng.pick(ops)) {
    case "reshape": {
      const n = size(sh);
      const divs = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
      const d = rng.pick(divs);
      return { op: "reshape", shape: rng.chance(0.3) ? [n] : [d, n / d] };
    }
    case "expand": {
      const ones = sh.map((n, i) => (n === 1 ? i : -1)).filter((i) => i >= 0);
      if (ones.length && rng.chance(0.5)) return { op: "expand", shape: sh.map((n, i) => (i === ones[0] ? rng.int(2, 3) : n)) };
      return { op: "expand", shape: [rng.int(1, 3), ...sh] };
    }
    case "unsqueeze":
      return { op: "unsqueeze", axis: rng.int(0, r) };
    case "flip":
      return { op: "flip", axis: rng.int(0, r - 1) };
    case "transpose": {
      const d0 = rng.int(0, r - 1);
      let d1 = rng.int(0, r - 1);
      if (d1 === d0) d1 = (d0 + 1) % r;
      return { op: "transpose", d0, d1 };
    }
    case "narrow": {
      const axis = rng.int(0, r - 1),
        n = sh[axis]!,
        length = rng.int(1, n);
      return { op: "narrow", axis, start: rng.int(0, n - length), length };
    }
    case "slice": {
      const specs = sh.slice(0, rng.int(1, r)).map((n) => {
        const c = rng.next();
        if (c < 0.25) return null;
        if (c < 0.4 && n > 1) return rng.int(0, n - 1);
        const start = rng.int(0, n - 1);
        return [start, rng.int(start + 1, n), rng.pick([1, 1, 2])] as [number, number, number];
      });
      return { op: "slice", specs };
    }
  }
  return null;
}
