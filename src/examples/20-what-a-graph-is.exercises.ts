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
]);
