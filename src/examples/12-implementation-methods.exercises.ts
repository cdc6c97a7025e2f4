import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "implement",
    id: "adjoint-code",
    prompt: {
      en: "Be the source transformer. For `g(x, y) = Math.exp(x * y) / y`, lowered to `v1 = x * y`, `v2 = Math.exp(v1)`, `v3 = v2 / y`, write `gradG(x, y)` returning `[∂g/∂x, ∂g/∂y]` as straight-line adjoint code: start from `v3_bar = 1` and go up the lines, last first. The check compares with the code `sourceGrad` writes for `g`.",
      zh: "你来当源码转换器。`g(x, y) = Math.exp(x * y) / y` 降低为 `v1 = x * y`、`v2 = Math.exp(v1)`、`v3 = v2 / y`，请把 `gradG(x, y)` 写成直线式的伴随代码，返回 `[∂g/∂x, ∂g/∂y]`：从 `v3_bar = 1` 开始，从最后一行往上逐行处理。检查会与 `sourceGrad` 为 `g` 生成的代码对比。",
    },
    starter: `/** ∂g/∂x and ∂g/∂y of g(x, y) = exp(x·y) / y, as reverse-sweep code. */
export function gradG(x: number, y: number): number[] {
  // forward sweep
  const v1 = x * y;
  const v2 = Math.exp(v1);
  const v3 = v2 / y;
  // reverse sweep: TODO, from v3_bar = 1 back to x_bar and y_bar
  const x_bar = 0;
  const y_bar = 0;
  return [x_bar, y_bar];
}

console.log(gradG(0.5, 2));
`,
    solution: `/** ∂g/∂x and ∂g/∂y of g(x, y) = exp(x·y) / y, as reverse-sweep code. */
export function gradG(x: number, y: number): number[] {
  // forward sweep
  const v1 = x * y;
  const v2 = Math.exp(v1);
  const v3 = v2 / y;
  // reverse sweep
  const v3_bar = 1;
  const v2_bar = v3_bar / y; // v3 = v2 / y
  let y_bar = -v3_bar * v3 / y; // … and y's share through the division
  const v1_bar = v2_bar * v2; // v2 = exp(v1): exp′ = exp
  const x_bar = v1_bar * y; // v1 = x · y
  y_bar += v1_bar * x; // y is used twice: its adjoint collects both
  return [x_bar, y_bar];
}

console.log(gradG(0.5, 2));
`,
    check: `export default async function check(learner, t, wg) {
  const { fn } = wg.sourceGrad("(x, y) => Math.exp(x * y) / y");
  for (const [x, y] of [[0.5, 2], [-1, 0.7], [1.3, -1.5]]) {
    await t.case("(x, y) = (" + x + ", " + y + ")", () => {
      t.close(t.fn("gradG")(x, y), fn(x, y).gradient, 1e-9);
    });
  }
}
`,
    hints: [
      {
        en: "v3 = v2 / y gives v2_bar = v3_bar / y and a share −v3_bar · v3 / y for y.",
        zh: "由 v3 = v2 / y 得 v2_bar = v3_bar / y，同时 y 分到 −v3_bar · v3 / y。",
      },
      {
        en: "y appears twice (in v1 and in v3), so y_bar is the sum of both shares; x only gets v1_bar · y.",
        zh: "y 出现了两次（在 v1 和 v3 中），所以 y_bar 是两部分之和；x 只得到 v1_bar · y。",
      },
    ],
  },
  {
    kind: "predict",
    id: "what-transforms",
    prompt: {
      en: "Which of these functions can `sourceGrad` transform (it reads the source, so it only knows the constructs it was written for)?",
      zh: "下面哪个函数能被 `sourceGrad` 转换（它读取的是源码，只认识它支持的语法结构）？",
    },
    choices: [
      { en: "`(x) => x > 0 ? x : -x`", zh: "`(x) => x > 0 ? x : -x`" },
      { en: "`(x) => { const y = x * x; return Math.sin(y); }`", zh: "`(x) => { const y = x * x; return Math.sin(y); }`" },
      { en: "`(x) => Math.abs(x)`", zh: "`(x) => Math.abs(x)`" },
    ],
    answer: 1,
    explanation: {
      en: "A local const and Math.sin are supported; a conditional expression and Math.abs are not, and are refused with their line. A tracer (the tape, jit) never sees syntax: it would simply record the branch that ran — the trade-off between the two methods.",
      zh: "局部 const 和 Math.sin 都受支持；条件表达式和 Math.abs 不受支持，会报错并指出所在行。追踪式方法（tape、jit）根本看不到语法：它只会记录实际执行的那个分支——这正是两种方法的取舍。",
    },
  },
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
