/**
 * The source transformer (src/lib/autodiff/source-transform.ts): the derivative code it writes
 * for a seeded family of random scalar expressions agrees with central finite differences and
 * with the tape's gradient of the same expression built from tensor ops; its forward mode agrees
 * with its reverse mode; what it cannot transform is refused with the construct and its line.
 */
import { describe, expect, it } from "vitest";
import { add, cos, div, exp, grad, log, mul, neg, pow, sin, sqrt, sub, tanh, tensor, sourceGrad, sourceJvp, type Tensor } from "webgrad";
import { mulberry32 } from "../../shared/fuzz/prng";

/** A random expression over x0 … x(n−1): its JavaScript source and the same thing in tensor ops. */
interface Expr {
  js: string;
  tensor: (xs: Tensor[]) => Tensor;
}

function randomExpr(r: () => number, vars: number, depth: number): Expr {
  const pick = <T>(items: T[]) => items[Math.floor(r() * items.length)];
  if (depth === 0 || r() < 0.2) {
    if (r() < 0.75) {
      const i = Math.floor(r() * vars);
      return { js: `x${i}`, tensor: (xs) => xs[i] };
    }
    const c = +(r() * 4 - 2).toFixed(2);
    return { js: `(${c})`, tensor: (xs) => mul(xs[0], 0).add(c) };
  }
  const a = randomExpr(r, vars, depth - 1);
  // Operands kept in each function's domain: positive for log, sqrt and pow's base, away from 0 for a divisor.
  const positive = (e: Expr): Expr => ({ js: `(${e.js} * ${e.js} + 1)`, tensor: (xs) => add(mul(e.tensor(xs), e.tensor(xs)), 1) });
  const kind = pick(["add", "sub", "mul", "div", "neg", "sin", "cos", "exp", "log", "tanh", "sqrt", "pow", "powc"]);
  const b = randomExpr(r, vars, depth - 1);
  switch (kind) {
    case "add":
      return { js: `(${a.js} + ${b.js})`, tensor: (xs) => add(a.tensor(xs), b.tensor(xs)) };
    case "sub":
      return { js: `(${a.js} - ${b.js})`, tensor: (xs) => sub(a.tensor(xs), b.tensor(xs)) };
    case "mul":
      return { js: `(${a.js} * ${b.js})`, tensor: (xs) => mul(a.tensor(xs), b.tensor(xs)) };
    case "div": {
      const d = positive(b);
      return { js: `(${a.js} / ${d.js})`, tensor: (xs) => div(a.tensor(xs), d.tensor(xs)) };
    }
    case "neg":
      return { js: `(-${a.js})`, tensor: (xs) => neg(a.tensor(xs)) };
    case "sin":
      return { js: `Math.sin(${a.js})`, tensor: (xs) => sin(a.tensor(xs)) };
    case "cos":
      return { js: `Math.cos(${a.js})`, tensor: (xs) => cos(a.tensor(xs)) };
    case "exp": {
      // exp of a bounded argument, so values stay moderate
      return { js: `Math.exp(Math.tanh(${a.js}))`, tensor: (xs) => exp(tanh(a.tensor(xs))) };
    }
    case "log": {
      const p = positive(a);
      return { js: `Math.log(${p.js})`, tensor: (xs) => log(p.tensor(xs)) };
    }
    case "tanh":
      return { js: `Math.tanh(${a.js})`, tensor: (xs) => tanh(a.tensor(xs)) };
    case "sqrt": {
      const p = positive(a);
      return { js: `Math.sqrt(${p.js})`, tensor: (xs) => sqrt(p.tensor(xs)) };
    }
    case "pow": {
      const p = positive(a);
      return { js: `Math.pow(${p.js}, Math.tanh(${b.js}))`, tensor: (xs) => pow(p.tensor(xs), tanh(b.tensor(xs))) };
    }
    default: {
      const k = pick([2, 3, 0.5]);
      const p = positive(a);
      return { js: `(${p.js} ** ${k})`, tensor: (xs) => pow(p.tensor(xs), k) };
    }
  }
}

const CASES = 60;

describe("sourceGrad: the generated derivative code", () => {
  it("writes the course's example as one operation per line and gets ∂f/∂x₁ = 1/x₁ + x₂, ∂f/∂x₂ = x₁ − cos x₂ at (2, 5)", () => {
    const { source, fn, params } = sourceGrad((x1: number, x2: number) => Math.log(x1) + x1 * x2 - Math.sin(x2));
    expect(params).toEqual(["x1", "x2"]);
    expect(source).toContain("const v1 = Math.log(x1);");
    expect(source).toContain("const v5 = v3 - v4;");
    expect(source).toContain("x1_bar += v1_bar / x1;");
    expect(source).toContain("x2_bar += v4_bar * Math.cos(x2);");
    const { value, gradient } = fn(2, 5);
    expect(value).toBeCloseTo(Math.log(2) + 10 - Math.sin(5), 12);
    expect(gradient[0]).toBeCloseTo(1 / 2 + 5, 12);
    expect(gradient[1]).toBeCloseTo(2 - Math.cos(5), 12);
  });

  it(`matches central finite differences and the tape's gradient on ${CASES} seeded random expressions`, async () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const r = mulberry32(seed);
      const vars = 1 + Math.floor(r() * 3);
      const e = randomExpr(r, vars, 2 + Math.floor(r() * 3));
      const params = Array.from({ length: vars }, (_, i) => `x${i}`);
      const src = `(${params.join(", ")}) => ${e.js}`;
      const at = params.map(() => +(r() * 2 - 1).toFixed(3));
      const what = `seed ${seed}: ${src} at (${at.join(", ")})`;
      const { fn } = sourceGrad(src);
      const f = new Function(`return ${src}`)() as (...xs: number[]) => number;
      const { value, gradient } = fn(...at);
      expect(value, what).toBeCloseTo(f(...at), 10);
      // finite differences
      const h = 1e-6;
      for (let i = 0; i < vars; i++) {
        const up = at.map((v, j) => (j === i ? v + h : v));
        const down = at.map((v, j) => (j === i ? v - h : v));
        const fd = (f(...up) - f(...down)) / (2 * h);
        expect(Math.abs(gradient[i] - fd), `${what}: ∂/∂x${i} ${gradient[i]} vs finite differences ${fd}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
      // the tape's gradient of the same expression in tensor ops (float64)
      const tapeGrads = grad((...xs: Tensor[]) => e.tensor(xs), { argnums: params.map((_, i) => i) })(
        ...at.map((v) => tensor(v, { dtype: "float64" })),
      ) as Tensor[];
      for (let i = 0; i < vars; i++) {
        const g = tapeGrads[i].itemSync();
        expect(Math.abs(gradient[i] - g), `${what}: ∂/∂x${i} ${gradient[i]} vs the tape's ${g}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(g)));
      }
      // forward mode along each axis gives the same partials
      const { fn: jvpFn } = sourceJvp(src);
      for (let i = 0; i < vars; i++) {
        const { tangent } = jvpFn(
          at,
          params.map((_, j) => (j === i ? 1 : 0)),
        );
        expect(tangent, `${what}: forward ∂/∂x${i}`).toBeCloseTo(gradient[i], 9);
      }
    }
  });

  it("keeps local const bindings by name and leaves constants out of the adjoints", () => {
    const { source, fn } = sourceGrad(`function g(x, y) {
      const k = 3 * Math.PI;
      const a = x * k;
      return a ** 3 + y;
    }`);
    expect(source).toMatch(/^function grad_g\(x, y\)/);
    expect(source).toContain("const a = x * k;");
    expect(source).not.toContain("k_bar");
    expect(source).toContain("a ** 2"); // a numeric exponent's b − 1 is written out
    const x = 0.4;
    expect(fn(x, 1).gradient[0]).toBeCloseTo(3 * (x * 3 * Math.PI) ** 2 * 3 * Math.PI, 9);
    expect(fn(x, 1).gradient[1]).toBe(1);
  });

  it("refuses what it cannot transform, naming the construct and its line", () => {
    const cases: [string, RegExp][] = [
      ["(x) => x > 0 ? x : -x", /a conditional expression at line 1/],
      ["(x) => {\n  let y = x;\n  return y;\n}", /a let declaration at line 2/],
      ["(x) => {\n  const y = x * 2;\n  return Math.abs(y);\n}", /the call Math\.abs\(…\) at line 3/],
      ["(x) => x * z", /the free variable z .* at line 1/],
      ["(x) => {\n  for (;;) {}\n  return x;\n}", /a for statement at line 2/],
      ["(x) => x % 2", /the operator % at line 1/],
      ["(x) => {\n  const y = x;\n}", /without a final return/],
      ["not a function", /is not one function/],
    ];
    for (const [src, message] of cases) expect(() => sourceGrad(src), src).toThrow(message);
  });
});
