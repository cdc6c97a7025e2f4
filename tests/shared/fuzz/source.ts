/**
 * A program as source text. The same text is both what a failing program prints (TypeScript) and
 * what the interpreter runs (the JS flavour, evaluated with the public API in scope), so the
 * printed repro is exactly the code that failed.
 */
import type { FDType, Helper, Odd, Program, Scalar, SliceSpec, Stmt, TensorSpec, Unary, ViewOp } from "./program";

export const nameOf = (p: Program, id: number): string => {
  const t = p.tensors.find((x) => x.id === id);
  return t ? `${t.role === "input" ? "x" : "c"}${id}` : `v${id}`;
};

/** A JS literal for a number, keeping -0, NaN and the infinities. */
export function num(v: Odd): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v !== "number") return JSON.stringify(v);
  if (Object.is(v, -0)) return "-0";
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return String(v);
}

/** Unary ops, kept inside their domains (log, sqrt and reciprocal of |a| + 0.5; exp of tanh a). */
export function unary(op: Unary, a: string): string {
  switch (op) {
    case "exp":
      return `${a}.tanh().exp()`;
    case "log":
    case "sqrt":
    case "reciprocal":
      return `${a}.abs().add(0.5).${op}()`;
    // Along the last axis (a scalar is one element of it: unsqueezed, then back).
    case "softmax":
    case "logSoftmax":
      return `${a}.unsqueeze(-1).${op}(-1).squeeze(-1)`;
    case "cumsum":
      return `${a}.unsqueeze(0).cumsum(0).squeeze(0)`;
    case "clamp":
      return `${a}.clamp(-1, 1)`;
    default:
      return `${a}.${op}()`;
  }
}

const scalar = (s: Scalar): string => (s === "s" ? "s" : num(s));

function view(a: string, v: ViewOp): string {
  switch (v.op) {
    case "reshape":
    case "expand":
      return `${a}.${v.op}(${JSON.stringify(v.shape)})`;
    case "transpose":
      return `${a}.transpose(${v.d0}, ${v.d1})`;
    case "slice":
      return `${a}.slice(${v.specs.map((s: SliceSpec) => JSON.stringify(s)).join(", ")})`;
    case "narrow":
      return `${a}.narrow(${v.axis}, ${v.start}, ${v.length})`;
    case "unsqueeze":
    case "flip":
      return `${a}.${v.op}(${v.axis})`;
  }
}

/** One statement's lines. `ts` adds type annotations to the closures. */
function stmtLines(p: Program, s: Stmt, ts: boolean): string[] {
  const n = (id: number) => nameOf(p, id);
  const T = ts ? ": Tensor" : "";
  const def = (expr: string) => [`const ${n((s as { out: number }).out)} = ${expr};`];
  switch (s.k) {
    case "unary":
      return def(unary(s.op, n(s.a)));
    case "binary": {
      const [a, b] = [n(s.a), n(s.b)];
      if (s.op === "div") return def(`${a}.div(${b}.abs().add(0.5))`);
      if (s.op === "pow") return def(`${a}.abs().add(0.5).pow(${b}.tanh())`);
      if (s.op === "where") return def(`where(${a}.gt(${b}), ${a}, ${b}.mul(2))`);
      return def(`${a}.${s.op}(${b})`);
    }
    case "scalar":
      return def(`${n(s.a)}.${s.op}(${scalar(s.s)})`);
    case "reduce":
      return def(s.axis === null && !s.keep ? `${n(s.a)}.${s.op}()` : `${n(s.a)}.${s.op}(${s.axis}, ${s.keep})`);
    case "matmul":
      return def(`${n(s.a)}.matmul(${n(s.b)})`);
    case "view":
      return def(view(n(s.a), s.v));
    case "inplace": {
      const src = s.src === null ? "" : typeof s.src === "object" ? n(s.src.v) : scalar(s.src);
      const call = `${n(s.target)}.${s.op}(${src})`;
      return [s.noGrad ? `noGrad(() => ${call});` : `${call};`];
    }
    case "detach":
      return def(`${n(s.a)}.detach()`);
    case "noGrad":
      return def(`noGrad(() => ${unary(s.op, n(s.a))})`);
    case "cast":
      return def(`${n(s.a)}.cast(${JSON.stringify(s.dtype)})`);
    case "clone":
      return def(`${n(s.a)}.clone()`);
    case "call":
      return def(p.helpers[s.helper]!.kind === "fn" ? `h${s.helper}(${n(s.a)})` : `h${s.helper}.forward(${n(s.a)})`);
    case "cond": {
      const t = unary(s.t, "t") + (s.cap === null ? "" : `.add(${n(s.cap)})`);
      return def(`cond(${n(s.a)}.sum().gt(0), (t${T}) => ${t}, (t${T}) => ${unary(s.f, "t")}, ${n(s.a)})`);
    }
    case "while":
      return def(`whileLoop((c${T}) => c.abs().sum().lt(${s.limit}), (c${T}) => c.mul(1.5).add(0.25), ${n(s.a)}, { maxIterations: ${s.max} })`);
    case "scan": {
      const o = n(s.out);
      return [
        `const [${o}c, ${o}y] = scan((c${T}, x${T}) => { const nc = c.mul(0.5).add(x.tanh()); return [nc, nc.sin()]; }, ${n(s.a)}.sum(0).mul(0.1), ${n(s.a)});`,
        `const ${o} = ${o}y.add(${o}c);`,
      ];
    }
  }
}

function nested(values: readonly number[], shape: readonly number[]): string {
  if (shape.length === 0) return num(values[0]!);
  const [d, ...rest] = shape;
  const step = values.length / d!;
  return `[${Array.from({ length: d! }, (_, i) => nested(values.slice(i * step, (i + 1) * step), rest)).join(", ")}]`;
}

export const tensorExpr = (t: TensorSpec, variant: 0 | 1): string => `tensor(${nested(t.values[variant], t.shape)}, { dtype: ${JSON.stringify(t.dtype)} })`;

/** The helper's construction lines (a captured scalar and a closure, or a seeded nn.Linear). */
export function helperLines(h: Helper, i: number, variant: 0 | 1, ts: boolean): string[] {
  if (h.kind === "module") return [`const h${i} = new nn.Linear(${h.inF}, ${h.outF}, { seed: ${h.seed[variant]} });`];
  return [`const k${i} = tensor(${num(h.scale[variant])});`, `const h${i} = (t${ts ? ": Tensor" : ""}) => ${unary(h.unary, `t.mul(k${i})`)};`];
}

export const inputsOf = (p: Program) => p.tensors.filter((t) => t.role === "input");
export const capturesOf = (p: Program) => p.tensors.filter((t) => t.role === "capture");

/** The parameter list of `f`: inputs, then helpers, then the odd scalar `s`. */
export function params(p: Program, ts: boolean): string {
  const ins = inputsOf(p).map((t) => `${nameOf(p, t.id)}${ts ? ": Tensor" : ""}`);
  const hs = p.helpers.map((h, i) => `h${i}${ts ? (h.kind === "fn" ? ": (t: Tensor) => Tensor" : ": nn.Linear") : ""}`);
  return [...ins, ...hs, `s${ts ? ": any" : ""}`].join(", ");
}

/** `const f = (…) => { …; return [loss, …outputs]; };` */
export function functionLines(p: Program, ts: boolean): string[] {
  const body = p.stmts.flatMap((s) => stmtLines(p, s, ts));
  const outs = p.outputs.map((o) => nameOf(p, o));
  const loss = outs.map((o) => `${o}.sum()`).reduce((a, b) => `${a}.add(${b})`);
  return [`const f = (${params(p, ts)}) => {`, ...body.map((l) => `  ${l}`), `  const loss = ${loss};`, `  return [loss, ${outs.join(", ")}];`, `};`];
}

/** The argument lines for one call (inputs and helpers; suffix "b" for the second call). */
export function argLines(p: Program, variant: 0 | 1, ts: boolean): { lines: string[]; call: string } {
  const sfx = variant === 0 ? "" : "b";
  const lines = [
    ...inputsOf(p).map((t) => `const ${nameOf(p, t.id)}${sfx} = ${tensorExpr(t, variant)};`),
    ...p.helpers.flatMap((h, i) => helperLines(h, i, variant, ts).map((l) => l.replace(new RegExp(`\\b([hk]${i})\\b`, "g"), `$1${sfx}`))),
  ];
  const call = [...inputsOf(p).map((t) => nameOf(p, t.id) + sfx), ...p.helpers.map((_, i) => `h${i}${sfx}`), num(p.odd[variant])].join(", ");
  return { lines, call };
}

export const captureLines = (p: Program): string[] => capturesOf(p).map((t) => `const ${nameOf(p, t.id)} = ${tensorExpr(t, 0)};`);

/**
 * The interpreter's source: a factory that, given the public API, makes fresh captures, `f`, and
 * the arguments of call 0 and call 1 (fresh tensors on every call of `args`).
 */
export function factorySource(p: Program): string {
  const a0 = argLines(p, 0, false),
    a1 = argLines(p, 1, false);
  const ret = (v: 0 | 1) => {
    const sfx = v === 0 ? "" : "b";
    return `return { inputs: [${inputsOf(p)
      .map((t) => nameOf(p, t.id) + sfx)
      .join(", ")}], helpers: [${p.helpers.map((_, i) => `h${i}${sfx}`).join(", ")}], s: ${num(p.odd[v])} };`;
  };
  return [
    `const { tensor, nn, noGrad, cond, whileLoop, scan, where } = W;`,
    ...captureLines(p),
    ...functionLines(p, false),
    `const args = (variant) => {`,
    `  if (variant === 0) {`,
    ...a0.lines.map((l) => `    ${l}`),
    `    ${ret(0)}`,
    `  }`,
    ...a1.lines.map((l) => `  ${l}`),
    `  ${ret(1)}`,
    `};`,
    `return { f, captures: [${capturesOf(p)
      .map((t) => nameOf(p, t.id))
      .join(", ")}], args };`,
  ].join("\n");
}

export type { FDType };
