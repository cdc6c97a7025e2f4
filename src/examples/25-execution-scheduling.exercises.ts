import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "which-peak",
    prompt: {
      en: "With 4 branches (hidden width 64), which order needs less memory at its peak, and why?",
      zh: "有 4 条分支（隐藏宽度 64）时，哪种执行顺序的峰值内存更小？为什么？",
    },
    choices: [
      { en: "Kahn's order: it runs the wide matmuls first and is done with them", zh: "Kahn 顺序：它先做完宽的矩阵乘法，之后就不用再管它们" },
      {
        en: "The memory-aware order: it finishes a branch before opening the next, so fewer hidden activations are live at once",
        zh: "内存感知顺序：它先做完一条分支再开始下一条，所以同时活跃的隐藏激活更少",
      },
      { en: "Neither: every topological order has the same peak", zh: "一样：所有拓扑序的峰值都相同" },
    ],
    answer: 1,
    explanation: {
      en: "Kahn's order holds all 4 hidden activations [8, 64] at once: 4·(4·512 + 128) = 8704 B. The memory-aware order holds two at most: 4·(2·512 + 3·128) = 5632 B. The price: the branches then run one after another instead of side by side on 4 streams.",
      zh: "Kahn 顺序同时保留全部 4 个 [8, 64] 的隐藏激活：4·(4·512 + 128) = 8704 B。内存感知顺序最多同时保留两个：4·(2·512 + 3·128) = 5632 B。代价是分支只能一条接一条执行，而不能在 4 条流上并排执行。",
    },
  },
  {
    kind: "implement",
    id: "topological-sort",
    prompt: {
      en: "Write the scheduler's first job: `topoSort(nodes)` takes the nodes of a graph in any order, each `{ id, inputs }` (the ids of the nodes it reads; graph inputs are not listed), and returns all ids in an order where every node comes after the nodes it reads. Use Kahn's algorithm: count each node's unmet inputs, start from the nodes with none, and when a node runs, release its users. The check shuffles graphs (the residual block of this lesson among them) and checks every edge.",
      zh: "实现调度器的第一项工作：`topoSort(nodes)` 接收计算图中任意顺序的节点，每个为 `{ id, inputs }`（它读取的节点的 id；图的输入不列出），返回全部 id，使每个节点都排在它所读取的节点之后。请用 Kahn 算法：统计每个节点尚未满足的输入数，从没有输入的节点开始，每执行一个节点就释放它的使用者。检查会打乱若干计算图（包括本课的残差模块）的节点顺序，并逐条检查每条边。",
    },
    starter: `/** One node of a graph: its id and the ids of the nodes whose results it reads. */
export interface GraphNode {
  id: number;
  inputs: number[];
}

/** The ids of \`nodes\` in an order where each node comes after every node it reads (Kahn's algorithm). */
export function topoSort(nodes: GraphNode[]): number[] {
  // TODO: Kahn's algorithm. For now: the order given, which is only right when it already is topological.
  return nodes.map((n) => n.id);
}

console.log(topoSort([{ id: 2, inputs: [1] }, { id: 1, inputs: [] }]));
`,
    solution: `/** One node of a graph: its id and the ids of the nodes whose results it reads. */
export interface GraphNode {
  id: number;
  inputs: number[];
}

/** The ids of \`nodes\` in an order where each node comes after every node it reads (Kahn's algorithm). */
export function topoSort(nodes: GraphNode[]): number[] {
  const waiting = new Map<number, number>();
  const users = new Map<number, number[]>();
  for (const n of nodes) {
    const ins = new Set(n.inputs);
    waiting.set(n.id, ins.size);
    for (const i of ins) users.set(i, [...(users.get(i) ?? []), n.id]);
  }
  const queue = nodes.filter((n) => waiting.get(n.id) === 0).map((n) => n.id);
  const order: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    order.push(id);
    for (const u of users.get(id) ?? []) {
      const left = waiting.get(u)! - 1;
      waiting.set(u, left);
      if (left === 0) queue.push(u);
    }
  }
  if (order.length !== nodes.length) throw new Error("the graph has a cycle");
  return order;
}

console.log(topoSort([{ id: 2, inputs: [1] }, { id: 1, inputs: [] }]));
`,
    check: `export default async function check(learner, t) {
  const topoSort = t.fn("topoSort");
  // A seeded shuffle, so every run checks the same orders.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const shuffled = (xs) => { const a = xs.slice(); for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; };
  const expectTopological = (nodes, got) => {
    if (!Array.isArray(got)) t.fail("an array of ids", String(got));
    const at = new Map(got.map((id, k) => [id, k]));
    t.equal([...got].sort((a, b) => a - b), nodes.map((n) => n.id).sort((a, b) => a - b));
    for (const n of nodes) for (const i of n.inputs) if (!(at.get(i) < at.get(n.id))) t.fail("node " + i + " before node " + n.id + " (it reads it)", "node " + n.id + " at position " + at.get(n.id) + ", node " + i + " at " + at.get(i));
  };
  // The residual block with 3 branches, as its optimized graph's nodes depend on each other.
  const block = [
    { id: 1, inputs: [] }, { id: 2, inputs: [] }, { id: 3, inputs: [] },
    { id: 4, inputs: [2] }, { id: 5, inputs: [3] }, { id: 6, inputs: [1, 4, 5] },
    { id: 7, inputs: [6] }, { id: 8, inputs: [7] }, { id: 9, inputs: [8] }, { id: 10, inputs: [6, 9] },
  ];
  await t.case({ en: "the residual block, nodes listed last first", zh: "残差模块，节点倒序给出" }, () => expectTopological(block, topoSort(block.slice().reverse())));
  await t.case({ en: "the residual block, shuffled", zh: "残差模块，打乱顺序" }, () => expectTopological(block, topoSort(shuffled(block))));
  // A random DAG: node k reads up to three earlier nodes.
  const dag = Array.from({ length: 40 }, (_, k) => ({ id: 100 + k, inputs: k === 0 ? [] : Array.from({ length: Math.floor(rand() * 4) }, () => 100 + Math.floor(rand() * k)) }));
  await t.case({ en: "a random graph of 40 nodes, shuffled", zh: "40 个节点的随机计算图，打乱顺序" }, () => expectTopological(dag, topoSort(shuffled(dag))));
}
`,
    hints: [
      {
        en: "Keep a count of unmet inputs per node (count an input read twice once) and a list of users per node.",
        zh: "为每个节点记录尚未满足的输入个数（同一个输入读两次只算一次），并为每个节点记录它的使用者列表。",
      },
      {
        en: "Start a queue with the nodes whose count is 0; when you take a node from the queue, append it to the order and decrement each user's count, queueing those that reach 0.",
        zh: "把计数为 0 的节点放进队列；每从队列取出一个节点，就把它加入顺序，并把它每个使用者的计数减一，减到 0 的入队。",
      },
    ],
  },
]);
