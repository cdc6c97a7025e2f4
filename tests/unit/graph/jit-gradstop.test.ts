/**
 * Gradient stops inside jitted functions (issue #12, point 2): `detach`, `noGrad` regions and
 * in-place writes under noGrad cut gradients in graph mode exactly where eager mode cuts them, in
 * every route gradients take through a jitted function, and no pass removes a stop.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  checkpoint,
  scan,
  cond,
  fori,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  noGrad,
  optim,
  setPassEnabled,
  tensor,
  vjp,
  type IRGraph,
  type IRNode,
  type Tensor,
} from "webgrad";
import { executeGraph } from "../../../src/lib/graph/executor";
import { graphToJSON } from "../../../src/lib/graph/printer";
import { expectAllClose, f64, graphEvents, values } from "./helpers";

/**
 * A program, its gradient in closed form, and what eager forward mode does with it: a noGrad
 * region does not cut tangents (only the tape), and eager refuses in-place writes inside jvp.
 */
type Program = { name: string; f: (x: Tensor) => Tensor; x: () => Tensor; closed: (x: number[]) => number[]; inPlace?: boolean; noGradRegion?: boolean };

/** Programs with gradient stops, each with its gradient in closed form. */
const PROGRAMS: Program[] = [
  { name: "detach", f: (x) => x.mul(2).detach().add(x).sum(), x: () => f64([1, 2]), closed: (x) => x.map(() => 1) },
  {
    name: "noGrad region",
    f: (x) =>
      noGrad(() => x.mul(2))
        .add(x)
        .sum(),
    x: () => f64([1, 2]),
    closed: (x) => x.map(() => 1),
    noGradRegion: true,
  },
  {
    name: "in-place div_ under noGrad",
    f: (x) => {
      const t = x.mul(2);
      noGrad(() => t.div_(2));
      return t.sum();
    },
    x: () => f64([1, 2]),
    // Eager keeps t's tape (the mul by 2): the write changes values, not the derivative.
    closed: (x) => x.map(() => 2),
    inPlace: true,
  },
  {
    name: "in-place write read by a product",
    f: (x) => {
      const t = x.mul(3);
      noGrad(() => t.div_(2));
      return t.mul(x).sum();
    },
    x: () => f64([1, 2]),
    // d/dx Σ t·x with t = 1.5x in value but 3x on the tape: t + 3x.
    closed: (x) => x.map((v) => 4.5 * v),
    inPlace: true,
  },
  {
    name: "stops inside a fused chain, mixed with noGrad",
    f: (x) => {
      const s = x.sin();
      const d = s.mul(x).detach();
      return s
        .mul(d)
        .add(noGrad(() => x.exp()).mul(x))
        .sum();
    },
    x: () => f64([0.3, -0.7, 1.1]),
    closed: (x) => x.map((v) => Math.cos(v) * Math.sin(v) * v + Math.exp(v)),
    noGradRegion: true,
  },
  {
    name: "logsumexp with a detached max",
    f: (x) => x.sub(x.max(-1, true).detach()).exp().sum().log().add(x.max(-1, true).detach().sum()),
    x: () => f64([0.5, -1, 2]),
    closed: (x) => {
      const e = x.map(Math.exp),
        z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    },
  },
  {
    name: "a leaf made inside from a detached value",
    f: (x) => {
      const c = x.mul(2).detach().requiresGrad_(true);
      return c.mul(x).sum();
    },
    x: () => f64([1, -2]),
    closed: (x) => x.map((v) => 2 * v),
  },
];

const leaf = (t: Tensor): Tensor => tensor(values(t), { dtype: t.dtype, shape: [...t.shape], requiresGrad: true });

/** The gradient of scalar `f` at x, by each route gradients take through a function. */
const ROUTES: { name: string; grad: (f: (x: Tensor) => Tensor, x: Tensor) => Tensor; forward?: boolean }[] = [
  { name: "grad", grad: (f, x) => grad(f)(x) },
  { name: "vjp", grad: (f, x) => vjp(f, x)[1](f64(1))[0] },
  { name: "jacrev", grad: (f, x) => jacrev(f)(x) },
  { name: "tape (backward on the result)", grad: (f, x) => ((x = leaf(x)), f(x).backward(), x.grad!) },
  { name: "checkpoint", grad: (f, x) => ((x = leaf(x)), checkpoint(f)(x).backward(), x.grad!) },
  { name: "jvp", grad: (f, x) => f64(values(x).map((_, i) => values(jvp(f, [x], [f64(values(x).map((_, j) => (i === j ? 1 : 0)))])[1])[0])), forward: true },
  { name: "jacfwd", grad: (f, x) => jacfwd(f)(x), forward: true },
];

afterEach(() => {
  for (const p of ["simplify", "constfold", "cse", "dce", "fusion", "mfusion", "hfusion"]) setPassEnabled(p, true);
});

describe("the issue's examples", () => {
  it("grad(jit(x ⇒ x·2 detached + x)) is 1 (was 3)", () => {
    const f = (x: Tensor) => x.mul(2).detach().add(x).sum();
    expect(values(grad(jit(f))(f64([1, 2])))).toEqual([1, 1]);
    expect(values(grad(f)(f64([1, 2])))).toEqual([1, 1]);
  });

  it("grad(jit(x ⇒ noGrad(x·2) + x)) is 1 (was 3)", () => {
    const f = (x: Tensor) =>
      noGrad(() => x.mul(2))
        .add(x)
        .sum();
    expect(values(grad(jit(f))(f64([1, 2])))).toEqual([1, 1]);
  });

  it("jit(loss)(x).backward() with w·x detached, times w: w.grad = [3, 8] (was [6, 16])", () => {
    const w = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const loss = (x: Tensor) => w.mul(x).detach().mul(w).sum();
    jit(loss)(f64([3, 4])).backward();
    expect(values(w.grad!)).toEqual([3, 8]);
    w.grad = null;
    loss(f64([3, 4])).backward();
    expect(values(w.grad!)).toEqual([3, 8]);
  });

  it("an in-place div_ under noGrad keeps the full gradient (was half)", () => {
    const f = (x: Tensor) => {
      const t = x.mul(2);
      noGrad(() => t.div_(2));
      return t.sum();
    };
    expect(values(grad(jit(f))(f64([1, 2])))).toEqual([2, 2]);
    expect(values(grad(f)(f64([1, 2])))).toEqual([2, 2]);
    expect(values(jit(f)(f64([1, 2])))).toEqual([3]); // the write still changed the value
  });
});

describe("writes under noGrad that eager keeps off the tape (fuzz seeds 2860, 3328, 4996, 5124, 2599)", () => {
  it("a captured constant written under noGrad from x, by a helper passed in, stays a constant: ∂/∂x is 0 in every route", () => {
    const c = tensor([1, 1]);
    const k = tensor(0.68);
    const f = (x: Tensor, h: (t: Tensor) => Tensor) => {
      const v = h(x);
      noGrad(() => c.copy_(v));
      return c.sum();
    };
    const h = (t: Tensor) => t.mul(k).cos();
    const x = () => tensor([1, 1]);
    expect(values(grad(f)(x(), h))).toEqual([0, 0]);
    expect(values(grad(jit(f))(x(), h))).toEqual([0, 0]);
    expect(values(jit(grad(f))(x(), h))).toEqual([0, 0]);
  });
  it("its later use beside x's own path: only x's path counts (was twice the gradient)", () => {
    const c = tensor([1, 1], { dtype: "float64" });
    const f = (x: Tensor) => {
      const v = x.mul(0.68).cos();
      noGrad(() => c.copy_(v));
      return c.add(v).sum();
    };
    const want = [1, 2].map((x) => -0.68 * Math.sin(0.68 * x));
    expectAllClose(values(grad(f)(f64([1, 2]))), want);
    expectAllClose(values(grad(jit(f))(f64([1, 2]))), want);
    const a = f64([1, 2]).requiresGrad_();
    jit(f)(a).backward();
    expectAllClose(values(a.grad!), want);
  });
  it("a tensor with no gradient path written under noGrad from one that has it: backward refuses as eagerly", () => {
    const f = (x: Tensor) => {
      const [, ys] = scan((c: Tensor, t: Tensor) => [c.mul(0.5).add(t.tanh()), c.sin()], x.sum(0).mul(0.1), x);
      const d = ys.detach().silu();
      noGrad(() => d.copy_(ys));
      return d.sum();
    };
    const eager = f64([[1]]).requiresGrad_();
    expect(() => f(eager).backward()).toThrow(/does not require grad/);
    const traced = f64([[1]]).requiresGrad_();
    expect(() => jit(f)(traced).backward()).toThrow(/does not require grad/);
  });
  it("an argument copied from another before that one is written through a view keeps the old values", () => {
    const f = (x0: Tensor, x1: Tensor) => {
      const d = x0.detach();
      noGrad(() => x1.copy_(x0));
      d.flip(0).copy_(d);
      return d.flip(0).sum();
    };
    for (const route of ["eager", "jit(grad)"] as const) {
      const x0 = f64([-2, 0, 2, -1]),
        x1 = f64([1, 1, 1, 1]);
      if (route === "eager") grad(f, { argnums: [0, 1] })(x0, x1);
      else jit(grad(f, { argnums: [0, 1] }))(x0, x1);
      expect({ route, x1: values(x1) }).toEqual({ route, x1: [-2, 0, 2, -1] });
      expect({ route, x0: values(x0) }).toEqual({ route, x0: [-1, 2, 0, -2] });
    }
  });
});

describe("every route through a jitted function matches eager", () => {
  for (const p of PROGRAMS) {
    for (const r of ROUTES) {
      // Eager refuses in-place writes inside jvp: nothing to match there.
      if (r.forward && p.inPlace) continue;
      it(`${p.name}: ${r.name}(jit(f))`, () => {
        const x = p.x();
        const eager = r.grad(p.f, x);
        if (!(r.forward && p.noGradRegion)) expectAllClose(eager, p.closed(values(x)), 1e-12);
        expectAllClose(r.grad(jit(p.f), x), eager, 1e-12);
      });
    }
    it(`${p.name}: jit(grad(f)) and jit(x ⇒ checkpoint(f)(x)) under grad`, () => {
      const x = p.x();
      expectAllClose(jit(grad(p.f))(x), p.closed(values(x)), 1e-12);
      expectAllClose(grad(jit((x: Tensor) => checkpoint(p.f)(x)))(x), p.closed(values(x)), 1e-12);
    });
    if (!p.inPlace) {
      it(`${p.name}: hessian(jit(f)) and grad of grad(jit(f))`, () => {
        const x = p.x();
        expectAllClose(hessian(jit(p.f))(x), hessian(p.f)(x), 1e-12);
        const gg = (f: (x: Tensor) => Tensor) => grad((x: Tensor) => grad(f)(x).mul(x).sum())(x);
        expectAllClose(gg(jit(p.f)), gg(p.f), 1e-12);
        // jit(grad(f)) traced on its own first, then differentiated again: its backward nodes are
        // not marked as cut (the engine's grad-off is not a noGrad region), so the replay tapes them.
        const jg = jit(grad(p.f));
        expectAllClose(jg(x), p.closed(values(x)), 1e-12);
        expectAllClose(grad((x: Tensor) => jg(x).mul(x).sum())(x), gg(p.f), 1e-12);
        expect(someNode(jit(grad(p.f)).lower(x).graph, (n) => n.phase === "backward" && n.noGrad === true)).toBe(false);
      });
    }
  }
});

/** Whether any node (in regions too) satisfies `pred`. */
function someNode(g: IRGraph, pred: (n: IRNode) => boolean): boolean {
  return g.nodes.some((n) => pred(n) || (n.regions ?? []).some((r) => someNode(r, pred)));
}

describe("no pass removes a gradient stop", () => {
  for (const p of PROGRAMS) {
    it(`${p.name}: the graph after every pass still stops gradients`, () => {
      const x = p.x();
      const lowered = jit(p.f).lower(x);
      const expected = p.closed(values(x));
      for (const stage of lowered.stages) {
        const g = grad((x: Tensor) => executeGraph(stage.graph, [x])[0]!)(x);
        try {
          expectAllClose(g, expected, 1e-12);
        } catch (e) {
          throw new Error(`after ${stage.pass}: ${(e as Error).message}`, { cause: e });
        }
        expect(
          someNode(stage.graph, (n) => n.op === "stopGradient" || n.op === "noGradWrite" || n.noGrad === true),
          `a stop after ${stage.pass}`,
        ).toBe(true);
      }
    });
  }

  it("with any one pass switched off, every program still matches", () => {
    for (const pass of ["simplify", "constfold", "cse", "dce", "fusion", "mfusion", "hfusion"]) {
      setPassEnabled(pass, false);
      try {
        for (const p of PROGRAMS) expectAllClose(grad(jit(p.f))(p.x()), p.closed(values(p.x())), 1e-12);
      } finally {
        setPassEnabled(pass, true);
      }
    }
  });

  it("fusion keeps a stop inside the fused region", () => {
    const f = (x: Tensor) => x.mul(2).detach().add(x).sum();
    const opt = jit(f).lower(f64([1, 2])).optimized;
    const fused = opt.nodes.find((n) => n.op === "fused");
    expect(fused?.attrs.ops).toEqual(["mul", "stopGradient", "add"]);
  });

  it("CSE does not merge a noGrad node with its taped twin", () => {
    const f = (x: Tensor) =>
      noGrad(() => x.mul(2))
        .add(x.mul(2))
        .sum();
    expect(values(grad(jit(f))(f64([1, 2])))).toEqual([2, 2]);
    expect(values(grad(f)(f64([1, 2])))).toEqual([2, 2]);
  });

  it("simplify does not rewrite across a noGrad boundary (x·1, reshape chains)", () => {
    const f = (x: Tensor) =>
      noGrad(() => x.mul(1))
        .add(
          noGrad(() => x.reshape([2, 1]))
            .reshape([2])
            .mul(x),
        )
        .sum();
    expect(values(grad(jit(f))(f64([1, 2])))).toEqual(values(grad(f)(f64([1, 2]))));
    expect(values(grad(f)(f64([1, 2])))).toEqual([1, 2]);
  });

  it("a stop of a constant, or of a stop, goes", () => {
    const f = (x: Tensor) =>
      x
        .detach()
        .detach()
        .add(f64([1, 2]).detach())
        .mul(x)
        .sum();
    const opt = jit(f).lower(f64([1, 2])).optimized;
    expect(someNode(opt, (n) => n.op === "stopGradient")).toBe(true);
    const stops = jit(f)
      .lower(f64([1, 2]))
      .stages.find((s) => s.pass === "simplify")!
      .graph.nodes.filter((n) => n.op === "stopGradient");
    expect(stops).toHaveLength(1);
    expect(values(grad(jit(f))(f64([1, 2])))).toEqual([2, 4]);
    expect(values(grad(f)(f64([1, 2])))).toEqual([2, 4]);
  });
});

describe("the IR shows where gradients stop", () => {
  it("a noGrad region is a noGrad { … } block in the text, and marked in the JSON", () => {
    const f = (x: Tensor) =>
      noGrad(() => x.mul(2).exp())
        .add(x)
        .sum();
    const l = jit(f).lower(f64([1, 2]));
    expect(l.text()).toMatch(/ {2}noGrad \{\n {4}%\d+: f64\[2\] = mul %0, %\d+.*\n {4}%\d+: f64\[2\] = exp %\d+.*\n {2}\}\n {2}%\d+: f64\[2\] = add/);
    expect(l.text("optimized")).toContain("noGrad {");
    const marked = graphToJSON(l.graph).nodes.filter((n) => n.noGrad);
    expect(marked.map((n) => n.op)).toEqual(["mul", "exp"]);
  });

  it("an in-place write under noGrad shows as noGradWrite(value, before)", () => {
    const f = (x: Tensor) => {
      const t = x.mul(2);
      noGrad(() => t.div_(2));
      return t.sum();
    };
    expect(
      jit(f)
        .lower(f64([1, 2]))
        .text(),
    ).toMatch(/%(\d+): f64\[2\] = div %(\d+), %\d+[^\n]*\n {2}\}\n {2}%\d+: f64\[2\] = noGradWrite %\1, %\2/);
  });
});

describe("control flow regions", () => {
  it("noGrad and detach inside a cond branch and a fori body cut gradients as in eager (were [3, 4] and [27, 27])", () => {
    const c = (x: Tensor) =>
      cond(
        x.sum().gt(0),
        (v: Tensor) => noGrad(() => v.mul(2)).add(v.detach().mul(v)),
        (v: Tensor) => v.mul(3),
        x,
      ).sum();
    const l = (x: Tensor) => fori(0, 3, (_i: Tensor, v: Tensor) => noGrad(() => v.mul(2)).add(v), x).sum();
    const x = f64([1, 2]);
    for (const f of [c, l]) {
      const eager = values(grad(f)(x));
      expect(values(grad(jit(f))(x))).toEqual(eager);
      expect(values(jit(grad(f))(x))).toEqual(eager);
    }
    expect(values(grad(c)(x))).toEqual([1, 2]);
    expect(values(grad(l)(x))).toEqual([1, 1]);
    expect(jit(c).lower(x).text()).toMatch(/then \(.*\) \{\n {6}noGrad \{\n {8}%\d+: f64\[2\] = mul/);
    // Forward mode: the detach cuts the tangent inside the branch (noGrad does not, as in eager).
    const [, te] = jvp(c, [x], [f64([1, 0])]);
    const [, tj] = jvp(jit(c), [x], [f64([1, 0])]);
    expect(values(tj)).toEqual(values(te));
  });
});

describe("grad mode and captured tensors", () => {
  it("a function traced inside noGrad retraces when called with grad on", () => {
    const jf = jit((x: Tensor) =>
      noGrad(() => x.mul(2))
        .add(x.mul(x))
        .sum(),
    );
    const x = f64([1, 2]);
    expect(values(noGrad(() => jf(x)))).toEqual([11]);
    const events = graphEvents(() => expect(values(jf(x))).toEqual([11]));
    expect(events.map((e) => e.reason)).toEqual([expect.stringMatching(/^grad mode: off \(inside noGrad\) → on/)]);
    expect(values(grad(jf)(x))).toEqual([2, 4]);
    expect(jf.traceCount).toBe(3); // grad's argument requires grad: keyed too
    expect(values(noGrad(() => jf(x)))).toEqual([11]);
    expect(jf.traceCount).toBe(3);
  });

  it(".detach() of a captured parameter stops its gradient", () => {
    const w = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const loss = (x: Tensor) => w.detach().mul(x).add(w.mul(x).mul(w.detach())).sum();
    const x = f64([3, 5]);
    jit(loss)(x).backward();
    expect(values(w.grad!)).toEqual([3, 10]);
    w.grad = null;
    expect(values(grad(jit(loss))(x))).toEqual([2, 6]);
  });

  it("a parameter written under noGrad is still differentiated into when read afterwards", () => {
    const mk = () => tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const run = (compiled: boolean) => {
      const w = mk();
      const f = (x: Tensor) => {
        noGrad(() => w.mul_(2));
        return w.mul(x).sum();
      };
      const g = compiled ? jit(f) : f;
      const l = g(f64([3, 5]));
      l.backward();
      return { l: values(l), w: values(w), g: values(w.grad!) };
    };
    expect(run(true)).toEqual(run(false));
    expect(run(true)).toEqual({ l: [26], w: [2, 4], g: [3, 5] });
  });

  it("a parameter frozen when the step was traced and unfrozen later gets its gradient (the step retraces)", () => {
    const run = (compiled: boolean) => {
      const a = tensor([1, 2], { dtype: "float64", requiresGrad: true, name: "a" });
      const b = tensor([3, 4], { dtype: "float64", requiresGrad: true, name: "b" });
      const opt = optim.sgd([a, b], { lr: 0.1 });
      const step = (x: Tensor) => {
        const l = a.mul(b).mul(x).sum();
        opt.zeroGrad();
        l.backward();
        opt.step();
        return l;
      };
      const f = compiled ? jit(step) : step;
      const seen: (number[] | null)[] = [];
      b.requiresGrad_(false);
      f(f64([1, 1]));
      seen.push(values(a), values(b), b.grad && values(b.grad));
      b.requiresGrad_(true);
      const events = graphEvents(() => f(f64([1, 1])));
      seen.push(values(a), values(b), b.grad && values(b.grad));
      return { seen, reasons: events.map((e) => e.reason) };
    };
    const eager = run(false),
      graph = run(true);
    graph.seen.forEach((v, i) => (v === null ? expect(eager.seen[i]).toBeNull() : expectAllClose(v, eager.seen[i]!, 1e-12)));
    expectAllClose(graph.seen[4]!, [2.93, 3.84], 1e-12); // was [3, 4]: b was not updated
    expectAllClose(graph.seen[5]!, [0.7, 1.6], 1e-12); // was null
    expect(graph.reasons).toEqual(["b.requiresGrad was false when traced and is true now"]);
  });

  it("uses of a captured tensor before the function turns its requiresGrad on take no gradient", () => {
    const w = tensor([1, 2], { dtype: "float64", requiresGrad: true, name: "w" });
    const f = (x: Tensor) => {
      w.requiresGrad_(false);
      const y = w.mul(x);
      w.requiresGrad_(true);
      return y.add(w.mul(x)).sum();
    };
    const x = f64([3, 5]);
    f(x).backward();
    expect(values(w.grad!)).toEqual([3, 5]);
    w.grad = null;
    const jf = jit(f);
    for (let i = 0; i < 2; i++) {
      jf(x).backward();
      expect(values(w.grad!)).toEqual([3, 5]); // was [6, 10]
      w.grad = null;
    }
    expect(jf.traceCount).toBe(1);
    expect(jf.lower(x).text()).toMatch(/= stopGradient %1\n/);
  });

  it("a jitted function that updates a counter under noGrad passes gradients through (was dropped)", () => {
    const counter = f64([0]);
    const f = (x: Tensor) => {
      noGrad(() => counter.add_(1));
      return x.mul(2);
    };
    const x = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    jit(f)(x).add(x).sum().backward();
    expect(values(x.grad!)).toEqual([3, 3]);
    expect(values(counter)).toEqual([1]);
  });
});

describe("training steps (backward inside the jitted function)", () => {
  it("detach and noGrad in the forward, backward and opt.step inside jit: matches eager over three steps", () => {
    const run = (compiled: boolean) => {
      const w = tensor([0.5, -1, 2], { dtype: "float64", requiresGrad: true, name: "w" });
      const opt = optim.sgd([w], { lr: 0.1 });
      const x = f64([1, 2, 3]);
      const step = (x: Tensor) => {
        const scale = noGrad(() => w.abs().mean());
        const loss = w.mul(x).detach().mul(w).add(w.square().mul(scale)).sum();
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return loss;
      };
      const f = compiled ? jit(step) : step;
      const losses = [0, 1, 2].map(() => f(x).itemSync());
      return { losses, w: values(w), g: values(w.grad!) };
    };
    const eager = run(false),
      graph = run(true);
    expectAllClose(graph.losses, eager.losses, 1e-12);
    expectAllClose(graph.w, eager.w, 1e-12);
    expectAllClose(graph.g, eager.g, 1e-12);
  });

  it("a training step's graph runs under noGrad, so its stops go; under jvp the stops come back", () => {
    const w = tensor([0.5, -1], { dtype: "float64", requiresGrad: true });
    const step = jit((x: Tensor) => {
      w.grad = null;
      const loss = w.mul(x).detach().mul(x).mul(w).sum();
      loss.backward();
      return w.grad!.mul(x).sum();
    });
    const l = step.lower(f64([1, 2]));
    expect(l.stages.find((s) => s.pass === "simplify")!.changes.some((c) => c.includes("training step run under noGrad"))).toBe(true);
    expect(someNode(l.optimized, (n) => n.op === "stopGradient")).toBe(false);
    // Eager: w.grad is detached, so the tangent of the result comes from x alone.
    const eager = (x: Tensor) => {
      w.grad = null;
      const loss = w.mul(x).detach().mul(x).mul(w).sum();
      loss.backward();
      return w.grad!.mul(x).sum();
    };
    const x = f64([1, 2]),
      t = f64([1, 0]);
    const [ye, te] = jvp(eager, [x], [t]);
    const [yj, tj] = jvp(step, [x], [t]);
    expectAllClose(yj, ye, 1e-12);
    expectAllClose(tj, te, 1e-12);
  });
});
