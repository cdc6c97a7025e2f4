import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "implement",
    id: "tanh-vjp",
    prompt: {
      en: "Reverse mode needs every op's vector–Jacobian product. For `y = tanh(x)`, write `tanhVjp(x, g)`: given the input `x` and the gradient `g` of the loss with respect to `y`, return the gradient with respect to `x` (elementwise). The check compares it with webgrad's own `vjp` of `tanh` on several inputs.",
      zh: "反向模式需要每个算子的向量–雅可比积（VJP）。对 `y = tanh(x)`，实现 `tanhVjp(x, g)`：给定输入 `x` 和损失对输出 `y` 的梯度 `g`，返回损失对 `x` 的梯度（逐元素）。检查会在多组输入上把它与 webgrad 自带的 `tanh` 的 `vjp` 对比。",
    },
    starter: `import { tensor, type Tensor } from "webgrad";

/** The gradient with respect to x of a loss whose gradient with respect to y = tanh(x) is g. */
export function tanhVjp(x: Tensor, g: Tensor): Tensor {
  // TODO: the chain rule: dL/dx = dL/dy · dy/dx
  return g;
}

const x = tensor([-2, -0.5, 0, 0.5, 2]);
console.log("tanhVjp(x, 1):", await tanhVjp(x, tensor([1, 1, 1, 1, 1])).data());
`,
    solution: `import { tensor, type Tensor } from "webgrad";

/** The gradient with respect to x of a loss whose gradient with respect to y = tanh(x) is g. */
export function tanhVjp(x: Tensor, g: Tensor): Tensor {
  const y = x.tanh();
  return g.mul(y.square().neg().add(1)); // dy/dx = 1 − tanh(x)²
}

const x = tensor([-2, -0.5, 0, 0.5, 2]);
console.log("tanhVjp(x, 1):", await tanhVjp(x, tensor([1, 1, 1, 1, 1])).data());
`,
    check: `export default async function check(learner, t, wg) {
  const values = async (v) => (v && typeof v.data === "function" ? await v.data() : v);
  const inputs = [
    [[0], [1]],
    [[-2, -0.5, 0, 0.5, 2], [1, 1, 1, 1, 1]],
    [[0.3, 1.7, -3], [2, -1, 0.5]],
  ];
  for (const [xs, gs] of inputs) {
    const label = "x = [" + xs.join(", ") + "], g = [" + gs.join(", ") + "]";
    await t.case(label, async () => {
      const x = wg.tensor(xs), g = wg.tensor(gs);
      const got = await values(t.fn("tanhVjp")(x, g));
      const [, back] = wg.vjp((v) => v.tanh(), x);
      const [want] = back(g);
      t.close(got, await want.data(), 1e-4);
    });
  }
}
`,
    hints: [
      {
        en: "The chain rule: the result is `g` times the derivative of tanh at `x`, elementwise.",
        zh: "链式法则：结果是 `g` 逐元素乘以 tanh 在 `x` 处的导数。",
      },
      {
        en: "d tanh(x)/dx = 1 − tanh(x)². Tensors have `tanh()`, `square()`, `neg()`, `add(1)` and `mul(g)`.",
        zh: "d tanh(x)/dx = 1 − tanh(x)²。张量有 `tanh()`、`square()`、`neg()`、`add(1)` 和 `mul(g)`。",
      },
    ],
  },
  {
    kind: "predict",
    id: "tanh-saves",
    prompt: { en: "On the tape, what does the tanh op keep for its backward pass?", zh: "在 tape 上，tanh 算子为反向传播保存了什么？" },
    choices: [
      { en: "Its input x", zh: "它的输入 x" },
      { en: "Its output tanh(x)", zh: "它的输出 tanh(x)" },
      { en: "Nothing", zh: "什么都不保存" },
    ],
    answer: 1,
    explanation: {
      en: "tanh′(x) = 1 − tanh(x)², so the output is all the backward needs; keeping it saves recomputing tanh.",
      zh: "tanh′(x) = 1 − tanh(x)²，所以反向只需要输出；保存它就不必重新计算 tanh。",
    },
  },
]);
