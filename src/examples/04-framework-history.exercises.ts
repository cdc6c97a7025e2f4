import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "print-in-graph",
    prompt: {
      en: 'In era 2 you add `console.log("building")` as the first line inside `train_op`\'s function. The session then runs it three times. How often does “building” print?',
      zh: '在时代 2 中，你在 `train_op` 的函数体第一行加上 `console.log("building")`，随后 session 执行它三次。“building” 会打印几次？',
    },
    choices: [
      { en: "Three times, once per session.run", zh: "三次，每次 session.run 一次" },
      {
        en: "Once, while the graph is built; the runs replay the graph without running your code",
        zh: "一次，在构图时；之后的执行只重放计算图，不再运行你的代码",
      },
      { en: "Never: graph code cannot print", zh: "一次也不会：图代码不能打印" },
    ],
    answer: 1,
    explanation: {
      en: "Building the graph runs your function once on placeholders (lower() here); every later call feeds the graph it built. That is why TF1 needed tf.Print, a graph op, to print values at run time.",
      zh: "构图时你的函数只在占位符上运行一次（这里是 lower()）；之后的每次调用都是把数据喂给已经建好的图。这就是 TF1 为什么需要 tf.Print 这样的图算子才能在运行时打印数值。",
    },
  },
  {
    kind: "predict",
    id: "retrace-count",
    prompt: {
      en: "In era 4 the compiled step runs three times on 8 points, then once on 16 points. How many traces does it print? (a number)",
      zh: "在时代 4 中，编译后的训练步在 8 个点上执行三次，再在 16 个点上执行一次。它打印的追踪次数是多少？（填一个数）",
    },
    answer: 2,
    tolerance: 0,
    explanation: {
      en: "lower() traces for 8 points and the three calls reuse that graph; 16 points is a new input shape, so the cache's guard fails and jit traces again: 2.",
      zh: "lower() 针对 8 个点追踪了一次，随后三次调用复用这张图；16 个点是新的输入形状，缓存的守卫检查失败，jit 重新追踪：共 2 次。",
    },
  },
  {
    kind: "implement",
    id: "session-run",
    prompt: {
      en: "Build the dataflow-graph era in miniature. `placeholder`, `constant`, `add` and `mul` only build nodes; write `run(node, feed)`, the session: it computes a node from its inputs, reading each placeholder's value from `feed`, and throws when a placeholder was not fed (as TF1's `You must feed a value for placeholder` did).",
      zh: "动手做一个迷你的数据流图。`placeholder`、`constant`、`add`、`mul` 只负责构建节点；请实现 `run(node, feed)`，也就是 session：它根据输入计算一个节点，占位符的值从 `feed` 中读取；某个占位符没有被喂值时抛出错误（就像 TF1 的 `You must feed a value for placeholder`）。",
    },
    starter: `/** A node of a dataflow graph: built first, computed only when a session runs it. */
export type GraphNode = { op: "placeholder"; name: string } | { op: "const"; value: number } | { op: "add" | "mul"; a: GraphNode; b: GraphNode };

export const placeholder = (name: string): GraphNode => ({ op: "placeholder", name });
export const constant = (value: number): GraphNode => ({ op: "const", value });
export const add = (a: GraphNode, b: GraphNode): GraphNode => ({ op: "add", a, b });
export const mul = (a: GraphNode, b: GraphNode): GraphNode => ({ op: "mul", a, b });

/** session.run: the value of \`node\`, with the placeholders' values taken from \`feed\`. */
export function run(node: GraphNode, feed: Record<string, number>): number {
  // TODO: a placeholder reads feed[name] (throw if it is missing), a constant is its value,
  // add and mul compute their two inputs first.
  return 0;
}

// Phase 1, build: y = 2·x + 1, before any data exists.
const x = placeholder("x");
const y = add(mul(constant(2), x), constant(1));
// Phase 2, run: feed x.
console.log([1, 2, 3].map((v) => run(y, { x: v })));
`,
    solution: `/** A node of a dataflow graph: built first, computed only when a session runs it. */
export type GraphNode = { op: "placeholder"; name: string } | { op: "const"; value: number } | { op: "add" | "mul"; a: GraphNode; b: GraphNode };

export const placeholder = (name: string): GraphNode => ({ op: "placeholder", name });
export const constant = (value: number): GraphNode => ({ op: "const", value });
export const add = (a: GraphNode, b: GraphNode): GraphNode => ({ op: "add", a, b });
export const mul = (a: GraphNode, b: GraphNode): GraphNode => ({ op: "mul", a, b });

/** session.run: the value of \`node\`, with the placeholders' values taken from \`feed\`. */
export function run(node: GraphNode, feed: Record<string, number>): number {
  switch (node.op) {
    case "placeholder": {
      const v = feed[node.name];
      if (v === undefined) throw new Error(\`You must feed a value for placeholder \${node.name}\`);
      return v;
    }
    case "const":
      return node.value;
    case "add":
      return run(node.a, feed) + run(node.b, feed);
    case "mul":
      return run(node.a, feed) * run(node.b, feed);
  }
}

// Phase 1, build: y = 2·x + 1, before any data exists.
const x = placeholder("x");
const y = add(mul(constant(2), x), constant(1));
// Phase 2, run: feed x.
console.log([1, 2, 3].map((v) => run(y, { x: v })));
`,
    check: `export default async function check(learner, t) {
  const placeholder = t.fn("placeholder"), constant = t.fn("constant"), add = t.fn("add"), mul = t.fn("mul"), run = t.fn("run");
  const x = placeholder("x"), w = placeholder("w");
  // loss-like graph: (w·x + 1 − 3)·(w·x + 1 − 3)
  const e = add(add(mul(w, x), constant(1)), constant(-3));
  const loss = mul(e, e);
  for (const [wv, xv] of [[0, 1], [2, 1], [1.5, -2], [3, 0.5]]) {
    await t.case({ en: "w = " + wv + ", x = " + xv, zh: "w = " + wv + "，x = " + xv }, () => {
      const want = (wv * xv + 1 - 3) ** 2;
      t.close(run(loss, { w: wv, x: xv }), want, 1e-9);
    });
  }
  await t.case({ en: "the same graph, fed again, gives a new value", zh: "同一张图再喂一次数据，得到新的值" }, () => {
    const y = add(mul(constant(2), x), constant(1));
    t.equal([1, 2, 3].map((v) => run(y, { x: v })), [3, 5, 7]);
  });
  await t.case({ en: "a placeholder that was not fed throws", zh: "没有喂值的占位符会抛出错误" }, () => {
    let threw = false;
    try {
      run(add(x, w), { x: 1 });
    } catch {
      threw = true;
    }
    if (!threw) t.fail("an error: w was not fed", "a value");
  });
}
`,
    hints: [
      {
        en: "Switch on node.op. The graph is a tree here, so run can call itself on node.a and node.b.",
        zh: "按 node.op 分情况处理。这里的图是一棵树，所以 run 可以对 node.a 和 node.b 递归调用自己。",
      },
      {
        en: "For a placeholder: const v = feed[node.name]; if (v === undefined) throw new Error(…); return v;",
        zh: "占位符：const v = feed[node.name]; if (v === undefined) throw new Error(…); return v;",
      },
    ],
  },
]);
