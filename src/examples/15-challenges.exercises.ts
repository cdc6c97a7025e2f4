import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "checkpointing-cost",
    prompt: {
      en: "Checkpointing keeps only each block's input during the forward pass. What does the backward pass pay for that?",
      zh: "检查点（checkpointing）在前向时只保存每个块的输入。反向传播要为此付出什么？",
    },
    choices: [
      { en: "Nothing", zh: "什么也不用" },
      { en: "It recomputes each block's forward", zh: "重新计算每个块的前向" },
      { en: "Its gradients become approximate", zh: "梯度变成近似值" },
    ],
    answer: 1,
    explanation: {
      en: "The inside of each block is recomputed from the saved input when its backward runs: more compute, less memory, exactly the same gradients.",
      zh: "反向经过某个块时，会从保存的输入重新计算块内部：计算更多、内存更少，梯度完全相同。",
    },
  },
  {
    kind: "predict",
    id: "kept-hidden-states",
    prompt: {
      en: "8 tanh layers, checkpointed in blocks of 4. Counting the network's input h₀ and its output h₈, how many hidden states does the forward pass keep for backward?",
      zh: "8 层 tanh，每 4 层一块做重计算。把网络的输入 h₀ 和输出 h₈ 都算上，前向传播为反向保留了几个隐藏状态？",
    },
    answer: 3,
    explanation: {
      en: "Each block keeps its input (h₀ and h₄) and the loss keeps the last output h₈: L/k + 1 = 8/4 + 1 = 3. Without checkpointing all 9 are kept.",
      zh: "每个块保留它的输入（h₀ 和 h₄），损失保留最后的输出 h₈：L/k + 1 = 8/4 + 1 = 3。不做重计算时 9 个全部保留。",
    },
  },
  {
    kind: "predict",
    id: "rounding-gradient",
    prompt: {
      en: "The loss is (round(x_T) − 4)², where x_T is computed from v0 by a simulation loop. What does `grad` give for ∂loss/∂v0 at a generic v0?",
      zh: "损失是 (round(x_T) − 4)²，其中 x_T 由 v0 经过模拟循环算出。在一般的 v0 处，`grad` 给出的 ∂loss/∂v0 是多少？",
    },
    choices: [
      { en: "The same as for (x_T − 4)²", zh: "与 (x_T − 4)² 的相同" },
      { en: "0: rounding is piecewise constant", zh: "0：取整是分段常数" },
      { en: "An error: round is not differentiable", zh: "报错：round 不可微" },
    ],
    answer: 1,
    explanation: {
      en: "round's derivative is 0 wherever it is defined, and frameworks return that 0 (no error), so the chain rule multiplies everything by 0: descent cannot move v0. The same holds for argmax, ranks from a sort, or an if on data.",
      zh: "round 在有定义的地方导数都是 0，框架就返回这个 0（不会报错），链式法则把一切都乘上 0：梯度下降无法移动 v0。argmax、排序得到的名次、依赖数据的 if 也是如此。",
    },
  },
  {
    kind: "implement",
    id: "complex-grad",
    prompt: {
      en: "webgrad has no complex dtype, but a real loss of z = x + iy is a real function of the pair (x, y). Write `complexGrad(loss, z)` that returns what PyTorch stores in `z.grad` for that loss: ∂L/∂x + i·∂L/∂y, which is 2·∂L/∂z̄ (the conjugate Wirtinger derivative, times 2). `loss` takes a tensor [x, y] and returns a scalar tensor. The check compares with 2·f(z)·conj(f′(z)) for L = |f(z)|² and a few holomorphic f.",
      zh: "webgrad 没有复数 dtype，但 z = x + iy 的实值损失就是实数对 (x, y) 的实函数。实现 `complexGrad(loss, z)`，返回 PyTorch 对这个损失在 `z.grad` 中存的值：∂L/∂x + i·∂L/∂y，即 2·∂L/∂z̄（共轭 Wirtinger 导数的 2 倍）。`loss` 接收张量 [x, y]，返回标量张量。检查会对 L = |f(z)|² 和几个全纯函数 f，与 2·f(z)·conj(f′(z)) 对比。",
    },
    starter: `import { grad, tensor, type Tensor } from "webgrad";

/** A complex number as (re, im). */
export interface Complex {
  re: number;
  im: number;
}

/** PyTorch's z.grad for a real loss of z: ∂L/∂x + i·∂L/∂y. */
export async function complexGrad(loss: (xy: Tensor) => Tensor, z: Complex): Promise<Complex> {
  const [dx, dy] = (await grad(loss)(tensor([z.re, z.im])).tolist()) as number[];
  // TODO: this is ∂L/∂x − i·∂L/∂y, the conjugate of what PyTorch stores
  return { re: dx!, im: -dy! };
}

// L = |z|² = x² + y²: PyTorch's z.grad is 2z.
const g = await complexGrad((xy) => xy.square().sum(), { re: 1, im: 2 });
console.log("z.grad of |z|² at 1 + 2i:", g.re, "+", g.im, "i (expected 2 + 4i)");
`,
    solution: `import { grad, tensor, type Tensor } from "webgrad";

/** A complex number as (re, im). */
export interface Complex {
  re: number;
  im: number;
}

/** PyTorch's z.grad for a real loss of z: ∂L/∂x + i·∂L/∂y. */
export async function complexGrad(loss: (xy: Tensor) => Tensor, z: Complex): Promise<Complex> {
  const [dx, dy] = (await grad(loss)(tensor([z.re, z.im])).tolist()) as number[];
  return { re: dx!, im: dy! }; // = 2·∂L/∂z̄
}

// L = |z|² = x² + y²: PyTorch's z.grad is 2z.
const g = await complexGrad((xy) => xy.square().sum(), { re: 1, im: 2 });
console.log("z.grad of |z|² at 1 + 2i:", g.re, "+", g.im, "i (expected 2 + 4i)");
`,
    check: `export default async function check(learner, t, wg) {
  // f as (re, im) of f(z) and of f′(z), for L = |f(z)|²: PyTorch's z.grad = 2·f(z)·conj(f′(z)).
  const cases = [
    [{ en: "f(z) = z² + 1 at 0.5 + 0.8i", zh: "f(z) = z² + 1，z = 0.5 + 0.8i" }, [0.5, 0.8], (x, y) => [x * x - y * y + 1, 2 * x * y], (x, y) => [2 * x, 2 * y],
      (xy) => { const [x, y] = xy.split(1); return [x.square().sub(y.square()).add(1), x.mul(y).mul(2)]; }],
    [{ en: "f(z) = 3z − i at −1 + 2i", zh: "f(z) = 3z − i，z = −1 + 2i" }, [-1, 2], (x, y) => [3 * x, 3 * y - 1], () => [3, 0],
      (xy) => { const [x, y] = xy.split(1); return [x.mul(3), y.mul(3).sub(1)]; }],
    [{ en: "f(z) = z³ at 0.7 − 0.4i", zh: "f(z) = z³，z = 0.7 − 0.4i" }, [0.7, -0.4], (x, y) => [x * x * x - 3 * x * y * y, 3 * x * x * y - y * y * y], (x, y) => [3 * (x * x - y * y), 6 * x * y],
      (xy) => { const [x, y] = xy.split(1); return [x.mul(x).mul(x).sub(x.mul(y).mul(y).mul(3)), x.mul(x).mul(y).mul(3).sub(y.mul(y).mul(y))]; }],
  ];
  for (const [name, [x, y], f, df, fT] of cases) {
    await t.case(name, async () => {
      const [fr, fi] = f(x, y), [dr, di] = df(x, y);
      // 2·f·conj(f′)
      const want = [2 * (fr * dr + fi * di), 2 * (fi * dr - fr * di)];
      const loss = (xy) => { const [re, im] = fT(xy); return re.square().add(im.square()).sum(); };
      const g = await t.fn("complexGrad")(loss, { re: x, im: y });
      t.close([g.re, g.im], want, 1e-3);
    });
  }
}
`,
    hints: [
      {
        en: "Think of z as the point (x, y): the steepest-ascent direction of L is (∂L/∂x, ∂L/∂y).",
        zh: "把 z 看成平面上的点 (x, y)：L 的最速上升方向是 (∂L/∂x, ∂L/∂y)。",
      },
      {
        en: "Put that direction back into a complex number without conjugating: ∂L/∂x + i·∂L/∂y.",
        zh: "把这个方向直接写回复数，不要取共轭：∂L/∂x + i·∂L/∂y。",
      },
    ],
  },
]);
