import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "which-pass",
    prompt: { en: "Which pass turns `x.mul(1).add(0)` into `x`?", zh: "哪个 pass 会把 `x.mul(1).add(0)` 变成 `x`？" },
    choices: [
      { en: "Algebraic simplification", zh: "代数化简" },
      { en: "Dead-code elimination", zh: "死代码消除" },
      { en: "Memory planning", zh: "内存规划" },
    ],
    answer: 0,
    explanation: {
      en: "x·1 and x + 0 are algebraic identities; dead-code elimination then removes nodes nothing uses any more.",
      zh: "x·1 与 x + 0 都是代数恒等式；之后死代码消除再删掉不再被使用的节点。",
    },
  },
  {
    kind: "implement",
    id: "constant-folding",
    prompt: {
      en: "Write the constant-folding pass on a tiny IR: `foldConstants(nodes)` returns a new node list (topological order kept) in which every `add` / `mul` / `sin` whose inputs are all constants is replaced by a `const` holding its value — transitively, so (2·3)+1 becomes 7. Inputs and ops that read an input stay. The check evaluates the graph before and after on several inputs, and checks that no foldable node is left.",
      zh: "在一个小 IR 上实现常量折叠 pass：`foldConstants(nodes)` 返回新的节点列表（保持拓扑序），其中输入全是常量的 `add` / `mul` / `sin` 都被替换为保存其值的 `const`——并且是传递的，所以 (2·3)+1 会变成 7。输入，以及读取输入的算子保持不变。检查会在多组输入上分别执行折叠前后的图，并检查不再剩下可折叠的节点。",
    },
    starter: `/** A node of a tiny graph: an input, a constant, or an op on earlier nodes (by id). */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}
/** \`nodes\` with every op whose inputs are all constants replaced by a constant. */
export function foldConstants(nodes: Node[]): Node[] {
  // TODO: walk in order; a node whose inputs are all const becomes a const
  return nodes;
}
`,
    solution: `/** A node of a tiny graph: an input, a constant, or an op on earlier nodes (by id). */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}
/** \`nodes\` with every op whose inputs are all constants replaced by a constant. */
export function foldConstants(nodes: Node[]): Node[] {
  const known = new Map<string, number>();
  return nodes.map((n) => {
    if (n.op === "const") known.set(n.id, n.value!);
    if (n.op === "input" || n.op === "const" || !n.inputs.every((i) => known.has(i))) return n;
    const [a, b] = n.inputs.map((i) => known.get(i)!);
    const value = n.op === "add" ? a + b : n.op === "mul" ? a * b : Math.sin(a);
    known.set(n.id, value);
    return { id: n.id, op: "const", inputs: [], value };
  });
}
`,
    check: `export default async function check(learner, t) {
  const foldConstants = t.fn("foldConstants");
  const run = (nodes, x) => {
    const v = {};
    for (const n of nodes) {
      const [a, b] = n.inputs.map((i) => v[i]);
      v[n.id] = n.op === "input" ? x : n.op === "const" ? n.value : n.op === "add" ? a + b : n.op === "mul" ? a * b : Math.sin(a);
    }
    return v;
  };
  // y = x · ((2·3) + 1) + sin(0.5): the constants fold to 7 and sin(0.5); the ops on x stay.
  const g = [
    { id: "x", op: "input", inputs: [] },
    { id: "two", op: "const", inputs: [], value: 2 },
    { id: "three", op: "const", inputs: [], value: 3 },
    { id: "one", op: "const", inputs: [], value: 1 },
    { id: "half", op: "const", inputs: [], value: 0.5 },
    { id: "k", op: "mul", inputs: ["two", "three"] },
    { id: "k1", op: "add", inputs: ["k", "one"] },
    { id: "s", op: "sin", inputs: ["half"] },
    { id: "xk", op: "mul", inputs: ["x", "k1"] },
    { id: "y", op: "add", inputs: ["xk", "s"] },
  ];
  const before = JSON.stringify(g);
  const folded = foldConstants(g);
  await t.case({ en: "the same values before and after", zh: "折叠前后的值相同" }, () => {
    for (const x of [0, 1.5, -2]) t.close(run(folded, x).y, run(g, x).y, 1e-12);
  });
  await t.case({ en: "no op with only constant inputs is left", zh: "不再剩下输入全是常量的算子" }, () => {
    const isConst = new Set(folded.filter((n) => n.op === "const").map((n) => n.id));
    const left = folded.filter((n) => n.op !== "const" && n.op !== "input" && n.inputs.every((i) => isConst.has(i)));
    if (left.length) t.fail("every foldable op replaced by a const", left.map((n) => n.id + " = " + n.op).join(", "));
  });
  await t.case({ en: "(2·3)+1 folded to 7, the ops on x kept", zh: "(2·3)+1 折叠成 7，作用在 x 上的算子保留" }, () => {
    const k1 = folded.find((n) => n.id === "k1");
    t.equal(k1 && k1.op, "const");
    t.close(k1.value, 7, 0);
    t.equal(folded.filter((n) => n.op === "mul" || n.op === "add").map((n) => n.id), ["xk", "y"]);
  });
  await t.case({ en: "the graph passed in is not changed", zh: "传入的图本身不被修改" }, () => t.equal(JSON.stringify(g), before));
}
`,
    hints: [
      {
        en: "Walk in order with a map id → known constant value; a node is foldable when every input id is in the map.",
        zh: "按顺序遍历，维护 id → 已知常量值的映射；一个节点的所有输入 id 都在映射中时，它就可以折叠。",
      },
      {
        en: "Put the folded node's value in the map too: that is what makes folding transitive. Return new objects, do not edit the input.",
        zh: "把折叠后节点的值也放进映射：折叠正是这样变成传递的。返回新对象，不要修改传入的节点。",
      },
    ],
  },
]);
