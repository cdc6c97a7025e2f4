import { describe, expect, it } from "vitest";
import { onEvent, setUserLineLocator, tensor, noGrad, type Tensor, type WebgradEvent } from "webgrad";

describe("reverse mode, PyTorch-style", () => {
  it("leaf and non-leaf hooks see (and may replace) gradients; the remover removes", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const seen: number[][] = [];
    const remove = x.registerHook((g) => void seen.push(g.tolistSync() as number[]));
    const y = x.mul(2);
    y.registerHook((g) => g.mul(10)); // the non-leaf's gradient is scaled before flowing on
    y.sum().backward();
    expect(seen).toEqual([[20, 20, 20]]);
    expect(x.grad!.tolistSync()).toEqual([20, 20, 20]);
    remove();
    x.grad = null;
    x.mul(3).sum().backward();
    expect(seen.length).toBe(1);
    expect(x.grad!.tolistSync()).toEqual([3, 3, 3]);
  });

  it("retainGrad keeps a non-leaf's gradient; grads accumulate across backward calls", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.square().retainGrad();
    h.sum().backward();
    expect(h.grad!.tolistSync()).toEqual([1, 1]);
    x.square().sum().backward();
    expect(x.grad!.tolistSync()).toEqual([4, 8]); // 2x + 2x
  });

  it("retainGraph allows a second backward; createGraph gives a differentiable gradient", () => {
    const x = tensor([0.5], { requiresGrad: true, dtype: "float64" });
    const y = x.tanh().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    const t = Math.tanh(0.5);
    expect(x.grad!.itemSync()).toBeCloseTo(2 * (1 - t * t), 12);
    x.grad = null;
    const z = x.tanh().sum();
    z.backward(undefined, { createGraph: true });
    const g = x.grad!;
    x.grad = null;
    g.sum().backward();
    expect(x.grad!.itemSync()).toBeCloseTo(-2 * t * (1 - t * t), 12);
  });

  it("noGrad and detach cut the tape", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(x.detach().mul(2).requiresGrad).toBe(false);
    expect(x.mul(2).gradFn).toBe("mul");
  });

  it("dispose and `using` release a tensor's memory", () => {
    const t = tensor([1, 2, 3]);
    t.dispose();
    expect(() => t.dataSync()).toThrow(/dataSync: the tensor of shape \[3\] was disposed/);
    expect(() => t.add(1)).toThrow(/add: the tensor of shape \[3\] was disposed/);
    let inner: Tensor | undefined;
    {
      using u = tensor([4, 5]);
      inner = u;
      expect(u.tolistSync()).toEqual([4, 5]);
    }
    expect(() => inner!.dataSync()).toThrow();
  });

  it("backward streams each node's gradient shapes and norms to listeners", () => {
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    try {
      const x = tensor([3, 4], { requiresGrad: true });
      x.mul(1).sum().backward();
    } finally {
      off();
    }
    const steps = events.filter((e): e is Extract<WebgradEvent, { phase: "backward" }> => e.type === "tape" && e.phase === "backward");
    expect(steps.length).toBe(2);
    const mulStep = steps[1];
    expect(mulStep.gradShapes).toEqual([[2]]);
    expect(mulStep.gradNorms[0]).toBeCloseTo(Math.SQRT2, 6);
  });

  it("backward sends small gradients' values and each record its op's rule; a leaf knows the line that made it require grad", () => {
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    setUserLineLocator(() => 7);
    try {
      const x = tensor([3, 4], { requiresGrad: true });
      setUserLineLocator(() => 9);
      x.tanh().sum().backward();
      const big = tensor(new Array(17).fill(1), { requiresGrad: true });
      big.mul(2).sum().backward();
    } finally {
      setUserLineLocator(null);
      off();
    }
    const tapeEvents = events.filter((e) => e.type === "tape");
    const leaf = tapeEvents.find((e) => e.phase === "leaf");
    expect(leaf && leaf.phase === "leaf" && [leaf.line, leaf.gradLine]).toEqual([9, 7]);
    const tanh = tapeEvents.find((e) => e.phase === "record" && e.node.op === "tanh");
    expect(tanh && tanh.phase === "record" && tanh.node.rule).toBe("∂x = ḡ · (1 − y²)");
    const steps = tapeEvents.filter((e): e is Extract<WebgradEvent, { phase: "backward" }> => e.phase === "backward");
    const tanhStep = steps[1];
    const y = [Math.tanh(3), Math.tanh(4)];
    expect(tanhStep.gradOut).toEqual({ shape: [2], values: [1, 1] });
    expect(tanhStep.gradValues![0]![0]).toBeCloseTo(1 - y[0] ** 2, 6);
    expect(tanhStep.gradValues![0]![1]).toBeCloseTo(1 - y[1] ** 2, 6);
    // 17 elements: shape and norm only
    const mulBig = steps[3];
    expect(mulBig.gradValues).toEqual([null]);
    expect(mulBig.gradOut).toEqual({ shape: [17], values: null });
  });
});
