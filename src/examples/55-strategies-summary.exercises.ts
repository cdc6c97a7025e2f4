import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "zero3-trade",
    prompt: {
      en: "ZeRO stage 3 against plain data parallelism: memory on each device and bytes over the links?",
      zh: "ZeRO 第 3 阶段与普通数据并行相比：每个设备的显存和链路上传输的字节数？",
    },
    choices: [
      { en: "Less memory, more bytes", zh: "显存更少，传输更多" },
      { en: "Less memory, the same bytes", zh: "显存更少，传输不变" },
      { en: "The same memory, fewer bytes", zh: "显存不变，传输更少" },
    ],
    answer: 0,
    explanation: {
      en: "It shards everything (memory falls with the device count) and all-gathers the parameters when they are needed: 3Ψ instead of 2Ψ.",
      zh: "它切分了全部模型状态（显存随设备数下降），在需要时 all-gather 参数：通信量从 2Ψ 变为 3Ψ。",
    },
  },
]);
