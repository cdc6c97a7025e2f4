import { jvp, jit, tensor, onesLike, plot, showTape, type Tensor } from "webgrad";

/** A dual number: val + dot·ε, where ε² = 0. `dot` is the derivative carried along. */
class Dual {
  constructor(
    readonly val: number,
    readonly dot = 0,
    readonly op = "", // the op and inputs are kept only to draw the evaluation: a dual needs no tape
    readonly inputs: Dual[] = [],
  ) {}
  static lift(v: Dual | number): Dual {
    return v instanceof Dual ? v : new Dual(v); // constants have derivative 0
  }
  add(o: Dual | number): Dual {
    const b = Dual.lift(o);
    return new Dual(this.val + b.val, this.dot + b.dot, "+", [this, b]); // sum rule
  }
  mul(o: Dual | number): Dual {
    const b = Dual.lift(o);
    return new Dual(this.val * b.val, this.dot * b.val + this.val * b.dot, "*", [this, b]); // product rule
  }
  sin(): Dual {
    return new Dual(Math.sin(this.val), Math.cos(this.val) * this.dot, "sin", [this]); // chain rule
  }
  exp(): Dual {
    const e = Math.exp(this.val);
    return new Dual(e, e * this.dot, "exp", [this]);
  }
}

// f(x) = sin(x)·x + exp(0.5·x), written once against the Dual API...
const fDual = (x: Dual) => x.sin().mul(x).add(x.mul(0.5).exp());
// ...and once against tensors (the same ops, same order).
const fTensor = (x: Tensor) => x.sin().mul(x).add(x.mul(0.5).exp());

// Seed dot = 1 (dx/dx = 1); one evaluation gives f and f′.
const xs = [-2, -1, 0, 0.5, 1, 2];
const duals = xs.map((x) => fDual(new Dual(x, 1)));
for (let i = -30; i <= 30; i++) {
  const r = fDual(new Dual(i / 10, 1));
  plot("f and f′ by dual numbers", i / 10, r.val, { series: "f" });
  plot("f and f′ by dual numbers", i / 10, r.dot, { series: "f′" });
}

// One evaluation at x = 1, drawn in the Tape panel: each intermediate with its value and tangent v̇,
// stepped in the order forward mode computes them (the op nodes, inputs before the ops that use them).
const opsOf = (out: Dual): Dual[] => {
  const order: Dual[] = [];
  const seen = new Set<Dual>();
  const visit = (d: Dual) => {
    if (seen.has(d) || !d.op) return;
    seen.add(d);
    d.inputs.forEach(visit);
    order.push(d);
  };
  visit(out);
  return order;
};
const x1 = new Dual(1, 1);
const y1 = fDual(x1);
showTape(opsOf(y1), (d) => ({ op: d.op, inputs: d.inputs, value: d.val, tangent: d.dot, name: d === x1 ? "x" : String(d.val) }), { name: "Dual numbers" });
console.log(
  `f(1) = ${y1.val.toFixed(5)}, f′(1) = ${y1.dot.toFixed(5)} (by hand: cos 1 · 1 + sin 1 + 0.5·e^0.5 = ${(Math.cos(1) + Math.sin(1) + 0.5 * Math.exp(0.5)).toFixed(5)})`,
);

// The same with jvp, on all points at once: the tangent is ones (one seed per element).
const fwd = jit((x: Tensor) => jvp(fTensor, [x], [onesLike(x)]), { name: "jvp(f)" });
const [ys, dys] = fwd(tensor(xs));
const [yList, dyList] = [(await ys.tolist()) as number[], (await dys.tolist()) as number[]];

// The Dual columns are float64 JS numbers; jvp runs in float32 (and on WebGPU, sin and exp are
// approximations), so the last digits may differ — the derivative rules are the same.
console.log("   x |  f (Dual)   f (jvp)  |  f′ (Dual)  f′ (jvp)");
xs.forEach((x, i) => {
  const d = duals[i]!;
  console.log(
    `${x.toFixed(1).padStart(4)} | ${d.val.toFixed(5).padStart(9)} ${yList[i]!.toFixed(5).padStart(9)} | ${d.dot.toFixed(5).padStart(9)} ${dyList[i]!.toFixed(5).padStart(9)}`,
  );
});

// Forward mode gives one directional derivative per pass. For h(x, y) = x·y + sin(x) the full
// gradient needs one pass per input — seed (1, 0), then (0, 1). That cost is what reverse mode avoids.
const h = (x: Dual, y: Dual) => x.mul(y).add(x.sin());
const dx = h(new Dual(2, 1), new Dual(3, 0)).dot;
const dy = h(new Dual(2, 0), new Dual(3, 1)).dot;
console.log(`∇h(2, 3) by two forward passes: (${dx.toFixed(5)}, ${dy.toFixed(5)}), expected (${(3 + Math.cos(2)).toFixed(5)}, 2.00000)`);
