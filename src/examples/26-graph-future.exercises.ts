import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "bucketed-traces",
    prompt: {
      en: "Requests come with every batch size from 1 to 8. With bucketing (each batch padded to the next power of two), how many times does jit trace?",
      zh: "请求的批大小从 1 到 8 各种都有。使用分桶（每个批次填充到下一个 2 的幂）时，jit 要追踪多少次？",
    },
    answer: 4,
    tolerance: 0,
    explanation: {
      en: "The padded sizes are 1, 2, 4 and 8: four shapes, so four traces (⌈log₂ 8⌉ + 1), against eight with exact shapes. The price: batch 5 computes 8 rows.",
      zh: "填充后的大小只有 1、2、4、8 四种形状，所以追踪 4 次（⌈log₂ 8⌉ + 1），而精确形状要追踪 8 次。代价是批大小为 5 时要计算 8 行。",
    },
  },
  {
    kind: "implement",
    id: "guard-key",
    prompt: {
      en: "Write the guard of a trace cache: `cacheKey(args)` returns a string, equal for two calls exactly when they may share a trace. Arguments are tensors (key their dtype and shape, not their values) and JS numbers (key their exact value: the trace baked it in). The check calls it on pairs that must hit and pairs that must retrace, and compares with how webgrad's own `jit` counts traces.",
      zh: "实现追踪缓存的守卫：`cacheKey(args)` 返回一个字符串，两次调用可以共用一次追踪时（且仅在此时）它们相等。参数可以是张量（以 dtype 和形状为键，而不是数值）或 JS 数值（以确切的值为键：追踪已把它固化进图）。检查会用必须命中和必须重新追踪的调用对来测试它，并与 webgrad 自己的 `jit` 统计的追踪次数对照。",
    },
    starter: `import { Tensor } from "webgrad";

/** A key equal for two calls exactly when they may share one trace. */
export function cacheKey(args: (Tensor | number)[]): string {
  // TODO: one part per argument: a tensor's dtype and shape, a number's value
  return String(args.length);
}
`,
    solution: `import { Tensor } from "webgrad";

/** A key equal for two calls exactly when they may share one trace. */
export function cacheKey(args: (Tensor | number)[]): string {
  return args.map((a) => (a instanceof Tensor ? \`\${a.dtype}[\${a.shape.join(",")}]\` : \`number \${a}\`)).join(" | ");
}
`,
    check: `export default async function check(learner, t, wg) {
  const cacheKey = t.fn("cacheKey");
  const calls = [
    [wg.randn([2, 4]), 1],
    [wg.randn([2, 4]), 1],
    [wg.randn([3, 4]), 1],
    [wg.randn([2, 4]), 0.5],
    [wg.randn([2, 4], { dtype: "float64" }), 1],
    [wg.randn([4, 2]), 1],
    [wg.randn([2, 4]), 1],
  ];
  wg.setMode("graph");
  const f = wg.jit((x, k) => x.mul(k));
  const keys = new Set();
  for (const [k, args] of calls.entries()) {
    await t.case("call " + (k + 1) + ": " + args[0].dtype + "[" + args[0].shape + "], " + args[1], () => {
      const before = f.traceCount;
      f(...args);
      const key = cacheKey(args);
      const retraced = f.traceCount > before;
      if (retraced === keys.has(key)) t.fail(retraced ? "a new key (jit retraced)" : "a key seen before (jit reused its trace)", JSON.stringify(key));
      keys.add(key);
    });
  }
}
`,
    hints: [
      {
        en: "Two tensors with the same dtype and shape share a trace whatever their values: the graph does not depend on the data.",
        zh: "dtype 和形状都相同的两个张量可以共用一次追踪，不论数值是多少：计算图不依赖数据。",
      },
      {
        en: "Shapes [3, 4] and [4, 3] have the same numbers: join a shape's dimensions in order, and keep a separator between arguments.",
        zh: "形状 [3, 4] 和 [4, 3] 的数字相同：按顺序拼接各维，参数之间也要留分隔符。",
      },
    ],
  },
]);
