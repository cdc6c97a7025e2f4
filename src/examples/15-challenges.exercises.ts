import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "checkpointing-cost",
    prompt: {
      en: "Checkpointing keeps only each block's input during the forward pass. What does the backward pass pay for that?",
      zh: "检查点（checkpointing）在前向时只保存每个块的输入。反向传播要为此付出什么？",
    },
    choices: [
      { en: "Nothing", zh: "什么也不用" },
      { en: "It recomputes each block's forward", zh: "重新计算每个块的前向" },
      { en: "Its gradients become approximate", zh: "梯度变成近似值" },
    ],
    answer: 1,
    explanation: {
      en: "The inside of each block is recomputed from the saved input when its backward runs: more compute, less memory, exactly the same gradients.",
      zh: "反向经过某个块时，会从保存的输入重新计算块内部：计算更多、内存更少，梯度完全相同。",
    },
  },
]);
