import { describe, expect, it } from "vitest";
import { Tensor, keep, tidy, tensor, randn, nn, optim } from "../../../src/lib/index";

const refs = (t: Tensor) => t._view!.storage.tensorRefs;

describe("tidy and dispose", () => {
  it("disposes the intermediates a scope made and keeps what it returns", async () => {
    const x = tensor([1, 2, 3]);
    let a!: Tensor, b!: Tensor;
    const y = tidy(() => {
      a = x.mul(2);
      b = a.add(1);
      return b.neg();
    });
    await expect(a.data()).rejects.toThrow(/disposed/);
    await expect(b.data()).rejects.toThrow(/disposed/);
    expect(Array.from(await y.data())).toEqual([-3, -5, -7]);
    expect(Array.from(await x.data())).toEqual([1, 2, 3]);
  });

  it("keeps tensors inside returned arrays, objects and Maps, and views of kept memory stay valid", async () => {
    const x = tensor([1, 2, 3, 4]);
    const out = tidy(() => {
      const m = x.mul(3);
      return { list: [m.reshape([2, 2])], map: new Map([["s", x.sum()]]) };
    });
    // The mul's own tensor was disposed, but its memory lives on in the returned reshape view.
    expect(Array.from(await out.list[0].data())).toEqual([3, 6, 9, 12]);
    expect(Array.from(await out.map.get("s")!.data())).toEqual([10]);
    expect(refs(out.list[0])).toBe(1);
  });

  it("nests: an inner scope's result belongs to the outer one", async () => {
    const x = tensor([1, 2]);
    let inner!: Tensor;
    const y = tidy(() => {
      inner = tidy(() => x.add(1).mul(2));
      return inner.add(1);
    });
    await expect(inner.data()).rejects.toThrow(/disposed/);
    expect(Array.from(await y.data())).toEqual([5, 7]);
  });

  it("never disposes what the tape saved, a .grad, a parameter or a kept tensor", async () => {
    const w = randn([3, 2]).requiresGrad_();
    const x = randn([4, 3]);
    let h!: Tensor, k!: Tensor;
    const loss = tidy(() => {
      h = x.tanh(); // saved by the matmul's node for w's gradient
      k = keep(x.mul(2));
      return h.matmul(w).square().sum();
    });
    loss.backward();
    expect(w.grad).not.toBeNull();
    expect((await h.data()).length).toBe(12);
    expect((await k.data()).length).toBe(12);
    const model = nn.linear(3, 2);
    const opt = optim.sgd(model.parameters(), { lr: 0.1 });
    tidy(() => {
      const l = model.forward(x).square().mean();
      opt.zeroGrad();
      l.backward();
      opt.step();
    });
    for (const p of model.parameters()) expect((await p.data()).length).toBeGreaterThan(0);
  });

  it("counts the tensors viewing a storage: dispose of the last one releases it", () => {
    const x = tensor([1, 2, 3, 4]);
    const v = x.reshape([2, 2]);
    expect(refs(x)).toBe(2);
    x.dispose();
    expect(v._view!.storage.tensorRefs).toBe(1);
    v.dispose();
    v.dispose(); // twice is harmless
    expect(x._view).toBeNull();
  });

  it("refuses an async function (its tensors would escape the scope)", () => {
    expect(() => tidy(async () => tensor([1]))).toThrow(/synchronous code only/);
  });
});
