import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "first-call",
    prompt: { en: "In graph (declarative) mode, which call of the training step takes the longest?", zh: "在图模式（声明式）下，训练步骤的哪一次调用最慢？" },
    choices: [
      { en: "The first: it traces and compiles the graph", zh: "第一次：它要追踪并编译计算图" },
      { en: "Every call takes the same time", zh: "每次调用耗时相同" },
      { en: "The last one", zh: "最后一次" },
    ],
    answer: 0,
    explanation: {
      en: "The first call runs the function on abstract tensors to record the graph and compiles it; later calls replay the compiled graph.",
      zh: "第一次调用会在抽象张量上运行函数来记录计算图并编译；之后的调用直接重放编译好的图。",
    },
  },
  {
    kind: "implement",
    id: "trace-cache",
    prompt: {
      en: "Build jit's cache in miniature. `trace(shape)` is the expensive part (it records the graph for inputs of that shape and returns something that runs it). Write `jitCache(trace)`: the function it returns traces on the first call for each input shape (here `[xs.length]`) and reuses that trace for every later call with the same shape. The check counts the traces.",
      zh: "动手做一个迷你的 jit 缓存。`trace(shape)` 是昂贵的部分（它为该形状的输入记录计算图，并返回一个能执行这张图的对象）。请实现 `jitCache(trace)`：它返回的函数对每种输入形状（这里是 `[xs.length]`）只在第一次调用时追踪，之后形状相同的调用都复用那次追踪的结果。检查会统计追踪的次数。",
    },
    starter: `/** What one trace produced: a runnable graph for inputs of one shape. */
export interface Traced {
  run(xs: number[]): number[];
}

/** jit in miniature: trace once per input shape, replay afterwards. */
export function jitCache(trace: (shape: number[]) => Traced): (xs: number[]) => number[] {
  return (xs) => {
    // TODO: keep the Traced of each shape (key: String([xs.length])) and trace only on a miss
    return trace([xs.length]).run(xs);
  };
}

let traces = 0;
const double = jitCache((shape) => {
  traces++;
  console.log("tracing for shape", shape);
  return { run: (xs) => xs.map((x) => 2 * x) };
});
double([1, 2]);
double([3, 4]);
double([1, 2, 3]);
console.log("traces:", traces); // 2 once the cache works
`,
    solution: `/** What one trace produced: a runnable graph for inputs of one shape. */
export interface Traced {
  run(xs: number[]): number[];
}

/** jit in miniature: trace once per input shape, replay afterwards. */
export function jitCache(trace: (shape: number[]) => Traced): (xs: number[]) => number[] {
  const cache = new Map<string, Traced>();
  return (xs) => {
    const key = String([xs.length]);
    let traced = cache.get(key);
    if (!traced) cache.set(key, (traced = trace([xs.length]))); // a miss: pay for the trace once
    return traced.run(xs);
  };
}

let traces = 0;
const double = jitCache((shape) => {
  traces++;
  console.log("tracing for shape", shape);
  return { run: (xs) => xs.map((x) => 2 * x) };
});
double([1, 2]);
double([3, 4]);
double([1, 2, 3]);
console.log("traces:", traces); // 2 once the cache works
`,
    check: `export default async function check(learner, t) {
  const jitCache = t.fn("jitCache");
  let traces = 0;
  const shapes = [];
  const square = jitCache((shape) => {
    traces++;
    shapes.push(shape[0]);
    return { run: (xs) => xs.map((x) => x * x) };
  });
  const calls = [[1, 2, 3], [4, 5, 6], [1, 2], [7, 8, 9], [3, 4], [1, 2, 3, 4, 5]];
  await t.case({ en: "every call gives the traced function's result", zh: "每次调用都得到追踪出的函数的结果" }, () => {
    t.equal(calls.map((xs) => square(xs)), calls.map((xs) => xs.map((x) => x * x)));
  });
  await t.case({ en: "one trace per distinct shape (3, 2, 5): 3 traces for 6 calls", zh: "每种不同的形状（3、2、5）只追踪一次：6 次调用共 3 次追踪" }, () => {
    t.equal(traces, 3);
    t.equal(shapes, [3, 2, 5]);
  });
}
`,
    hints: [
      {
        en: "Create a Map outside the returned function, so it lives as long as the jitted function does.",
        zh: "在返回的函数之外创建一个 Map，让它和被 jit 的函数活得一样久。",
      },
      {
        en: "let traced = cache.get(key); if (!traced) cache.set(key, (traced = trace([xs.length]))); return traced.run(xs);",
        zh: "let traced = cache.get(key); if (!traced) cache.set(key, (traced = trace([xs.length]))); return traced.run(xs);",
      },
    ],
  },
]);
