import { describe, expect, it } from "vitest";
import { jit, tensor, randn, manualSeed, setMode, noGrad, grad, Tensor } from "webgrad";

describe("jit", () => {
  it("traces once per signature and matches eager", () => {
    const f = jit((x: Tensor, y: Tensor) => x.mul(y).add(x.exp()).sum(-1));
    const x = tensor([[1, 2], [3, 4]]), y = tensor([[0.5, 0.25], [2, 1]]);
    const eager = x.mul(y).add(x.exp()).sum(-1).tolistSync();
    expect(f(x, y).tolistSync()).toEqual(eager);
    expect(f(x, y).tolistSync()).toEqual(eager);
    expect(f.traceCount).toBe(1);
    f(tensor([1, 2]), tensor([3, 4]));
    expect(f.traceCount).toBe(2);
    const text = f.lower(x, y).text();
    expect(text).toContain("= mul %0, %1");
    expect(text).toMatch(/= sum %\d+ \{axes=\[1\], keepdims=false\}/);
  });

  it("compiles an eager-style training step with backward and in-place updates", () => {
    manualSeed(0);
    const w = randn([3, 1], { requiresGrad: true, name: "w" });
    const x = randn([8, 3]);
    const y = x.matmul(tensor([[1], [-2], [0.5]]));
    const stepFn = (xb: Tensor, yb: Tensor) => {
      w.grad = null;
      const loss = xb.matmul(w).sub(yb).square().mean();
      loss.backward();
      noGrad(() => w.sub_(w.grad!.mul(0.1)));
      return loss;
    };
    const w0 = w.tolistSync();
    // eager reference on a copy
    const we = tensor(w0 as number[][], { requiresGrad: true });
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      we.grad = null;
      const l = x.matmul(we).sub(y).square().mean();
      l.backward();
      noGrad(() => we.sub_(we.grad!.mul(0.1)));
      losses.push(l.itemSync());
    }
    const step = jit(stepFn);
    const jl: number[] = [];
    for (let i = 0; i < 5; i++) jl.push(step(x, y).itemSync());
    expect(step.traceCount).toBe(1);
    jl.forEach((v, i) => expect(v).toBeCloseTo(losses[i], 5));
    (w.tolistSync() as number[][]).forEach((r, i) => expect(r[0]).toBeCloseTo((we.tolistSync() as number[][])[i][0], 5));
    expect(w.grad).not.toBeNull();
    const text = step.lower(x, y).text();
    expect(text).toContain("writes w ← ");
  });

  it("draws fresh random numbers on every run", () => {
    const f = jit(() => randn([4]));
    const a = f().tolistSync(), b = f().tolistSync();
    expect(a).not.toEqual(b);
  });

  it("grad inside jit, and eager mode bypasses tracing", () => {
    const df = jit(grad((x: Tensor) => x.sin().sum()));
    const x = tensor([0.1, 0.2]);
    expect((df(x).tolistSync() as number[])[0]).toBeCloseTo(Math.cos(0.1), 6);
    setMode("eager");
    try {
      const g = jit((t: Tensor) => t.add(1));
      g(x);
      expect(g.traceCount).toBe(0);
    } finally {
      setMode("graph");
    }
  });
});
