import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "tensor-if",
    prompt: {
      en: "Under jit (without autograph), a function does `if (x.sum() > 0) …` on a tensor x. What happens?",
      zh: "在 jit 下（不使用 autograph），函数对张量 x 写了 `if (x.sum() > 0) …`。会发生什么？",
    },
    choices: [
      { en: "The branch taken while tracing is baked into the graph", zh: "追踪时走的那个分支被固化进计算图" },
      { en: "jit stops with an error at that line", zh: "jit 在这一行报错停止" },
      { en: "Both branches run and are summed", zh: "两个分支都执行，结果相加" },
    ],
    answer: 1,
    explanation: {
      en: "While tracing, the tensor has no data, so the condition cannot be decided; rather than silently baking in one branch, jit refuses it. Write cond, or let autograph rewrite it.",
      zh: "追踪时张量没有数据，条件无法判定；jit 不会悄悄固化某个分支，而是直接拒绝。请改用 cond，或让 autograph 改写。",
    },
  },
  {
    kind: "implement",
    id: "mini-tracer",
    prompt: {
      en: "Build the heart of `jit`: a tracer. `trace(fn, names)` calls `fn` with one symbolic value per name; a symbolic value has `add(o)`, `mul(o)` and `sin()`, which compute nothing but append a node `{ id, op, inputs, value? }` to a list and return a new symbolic value (a JS number operand becomes a `const` node). Return the list: the `input` nodes first, then the recorded ops. JS control flow on plain numbers just runs while tracing, so `power(x, 3)` records two `mul`s and no loop. The check evaluates your graphs and counts their nodes.",
      zh: "实现 `jit` 的核心：一个追踪器。`trace(fn, names)` 为每个名字构造一个符号值，用它们调用 `fn`；符号值有 `add(o)`、`mul(o)` 和 `sin()` 方法，它们什么也不计算，只是把节点 `{ id, op, inputs, value? }` 追加到一个列表中，并返回一个新的符号值（JS 数值操作数变成一个 `const` 节点）。返回这个列表：先是 `input` 节点，然后是记录下来的算子。作用在普通数值上的 JS 控制流在追踪时照常执行，所以 `power(x, 3)` 会记录两个 `mul`，而没有循环。检查会执行你得到的图并数其中的节点。",
    },
    starter: `/** A node of the recorded graph. */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}

/** The graph \`fn\` builds when called with one symbolic value per name. */
export function trace(fn: (...xs: any[]) => any, names: string[]): Node[] {
  // TODO: symbolic values whose methods record nodes
  return names.map((id) => ({ id, op: "input", inputs: [] }));
}
`,
    solution: `/** A node of the recorded graph. */
export interface Node {
  id: string;
  op: "input" | "const" | "add" | "mul" | "sin";
  inputs: string[];
  value?: number;
}

/** The graph \`fn\` builds when called with one symbolic value per name. */
export function trace(fn: (...xs: any[]) => any, names: string[]): Node[] {
  const nodes: Node[] = [];
  let next = 0;
  class Sym {
    constructor(readonly id: string) {}
    add(o: Sym | number) { return record("add", [this, lift(o)]); }
    mul(o: Sym | number) { return record("mul", [this, lift(o)]); }
    sin() { return record("sin", [this]); }
  }
  const lift = (o: Sym | number): Sym => {
    if (o instanceof Sym) return o;
    const id = "c" + next++;
    nodes.push({ id, op: "const", inputs: [], value: o });
    return new Sym(id);
  };
  const record = (op: Node["op"], ins: Sym[]): Sym => {
    const id = "v" + next++;
    nodes.push({ id, op, inputs: ins.map((s) => s.id) });
    return new Sym(id);
  };
  const args = names.map((id) => {
    nodes.push({ id, op: "input", inputs: [] });
    return new Sym(id);
  });
  fn(...args);
  return nodes;
}
`,
    check: `export default async function check(learner, t) {
  const trace = t.fn("trace");
  const run = (nodes, inputs) => {
    const v = {};
    for (const n of nodes) {
      const [a, b] = n.inputs.map((i) => v[i]);
      v[n.id] = n.op === "input" ? inputs[n.id] : n.op === "const" ? n.value : n.op === "add" ? a + b : n.op === "mul" ? a * b : Math.sin(a);
    }
    return v[nodes[nodes.length - 1].id];
  };
  const count = (nodes, op) => nodes.filter((n) => n.op === op).length;
  await t.case({ en: "f(x, y) = sin(x·y) + 1", zh: "f(x, y) = sin(x·y) + 1" }, () => {
    const g = trace((x, y) => x.mul(y).sin().add(1), ["x", "y"]);
    t.equal(g.slice(0, 2).map((n) => n.op), ["input", "input"]);
    for (const [x, y] of [[0.5, 2], [-1, 3]]) t.close(run(g, { x, y }), Math.sin(x * y) + 1, 1e-12);
  });
  await t.case({ en: "power(x, 3): the JS loop unrolls into two mul nodes", zh: "power(x, 3)：JS 循环展开成两个 mul 节点" }, () => {
    const power = (x, n) => { let y = x; for (let i = 1; i < n; i++) y = y.mul(x); return y; };
    const g = trace((x) => power(x, 3), ["x"]);
    t.equal(count(g, "mul"), 2);
    t.close(run(g, { x: 1.5 }), 3.375, 1e-12);
  });
  await t.case({ en: "a value used twice is one node read twice", zh: "被用两次的值是一个节点，被读两次" }, () => {
    const g = trace((x) => { const s = x.sin(); return s.mul(s); }, ["x"]);
    t.equal(count(g, "sin"), 1);
    t.close(run(g, { x: 0.7 }), Math.sin(0.7) ** 2, 1e-12);
  });
}
`,
    hints: [
      {
        en: "A small class whose methods push { id, op, inputs } onto a shared list and return a new instance holding the new id.",
        zh: "写一个小类：它的方法把 { id, op, inputs } 推入共享的列表，并返回一个持有新 id 的新实例。",
      },
      {
        en: "Turn a number operand into a const node first (push it, then use its id as the input).",
        zh: "先把数值操作数变成 const 节点（推入列表，再用它的 id 作为输入）。",
      },
    ],
  },
]);
