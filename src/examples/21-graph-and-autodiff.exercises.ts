import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "when-backward",
    prompt: { en: "Under jit, when is the backward pass of grad built?", zh: "在 jit 下，grad 的反向传播是什么时候构建的？" },
    choices: [
      { en: "While backward runs, op by op on a tape", zh: "在反向运行时，在 tape 上逐个算子构建" },
      { en: "Before anything runs, as more graph made from the forward graph", zh: "在任何计算运行之前，由前向图生成更多的图" },
      { en: "Never: gradients come from finite differences", zh: "从不构建：梯度来自有限差分" },
    ],
    answer: 1,
    explanation: {
      en: "Source-to-source AD: each forward node contributes its vjp as new nodes, so forward and backward form one graph that the passes optimize together.",
      zh: "源码到源码的自动微分：每个前向节点以新节点的形式贡献它的 vjp，前向与反向构成一张图，由各个优化 pass 一起优化。",
    },
  },
  {
    kind: "implement",
    id: "graph-backward",
    prompt: {
      en: "Reverse-mode autodiff on a graph is one more pass over its nodes, last first. Write `gradients(nodes, inputs, output)`: run the graph forward (nodes in topological order: `input`, `const`, `add`, `mul`, `sin`), then set the output's adjoint to 1 and, for each node from the last to the first, add its adjoint times the local derivative to each of its inputs' adjoints. Return the adjoint of every `input` by id. The check compares with webgrad's own `grad` on the same function.",
      zh: "计算图上的反向模式自动微分，就是再从后往前把节点走一遍。实现 `gradients(nodes, inputs, output)`：先正向执行计算图（节点按拓扑序：`input`、`const`、`add`、`mul`、`sin`），再把输出的伴随值设为 1，然后从最后一个节点到第一个，把它的伴随值乘以局部导数，累加到它每个输入的伴随值上。返回每个 `input` 的伴随值（按 id）。检查会在同一个函数上与 webgrad 自带的 `grad` 对照。",
    },
    starter: `/** A node of a tiny graph: an input, a constant, or an op on earlier nodes (by id). */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}
/** ∂output/∂input for every input node, by reverse mode over \`nodes\` (topological order). */
export function gradients(nodes: Node[], inputs: Record<string, number>, output: string): Record<string, number> {
  const grads: Record<string, number> = {};
  for (const n of nodes) if (n.op === "input") grads[n.id] = 0; // TODO: forward, then backward
  return grads;
}
`,
    solution: `/** A node of a tiny graph: an input, a constant, or an op on earlier nodes (by id). */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}
/** ∂output/∂input for every input node, by reverse mode over \`nodes\` (topological order). */
export function gradients(nodes: Node[], inputs: Record<string, number>, output: string): Record<string, number> {
  const v: Record<string, number> = {};
  for (const n of nodes) {
    const [a, b] = n.inputs.map((i) => v[i]);
    v[n.id] = n.op === "input" ? inputs[n.id] : n.op === "const" ? n.value! : n.op === "add" ? a + b : n.op === "mul" ? a * b : Math.sin(a);
  }
  const adj: Record<string, number> = {};
  for (const n of nodes) adj[n.id] = 0;
  adj[output] = 1;
  for (const n of [...nodes].reverse()) {
    const g = adj[n.id];
    const [a, b] = n.inputs;
    if (n.op === "add") { adj[a] += g; adj[b] += g; }
    else if (n.op === "mul") { adj[a] += g * v[b]; adj[b] += g * v[a]; }
    else if (n.op === "sin") adj[a] += g * Math.cos(v[a]);
  }
  const grads: Record<string, number> = {};
  for (const n of nodes) if (n.op === "input") grads[n.id] = adj[n.id];
  return grads;
}
`,
    check: `export default async function check(learner, t, wg) {
  const gradients = t.fn("gradients");
  // f(x, y) = sin(x·y) + x·x: x is used three times, so its adjoint sums three contributions.
  const g = [
    { id: "x", op: "input", inputs: [] },
    { id: "y", op: "input", inputs: [] },
    { id: "v1", op: "mul", inputs: ["x", "y"] },
    { id: "v2", op: "sin", inputs: ["v1"] },
    { id: "v3", op: "mul", inputs: ["x", "x"] },
    { id: "v4", op: "add", inputs: ["v2", "v3"] },
  ];
  const f = (x, y) => x.mul(y).sin().add(x.mul(x));
  for (const [x, y] of [[0.5, 2], [-1.2, 0.3], [2, -1.5]]) {
    await t.case("∇f at (" + x + ", " + y + ")", async () => {
      const [dx, dy] = wg.grad(f, { argnums: [0, 1] })(wg.tensor(x, { dtype: "float64" }), wg.tensor(y, { dtype: "float64" }));
      const got = gradients(g, { x, y }, "v4");
      t.close([got.x, got.y], [await dx.item(), await dy.item()], 1e-9);
    });
  }
}
`,
    hints: [
      {
        en: "Keep the forward values: mul's local derivatives are the other operand's value, sin's is cos of its input.",
        zh: "保存正向的值：mul 的局部导数是另一个操作数的值，sin 的是其输入的 cos。",
      },
      { en: "Accumulate with += : a value used twice (x·x) gets a contribution from each use.", zh: "用 += 累加：被用了两次的值（x·x）每次使用都贡献一份。" },
    ],
  },
]);
