/**
 * The evaluation trace (Griewank's table): a scalar function run op by op, every intermediate
 * vᵢ in a row, with its tangent v̇ᵢ (forward mode) or its adjoint v̄ᵢ (reverse mode) beside it.
 *
 * It is an interpreter like `jvp`'s (ops/dispatch.ts): each op the function calls comes here with
 * its inputs, runs on the primal values, and is written down as a row. Forward mode pushes the
 * tangents through each op's own jvp rule as the rows are made; reverse mode, once the function
 * has returned, seeds v̄ = 1 at the output and walks the rows backwards applying each op's own vjp
 * rule. So the numbers in the table are the ones `jvp` and `grad` compute; the formulas beside
 * them are written for reading (see {@link PARTIALS}).
 * @module
 */
import { WebgradError } from "../errors";
import { emit, hasListeners, type EvalTraceEvent } from "../events";
import { apply, enterTrace, exitTrace, Trace } from "../ops/dispatch";
import * as F from "../ops/functional";
import { tensor } from "../ops/creation";
import type { AbstractValue, Attrs, OpDef } from "../ops/registry";
import { isFloat, type DType } from "../tensor/dtype";
import { shapeSize } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import type { Backend } from "../backend/backend";

/** Forward mode (tangents, top to bottom) or reverse mode (adjoints, bottom to top). */
export type TraceMode = "forward" | "reverse";

/** Options of {@link evaluationTrace}. */
export interface EvaluationTraceOptions {
  /** "forward": each row's tangent v̇ᵢ; "reverse" (default): each row's adjoint v̄ᵢ. */
  mode?: TraceMode;
  /** Forward mode's input tangents ẋ (default: 1 for the first input, 0 for the others: ∂f/∂x₁). */
  seed?: readonly number[];
  /** What the table is called in the Tape panel (default "f"). */
  name?: string;
  /**
   * The backend the rows are computed on (default "cpu": a table is a few scalars, and on the CPU
   * in float64 its figures are right to every digit shown; a GPU's float32 sin may be off in the 4th).
   */
  device?: string;
  /** The dtype of the inputs (default float64 on the CPU, float32 elsewhere). */
  dtype?: DType;
}

/** One row of the table: an intermediate, how it was computed, and its derivative. */
export interface TraceRow {
  /** v₋₁, v₀ for the inputs (x₁, x₂), then v₁, v₂ … */
  name: string;
  /** How it is computed from earlier rows, e.g. `ln v₋₁`; `x₁` for an input. */
  expr: string;
  /** Its value. */
  value: number;
  /** How its tangent (forward) or adjoint (reverse) is computed, e.g. `v̇₋₁ / v₋₁`. */
  derivExpr: string;
  /** Its tangent v̇ᵢ (forward) or adjoint v̄ᵢ (reverse). */
  deriv: number;
}

/** The filled-in table. */
export interface EvaluationTrace {
  name: string;
  mode: TraceMode;
  /** How many of the rows are inputs (they come first). */
  inputs: number;
  rows: TraceRow[];
  /** f(x). */
  value: number;
  /** Forward: [ẏ] = [∇f · seed]. Reverse: ∇f, one entry per input. */
  derivative: number[];
  /** Forward: the input tangents used. Reverse: the output's adjoint, [1]. */
  seed: number[];
  /** The table as aligned text (for the console). */
  table(): string;
}

const SUB: Record<string, string> = { "-": "₋", "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉" };
const subscript = (n: number): string => [...String(n)].map((c) => SUB[c] ?? c).join("");
/** Row k's name: inputs are v₁₋ₙ … v₀ (x₁ … xₙ), the ops v₁, v₂ … */
const rowName = (k: number, inputs: number) => `v${subscript(k - inputs + 1)}`;
const DOT = "\u0307";
const BAR = "\u0304";

/**
 * ∂(op output)/∂(input k) for reading: a sign, a factor it multiplies by and a divisor. Written in
 * the names of the op's inputs (`a`, `b`) and output (`y`). Ops without an entry read ∂op/∂a.
 */
interface Partial {
  sign?: -1;
  factor?: string;
  over?: string;
}
type Names = { a: string; b: string; y: string };
const PARTIALS: Readonly<Record<string, (n: Names) => Partial[]>> = {
  add: () => [{}, {}],
  sub: () => [{}, { sign: -1 }],
  mul: ({ a, b }) => [{ factor: b }, { factor: a }],
  div: ({ b, y }) => [{ over: b }, { sign: -1, factor: y, over: b }],
  neg: () => [{ sign: -1 }],
  log: ({ a }) => [{ over: a }],
  exp: ({ y }) => [{ factor: y }],
  sin: ({ a }) => [{ factor: `cos ${a}` }],
  cos: ({ a }) => [{ sign: -1, factor: `sin ${a}` }],
  tanh: ({ y }) => [{ factor: `(1 − ${y}²)` }],
  sigmoid: ({ y }) => [{ factor: `${y}·(1 − ${y})` }],
  sqrt: ({ y }) => [{ over: `(2·${y})` }],
  square: ({ a }) => [{ factor: `2·${a}` }],
  reciprocal: ({ y }) => [{ sign: -1, factor: `${y}²` }],
  pow: ({ a, b, y }) => [{ factor: `${b}·${a}^(${b} − 1)` }, { factor: `${y}·ln ${a}` }],
  relu: ({ a }) => [{ factor: `[${a} > 0]` }],
};

/** How each op's row reads, in its inputs' names. */
const PRIMALS: Readonly<Record<string, (n: Names) => string>> = {
  add: ({ a, b }) => `${a} + ${b}`,
  sub: ({ a, b }) => `${a} − ${b}`,
  mul: ({ a, b }) => `${a} · ${b}`,
  div: ({ a, b }) => `${a} / ${b}`,
  neg: ({ a }) => `−${a}`,
  log: ({ a }) => `ln ${a}`,
  exp: ({ a }) => `exp ${a}`,
  sin: ({ a }) => `sin ${a}`,
  cos: ({ a }) => `cos ${a}`,
  tanh: ({ a }) => `tanh ${a}`,
  sigmoid: ({ a }) => `σ(${a})`,
  sqrt: ({ a }) => `√${a}`,
  square: ({ a }) => `${a}²`,
  reciprocal: ({ a }) => `1 / ${a}`,
  pow: ({ a, b }) => `${a}^${b}`,
  relu: ({ a }) => `relu(${a})`,
};

/** `d` scaled by a partial: `v̇₀ · cos v₀`, `v̄₄ / v₋₁`, `−v̄₅` … */
function scaled(d: string, p: Partial): string {
  let s = p.factor ? `${d} · ${p.factor}` : d;
  if (p.over) s = `${s} / ${p.over}`;
  return p.sign === -1 ? `−${s}` : s;
}

/** Terms joined as a sum, a leading minus kept and later ones written as subtraction. */
function sum(terms: string[]): string {
  if (terms.length === 0) return "0";
  return terms.reduce((acc, t) => (t.startsWith("−") ? `${acc} − ${t.slice(1)}` : `${acc} + ${t}`));
}

/** A number as the table shows a constant operand. */
const constantText = (v: number | undefined) => (v === undefined ? "c" : String(+v.toPrecision(6)));

/** An operand of a row: an earlier row, or a constant the function used. */
type Arg = { row: number } | { constant: Tensor };

interface OpRow {
  op: OpDef;
  attrs: Attrs;
  args: Arg[];
  primals: Tensor[];
  value: Tensor;
  tangent: Tensor | null;
}

/** A value inside the function: its row, its value and (forward mode) its tangent. */
class TraceValue extends Tensor {
  constructor(
    trace: EvalTraceInterpreter,
    readonly row: number,
    readonly primal: Tensor,
    readonly tangent: Tensor | null,
  ) {
    super(primal.shape, primal.dtype, null, trace);
  }
  override _concreteValue(): Tensor | null {
    return this.primal._concreteValue();
  }
  override _backendOf(): Backend | null {
    return this.primal._backendOf();
  }
}

/** Writes each op down as a row; in forward mode also pushes the tangents through. */
class EvalTraceInterpreter extends Trace {
  /** Input rows first (op null), then one per op. */
  readonly rows: (OpRow | { op: null; value: Tensor; tangent: Tensor | null })[] = [];
  constructor(
    level: number,
    readonly forward: boolean,
  ) {
    super(level, "evaluationTrace");
  }
  input(value: Tensor, tangent: Tensor | null): TraceValue {
    this.rows.push({ op: null, value, tangent });
    return new TraceValue(this, this.rows.length - 1, value, tangent);
  }
  override process(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, out: AbstractValue): Tensor {
    const mine = (t: Tensor): t is TraceValue => t._trace === this;
    const primals = inputs.map((t) => (mine(t) ? t.primal : t));
    const value = apply(op, primals, attrs);
    // A comparison or an index is not differentiable: it stays a constant, not a row.
    if (!isFloat(out.dtype)) return value;
    if (shapeSize(out.shape) !== 1)
      throw new WebgradError(
        "evaluationTrace",
        `${op.name} gives shape [${out.shape.join(", ")}]: the table holds one number per row, so the function must work on scalars throughout`,
      );
    let tangent: Tensor | null = null;
    if (this.forward) {
      if (op.jvp === undefined) throw new WebgradError(op.name, "has no forward-mode (jvp) rule");
      const tangents = inputs.map((t) => (mine(t) ? t.tangent : null));
      tangent = tangents.every((t) => t === null) ? null : op.jvp(tangents, { inputs: primals, output: value, attrs });
    } else if (op.vjp === undefined) throw new WebgradError(op.name, "has no reverse-mode (vjp) rule");
    const args: Arg[] = inputs.map((t) => (mine(t) ? { row: t.row } : { constant: t }));
    this.rows.push({ op, attrs, args, primals, value, tangent });
    return new TraceValue(this, this.rows.length - 1, value, tangent);
  }
}

/** Reads one number (scalars only; the backend may read back asynchronously). */
const read = async (t: Tensor | null): Promise<number> => (t === null ? 0 : Number((await t.data())[0]));

/**
 * Fills in the evaluation trace of a scalar function at a point: each intermediate value vᵢ in
 * a row, with its tangent v̇ᵢ (forward mode: how vᵢ moves when the inputs move along `seed`) or its
 * adjoint v̄ᵢ (reverse mode: ∂f/∂vᵢ, filled from the output back). The values come from the ops'
 * own jvp and vjp rules, the same ones `jvp` and `grad` use. The table is sent to the Tape panel
 * (its "Trace" view, where the rows can be revealed one step at a time) and returned.
 * @example
 * const f = (x1: Tensor, x2: Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());
 * const t = await evaluationTrace(f, [2, 5], { mode: "reverse" });
 * t.derivative; // [5.5, 1.7163…] = [1/x₁ + x₂, x₁ − cos x₂]
 * console.log(t.table());
 */
export async function evaluationTrace(fn: (...xs: Tensor[]) => Tensor, at: readonly number[], options: EvaluationTraceOptions = {}): Promise<EvaluationTrace> {
  const mode = options.mode ?? "reverse";
  if (mode !== "forward" && mode !== "reverse") throw new WebgradError("evaluationTrace", `mode must be "forward" or "reverse", got ${JSON.stringify(mode)}`);
  if (!Array.isArray(at) || at.length === 0 || !at.every((v) => typeof v === "number" && Number.isFinite(v)))
    throw new WebgradError("evaluationTrace", "the point must be a non-empty array of finite numbers, one per input");
  const n = at.length;
  const seed = mode === "forward" ? [...(options.seed ?? at.map((_, i) => (i === 0 ? 1 : 0)))] : [1];
  if (mode === "forward" && (seed.length !== n || !seed.every(Number.isFinite)))
    throw new WebgradError("evaluationTrace", `the seed must hold ${n} finite numbers, one tangent per input`);
  const device = options.device ?? "cpu";
  const dtype = options.dtype ?? (device === "cpu" ? "float64" : "float32");
  const scalar = (v: number) => tensor([v], { dtype, device }).reshape([]);
  const name = options.name ?? "f";

  const trace = enterTrace((level) => new EvalTraceInterpreter(level, mode === "forward"));
  let out: unknown;
  try {
    const xs = at.map((v, i) => trace.input(scalar(v), mode === "forward" ? scalar(seed[i]) : null));
    out = fn(...xs);
  } finally {
    exitTrace(trace);
  }
  if (!(out instanceof TraceValue) || out._trace !== trace)
    throw new WebgradError("evaluationTrace", "the function must return a value computed from its inputs (a scalar Tensor)");
  const rows = trace.rows;
  const last = out.row;

  // Reverse mode: v̄ = 1 at the output, then each row hands its adjoint to its operands through the op's vjp rule.
  const adjoints: (Tensor | null)[] = rows.map(() => null);
  if (mode === "reverse") {
    adjoints[last] = F.scalarTensor(1, dtype, rows[last].value);
    for (let i = last; i >= n; i--) {
      const r = rows[i],
        g = adjoints[i];
      if (r.op === null || g === null) continue;
      const needsGrad = r.args.map((a) => "row" in a);
      const grads = r.op.vjp!(g, {
        inputs: r.primals,
        output: r.value,
        attrs: r.attrs,
        inputAvals: r.primals.map((p) => ({ shape: p.shape, dtype: p.dtype })),
        needsGrad,
      });
      r.args.forEach((a, k) => {
        const gk = grads[k];
        if (!("row" in a) || gk === null || gk === undefined) return;
        const flat = F.reshape(gk.dtype === dtype ? gk : F.cast(gk, dtype), [...rows[a.row].value.shape]);
        adjoints[a.row] = adjoints[a.row] === null ? flat : F.add(adjoints[a.row]!, flat);
      });
    }
  }

  // The formulas: each row in its operands' names; tangents forwards, adjoints as the sum over each row's users.
  const names = rows.map((_, k) => rowName(k, n));
  const operand = (a: Arg) => ("row" in a ? names[a.row] : constantText(a.constant._hostScalar));
  const dotted = (k: number) => `v${DOT}${names[k].slice(1)}`;
  const barred = (k: number) => `v${BAR}${names[k].slice(1)}`;
  const partialsOf = (r: OpRow, k: number): Partial[] => {
    const ns: Names = { a: operand(r.args[0]), b: r.args[1] ? operand(r.args[1]) : "", y: names[k] };
    return PARTIALS[r.op.name]?.(ns) ?? r.args.map((_, j) => ({ factor: `∂${r.op.name}/∂${operand(r.args[j])}` }));
  };
  const exprs = rows.map((r, k) => {
    if (r.op === null) return `x${subscript(k + 1)}`;
    const ns: Names = { a: operand(r.args[0]), b: r.args[1] ? operand(r.args[1]) : "", y: names[k] };
    return PRIMALS[r.op.name]?.(ns) ?? `${r.op.name}(${r.args.map(operand).join(", ")})`;
  });
  const derivExprs = rows.map((r, k) => {
    if (mode === "forward") {
      if (r.op === null) return `ẋ${subscript(k + 1)}`;
      const ps = partialsOf(r, k);
      return sum(r.args.flatMap((a, j) => ("row" in a ? [scaled(dotted(a.row), ps[j] ?? {})] : [])));
    }
    if (k === last) return "1";
    const terms: string[] = [];
    for (let j = k + 1; j <= last; j++) {
      const user = rows[j];
      if (user.op === null) continue;
      const ps = partialsOf(user, j);
      user.args.forEach((a, m) => {
        if ("row" in a && a.row === k) terms.push(scaled(barred(j), ps[m] ?? {}));
      });
    }
    return sum(terms);
  });

  const values = await Promise.all(rows.map((r) => read(r.value)));
  const derivs = await Promise.all(rows.map((r, k) => read(mode === "forward" ? r.tangent : adjoints[k])));
  const shown = rows.slice(0, last + 1).map((_, k) => ({ name: names[k], expr: exprs[k], value: values[k], derivExpr: derivExprs[k], deriv: derivs[k] }));
  const derivative = mode === "forward" ? [derivs[last]] : derivs.slice(0, n);
  const result: EvaluationTrace = {
    name,
    mode,
    inputs: n,
    rows: shown,
    value: values[last],
    derivative,
    seed,
    table: () => traceTable(result),
  };
  if (hasListeners()) {
    const event: EvalTraceEvent = { type: "evaltrace", name, mode, inputs: n, rows: shown.map((r) => ({ ...r })), seed: [...seed] };
    emit(event);
  }
  return result;
}

/** A number in the table: four decimals, no negative zero. */
const fmt = (v: number) => (Object.is(Math.round(v * 1e4), -0) ? 0 : v).toFixed(4);

/** The table as aligned text: one line per row, the inputs first. */
export function traceTable(t: Pick<EvaluationTrace, "mode" | "rows">): string {
  const d = t.mode === "forward" ? `v${DOT}ᵢ` : `v${BAR}ᵢ`;
  const head = ["vᵢ", "", "value", d, "", "value"];
  const lines = t.rows.map((r) => [
    r.name,
    `= ${r.expr}`,
    fmt(r.value),
    r.name.replace("v", t.mode === "forward" ? `v${DOT}` : `v${BAR}`),
    `= ${r.derivExpr}`,
    fmt(r.deriv),
  ]);
  // Combining marks take no column: pad by what is seen.
  const width = (s: string) => s.replace(/[\u0300-\u036f]/g, "").length;
  const cols = head.map((_, c) => Math.max(width(head[c]), ...lines.map((l) => width(l[c]))));
  const pad = (s: string, c: number, right: boolean) => (right ? " ".repeat(cols[c] - width(s)) + s : s + " ".repeat(cols[c] - width(s)));
  const line = (l: string[]) =>
    l
      .map((s, c) => pad(s, c, c === 2 || c === 5))
      .join("  ")
      .trimEnd();
  return [line(head), ...lines.map(line)].join("\n");
}
