import { describe, expect, it } from "vitest";
import { tensor, grad, jvp, hessian, jacfwd, jacrev, randn, manualSeed, arange, valueAndGrad, noGrad, checkpoint, Tensor } from "webgrad";

describe("smoke", () => {
  it("computes and prints", async () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = a.add(1).mul(a).sum();
    expect(await b.item()).toBe(2 + 6 + 12 + 20);
    expect(a.matmul(a).tolistSync()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(String(a.T)).toContain("tensor(");
  });
  it("backward", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(x.grad!.tolistSync()).toEqual([2, 4, 6]);
  });
  it("grad of grad of tanh", () => {
    const f = (x: Tensor) => x.tanh().sum();
    const d2 = grad(grad(f));
    const x = tensor([0.5], { dtype: "float64" });
    const t = Math.tanh(0.5);
    expect(d2(x).itemSync()).toBeCloseTo(-2 * t * (1 - t * t), 10);
  });
  it("jvp", () => {
    const x = tensor([0.1, 0.2], { dtype: "float64" });
    const [y, dy] = jvp((v: Tensor) => v.sin(), [x], [tensor([1, 1], { dtype: "float64" })]);
    expect(dy.tolistSync()[0]).toBeCloseTo(Math.cos(0.1), 12);
    expect(y.tolistSync()[1]).toBeCloseTo(Math.sin(0.2), 12);
  });
  it("hessian", () => {
    const f = (x: Tensor) => x.pow(3).sum();
    const x = tensor([1, 2], { dtype: "float64" });
    expect(hessian(f)(x).tolistSync()).toEqual([
      [6, 0],
      [0, 12],
    ]);
    const J1 = jacfwd((v: Tensor) => v.exp())(x).tolistSync();
    const J2 = jacrev((v: Tensor) => v.exp())(x).tolistSync();
    expect(J1).toEqual(J2);
  });
  it("random is seeded", () => {
    manualSeed(1);
    const a = randn([3]).tolistSync();
    manualSeed(1);
    expect(randn([3]).tolistSync()).toEqual(a);
    expect(arange(5).tolistSync()).toEqual([0, 1, 2, 3, 4]);
  });
  it("valueAndGrad, noGrad, checkpoint", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const [v, g] = valueAndGrad((w: Tensor) => w.square().sum())(w);
    expect(v.itemSync()).toBe(5);
    expect(g.tolistSync()).toEqual([2, 4]);
    noGrad(() => w.sub_(g.mul(0.25)));
    expect(w.tolistSync()).toEqual([0.5, 1]);
    const seg = checkpoint((h: Tensor) => h.mul(w).exp());
    const out = seg(tensor([1, 1])).sum();
    out.backward();
    expect((w.grad!.tolistSync() as number[])[1]).toBeCloseTo(Math.E, 5);
  });
});
