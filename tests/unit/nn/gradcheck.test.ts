/** float64 finite-difference gradient checks for every loss and layer (gradients w.r.t. inputs and parameters). */
import { describe, it } from "vitest";
import { nn, randn, rand, grad, manualSeed, type Tensor } from "webgrad";
import { gradCheck, i32 } from "./helpers";

const r64 = (shape: number[], seed: number) => randn(shape, { dtype: "float64", seed });
const weights = (t: Tensor, seed: number) => r64([...t.shape], seed); // a random projection makes a scalar of any output

/** Check d(sum(out ⊙ R))/d(input and every parameter) of a module by finite differences. */
function checkModule(m: nn.Module, x: Tensor, seed = 99, forward = (mod: nn.Module, h: Tensor) => mod.forward(h) as Tensor): void {
  const named = m.namedParameters();
  const R = weights(forward(m, x), seed);
  const f = (...args: Tensor[]) => {
    const [h, ...ps] = args;
    const saved = named.map(([, p]) => p);
    // swap the parameters for the checked tensors (same shapes), run, restore
    const owners = m.namedModules();
    const setParam = (name: string, t: Tensor) => {
      const i = name.lastIndexOf(".");
      const owner = i < 0 ? m : owners.find(([n]) => n === name.slice(0, i))![1];
      (owner as unknown as Record<string, Tensor>)[name.slice(i + 1)] = t;
    };
    named.forEach(([n], k) => setParam(n, ps[k]));
    try {
      return forward(m, h).mul(R).sum();
    } finally {
      named.forEach(([n], k) => setParam(n, saved[k]));
    }
  };
  gradCheck(f, [x, ...named.map(([, p]) => p)]);
}

describe("gradient checks (float64, finite differences)", () => {
  it("crossEntropy: indices, probabilities, label smoothing, ignoreIndex, class axis last", () => {
    const y = i32([0, 2, 1, 2]);
    gradCheck((z) => nn.crossEntropy(z, y), [r64([4, 3], 1)]);
    gradCheck((z) => nn.crossEntropy(z, y, { labelSmoothing: 0.2, reduction: "sum" }), [r64([4, 3], 2)]);
    gradCheck((z) => nn.crossEntropy(z, i32([0, -100, 1, 2])), [r64([4, 3], 3)]);
    gradCheck((z, p) => nn.crossEntropy(z, p.softmax(-1), { labelSmoothing: 0.1 }), [r64([4, 3], 4), r64([4, 3], 5)]);
    gradCheck(
      (z) =>
        nn.crossEntropy(
          z,
          i32([
            [0, 1],
            [2, 2],
          ]),
          { axis: -1 },
        ),
      [r64([2, 2, 3], 6)],
    );
    gradCheck(
      (z) =>
        nn.crossEntropy(
          z,
          i32([
            [0, 1],
            [2, 0],
          ]),
        ),
      [r64([2, 3, 2], 7)],
    ); // [N, C, d], class axis 1
  });
  it("mse, l1, bce, bceWithLogits, nllLoss", () => {
    gradCheck((p, t) => nn.mse(p, t), [r64([3, 2], 1), r64([3, 2], 2)]);
    gradCheck((p, t) => nn.l1(p, t, { reduction: "sum" }), [r64([3, 2], 3), r64([3, 2], 4)]);
    const y = rand([3, 2], { dtype: "float64", seed: 5 }).gt(0.5).double();
    gradCheck((z) => nn.bce(z.sigmoid(), y), [r64([3, 2], 6)]);
    gradCheck((z) => nn.bceWithLogits(z, y, { posWeight: 3 }), [r64([3, 2], 7).mul(4)]);
    gradCheck((z, t) => nn.bceWithLogits(z, t.sigmoid()), [r64([3, 2], 8), r64([3, 2], 9)]);
    gradCheck((z) => nn.functional.nllLoss(z.logSoftmax(-1), i32([1, 0, 2])), [r64([3, 3], 10)]);
  });
  it("Linear, LayerNorm, Embedding, Conv2d", () => {
    manualSeed(0);
    checkModule(nn.linear(3, 4, { dtype: "float64" }), r64([2, 3], 1));
    checkModule(nn.linear(3, 2, { dtype: "float64", bias: false }), r64([2, 5, 3], 2));
    const ln = nn.layerNorm(4, 1e-5, { dtype: "float64" });
    nn.init.normal_(ln.weight!, 1, 0.3);
    nn.init.normal_(ln.bias!, 0, 0.3);
    checkModule(ln, r64([3, 4], 3));
    checkModule(nn.layerNorm([2, 3], 1e-5, { dtype: "float64" }), r64([2, 2, 3], 4));
    const ids = i32([
      [1, 4],
      [1, 0],
    ]); // a repeated id: its gradient rows add up
    const R = r64([2, 2, 3], 7);
    gradCheck((w) => nn.functional.embedding(ids, w).mul(R).sum(), [nn.embedding(5, 3, { dtype: "float64" }).weight]);
    checkModule(nn.conv2d(2, 3, 3, { dtype: "float64", padding: 1, stride: 2 }), r64([1, 2, 5, 4], 5));
    checkModule(nn.conv2d(4, 2, [2, 3], { dtype: "float64", groups: 2, dilation: [1, 2] }), r64([1, 4, 4, 5], 6));
    checkModule(nn.sequential(nn.maxPool2d(2), nn.avgPool2d(2, { stride: 1 })), r64([1, 2, 6, 6], 7));
  });
  it("activations and Sequential", () => {
    manualSeed(1);
    const model = nn.sequential(
      nn.linear(3, 4, { dtype: "float64" }),
      nn.gelu(),
      nn.linear(4, 4, { dtype: "float64" }),
      nn.tanh(),
      nn.linear(4, 3, { dtype: "float64" }),
      nn.silu(),
      nn.sigmoid(),
      nn.relu(),
    );
    checkModule(model, r64([2, 3], 1));
    checkModule(nn.sequential(nn.gelu("tanh"), nn.softmax()), r64([2, 3], 2));
  });
  it("MultiHeadAttention (causal and with a mask) and TransformerBlock", () => {
    manualSeed(2);
    const attn = nn.multiHeadAttention(4, 2, { dtype: "float64", causal: true });
    checkModule(attn, r64([2, 3, 4], 1));
    const mask = i32([
      [1, 0, 1],
      [1, 1, 0],
      [0, 1, 1],
    ]).cast("bool");
    checkModule(nn.multiHeadAttention(4, 1, { dtype: "float64" }), r64([1, 3, 4], 2), 5, (m, h) => (m as nn.MultiHeadAttention).forward(h, h, h, { mask }));
    checkModule(nn.transformerBlock(4, 2, { dtype: "float64", causal: true, mlpRatio: 2 }), r64([1, 3, 4], 3));
  });
  it("second-order: grad of grad through crossEntropy and a Linear layer", () => {
    manualSeed(3);
    const lin = nn.linear(3, 3, { dtype: "float64" });
    const y = i32([0, 2]);
    // g(x) = Σ (∂L/∂x)² ; check its gradient by finite differences
    const f = (x: Tensor) =>
      grad((h: Tensor) => nn.crossEntropy(lin.forward(h).tanh(), y))(x)
        .square()
        .sum();
    gradCheck(f, [r64([2, 3], 1)]);
  });
});
