import { grad, jit, tensor, plot, slider, type Tensor } from "webgrad";

const x0 = 1.5;
const f = (x: number) => x * x * Math.sin(x) + Math.exp(x);

// 1. Manual: by hand, with the product rule: (x² sin x)′ = 2x sin x + x² cos x, (eˣ)′ = eˣ.
const manual = (x: number) => 2 * x * Math.sin(x) + x * x * Math.cos(x) + Math.exp(x);

// 2. Symbolic: expressions as trees, and d() applies the differentiation rules to the tree.
type Expr = { k: "x" } | { k: "c"; v: number } | { k: "+" | "*"; a: Expr; b: Expr } | { k: "sin" | "cos" | "exp"; a: Expr };
const X: Expr = { k: "x" };
const c = (v: number): Expr => ({ k: "c", v });
const add = (a: Expr, b: Expr): Expr => ({ k: "+", a, b });
const mul = (a: Expr, b: Expr): Expr => ({ k: "*", a, b });
const fn1 = (k: "sin" | "cos" | "exp", a: Expr): Expr => ({ k, a });
function d(e: Expr): Expr {
  switch (e.k) {
    case "x":
      return c(1);
    case "c":
      return c(0);
    case "+":
      return add(d(e.a), d(e.b)); // sum rule
    case "*":
      return add(mul(d(e.a), e.b), mul(e.a, d(e.b))); // product rule
    case "sin":
      return mul(fn1("cos", e.a), d(e.a)); // chain rule
    case "cos":
      return mul(mul(c(-1), fn1("sin", e.a)), d(e.a));
    case "exp":
      return mul(fn1("exp", e.a), d(e.a));
  }
}
function evaluate(e: Expr, x: number): number {
  switch (e.k) {
    case "x":
      return x;
    case "c":
      return e.v;
    case "+":
      return evaluate(e.a, x) + evaluate(e.b, x);
    case "*":
      return evaluate(e.a, x) * evaluate(e.b, x);
    default:
      return Math[e.k](evaluate(e.a, x));
  }
}
const show = (e: Expr): string =>
  e.k === "x" ? "x" : e.k === "c" ? String(e.v) : e.k === "+" || e.k === "*" ? `(${show(e.a)} ${e.k} ${show(e.b)})` : `${e.k}(${show(e.a)})`;
const size = (e: Expr): number => (e.k === "x" || e.k === "c" ? 1 : "b" in e ? 1 + size(e.a) + size(e.b) : 1 + size(e.a));

const fExpr = add(mul(mul(X, X), fn1("sin", X)), fn1("exp", X));
const dfExpr = d(fExpr);
console.log("f(x)  =", show(fExpr));
console.log("f′(x) =", show(dfExpr)); // unsimplified: this is the "expression swell"
console.log(`expression size: f has ${size(fExpr)} nodes, f′ ${size(dfExpr)}, f″ ${size(d(dfExpr))}`);

// 3. Numeric: finite differences. Forward: (f(x+h) − f(x))/h has error O(h); central:
// (f(x+h) − f(x−h))/2h has error O(h²); both suffer round-off ≈ ε/h as h shrinks.
const exact = manual(x0);
for (let p = 1; p <= 14; p += 0.5) {
  const h = 10 ** -p;
  const forward = (f(x0 + h) - f(x0)) / h;
  const central = (f(x0 + h) - f(x0 - h)) / (2 * h);
  // log10 of the error (floored at 1e-17 so an exact hit does not give −∞)
  plot("log10(error) vs log10(h)", -p, Math.log10(Math.max(Math.abs(forward - exact), 1e-17)), { series: "forward difference" });
  plot("log10(error) vs log10(h)", -p, Math.log10(Math.max(Math.abs(central - exact), 1e-17)), { series: "central difference" });
}
// Drag the "h" knob: the central difference's error falls with h² down to h ≈ 1e-5, then rises
// again as round-off (≈ ε/h) takes over — the V of the plot, at your h.
const h = slider("h (finite-difference step)", 1e-12, 0.1, 1e-5, { log: true });
const numeric = (f(x0 + h) - f(x0 - h)) / (2 * h);

// 4. Automatic: the same f on tensors; grad() applies the rules op by op while it runs.
const fT = (x: Tensor) => x.square().mul(x.sin()).add(x.exp());
const dfT = jit(grad(fT), { name: "df" });
const automatic = await dfT(tensor(x0)).item(); // float32 on the default backend
// AD is exact up to the precision of the ops it runs. float64 on the CPU backend shows it; on
// WebGPU, float32 sin/cos/exp are approximations (WGSL allows sin an error of ~5e-4).
// (Called without jit: a compiled graph runs on one backend, the default one.)
const automatic64 = await grad(fT)(tensor(x0, { dtype: "float64", device: "cpu" })).item();

console.log(`f′(${x0}):`);
const err = (v: number) => `error ${Math.abs(v - exact).toExponential(1)}`;
console.log(`  manual    ${manual(x0).toFixed(9)}  (the reference)`);
console.log(`  symbolic  ${evaluate(dfExpr, x0).toFixed(9)}  ${err(evaluate(dfExpr, x0))}`);
console.log(`  numeric   ${numeric.toFixed(9)}  ${err(numeric)} (central difference, h = ${h.toExponential(1)}, float64)`);
console.log(`  automatic ${automatic64.toFixed(9)}  ${err(automatic64)} (float64, CPU backend)`);
console.log(`  automatic ${automatic.toFixed(9)}  ${err(automatic)} (float32, default backend: exact up to the precision of its sin/cos/exp)`);
