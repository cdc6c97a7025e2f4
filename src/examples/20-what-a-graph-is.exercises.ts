import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "trace-count",
    prompt: {
      en: "A jitted function is called with an input of shape [4, 3], again with [4, 3], then with [8, 3]. How many times is it traced?",
      zh: "一个 jit 函数先以形状 [4, 3] 的输入调用，再以 [4, 3] 调用，然后以 [8, 3] 调用。它被追踪了几次？",
    },
    answer: 2,
    tolerance: 0,
    explanation: {
      en: "The graph is compiled once per input signature: the second call reuses it, the new shape retraces.",
      zh: "计算图按输入签名各编译一次：第二次调用复用它，新的形状会触发重新追踪。",
    },
  },
  {
    kind: "implement",
    id: "evaluate-graph",
    prompt: {
      en: "A graph is data; running it is a loop. Write `evaluate(nodes, inputs)`: `nodes` are in topological order (every node after its inputs), each an `input` (its value is `inputs[id]`), a `const` (its `value`), or `add` / `mul` / `sin` of earlier nodes by id. Return every node's value by id. The check runs graphs such as sin(x·y) + x against plain JS.",
      zh: "计算图是数据，执行它就是一个循环。实现 `evaluate(nodes, inputs)`：`nodes` 按拓扑序排列（每个节点都在它的输入之后），每个节点是 `input`（值为 `inputs[id]`）、`const`（值为 `value`），或者以 id 引用前面节点的 `add` / `mul` / `sin`。返回每个节点的值（按 id）。检查会把 sin(x·y) + x 这样的图与直接的 JS 计算对照。",
    },
    starter: `/** A node of a tiny graph: an input, a constant, or an op on earlier nodes (by id). */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}
/** The value of every node of \`nodes\` (in topological order) for the given input values. */
export function evaluate(nodes: Node[], inputs: Record<string, number>): Record<string, number> {
  const values: Record<string, number> = {};
  // TODO: one case per op, in order
  return values;
}
`,
    solution: `/** A node of a tiny graph: an input, a constant, or an op on earlier nodes (by id). */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}
/** The value of every node of \`nodes\` (in topological order) for the given input values. */
export function evaluate(nodes: Node[], inputs: Record<string, number>): Record<string, number> {
  const values: Record<string, number> = {};
  for (const n of nodes) {
    const [a, b] = n.inputs.map((i) => values[i]);
    if (n.op === "input") values[n.id] = inputs[n.id];
    else if (n.op === "const") values[n.id] = n.value!;
    else if (n.op === "add") values[n.id] = a + b;
    else if (n.op === "mul") values[n.id] = a * b;
    else values[n.id] = Math.sin(a);
  }
  return values;
}
`,
    check: `export default async function check(learner, t) {
  const evaluate = t.fn("evaluate");
  const g = [
    { id: "x", op: "input", inputs: [] },
    { id: "y", op: "input", inputs: [] },
    { id: "v1", op: "mul", inputs: ["x", "y"] },
    { id: "v2", op: "sin", inputs: ["v1"] },
    { id: "v3", op: "add", inputs: ["v2", "x"] },
  ];
  for (const [x, y] of [[0.5, 2], [-1.2, 0.3], [3, -4]]) {
    await t.case("sin(x·y) + x at (" + x + ", " + y + ")", () => {
      const v = evaluate(g, { x, y });
      t.close(v.v3, Math.sin(x * y) + x, 1e-12);
      t.close(v.v1, x * y, 1e-12);
    });
  }
  await t.case({ en: "a constant and a value used twice: (x + 2)·(x + 2)", zh: "常量，以及被用了两次的值：(x + 2)·(x + 2)" }, () => {
    const sq = [
      { id: "x", op: "input", inputs: [] },
      { id: "two", op: "const", inputs: [], value: 2 },
      { id: "s", op: "add", inputs: ["x", "two"] },
      { id: "p", op: "mul", inputs: ["s", "s"] },
    ];
    t.close(evaluate(sq, { x: 1.5 }).p, 12.25, 1e-12);
  });
}
`,
    hints: [
      {
        en: "Walk the nodes in order, keeping a map from id to value; each node's inputs are already in the map.",
        zh: "按顺序遍历节点，维护一个 id → 值的映射；每个节点的输入都已经在映射里了。",
      },
      {
        en: "Read the operands first: const [a, b] = n.inputs.map((i) => values[i]); then switch on n.op.",
        zh: "先取出操作数：const [a, b] = n.inputs.map((i) => values[i])；再按 n.op 分情况。",
      },
    ],
  },
]);
