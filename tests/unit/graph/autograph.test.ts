import { describe, expect, it } from "vitest";
import { convert, jit, grad, tensor, setMode, onEvent, type Tensor } from "webgrad";
import { f64, values, expectAllClose, numericGrad } from "./helpers";

describe("a data-dependent JS decision on a traced tensor", () => {
  it("raises a clear error for comparisons and Number()", () => {
    expect(() => jit((x: Tensor) => ((x.sum() as unknown as number) > 0 ? x : x.neg()))(f64([1, 2]))).toThrow(
      /jit tensor .*comparison such as x > 0.*cond \/ whileLoop.*autograph/s,
    );
    expect(() => jit((x: Tensor) => x.add(Number(x.sum())))(f64([1]))).toThrow(/autograph/);
    // concrete tensors keep JS's default conversion (their text)
    expect(`${tensor([1])}`).toContain("1");
  });
});

describe("autograph: source conversion", () => {
  const relu2 = (x: Tensor) => {
    // eslint-disable-next-line no-useless-assignment -- autograph's input: the converted `if` carries `y` in from here
    let y = x;
    // JS comparisons on tensors need a cast in TypeScript; autograph turns them into tensor ops
    if ((x.sum() as unknown as number) > 0) {
      y = x.mul(2);
    } else {
      y = x.neg();
    }
    return y;
  };

  it("rewrites a tensor if into cond: eager ≡ jit, and the code can be read", () => {
    const c = convert(relu2);
    expect(c.code).toContain("__ag.if_(");
    expect(c.code).toContain('__ag.compare(">"');
    for (const x of [f64([1, 2]), f64([-1, -2])]) {
      const expected = values(x.sum().itemSync() > 0 ? x.mul(2) : x.neg());
      expectAllClose(c(x), expected);
      const j = jit(relu2, { autograph: true });
      expectAllClose(j(x), expected);
      expect(j.lower(x).text()).toMatch(/= cond /);
      expect(j.lower(x).autograph).toBe(c.code);
    }
  });

  it("keeps plain JS semantics for JS values (no graph node)", () => {
    const f = (x: Tensor, n: number) => {
      let y = x;
      for (let i = 0; i < n; i++) y = y.add(i);
      if (n > 2) y = y.mul(10);
      while (n > 0) n = n - 1;
      return n === 0 && n < 1 ? y : y.neg();
    };
    const j = jit(f, { autograph: true });
    expectAllClose(j(f64([1]), 3), [(1 + 0 + 1 + 2) * 10]);
    expect(j.lower(f64([1]), 3).text()).not.toMatch(/cond|while/);
  });

  it("rewrites tensor while and for loops into whileLoop, nested with ifs", () => {
    const f = (x: Tensor) => {
      let y = x;
      let steps = x.sum().mul(0);
      while (y.sum().lt(100)) {
        if (y.max().gt(20)) {
          y = y.add(7);
        } else {
          y = y.mul(2);
        }
        steps = steps.add(1);
      }
      return [y, steps];
    };
    const run = (x: Tensor) => {
      let y = values(x),
        steps = 0;
      while (y.reduce((a, b) => a + b) < 100) {
        y = Math.max(...y) > 20 ? y.map((v) => v + 7) : y.map((v) => v * 2);
        steps++;
      }
      return [...y, steps];
    };
    const j = jit(f, { autograph: true });
    const x = f64([1, 3]);
    expectAllClose((j(x) as Tensor[]).flatMap(values), run(x));
    expect(j.lower(x).text()).toMatch(/= while /);
    const g = (x: Tensor, n: Tensor) => {
      let acc = x;
      for (let i = n.mul(0); i.lt(n); i = i.add(1)) acc = acc.mul(x);
      return acc;
    };
    const jg = jit(g, { autograph: true });
    expectAllClose(jg(f64([2]), tensor(3, { dtype: "int32" })), [16]);
    expect(jg.lower(f64([2]), tensor(3, { dtype: "int32" })).text()).toMatch(/= while /);
  });

  it("bounds converted loops with maxIterations, so reverse mode goes through them", () => {
    const f = (x: Tensor) => {
      let y = x;
      while (y.sum().lt(10)) y = y.mul(1.5);
      return y.sum();
    };
    const j = jit(f, { autograph: true, maxIterations: 16 });
    expect(j.lower(f64([1, 2])).text()).toMatch(/while .*maxIterations=16/);
    // 3 → 4.5 → 6.75 → 10.125: three steps, so d sum / dx = 1.5³ per element
    expectAllClose(j(f64([1, 2])), [10.125]);
    expectAllClose(jit(grad(convert(f, { maxIterations: 16 })))(f64([1, 2])), [3.375, 3.375]);
    // the bound is a bound: a loop that needs more steps stops there
    expectAllClose(jit(f, { autograph: true, maxIterations: 2 })(f64([1, 2])), [6.75]);
  });

  it("?:, && and ! on tensors become cond and logical ops; gradients flow (eager ≡ jit vs finite differences)", () => {
    const f = (x: Tensor) => (x.sum().gt(0) && !x.max().gt(5) ? x.exp().sum() : x.square().sum());
    const c = convert(f);
    for (const x of [f64([0.5, 1]), f64([-0.5, 0.2])]) {
      const numeric = numericGrad(c, [x], 0);
      expectAllClose(grad(c)(x), numeric, 1e-6);
      expectAllClose(jit(grad(c))(x), numeric, 1e-6);
    }
  });

  it("handles early returns (if … return; … return) as cond, and refuses break in a tensor loop clearly", () => {
    const f = (x: Tensor, flag: boolean) => {
      let y = x.add(1);
      if (flag) return x.neg();
      if (x.sum().gt(0)) {
        y = y.mul(2);
        return y;
      }
      y = y.sub(5);
      return y;
    };
    const j = jit(f, { autograph: true });
    expectAllClose(j(f64([1]), true), [-1]);
    expectAllClose(j(f64([1]), false), [4]);
    expectAllClose(j(f64([-1]), false), [-5]);
    expect(j.lower(f64([1]), false).text()).toMatch(/= cond /);
    expect(convert(f).code).toContain("__ag.ifReturn(");
    const g = (x: Tensor) => {
      while (x.sum().lt(10)) {
        if (x.max().gt(7)) break;
        x = x.mul(2);
      }
      return x;
    };
    expectAllClose(convert(g)(f64([1])), [8]); // eager: plain JS over concrete values
    expect(() => jit(g, { autograph: true })(f64([1]))).toThrow(/while \(x\.sum\(\)\.lt\(10\)\).*return, break or continue/);
  });

  it("for…of over a tensor becomes a scan (eager ≡ jit), over an array stays JS", () => {
    const f = (xs: Tensor, ws: number[]) => {
      let h = xs.sum(0).mul(0);
      // Tensors are not JS iterables: autograph turns this loop into a scan over the rows.
      for (const x of xs as unknown as Tensor[]) h = h.mul(0.5).add(x).tanh();
      for (const w of ws) h = h.mul(w);
      return h;
    };
    const xs = f64([
      [0.1, 0.2],
      [0.3, -0.4],
      [1, 2],
    ]);
    const eager = convert(f)(xs, [2, 3]);
    const j = jit(f, { autograph: true });
    expectAllClose(j(xs, [2, 3]), eager);
    expect(j.lower(xs, [2, 3]).text()).toMatch(/= scan /);
    expect(() => f(xs, [2, 3])).toThrow(/not iterable/); // unconverted, JS cannot loop over a tensor
    let h = [0, 0];
    for (const row of [
      [0.1, 0.2],
      [0.3, -0.4],
      [1, 2],
    ])
      h = h.map((v, i) => Math.tanh(v * 0.5 + row[i]));
    expectAllClose(
      eager,
      h.map((v) => v * 6),
    );
  });

  it("names closure variables that must be passed in scope", () => {
    const w = f64([2]);
    const f = (x: Tensor) => {
      let y = x;
      if (x.sum().gt(0)) y = x.mul(w);
      return y;
    };
    expect(() => convert(f)).toThrow(/reads w from its enclosing scope.*scope: \{ w \}/);
    expectAllClose(jit(f, { autograph: true, scope: { w } })(f64([3])), [6]);
  });

  it("puts the converted code in the graph event, and runs converted code in eager mode", () => {
    const seen: string[] = [];
    const off = onEvent((e) => {
      if (e.type === "graph" && e.autograph) seen.push(e.autograph);
    });
    try {
      const j = jit(
        (x: Tensor) => {
          let y = x;
          if (x.sum().gt(0)) y = x.neg();
          return y;
        },
        { autograph: true },
      );
      j(f64([1]));
      expect(seen[0]).toContain("__ag.if_");
      setMode("eager");
      expectAllClose(j(f64([1])), [-1]);
    } finally {
      setMode("graph");
      off();
    }
  });
});
