import { jvp, jit, tensor, onesLike, plot, type Tensor } from "webgrad";

/** A dual number: val + dot·ε, where ε² = 0. `dot` is the derivative carried along. */
class Dual {
  constructor(
    readonly val: number,
    readonly dot = 0,
  ) {}
  static lift(v: Dual | number): Dual {
    return v instanceof Dual ? v : new Dual(v); // constants have derivative 0
  }
  add(o: Dual | number): Dual {
    const b = Dual.lift(o);
    return new Dual(this.val + b.val, this.dot + b.dot); // sum rule
  }
  mul(o: Dual | number): Dual {
    const b = Dual.lift(o);
    return new Dual(this.val * b.val, this.dot * b.val + this.val * b.dot); // product rule
  }
  sin(): Dual {
    return new Dual(Math.sin(this.val), Math.cos(this.val) * this.dot); // chain rule
  }
  exp(): Dual {
    const e = Math.exp(this.val);
    return new Dual(e, e * this.dot);
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
