import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "tangent-x2",
    prompt: {
      en: "In the forward trace of f(x₁, x₂) = ln x₁ + x₁x₂ − sin x₂ at (2, 5), seed ẋ = (0, 1) instead of (1, 0). What is v̇₅ = ∂f/∂x₂? (two decimals)",
      zh: "在 f(x₁, x₂) = ln x₁ + x₁x₂ − sin x₂ 于 (2, 5) 处的前向求值轨迹中，把种子从 ẋ = (1, 0) 换成 (0, 1)。v̇₅ = ∂f/∂x₂ 是多少？（保留两位小数）",
    },
    answer: 1.716,
    tolerance: 0.01,
    explanation: {
      en: "With ẋ = (0, 1): v̇₁ = 0, v̇₂ = v̇₀·v₋₁ = 2, v̇₃ = 2, v̇₄ = cos(5)·1 ≈ 0.284, so v̇₅ = 2 − 0.284 ≈ 1.716 = x₁ − cos x₂. Set the example's “forward seed ẋ” knob to (0, 1) and step through the table to see each row.",
      zh: "当 ẋ = (0, 1) 时：v̇₁ = 0，v̇₂ = v̇₀·v₋₁ = 2，v̇₃ = 2，v̇₄ = cos(5)·1 ≈ 0.284，所以 v̇₅ = 2 − 0.284 ≈ 1.716 = x₁ − cos x₂。把示例的“forward seed ẋ”旋钮设为 (0, 1)，在表格中单步查看每一行。",
    },
  },
  {
    kind: "implement",
    id: "reverse-sweep",
    prompt: {
      en: 'Fill in the reverse sweep by hand. For f(x₁, x₂) = ln x₁ + x₁x₂ − sin x₂ with rows v₁ = ln v₋₁, v₂ = v₋₁·v₀, v₃ = v₁ + v₂, v₄ = sin v₀, v₅ = v₃ − v₄, write `adjoints(x1, x2)` returning `[v̄₋₁, v̄₀, v̄₁, v̄₂, v̄₃, v̄₄, v̄₅]`: start from v̄₅ = 1 and go up, each row collecting from the rows that use it. The check compares with `evaluationTrace(f, [x1, x2], { mode: "reverse" })` at several points.',
      zh: '手工完成反向扫描。对 f(x₁, x₂) = ln x₁ + x₁x₂ − sin x₂，各行为 v₁ = ln v₋₁、v₂ = v₋₁·v₀、v₃ = v₁ + v₂、v₄ = sin v₀、v₅ = v₃ − v₄。实现 `adjoints(x1, x2)`，返回 `[v̄₋₁, v̄₀, v̄₁, v̄₂, v̄₃, v̄₄, v̄₅]`：从 v̄₅ = 1 开始往上算，每一行从用到它的各行收集梯度。检查会在多个点上与 `evaluationTrace(f, [x1, x2], { mode: "reverse" })` 对比。',
    },
    starter: `/** The adjoints v̄ᵢ = ∂f/∂vᵢ of every row of f's evaluation trace, inputs first: [v̄₋₁, v̄₀, v̄₁, v̄₂, v̄₃, v̄₄, v̄₅]. */
export function adjoints(x1: number, x2: number): number[] {
  const v5b = 1; // the seed: ∂f/∂f
  // TODO: v̄₄ and v̄₃ from v̄₅, then v̄₂ and v̄₁ from v̄₃, then the inputs (each collects from every row that uses it)
  return [0, 0, 0, 0, 0, 0, v5b];
}

console.log(adjoints(2, 5));
`,
    solution: `/** The adjoints v̄ᵢ = ∂f/∂vᵢ of every row of f's evaluation trace, inputs first: [v̄₋₁, v̄₀, v̄₁, v̄₂, v̄₃, v̄₄, v̄₅]. */
export function adjoints(x1: number, x2: number): number[] {
  const v5b = 1; // the seed: ∂f/∂f
  const v4b = -v5b; // v₅ = v₃ − v₄
  const v3b = v5b;
  const v2b = v3b; // v₃ = v₁ + v₂
  const v1b = v3b;
  const v0b = v2b * x1 + v4b * Math.cos(x2); // x₂ is used by v₂ = v₋₁·v₀ and v₄ = sin v₀
  const vm1b = v1b / x1 + v2b * x2; // x₁ is used by v₁ = ln v₋₁ and v₂ = v₋₁·v₀
  return [vm1b, v0b, v1b, v2b, v3b, v4b, v5b];
}

console.log(adjoints(2, 5));
`,
    check: `export default async function check(learner, t, wg) {
  const f = (x1, x2) => x1.log().add(x1.mul(x2)).sub(x2.sin());
  for (const [x1, x2] of [[2, 5], [0.5, -1], [3, 0.25]]) {
    await t.case("(x1, x2) = (" + x1 + ", " + x2 + ")", async () => {
      const trace = await wg.evaluationTrace(f, [x1, x2], { mode: "reverse" });
      t.close(t.fn("adjoints")(x1, x2), trace.rows.map((r) => r.deriv), 1e-4);
    });
  }
}
`,
    hints: [
      {
        en: "v₅ = v₃ − v₄ sends v̄₅ to v₃ and −v̄₅ to v₄; v₃ = v₁ + v₂ sends v̄₃ to both.",
        zh: "v₅ = v₃ − v₄ 把 v̄₅ 传给 v₃、把 −v̄₅ 传给 v₄；v₃ = v₁ + v₂ 把 v̄₃ 同时传给两者。",
      },
      {
        en: "An input used twice collects twice: v̄₀ = v̄₂·v₋₁ + v̄₄·cos v₀ and v̄₋₁ = v̄₁/v₋₁ + v̄₂·v₀ (v₋₁ = x₁, v₀ = x₂).",
        zh: "被用到两次的输入要累加两次：v̄₀ = v̄₂·v₋₁ + v̄₄·cos v₀，v̄₋₁ = v̄₁/v₋₁ + v̄₂·v₀（其中 v₋₁ = x₁，v₀ = x₂）。",
      },
    ],
  },
  {
    kind: "predict",
    id: "passes-for-gradient",
    prompt: {
      en: "How many reverse-mode (vjp) passes give the full gradient of a loss f: Rⁿ → R?",
      zh: "对损失函数 f: Rⁿ → R，需要几次反向模式（vjp）传播才能得到完整梯度？",
    },
    choices: [
      { en: "1", zh: "1 次" },
      { en: "n", zh: "n 次" },
      { en: "n²", zh: "n² 次" },
    ],
    answer: 0,
    explanation: {
      en: "Each reverse pass gives one row of the Jacobian, and a scalar loss has one row. Forward mode would need n passes, one per input.",
      zh: "每次反向传播得到雅可比矩阵的一行，而标量损失只有一行。前向模式则需要 n 次，每个输入一次。",
    },
  },
]);
