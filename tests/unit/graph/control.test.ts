import { describe, expect, it } from "vitest";
import { cond, whileLoop, scan, fori, jit, grad, jvp, tensor, zeros, noGrad, setMode, setPassEnabled, passes, type Tensor } from "webgrad";
import { f64, values, expectAllClose, numericGrad } from "./helpers";

/** eager ≡ jit for a function, and ≡ jit with each pass switched off. */
function expectEagerEqualsJit(f: (...xs: Tensor[]) => Tensor | Tensor[], xs: Tensor[], tol = 1e-9): void {
  const flatOut = (r: Tensor | Tensor[]) => (Array.isArray(r) ? r.flatMap(values) : values(r));
  const eager = flatOut(f(...xs));
  expectAllClose(flatOut(jit(f)(...xs)), eager, tol);
  for (const p of passes()) {
    setPassEnabled(p.name, false);
    try {
      expectAllClose(flatOut(jit(f)(...xs)), eager, tol);
    } finally {
      setPassEnabled(p.name, true);
    }
  }
}

/** Gradients eager, under jit, and by finite differences agree (float64). */
function expectGradsMatch(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], tol = 1e-6): void {
  xs.forEach((_, k) => {
    const numeric = numericGrad(f, xs, k);
    const g = grad(f, { argnums: k });
    expectAllClose(g(...xs), numeric, tol);
    expectAllClose(jit(g)(...xs), numeric, tol);
  });
}

describe("cond", () => {
  const f = (x: Tensor, w: Tensor) =>
    cond(
      x.sum().gt(0),
      (v: Tensor) => v.mul(w).sin().sum(),
      (v: Tensor) => v.square().mul(w).sum(),
      x,
    );

  it("a value only the untaken branch uses, NaN-scaled on its way, adds nothing to the gradient under jit (fuzz seed 29542)", () => {
    // Eagerly the then-branch is not on the tape, so nothing flows through y = (x / s) · s; the
    // traced backward has a zero cotangent there, and 0 · NaN must not reach x's gradient.
    const f = (x: Tensor, s: number) => {
      const y = x.div(s).mul(s);
      return cond(
        x.sum().gt(0),
        (t: Tensor) => t.tanh().add(y),
        (t: Tensor) => t.square(),
        x,
      ).sum();
    };
    const x = f64([-1.5, -0.5]);
    expect(values(grad(f)(x, NaN))).toEqual([-3, -1]);
    expect(values(jit(grad(f))(x, NaN))).toEqual([-3, -1]);
    expect(values(grad(jit(f))(x, Infinity))).toEqual([-3, -1]);
  });
  it("picks a branch eagerly and under jit (only one branch runs)", () => {
    for (const x of [f64([0.5, 1]), f64([-0.5, -1])]) expectEagerEqualsJit(f, [x, f64([2, 3])]);
    let ran = "";
    cond(
      tensor(true),
      () => (ran += "then"),
      () => (ran += "else"),
    );
    expect(ran).toBe("then");
  });

  it("is one graph node with then/else regions; captured tensors become operands", () => {
    const text = jit(f)
      .lower(f64([0.5, 1]), f64([2, 3]))
      .text();
    expect(text).toMatch(/= cond %\d+, %\d+, %\d+/);
    expect(text).toContain("then (");
    expect(text).toContain("else (");
    expect(text).toContain("yield");
  });

  it("differentiates through the branch taken (eager and jit vs finite differences), including a closed-over weight", () => {
    for (const x of [f64([0.5, 1]), f64([-0.5, -1])]) expectGradsMatch(f, [x, f64([2, 3])]);
    const w = f64([0.3, -0.7]);
    const g = (x: Tensor) =>
      cond(
        x.sum().lt(1),
        () => x.mul(w).exp().sum(),
        () => x.sum(),
      );
    expectGradsMatch(g, [f64([0.2, 0.1])]);
  });

  it("forward mode through cond matches reverse mode, eager and under jit", () => {
    const x = f64([0.5, 1]),
      w = f64([2, 3]),
      v = f64([1, -2]);
    const fx = (x: Tensor) => f(x, w);
    const expected = values(grad(fx)(x)).reduce((s, gi, i) => s + gi * values(v)[i], 0);
    const [, t] = jvp(fx, [x], [v]);
    expectAllClose(t, [expected]);
    const [, tj] = jit((x: Tensor, v: Tensor) => jvp(fx, [x], [v]))(x, v) as Tensor[];
    expectAllClose(tj, [expected]);
  });

  it("refuses branches of different shapes", () => {
    const bad = jit((x: Tensor) =>
      cond(
        x.sum().gt(0),
        () => x,
        () => x.sum(),
      ),
    );
    expect(() => bad(f64([1, 2]))).toThrow(/cond.*same structure/);
  });
});

describe("scan", () => {
  const rnn = (h0: Tensor, xs: Tensor, w: Tensor) => {
    const [h, hs] = scan(
      (h: Tensor, x: Tensor) => {
        const n = h.mul(w).add(x).tanh();
        return [n, n.square()];
      },
      h0,
      xs,
    );
    return h.sum().add(hs.sum());
  };
  const args = () => [
    f64([0.1, -0.2]),
    f64([
      [0.5, 0.2],
      [-0.3, 0.4],
      [0.9, -1],
    ]),
    f64([0.7, 1.3]),
  ];

  it("cumulative sum and an RNN: eager ≡ jit (every pass on and off)", () => {
    const cumsum = (xs: Tensor) => {
      const [total, partial] = scan((c: Tensor, x: Tensor) => [c.add(x), c.add(x)], zeros([], { dtype: "float64" }), xs);
      return [total, partial];
    };
    const [total, partial] = cumsum(f64([1, 2, 3, 4])) as Tensor[];
    expect(values(total)).toEqual([10]);
    expect(values(partial)).toEqual([1, 3, 6, 10]);
    expectEagerEqualsJit(cumsum, [f64([1, 2, 3, 4])]);
    expectEagerEqualsJit(rnn, args());
    const rev = (xs: Tensor) => scan((c: Tensor, x: Tensor) => [c.add(x), c.add(x)], zeros([], { dtype: "float64" }), xs, { reverse: true })[1];
    expect(values(rev(f64([1, 2, 3])))).toEqual([6, 5, 3]);
    expectEagerEqualsJit(rev, [f64([1, 2, 3])]);
  });

  it("reverse mode: a reverse scan over saved carries (eager and jit vs finite differences)", () => {
    expectGradsMatch(rnn, args());
    const text = jit(grad(rnn, { argnums: 2 }))
      .lower(...(args() as [Tensor, Tensor, Tensor]))
      .text();
    expect(text.match(/= scan /g)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain("reverse=true");
  });

  it("forward mode through scan, eager and jit", () => {
    const [h0, xs, w] = args();
    const v = f64([1, 0.5]);
    const fw = (w: Tensor) => rnn(h0, xs, w);
    const expected = values(grad(fw)(w)).reduce((s, gi, i) => s + gi * values(v)[i], 0);
    expectAllClose(jvp(fw, [w], [v])[1], [expected]);
    expectAllClose((jit((w: Tensor, v: Tensor) => jvp(fw, [w], [v]))(w, v) as Tensor[])[1], [expected]);
  });

  it("fori: a counted loop (static bounds run as a scan, differentiable)", () => {
    const f = (x: Tensor) => fori(0, 4, (i, acc: Tensor) => acc.mul(x).add(i.cast("float64")), x).sum();
    expectEagerEqualsJit(f, [f64([0.5, -1.5])]);
    expectGradsMatch(f, [f64([0.5, -1.5])]);
    const g = (x: Tensor, n: Tensor) => fori(tensor(0, { dtype: "int32" }), n, (_i, acc: Tensor) => acc.mul(x), x.add(0)).sum();
    expectAllClose(jit(g)(f64([2]), tensor(3, { dtype: "int32" })), [16]);
  });
});

describe("whileLoop", () => {
  const f = (x: Tensor) =>
    whileLoop(
      (c: Tensor) => c.sum().lt(10),
      (c: Tensor) => c.mul(1.5).add(0.1),
      x,
    );

  it("runs eagerly and under jit", () => {
    expectEagerEqualsJit(f, [f64([1, 2])]);
    const text = jit(f)
      .lower(f64([1, 2]))
      .text();
    expect(text).toMatch(/= while %\d+/);
    expect(text).toContain("cond (");
    expect(text).toContain("body (");
  });

  it("forward mode through whileLoop (eager and jit) vs finite differences", () => {
    const x = f64([1, 2]),
      v = f64([1, 0]);
    const numeric = numericGrad((x: Tensor) => f(x).sum(), [x], 0);
    const expected = numeric[0];
    expectAllClose(jvp((x: Tensor) => f(x).sum(), [x], [v])[1], [expected], 1e-6);
    expectAllClose((jit((x: Tensor, v: Tensor) => jvp((y: Tensor) => f(y).sum(), [x], [v]))(x, v) as Tensor[])[1], [expected], 1e-6);
  });

  it("reverse mode without a bound is refused under jit with a message that suggests scan", () => {
    expect(() => jit(grad((x: Tensor) => f(x).sum()))(f64([1, 2]))).toThrow(/whileLoop.*scan or fori.*maxIterations/);
  });

  it("reverse mode with maxIterations runs as a bounded scan (eager and jit vs finite differences)", () => {
    const g = (x: Tensor) =>
      whileLoop(
        (c: Tensor) => c.sum().lt(10),
        (c: Tensor) => c.mul(1.5).add(0.1),
        x,
        { maxIterations: 20 },
      ).sum();
    expectEagerEqualsJit(g, [f64([1, 2])]);
    expectGradsMatch(g, [f64([1, 2])]);
  });
});

describe("nested control flow", () => {
  it("cond inside scan inside jit(grad)", () => {
    const f = (xs: Tensor, w: Tensor) =>
      scan(
        (c: Tensor, x: Tensor) => [
          cond(
            x.gt(0),
            () => c.mul(w).add(x),
            () => c.sub(x.mul(w)),
          ),
          null,
        ],
        f64(0.5),
        xs,
      )[0].sum();
    const xs = f64([0.5, -1, 2]),
      w = f64(1.1);
    expectEagerEqualsJit(f, [xs, w]);
    expectGradsMatch(f, [xs, w]);
  });

  it("eager mode runs control flow as plain JS", () => {
    setMode("eager");
    try {
      const f = jit((x: Tensor) => scan((c: Tensor, x: Tensor) => [c.add(x), null], zeros([]), x)[0]);
      expect(values(f(tensor([1, 2, 3])))).toEqual([6]);
      expect(f.traceCount).toBe(0);
    } finally {
      setMode("graph");
    }
  });
});

describe("control flow in an eager-style training step and in the verifier", () => {
  it("loss.backward() through a scan over a parameter compiles and matches eager", () => {
    const make = () => tensor([0.5, -0.3], { dtype: "float64", requiresGrad: true });
    const xs = f64([
      [1, 2],
      [0.5, -1],
      [2, 0],
    ]);
    const run = (w: Tensor, compiled: boolean) => {
      const step = (xs: Tensor) => {
        w.grad = null;
        const [h] = scan((h: Tensor, x: Tensor) => [h.mul(w).add(x).tanh(), null], zeros([2], { dtype: "float64" }), xs);
        const loss = h.square().sum();
        loss.backward();
        noGrad(() => w.sub_(w.grad!.mul(0.1)));
        return loss;
      };
      const f = compiled ? jit(step) : step;
      return [0, 1, 2].map(() => f(xs).itemSync());
    };
    const we = make(),
      wj = make();
    expectAllClose(run(wj, true), run(we, false), 1e-9);
    expectAllClose(wj, we, 1e-9);
  });

  it("the verifier rejects a region whose types do not fit its node", async () => {
    const { verifyGraph } = await import("../../../src/lib/graph/verify");
    const g = jit((x: Tensor) =>
      cond(
        x.sum().gt(0),
        () => x.exp(),
        () => x.neg(),
      ),
    ).lower(f64([1, 2])).graph;
    const node = g.nodes.find((n) => n.op === "cond")!;
    const broken = {
      ...g,
      nodes: g.nodes.map((n) =>
        n === node
          ? {
              ...n,
              regions: [
                n.regions![0],
                {
                  ...n.regions![1],
                  outputs: [{ ...n.regions![1].outputs[0], value: n.regions![1].inputs[0].value && { ...n.regions![1].inputs[0].value, shape: [3] } }],
                },
              ],
            }
          : n,
      ),
    };
    expect(() => verifyGraph(broken)).toThrow(/else region of cond/);
  });
});
