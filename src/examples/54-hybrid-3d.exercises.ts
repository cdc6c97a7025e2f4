import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "tp-axis",
    prompt: {
      en: "8 GPUs in two nodes form a dp × pp × tp = 2 × 2 × 2 mesh. Which axis must stay inside a node?",
      zh: "两台节点共 8 块 GPU 组成 dp × pp × tp = 2 × 2 × 2 的 mesh。哪一个轴必须留在节点内部？",
    },
    choices: [
      { en: "tp (tensor parallel)", zh: "tp（张量并行）" },
      { en: "pp (pipeline parallel)", zh: "pp（流水线并行）" },
      { en: "dp (data parallel)", zh: "dp（数据并行）" },
    ],
    answer: 0,
    explanation: {
      en: "Tensor parallelism all-reduces activations in every layer, which needs NVLink; pipeline and data parallelism communicate far less often.",
      zh: "张量并行在每一层都要对激活做 allReduce，需要 NVLink；流水线并行和数据并行的通信频率低得多。",
    },
  },
]);
