/**
 * The fuzz program representation: tensors (arguments and captured constants), helpers passed as
 * arguments (a closure or an nn.Linear), an odd JS scalar argument `s`, and a list of statements
 * over tensor variables. `infer` gives every variable's shape and dtype and says which statements
 * are valid, so the generator and the minimizer only ever build programs inside the ops' domains.
 */

export type FDType = "float16" | "float32" | "float64";
/** A JS value passed as the scalar argument `s` (odd ones on purpose: NaN, -0, ±Infinity, null, a bigint, a string). */
export type Odd = number | null | undefined | bigint | string | boolean;

export interface TensorSpec {
  id: number;
  role: "input" | "capture";
  shape: number[];
  dtype: FDType;
  /** Values for call 0 and for call 1 (the second call of the jit-twice mode). */
  values: [number[], number[]];
}

/** A helper passed to the program as an argument: a closure over a captured scalar, or an nn.Linear. */
export type Helper = { kind: "fn"; unary: Unary; scale: [number, number] } | { kind: "module"; inF: number; outF: number; seed: [number, number] };

export type Unary =
  | "neg"
  | "abs"
  | "exp"
  | "log"
  | "sqrt"
  | "reciprocal"
  | "tanh"
  | "sigmoid"
  | "sin"
  | "cos"
  | "relu"
  | "square"
  | "silu"
  | "gelu"
  | "softmax"
  | "logSoftmax"
  | "cumsum"
  | "clamp";
export type Binary = "add" | "sub" | "mul" | "div" | "maximum" | "minimum" | "pow" | "where";
/** A literal number or the odd argument `s`. */
export type Scalar = number | "s";
export type SliceSpec = [number, number, number] | number | null;
export type ViewOp =
  | { op: "reshape"; shape: number[] }
  | { op: "transpose"; d0: number; d1: number }
  | { op: "slice"; specs: SliceSpec[] }
  | { op: "narrow"; axis: number; start: number; length: number }
  | { op: "expand"; shape: number[] }
  | { op: "unsqueeze"; axis: number }
  | { op: "flip"; axis: number };
export type InplaceOp = "mul_" | "add_" | "fill_" | "zero_" | "copy_";

/** A statement; all but `inplace` define the variable `out`. */
export type Stmt =
  | { k: "unary"; out: number; op: Unary; a: number }
  | { k: "binary"; out: number; op: Binary; a: number; b: number }
  | { k: "scalar"; out: number; op: "add" | "sub" | "mul" | "div"; a: number; s: Scalar }
  | { k: "reduce"; out: number; op: "sum" | "mean" | "max" | "logsumexp"; a: number; axis: number | null; keep: boolean }
  | { k: "matmul"; out: number; a: number; b: number }
  | { k: "view"; out: number; a: number; v: ViewOp }
  | { k: "inplace"; op: InplaceOp; target: number; src: { v: number } | Scalar | null; noGrad: boolean }
  | { k: "detach"; out: number; a: number }
  | { k: "noGrad"; out: number; op: Unary; a: number }
  | { k: "cast"; out: number; a: number; dtype: FDType }
  | { k: "clone"; out: number; a: number }
  | { k: "call"; out: number; helper: number; a: number }
  | { k: "cond"; out: number; a: number; t: Unary; f: Unary; cap: number | null }
  | { k: "while"; out: number; a: number; limit: number; max: number }
  | { k: "scan"; out: number; a: number };

export interface Program {
  seed: number;
  tensors: TensorSpec[];
  helpers: Helper[];
  /** `s` for call 0 and call 1. */
  odd: [Odd, Odd];
  stmts: Stmt[];
  /** Variables returned after the loss (the loss sums them all). */
  outputs: number[];
}

export interface VarInfo {
  shape: number[];
  dtype: FDType;
  /** A broadcast view (or a view of one): never a target of in-place writes. */
  expanded: boolean;
  /** Requires grad when the inputs do (for the generator's choices, not for validity). */
  grad: boolean;
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const RANK: Record<FDType, number> = { float16: 0, float32: 1, float64: 2 };
export const promote = (a: FDType, b: FDType): FDType => (RANK[a] >= RANK[b] ? a : b);

/** NumPy broadcasting, or null when the shapes do not broadcast. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length),
    out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1,
      y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** True when `src` broadcasts to exactly `dst` (what an in-place write needs). */
export const broadcastsTo = (src: readonly number[], dst: readonly number[]): boolean => {
  const r = broadcast(src, dst);
  return r !== null && same(r, dst);
};

/** The variables a statement reads. */
export function reads(s: Stmt): number[] {
  switch (s.k) {
    case "binary":
    case "matmul":
      return [s.a, s.b];
    case "inplace":
      return s.src !== null && typeof s.src === "object" ? [s.target, s.src.v] : [s.target];
    case "cond":
      return s.cap === null ? [s.a] : [s.a, s.cap];
    default:
      return [s.a];
  }
}

function viewShape(sh: number[], v: ViewOp): number[] | null {
  const r = sh.length;
  const okAxis = (a: number) => Number.isInteger(a) && a >= 0 && a < r;
  switch (v.op) {
    case "reshape":
      return size(v.shape) === size(sh) ? v.shape.slice() : null;
    case "transpose": {
      if (!okAxis(v.d0) || !okAxis(v.d1)) return null;
      const o = sh.slice();
      [o[v.d0], o[v.d1]] = [o[v.d1]!, o[v.d0]!];
      return o;
    }
    case "slice": {
      if (v.specs.length > r) return null;
      const o: number[] = [];
      for (let i = 0; i < r; i++) {
        const sp = v.specs[i] ?? null,
          n = sh[i]!;
        if (sp === null) o.push(n);
        else if (typeof sp === "number") {
          if (sp < 0 || sp >= n) return null;
        } else {
          const [start, stop, step] = sp;
          if (start < 0 || stop > n || start >= stop || step < 1) return null;
          o.push(Math.ceil((stop - start) / step));
        }
      }
      return o;
    }
    case "narrow":
      return okAxis(v.axis) && v.start >= 0 && v.length >= 1 && v.start + v.length <= sh[v.axis]! ? sh.map((n, i) => (i === v.axis ? v.length : n)) : null;
    case "expand":
      return broadcastsTo(sh, v.shape) ? v.shape.slice() : null;
    case "unsqueeze":
      return v.axis >= 0 && v.axis <= r ? [...sh.slice(0, v.axis), 1, ...sh.slice(v.axis)] : null;
    case "flip":
      return okAxis(v.axis) ? sh.slice() : null;
  }
}

/**
 * Shapes and dtypes of every variable, and which statements are valid in order (an invalid one
 * defines nothing, so what reads it is invalid too: the minimizer's repair relies on this).
 */
export function infer(p: Program): { vars: Map<number, VarInfo>; valid: boolean[] } {
  const vars = new Map<number, VarInfo>();
  for (const t of p.tensors) vars.set(t.id, { shape: t.shape, dtype: t.dtype, expanded: false, grad: t.role === "input" });
  const valid = p.stmts.map((s) => {
    const info = stmtInfo(p, s, vars);
    if (info === null) return false;
    if (s.k === "inplace") {
      const t = vars.get(s.target)!;
      if (info.grad && !s.noGrad) vars.set(s.target, { ...t, grad: true });
    } else vars.set(s.out, info);
    return true;
  });
  return { vars, valid };
}

function stmtInfo(p: Program, s: Stmt, vars: Map<number, VarInfo>): VarInfo | null {
  const get = (id: number) => vars.get(id);
  if (s.k !== "inplace" && vars.has(s.out)) return null;
  const a = get(s.k === "inplace" ? s.target : s.a);
  if (!a) return null;
  const plain = (shape: number[], dtype = a.dtype, grad = a.grad): VarInfo => ({ shape, dtype, expanded: false, grad });
  switch (s.k) {
    case "unary":
    case "clone":
      return plain(a.shape);
    case "scalar":
      return plain(a.shape);
    case "binary": {
      const b = get(s.b);
      const sh = b && broadcast(a.shape, b.shape);
      return b && sh ? plain(sh, promote(a.dtype, b.dtype), a.grad || b.grad) : null;
    }
    case "reduce": {
      if (s.axis === null) return plain(s.keep ? a.shape.map(() => 1) : []);
      if (s.axis < 0 || s.axis >= a.shape.length) return null;
      return plain(s.keep ? a.shape.map((n, i) => (i === s.axis ? 1 : n)) : a.shape.filter((_, i) => i !== s.axis));
    }
    case "matmul": {
      const b = get(s.b);
      if (!b || b.shape.length !== 2 || a.shape.length < 1 || a.shape[a.shape.length - 1] !== b.shape[0]) return null;
      return plain([...a.shape.slice(0, -1), b.shape[1]!], promote(a.dtype, b.dtype), a.grad || b.grad);
    }
    case "view": {
      const sh = viewShape(a.shape, s.v);
      return sh ? { shape: sh, dtype: a.dtype, expanded: a.expanded || s.v.op === "expand", grad: a.grad } : null;
    }
    case "inplace": {
      if (a.expanded) return null;
      if (s.src !== null && typeof s.src === "object") {
        const b = get(s.src.v);
        return b && broadcastsTo(b.shape, a.shape) ? plain(a.shape, a.dtype, b.grad) : null;
      }
      return plain(a.shape, a.dtype, false);
    }
    case "detach":
      return plain(a.shape, a.dtype, false);
    case "noGrad":
      return plain(a.shape, a.dtype, false);
    case "cast":
      return plain(a.shape, s.dtype);
    case "call": {
      const h = p.helpers[s.helper];
      if (!h) return null;
      // The closure multiplies by a float32 scalar tensor, which promotes a float16 operand.
      if (h.kind === "fn") return plain(a.shape, promote(a.dtype, "float32"));
      if (a.shape.length < 1 || a.shape[a.shape.length - 1] !== h.inF) return null;
      return plain([...a.shape.slice(0, -1), h.outF], promote(a.dtype, "float32"), true);
    }
    case "cond": {
      if (s.cap === null) return plain(a.shape);
      const c = get(s.cap);
      // Both branches must return one dtype: the captured operand has the carried one.
      return c && c.dtype === a.dtype && broadcastsTo(c.shape, a.shape) ? plain(a.shape, a.dtype, a.grad || c.grad) : null;
    }
    case "while":
      return plain(a.shape);
    case "scan":
      return a.shape.length >= 1 ? plain(a.shape) : null;
  }
}

/** The program with invalid statements (and outputs naming undefined variables) dropped. */
export function repair(p: Program): Program {
  const { valid } = infer(p);
  const stmts = p.stmts.filter((_, i) => valid[i]);
  const q = { ...p, stmts };
  const { vars } = infer(q);
  return { ...q, outputs: p.outputs.filter((o) => vars.has(o)) };
}

/** True when the program is valid as a whole (every statement valid, at least one output). */
export function isValid(p: Program): boolean {
  const { valid, vars } = infer(p);
  return valid.every(Boolean) && p.outputs.length > 0 && p.outputs.every((o) => vars.has(o));
}
