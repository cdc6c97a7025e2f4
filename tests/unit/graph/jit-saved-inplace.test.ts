/**
 * Graph mode ≡ eager when a tensor saved for backward is changed in place afterwards (issue #12,
 * fuzz family (a)): eager refuses a backward that reaches the op that saved it; jit runs the
 * functionalized program, where the write made a new value, and must refuse the same backwards —
 * and only those — through grad(jit), jit(grad) and backward() on jit's result, for primitives and
 * for cond/whileLoop/scan. Also the memory a result shares (a copy the passes may not remove, a
 * control-flow result that would be its operand).
 */
import { describe, expect, it } from "vitest";
import { cond, grad, jit, noGrad, scan, tensor, whileLoop, type Tensor } from "webgrad";

type Loss = (x: Tensor) => Tensor;
type Outcome = { threw: string } | { grad: number[] };

const IN_PLACE_REFUSAL = /saved for backward.*changed in place afterwards/;

async function outcome(run: () => Tensor): Promise<Outcome> {
  try {
    return { grad: Array.from(await run().data()) };
  } catch (e) {
    return { threw: String(e instanceof Error ? e.message : e) };
  }
}

/** ∂loss/∂x in every route: eager grad, grad(jit), jit(grad) and backward() on jit's result. */
async function routes(loss: Loss, x: () => Tensor): Promise<Record<string, Outcome>> {
  const viaBackward = (f: Loss) => () => {
    const a = x().requiresGrad_();
    f(a).backward();
    return a.grad!;
  };
  return {
    grad: await outcome(() => grad(loss)(x())),
    "grad(jit)": await outcome(() => grad(jit(loss))(x())),
    "jit(grad)": await outcome(() => jit(grad(loss))(x())),
    backward: await outcome(viaBackward(loss)),
    "backward(jit)": await outcome(viaBackward(jit(loss))),
  };
}

/** Every route agrees with eager: all refuse with eager's in-place message, or all give eager's gradient. */
async function expectLikeEager(loss: Loss, x: () => Tensor, eagerRefuses: boolean): Promise<void> {
  const r = await routes(loss, x);
  const ref = r.grad;
  if (eagerRefuses) expect("threw" in ref && ref.threw).toMatch(IN_PLACE_REFUSAL);
  else expect(ref).toHaveProperty("grad");
  for (const [route, o] of Object.entries(r)) {
    if ("threw" in ref) expect({ route, o }).toEqual({ route, o: { threw: expect.stringMatching(IN_PLACE_REFUSAL) } });
    else {
      expect({ route, o: "grad" in o ? "grad" : o }).toEqual({ route, o: "grad" });
      if ("grad" in o) o.grad.forEach((g, i) => expect(g).toBeCloseTo((ref as { grad: number[] }).grad[i], 5));
    }
  }
}

const x3 = () => tensor([0.5, -1, 2]);

describe("primitives: a saved tensor changed in place afterwards", () => {
  it("an intermediate saved by matmul, then written under noGrad: refused in every route", async () => {
    const w = tensor([[1], [2], [3]]);
    await expectLikeEager(
      (x) => {
        const h = x.square().reshape([1, 3]);
        const y = h.matmul(w);
        noGrad(() => h.add_(1));
        return y.sum();
      },
      x3,
      true,
    );
  });

  it("an argument saved by max after an earlier write, then written again: refused", async () => {
    await expectLikeEager(
      (x) => {
        noGrad(() => x.mul_(2));
        const m = x.max(0, false);
        noGrad(() => x.mul_(m));
        return m.sum();
      },
      x3,
      true,
    );
  });

  it("an output saved by exp (its rule reads the output), then written: refused", async () => {
    await expectLikeEager(
      (x) => {
        const e = x.exp();
        const s = e.sum();
        noGrad(() => e.zero_());
        return s;
      },
      x3,
      true,
    );
  });

  it("a matmul whose saved input is then written, its product transposed (simplify would rewrite it): refused in every route (fuzz seed 69519)", async () => {
    const c = tensor([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    await expectLikeEager(
      (x) => {
        const v = c.slice([1, 2, 1]);
        noGrad(() => v.add_(1));
        const y = v.matmul(x.reshape([4, 1]));
        noGrad(() => v.fill_(0));
        return y.transpose(1, 0).sum();
      },
      () => tensor([0.5, -1, 2, 1]),
      true,
    );
  });
  it("a saved tensor written when the backward never reaches the op that saved it: not refused", async () => {
    await expectLikeEager(
      (x) => {
        const h = x.mul(2);
        h.mul(h); // saved h, but nothing of it reaches the loss
        noGrad(() => h.fill_(3));
        return x.sin().sum();
      },
      x3,
      false,
    );
  });

  it("an input an op does not save (add), written afterwards: not refused, same gradient", async () => {
    await expectLikeEager(
      (x) => {
        const h = x.mul(1.5);
        const y = h.add(x.cos());
        noGrad(() => h.fill_(-2));
        return y.sum();
      },
      x3,
      false,
    );
  });
});

describe("control flow: what a region saves", () => {
  const branchSaves = (x: Tensor) => {
    const v = x.mul(1);
    const y = cond(
      v.sum().gt(0),
      (t: Tensor) => t.abs().add(0.5).sqrt(),
      (t: Tensor) => t.add(0.5),
      v,
    );
    noGrad(() => v.add_(-1));
    return y.sum();
  };
  it("cond: the branch taken saved the operand: refused", async () => {
    await expectLikeEager(branchSaves, () => tensor([1, 2]), true);
  });
  it("cond: only the branch not taken saves it: not refused, same gradient", async () => {
    await expectLikeEager(branchSaves, () => tensor([-1, -2]), false);
  });
  it("cond: a result its branch saved (tanh reads its output), then written: refused", async () => {
    await expectLikeEager(
      (x) => {
        const y = cond(
          x.sum().gt(0),
          (t: Tensor) => t.sigmoid(),
          (t: Tensor) => t.tanh(),
          x.mul(1),
        );
        const s = y.sum();
        noGrad(() => y.add_(1));
        return s;
      },
      () => tensor([-1, -2]),
      true,
    );
  });
  it("cond: a result that views what its branch saved (softmax's output, squeezed), then written: refused (fuzz seeds 2897, 5230)", async () => {
    for (const op of ["softmax", "logSoftmax"] as const)
      await expectLikeEager(
        (x) => {
          const y = cond(
            x.sum().gt(0),
            (t: Tensor) => t.unsqueeze(-1)[op](-1).squeeze(-1),
            (t: Tensor) => t.clamp(-1, 1),
            x.mul(1),
          );
          noGrad(() => y.add_(1));
          return y.sum();
        },
        () => tensor([1, 2]),
        true,
      );
  });
  it("whileLoop: its body saved the carry it started from, then written: refused, whether its predicate saves the carry too (abs) or not (sum)", async () => {
    for (const predicate of [(c: Tensor) => c.abs().sum().lt(100), (c: Tensor) => c.sum().lt(100)])
      await expectLikeEager(
        (x) => {
          const v = x.mul(1);
          const y = whileLoop(predicate, (c: Tensor) => c.mul(c), v, { maxIterations: 1 });
          noGrad(() => v.mul_(-1));
          return y.sum();
        },
        x3,
        true,
      );
  });
  it("whileLoop that runs no step: what its body would save was never saved, so writing the carry after refuses nothing (fuzz seeds 6227, 12869, …)", async () => {
    // c · 1.5 saves c; with |x| summing to 3.5 ≥ 3 the loop runs no step, eagerly and compiled.
    const loss = (x: Tensor) => {
      const v = x.mul(1);
      const y = whileLoop(
        (c: Tensor) => c.abs().sum().lt(3),
        (c: Tensor) => c.mul(c).add(0.25),
        v,
        { maxIterations: 2 },
      );
      noGrad(() => v.fill_(1.5));
      return y.sum();
    };
    await expectLikeEager(loss, x3, false);
    // The same compiled backward refuses once the loop runs a step, as eager does.
    const jg = jit(grad(loss));
    for (const [xs, refuses] of [
      [[0.5, -1, 2], false],
      [[0.5, -1, 1], true],
      [[2, 2, 2], false],
    ] as const) {
      const o = await outcome(() => jg(tensor([...xs])));
      expect(await outcome(() => grad(loss)(tensor([...xs])))).toEqual(
        refuses ? { threw: expect.stringMatching(IN_PLACE_REFUSAL) } : { grad: expect.any(Array) },
      );
      if (refuses) expect(o).toEqual({ threw: expect.stringMatching(IN_PLACE_REFUSAL) });
      else expect(o).toHaveProperty("grad");
    }
  });
  it("scan: an xs its body reads but does not save, written after: the same gradient (the backward reads it as it was)", async () => {
    await expectLikeEager(
      (x) => {
        const body = (c: Tensor, xi: Tensor): [Tensor, Tensor] => {
          const nc = c.mul(0.5).add(xi.tanh());
          return [nc, nc.sin()];
        };
        const [c1, y1] = scan(body, x.sum(0).mul(0.1), x);
        const v1 = y1.add(c1);
        const [c2, y2] = scan(body, v1.sum(0).mul(0.1), v1);
        noGrad(() => v1.zero_());
        return y2.add(c2).sum();
      },
      () => tensor([1, -0.5]),
      false,
    );
  });
});

describe("control flow: a backward that reaches the saving op only through one branch (fuzz family (g))", () => {
  // v is saved by exp (it reads its output) before the write; only the second cond's then-branch
  // uses v, so eager reaches exp's backward only when that branch runs. jit(grad) builds one
  // backward for both branches: its refusal must be decided when the graph runs, not at trace time.
  const reachedThroughThen = (x: Tensor) => {
    const v = cond(
      x.sum().gt(0),
      (t: Tensor) => t.exp(),
      (t: Tensor) => t.mul(2),
      x,
    );
    noGrad(() => v.mul_(3));
    const y = cond(
      x.sum().gt(1),
      (t: Tensor) => t.sin().add(v),
      (t: Tensor) => t.relu(),
      x,
    );
    return y.sum();
  };
  it("the branch that runs uses the saved value: refused in every route", async () => {
    await expectLikeEager(reachedThroughThen, () => tensor([1, 2]), true);
  });
  it("the branch that runs does not use it: not refused, same gradient", async () => {
    await expectLikeEager(reachedThroughThen, () => tensor([0.25, 0.5]), false);
  });
  it("the same compiled backward refuses or not per call, as eager does", async () => {
    const jg = jit(grad(reachedThroughThen));
    for (const [xs, refuses] of [
      [[0.25, 0.5], false],
      [[1, 2], true],
      [[0.5, 0.25], false],
    ] as const) {
      const o = await outcome(() => jg(tensor([...xs])));
      if (refuses) expect(o).toEqual({ threw: expect.stringMatching(IN_PLACE_REFUSAL) });
      else expect(o).toHaveProperty("grad");
    }
  });
  // Whether max is taped at all depends on the branch: only the then-branch makes the cond's result
  // carry a gradient (it adds x); the else-branch computes it from a constant.
  const tapedThroughThen = (c: Tensor) => (x: Tensor) => {
    const v = cond(
      c.sum().gt(0),
      (t: Tensor) => t.sigmoid().add(x),
      (t: Tensor) => t.neg(),
      c,
    );
    const m = v.max(0, true);
    noGrad(() => m.zero_());
    return m.sum();
  };
  it("an op eager tapes only after one branch (its output saved, then written): refused when that branch runs", async () => {
    const loss = tapedThroughThen(tensor([1, 2]));
    for (const run of [grad(loss), grad(jit(loss)), jit(grad(loss))])
      expect(await outcome(() => run(tensor([0.5, 1])))).toEqual({ threw: expect.stringMatching(IN_PLACE_REFUSAL) });
  });
  it("the same op after the branch that leaves it untaped: not refused, the same (zero) gradient", async () => {
    // (Eager's backward() refuses here: its loss carries no gradient at all; jit's result always does.)
    const loss = tapedThroughThen(tensor([-1, -2]));
    for (const run of [grad(loss), grad(jit(loss)), jit(grad(loss))]) expect(await outcome(() => run(tensor([0.5, 1])))).toEqual({ grad: [0, 0] });
  });
  it("a refusal inside a branch is gated by whether the backward reaches the cond at all", async () => {
    // The first cond's then-branch saved x (neg does not need it, sqrt does); x is then written.
    const f = (x0: Tensor) => {
      const x = x0.mul(1);
      const v = cond(
        x.sum().gt(0),
        (t: Tensor) => t.sqrt(),
        (t: Tensor) => t.mul(2),
        x,
      );
      noGrad(() => x.fill_(-2));
      const y = cond(
        x.sum().gt(0),
        (t: Tensor) => t.add(v),
        (t: Tensor) => t.relu(),
        x,
      );
      return y.sum();
    };
    await expectLikeEager(f, () => tensor([1, 4]), false);
  });
});

describe("an in-place write with grad on, to a cond result that requires grad only after one branch (fuzz seeds 8672, 14342, …)", () => {
  const NOT_ON_TAPE = /in-place ops are not recorded on the tape/;
  // The then-branch adds x, so the result requires grad; the else-branch computes it from c alone.
  const writesResult = (c: Tensor, keep: boolean) => (x: Tensor) => {
    const v = cond(
      c.sum().gt(0),
      (t: Tensor) => t.cos().add(x),
      (t: Tensor) => t.square(),
      c,
    );
    v.add_(1);
    // keep = false: nothing reads v afterwards, so the graph's refusal must run on its own.
    return keep ? v.sum().add(x.sum()) : x.sum();
  };
  for (const keep of [true, false]) {
    it(`refused in every route when the branch that needs grad runs, and not when the other does (${keep ? "the result read afterwards" : "nothing reads the result"})`, async () => {
      for (const [c, refuses] of [
        [[1, 2, 3], true],
        [[-1, -2, -3], false],
      ] as const) {
        const r = await routes(writesResult(tensor([...c]), keep), x3);
        for (const [route, o] of Object.entries(r)) {
          if (refuses) expect({ route, o }).toEqual({ route, o: { threw: expect.stringMatching(NOT_ON_TAPE) } });
          else expect({ route, o }).toEqual({ route, o: { grad: [1, 1, 1] } });
        }
      }
    });
  }
  it("the same compiled function refuses or not per call, and runs the write either way without grad", async () => {
    const c = tensor([-1, -2, -3]);
    const jg = jit(grad(writesResult(c, true)));
    expect(await outcome(() => jg(x3()))).toEqual({ grad: [1, 1, 1] });
    noGrad(() => c.mul_(-1));
    expect(await outcome(() => jg(x3()))).toEqual({ threw: expect.stringMatching(NOT_ON_TAPE) });
    // The check is a graph output the IR shows (its refusal plain data: the Graph panel's JSON).
    const lowered = jg.lower(x3());
    expect(lowered.text("optimized")).toMatch(/check0 ← /);
    expect(JSON.stringify(lowered.json("optimized"))).toContain('"kind":"check"');
    const f = jit(writesResult(c, true));
    expect(await noGrad(() => f(x3())).item()).toBeCloseTo(Math.cos(1) + Math.cos(2) + Math.cos(3) + 1.5 + 3 + 1.5, 5);
  });
});

describe("memory a result shares", () => {
  it("a copy of a captured tensor the call then writes keeps the old values (simplify keeps the copy)", () => {
    for (const compiled of [false, true]) {
      const c = tensor([1, 2]);
      const f = (s: number) => {
        const before = c.clone();
        c.add_(s);
        return before;
      };
      const g = compiled ? jit(f) : f;
      expect(g(-1).tolistSync()).toEqual([1, 2]);
      expect(g(-1).tolistSync()).toEqual([0, 1]);
      expect(c.tolistSync()).toEqual([-1, 0]);
    }
  });

  it("x + 0 on a view of an argument the call writes is still its own memory (gradients too)", async () => {
    await expectLikeEager(
      (x) => {
        const v = x.reshape([3, 1]);
        const y = v.add(0);
        noGrad(() => v.fill_(-2));
        return y.abs().sum();
      },
      x3,
      false,
    );
  });

  it("whileLoop that runs no step, cond that returns its operand: the result is a new tensor in both modes", () => {
    for (const compiled of [false, true]) {
      const c = tensor([1, 1]);
      const loop = (s: number) => {
        const y = whileLoop(
          (t: Tensor) => t.sum().lt(0),
          (t: Tensor) => t.add(1),
          c,
          { maxIterations: 3 },
        );
        y.add_(s);
        return y;
      };
      const pick = (s: number) => {
        const y = cond(
          c.sum().gt(0),
          (t: Tensor) => t,
          (t: Tensor) => t.neg(),
          c,
        );
        y.add_(s);
        return y;
      };
      expect((compiled ? jit(loop) : loop)(5).tolistSync()).toEqual([6, 6]);
      expect((compiled ? jit(pick) : pick)(5).tolistSync()).toEqual([6, 6]);
      expect(c.tolistSync()).toEqual([1, 1]);
    }
  });
});
