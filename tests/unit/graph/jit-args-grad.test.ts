/**
 * Three "jit differs from eager" families (issue #12: graph mode never silently differs from eager):
 * 1. argument tracers mirror the argument's requiresGrad (and leaf-ness), and the arguments'
 *    `.grad` is read and written like a captured tensor's;
 * 2. a `.grad` read inside a jitted step is one tensor whose in-place writes reach the grad slot;
 * 3. in-place ops on a tensor that requires grad (outside noGrad) throw eager's error.
 * Every program runs eagerly and under jit; values, `.grad` and errors (the same message) agree.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, nn, noGrad, optim, tensor, vjp, type Tensor } from "webgrad";
import { expectAllClose, f64, graphEvents, values } from "./helpers";

/** What a run left: its values, or the error it threw (class and message). */
type Outcome<T> = { ok: T } | { error: string };

function outcome<T>(run: () => T): Outcome<T> {
  try {
    return { ok: run() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** Run `program` eagerly and compiled (`compiled` wraps a function in jit), and expect the same outcome. */
function sameBothWays<T>(program: (compiled: <F extends (...a: any[]) => unknown>(f: F) => F) => T): Outcome<T> {
  const eager = outcome(() => program((f) => f));
  const graph = outcome(() => program((f) => jit(f) as unknown as typeof f));
  expect(graph).toEqual(eager);
  return eager;
}

/** A float64 leaf that requires grad. */
const param = (a: number[], name?: string): Tensor => tensor(a, { dtype: "float64", requiresGrad: true, ...(name ? { name } : {}) });
const gradOf = (t: Tensor): number[] | null => (t.grad === null ? null : values(t.grad));

describe("1. argument tracers see the argument's requiresGrad", () => {
  it("x.requiresGrad ? 2x : 3x takes eager's branch for each requiresGrad (was the false branch always)", () => {
    for (const rg of [true, false]) {
      const out = sameBothWays((c) => {
        const f = c((x: Tensor) => (x.requiresGrad ? x.mul(2) : x.mul(3)));
        return [values(f(tensor([1, 2], { dtype: "float64", requiresGrad: rg }))), values(f(tensor([1, 2], { dtype: "float64", requiresGrad: rg })))];
      });
      expect(out).toEqual({
        ok: rg
          ? [
              [2, 4],
              [2, 4],
            ]
          : [
              [3, 6],
              [3, 6],
            ],
      });
    }
    // Inside the trace the tracer reads the argument's flag; a flip retraces (the key has it).
    const f = jit((x: Tensor) => (x.requiresGrad ? x.mul(2) : x.mul(3)));
    expect(values(f(param([1])))).toEqual([2]);
    expect(values(f(f64([1])))).toEqual([3]);
    expect(f.traceCount).toBe(2);
  });

  it("backward inside on a loss of the argument writes x.grad, and accumulates over calls (was: threw 'does not require grad')", () => {
    const out = sameBothWays((c) => {
      const x = param([1, 2]);
      const f = c((x: Tensor) => {
        const l = x.mul(x).sum();
        l.backward();
        return l;
      });
      const seen = [0, 1, 2].map(() => [values(f(x)), gradOf(x)]);
      return seen;
    });
    expect(out).toEqual({
      ok: [
        [[5], [2, 4]],
        [[5], [4, 8]],
        [[5], [6, 12]],
      ],
    });
  });

  it("x.grad read, cleared and rewritten inside the function reaches the caller's x", () => {
    const step = (x: Tensor, w: Tensor) => {
      x.grad = null;
      const l = x.mul(w).square().sum();
      l.backward();
      const g = x.grad!;
      w.grad = null;
      return g.mul(2);
    };
    const out = sameBothWays((c) => {
      const f = c(step);
      const x = param([1, -2]),
        w = param([3, 0.5]);
      x.grad = f64([100, 100]); // cleared inside
      const r = [0, 1].map(() => [values(f(x, w)), gradOf(x), gradOf(w)]);
      return r;
    });
    expect(out).toEqual({
      ok: [
        [[36, -2], [18, -1], null],
        [[36, -2], [18, -1], null],
      ],
    });
    // The argument's .grad being set or not is guarded like a captured tensor's.
    const f = jit((x: Tensor) => {
      x.square().sum().backward();
      return x.mul(1);
    });
    const x = param([1, 2]);
    const events = graphEvents(() => [0, 1, 2].forEach(() => f(x)));
    expect(values(x.grad!)).toEqual([6, 12]);
    expect(events.map((e) => e.reason)).toEqual([undefined, "arg0.grad was null when traced and is set now"]);
  });

  it("a training step with an argument that requires grad: parameters and the argument's .grad match eager over three steps", () => {
    const out = sameBothWays((c) => {
      const w = param([0.5, -1], "w"),
        b = param([0.25], "b");
      const x = param([1, 2]);
      const opt = optim.sgd([w, b], { lr: 0.1, momentum: 0.9 });
      const step = c((x: Tensor, y: Tensor) => {
        const loss = w.mul(x).sum().add(b).sub(y).square().sum();
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return loss;
      });
      return [0, 1, 2].map(() => [values(step(x, f64([3]))), values(w), values(b), gradOf(x)]).flat();
    });
    if (!("ok" in out)) throw new Error(out.error);
    // The argument's gradient accumulates (nothing zeroes it), as eagerly.
    expectAllClose(out.ok[3]!, [2 * (0.5 - 2 + 0.25 - 3) * 0.5, 2 * (0.5 - 2 + 0.25 - 3) * -1], 1e-12);
  });

  it("a step that adds the argument's own gradient to itself under noGrad (a value it owns, not the argument)", () => {
    sameBothWays((c) => {
      const w = param([1, -1], "w");
      const f = c((x: Tensor) => {
        const l = x.mul(w).sin().sum();
        l.backward();
        return noGrad(() => x.add(x.grad!.mul(0.1)));
      });
      const x = param([0.3, 0.7]);
      return [values(f(x)), gradOf(x), gradOf(w), values(f(x)), gradOf(x), gradOf(w)];
    });
  });

  it("grad(jit(f)) and jit(grad(f)) for arguments with and without requiresGrad, and differentiating jit(grad(f)) again", () => {
    const f = (x: Tensor) => x.sin().mul(x).sum();
    for (const rg of [false, true]) {
      const mk = () => tensor([0.3, -1.2], { dtype: "float64", requiresGrad: rg });
      const eager = values(grad(f)(mk()));
      expectAllClose(grad(jit(f))(mk()), eager, 1e-12);
      expectAllClose(jit(grad(f))(mk()), eager, 1e-12);
      expectAllClose(jit(grad(jit(f)))(mk()), eager, 1e-12);
    }
    // jit(grad(f)) on an argument that requires grad keeps its result on the tape, as eager's grad does.
    const second = (g: (x: Tensor) => Tensor) => {
      const x = param([0.3, -1.2]);
      g(x).sum().backward();
      return values(x.grad!);
    };
    expectAllClose(second(jit(grad(f))), second(grad(f)), 1e-12);
    const x = f64([0.3, -1.2]);
    expectAllClose(grad(jit((x: Tensor) => grad(f)(x).sum()))(x), grad((x: Tensor) => grad(f)(x).sum())(x), 1e-12);
  });

  it("jit(f)(x).backward() from outside, and vjp through jit, still reach the argument", () => {
    const f = (x: Tensor, y: Tensor) => x.mul(y).exp().sum();
    const out = sameBothWays((c) => {
      const x = param([0.1, 0.2]),
        y = f64([1, 2]);
      const g = c(f);
      g(x, y).backward();
      g(x, y).backward();
      return gradOf(x);
    });
    if (!("ok" in out)) throw new Error(out.error);
    expectAllClose(out.ok!, [2 * Math.exp(0.1), 4 * Math.exp(0.4)], 1e-12);
    const x = f64([0.1, 0.2]),
      y = f64([1, 2]);
    expectAllClose(vjp(jit(f), x, y)[1](f64(1))[0], vjp(f, x, y)[1](f64(1))[0], 1e-12);
  });

  it("one tensor passed as two arguments (or passed and captured) whose .grad the step writes: refused, not two half gradients", () => {
    const f = (a: Tensor, b: Tensor) => {
      const l = a.mul(b).sum();
      l.backward();
      return l;
    };
    const x = param([1, 2]);
    f(x, x);
    expect(values(x.grad!)).toEqual([2, 4]);
    x.grad = null;
    expect(() => jit(f)(x, x)).toThrow("was passed the same tensor (shape [2]) as arg0 and arg1, and it reads or writes that argument's .grad");
    // Passed and read from the closure: refused too.
    const w = param([1, 2], "w");
    expect(() => jit((a: Tensor) => f(a, w))(w)).toThrow("was passed w (shape [2]) as arg0 and also reads it from its closure");
    f(w, w);
    expect(values(w.grad!)).toEqual([2, 4]);
    // Forward only (no .grad inside): one tensor twice is fine, the tape outside adds both.
    jit((a: Tensor, b: Tensor) => a.mul(b).sum())(x, x).backward();
    expect(values(x.grad!)).toEqual([2, 4]);
  });

  it("a gradient hook on the argument runs in the backward inside, and a jit inside a jit passes the argument's .grad through", () => {
    sameBothWays((c) => {
      const x = param([1, 2]);
      x.registerHook((g) => g.mul(10));
      const f = c((x: Tensor) => {
        x.square().sum().backward();
        return x.mul(1);
      });
      f(x);
      return gradOf(x);
    });
    const out = sameBothWays((c) => {
      const x = param([1, 2]);
      const inner = c((x: Tensor) => {
        x.square().sum().backward();
        return x.mul(1);
      });
      const outer = c((x: Tensor) => inner(x).add(x.grad!));
      return [values(outer(x)), gradOf(x), values(outer(x)), gradOf(x)];
    });
    expect(out).toEqual({
      ok: [
        [3, 6],
        [2, 4],
        [5, 10],
        [4, 8],
      ],
    });
  });

  it("requiresGrad_ on an argument inside the function stays on the caller's tensor", () => {
    sameBothWays((c) => {
      const x = f64([1, 2]);
      const f = c((x: Tensor) => {
        x.requiresGrad_();
        const l = x.square().sum();
        l.backward();
        return l;
      });
      const first = [values(f(x)), x.requiresGrad, gradOf(x)];
      return [...first, values(f(x)), x.requiresGrad, gradOf(x)];
    });
  });

  it("requiresGrad turned on or off on an argument inside: only the uses made while it required grad are differentiated", () => {
    const on = (x: Tensor) => {
      const before = x.mul(3);
      x.requiresGrad_();
      return before.add(x.square()).sum();
    };
    const off = (x: Tensor) => {
      const before = x.square();
      x.requiresGrad_(false);
      return before.add(x.mul(3)).sum();
    };
    for (const [f, rg] of [
      [on, false],
      [off, true],
    ] as const) {
      const out = sameBothWays((c) => {
        const g = c(f);
        const x = tensor([1, 2], { dtype: "float64", requiresGrad: rg });
        const l = g(x);
        const flag = x.requiresGrad;
        l.backward();
        return [values(l), flag, gradOf(x)];
      });
      expect(out).toEqual({ ok: [[14], !rg, [2, 4]] });
    }
    // Turning it off on a non-leaf argument is refused both ways.
    const out = sameBothWays((c) => c((x: Tensor) => x.requiresGrad_(false).mul(1))(param([1]).mul(2)));
    expect(out).toEqual({ error: "AutogradError: requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor: use detach()" });
  });

  it("a non-leaf argument: eager's backward reaches its leaves through the caller's tape, jit refuses instead of dropping it", () => {
    const f = (x: Tensor) => {
      x.square().sum().backward();
      return x.mul(1);
    };
    const w = param([1, 2]);
    f(w.mul(3));
    expect(values(w.grad!)).toEqual([18, 36]);
    w.grad = null;
    expect(() => jit(f)(w.mul(3))).toThrow(/reaches the jit function's argument arg0 \(shape \[2\]\), which is not a leaf/);
    expect(w.grad).toBeNull();
    // A leaf passed first, then a non-leaf: the trace is redone (leaf-ness is guarded).
    const g = jit((x: Tensor) => (x.isLeaf ? x.mul(2) : x.mul(3)));
    const events = graphEvents(() => {
      expect(values(g(param([1])))).toEqual([2]);
      expect(values(g(param([1]).mul(1)))).toEqual([3]);
    });
    expect(events.map((e) => e.reason)).toEqual([undefined, "arg0 was a leaf when traced and is computed from tensors that require grad now"]);
  });
});

describe("2. in-place writes to .grad inside a jitted step reach the grad slot", () => {
  it("the issue's example: noGrad(w.grad.mul_(0.5)) then w.sub_(w.grad) gives w = [0, 0], grad [1, 2] (was [-1, -2], [2, 4])", () => {
    const variants: ((w: Tensor) => void)[] = [
      (w) => {
        noGrad(() => w.grad!.mul_(0.5));
        noGrad(() => w.sub_(w.grad!));
      },
      (w) =>
        noGrad(() => {
          w.grad!.mul_(0.5);
          w.sub_(w.grad!);
        }),
    ];
    for (const update of variants) {
      const out = sameBothWays((c) => {
        const w = param([1, 2], "w");
        const step = c((x: Tensor) => {
          w.grad = null;
          w.mul(x).sum().backward();
          update(w);
          return w.mul(1);
        });
        return [values(step(f64([2, 4]))), values(w), gradOf(w)];
      });
      expect(out).toEqual({
        ok: [
          [0, 0],
          [0, 0],
          [1, 2],
        ],
      });
    }
  });

  /** Three steps of `update` after a backward, eagerly and compiled: parameters, grads and losses agree. */
  function threeSteps(
    update: (ps: Tensor[], opt: optim.Optimizer<object>) => void,
    makeOpt: (ps: Tensor[]) => optim.Optimizer<object> = (ps) => optim.sgd(ps, { lr: 0.1, momentum: 0.9 }),
  ) {
    return sameBothWays((c) => {
      const w = param([0.5, -1.5, 2], "w"),
        b = param([0.3], "b");
      const opt = makeOpt([w, b]);
      const step = c((x: Tensor, y: Tensor) => {
        const loss = w.mul(x).sum().add(b).sub(y).square().sum();
        loss.backward();
        update([w, b], opt);
        return loss;
      });
      const x = f64([1, 2, 3]),
        y = f64([4]);
      return [0, 1, 2].map(() => [values(step(x, y)), values(w), values(b), gradOf(w), gradOf(b)]);
    });
  }

  it("gradient clipping by norm in place (p.grad.mul_(coef)) before opt.step", () => {
    const out = threeSteps((ps, opt) => {
      noGrad(() => {
        const norm = ps
          .map((p) => p.grad!.square().sum())
          .reduce((a, b) => a.add(b))
          .sqrt();
        const coef = norm.add(1e-6).reciprocal().mul(1.0).clamp(undefined, 1);
        for (const p of ps) p.grad!.mul_(coef);
      });
      opt.step();
      opt.zeroGrad();
    });
    expect("ok" in out).toBe(true);
  });

  it("optim.clipGradNorm in a jitted step, with Adam", () => {
    const out = threeSteps(
      (ps, opt) => {
        optim.clipGradNorm(ps, 0.5);
        opt.step();
        opt.zeroGrad();
      },
      (ps) => optim.adam(ps, { lr: 0.05 }),
    );
    expect("ok" in out).toBe(true);
  });

  it("zeroing gradients in place (p.grad.zero_()) instead of setting them to null", () => {
    const out = threeSteps((ps, opt) => {
      opt.step();
      noGrad(() => ps.forEach((p) => p.grad!.zero_()));
    });
    if (!("ok" in out)) throw new Error(out.error);
    // The grad slot stays set (zeroed), so the next backward accumulates into zeros.
    expect(out.ok[2]![3]).toEqual([0, 0, 0]);
  });

  it("a .grad read once and written through a view, and an old read kept across backward", () => {
    sameBothWays((c) => {
      const w = param([1, 2, 3], "w");
      const f = c((x: Tensor) => {
        w.grad = null;
        w.mul(x).sum().backward();
        const g = w.grad!;
        g.slice([0, 2]).mul_(10); // .grad does not require grad: no noGrad needed
        w.mul(x).sum().backward(); // accumulates into a new tensor; g keeps its values
        return [g.mul(1), w.grad!.mul(1)];
      });
      const r = f(f64([1, 2, 3]));
      return [values(r[0]), values(r[1]), gradOf(w), values(f(f64([1, 1, 1]))[1]), gradOf(w)];
    });
  });

  it("an argument's .grad written in place inside the step reaches the caller's tensor", () => {
    const out = sameBothWays((c) => {
      const f = c((x: Tensor) => {
        x.grad = null;
        x.square().sum().backward();
        x.grad!.mul_(0.5);
        noGrad(() => x.sub_(x.grad!.mul(0.1)));
        return x.grad!.sum();
      });
      const x = param([1, 2]);
      return [values(f(x)), values(x), gradOf(x), values(f(x)), values(x), gradOf(x)];
    });
    if (!("ok" in out)) throw new Error(out.error);
    expectAllClose(out.ok[1]!, [0.9, 1.8], 1e-12);
  });
});

describe("3. in-place ops on a tensor that requires grad, outside noGrad, throw as eagerly", () => {
  const programs: { name: string; run: (f: <F extends (...a: any[]) => unknown>(f: F) => F) => unknown }[] = [
    {
      name: "an argument that requires grad (a leaf)",
      run: (c) => values(c((x: Tensor) => x.add_(1).sum())(param([1, 2]))),
    },
    {
      name: "an argument that requires grad (not a leaf)",
      run: (c) => values(c((x: Tensor) => x.mul_(2).sum())(param([1, 2]).mul(1))),
    },
    {
      name: "a value computed from an argument that requires grad",
      run: (c) => values(c((x: Tensor) => x.mul(2).fill_(0).sum())(param([1, -2]))),
    },
    {
      name: "a fresh buffer copied from an argument that requires grad",
      run: (c) =>
        values(
          c((x: Tensor) => {
            const buf = f64([0, 0]);
            buf.copy_(x);
            return buf.sum();
          })(param([1, 2])),
        ),
    },
    {
      name: "a captured parameter",
      run: (c) => {
        const w = param([1, 2]);
        return values(c((x: Tensor) => w.sub_(x).sum())(f64([1, 1])));
      },
    },
    {
      name: "an activation inside a module's forward",
      run: (c) => {
        const lin = new nn.Linear(2, 2, { dtype: "float64" });
        return values(c((x: Tensor) => lin.forward(x).tanh().mul_(2).sum())(f64([1, 2], [1, 2])));
      },
    },
  ];
  for (const p of programs) {
    it(`${p.name}: the same error both ways`, () => {
      const out = sameBothWays(p.run);
      expect("error" in out && out.error).toMatch(/^AutogradError: copy_: /);
    });
  }

  it("a write through a detached alias of an argument that requires grad is accepted both ways (was refused by jit at run time)", () => {
    const f = (x: Tensor) => {
      const v = x.detach();
      v.fill_(1.5);
      return v.sum();
    };
    const out = sameBothWays((c) => {
      const x = f64([1]);
      const g = grad(c(f))(x);
      const y = param([1, 2]);
      const l = c(f)(y);
      return [values(g), values(x), values(l), values(y)];
    });
    expect(out).toEqual({ ok: [[0], [1.5], [3], [1.5, 1.5]] });
  });

  it("the same writes inside noGrad are accepted both ways, with the same values", () => {
    const out = sameBothWays((c) => {
      const f = c((x: Tensor) => {
        const y = x.mul(2);
        noGrad(() => y.mul_(y.gt(0)));
        return y.mul(x).sum();
      });
      const x = param([1, -2]);
      const l = f(x);
      l.backward();
      return [values(l), gradOf(x)];
    });
    expect(out).toEqual({ ok: [[2], [4, -4]] }); // y keeps its tape (2x): d(y·x)/dx = relu(2x) + 2x
  });
});
