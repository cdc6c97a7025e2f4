import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "A tiny Transformer writes like Lewis Carroll (almost)", zh: "迷你 Transformer 学写刘易斯·卡罗尔（差不多）" },
  body: {
    en: [
      'A **character-level language model**: the first pages of "Alice\'s Adventures in Wonderland" (bundled) are cut into windows of $T = 32$ characters, and the model learns to predict each next character from the ones before it. The targets are the inputs shifted by one, so every window gives 32 training examples at once.',
      "Characters become vectors: a learned **token embedding** plus a learned **position embedding**, $h_t = E_\\text{tok}[x_t] + E_\\text{pos}[t]$, so the model knows both what each character is and where it stands. Two pre-norm **Transformer blocks** mix them, each computing $h + \\operatorname{Attn}(\\operatorname{LN}(h))$ and then $h + \\operatorname{MLP}(\\operatorname{LN}(h))$. The attention is **causal**: a mask of $-\\infty$ above the diagonal lets each position look only at itself and earlier ones, so predicting the next character never sees it. A final LayerNorm and a linear layer score every character of the vocabulary.",
      "The loss is the cross-entropy of each next character. An untrained model spreads its probability evenly, which costs $\\ln V \\approx 4$ nats per character; every nat below that is structure it has learned: which letters follow which, where spaces go, common words.",
      "To write, the model scores the next character after the last 32, the softmax turns the scores into probabilities, and one character is **sampled** from them by inverse transform: draw $u$ uniformly in $[0, 1)$ and take the first $k$ whose cumulative probability exceeds $u$. The character is appended and the window slides on. The sampler draws from a seeded generator, so a run repeats exactly: gibberish at first, then words, spaces and punctuation in the right places.",
    ].join("\n\n"),
    zh: [
      "一个**字符级语言模型**：把《爱丽丝漫游奇境》的开头几页（已打包）切成长度 $T = 32$ 个字符的窗口，模型学习根据前面的字符预测下一个字符。目标就是输入向后错一位，所以每个窗口一次提供 32 个训练样本。",
      "字符先变成向量：一个可学习的**词元嵌入**加一个可学习的**位置嵌入**，$h_t = E_\\text{tok}[x_t] + E_\\text{pos}[t]$，这样模型既知道每个字符是什么，也知道它在哪个位置。两个前置归一化的 **Transformer 块**把它们混合起来，每块先算 $h + \\operatorname{Attn}(\\operatorname{LN}(h))$，再算 $h + \\operatorname{MLP}(\\operatorname{LN}(h))$。注意力是**因果**的：对角线以上填 $-\\infty$ 的掩码让每个位置只能看到自己和之前的位置，所以预测下一个字符时看不到它本身。最后一个 LayerNorm 和一个线性层为词表中的每个字符打分。",
      "损失是每个下一字符的交叉熵。未训练的模型把概率平均分配，每个字符的代价是 $\\ln V \\approx 4$ 奈特；低于它的每一奈特都是学到的结构：哪些字母跟在哪些字母后面、空格放在哪里、常见的单词。",
      "写作时，模型为最后 32 个字符之后的下一个字符打分，softmax 把得分变成概率，再用逆变换**采样**出一个字符：在 $[0, 1)$ 上均匀抽取 $u$，取累积概率第一次超过 $u$ 的那个 $k$。把这个字符接到末尾，窗口向后滑动。采样器使用固定种子的随机数生成器，所以每次运行结果完全一样：起初是乱码，然后出现单词，空格和标点也落在正确的位置。",
    ].join("\n\n"),
  },
  lookAt: {
    en: 'The Console: samples printed as it trains; the Plots panel: "loss" (cross-entropy per character: ln(vocabulary) ≈ 4 at the start).',
    zh: '控制台：训练过程中打印的采样文本；绘图面板："loss"（每个字符的交叉熵：开始时约为 ln(词表大小) ≈ 4）。',
  },
  panel: "console",
  formulas: [
    {
      tex: "h_t = E_\\text{tok}[x_t] + E_\\text{pos}[t]",
      line: "const h = this.tok.forward(x).add(this.pos.forward(this.positions));",
      label: { en: "token plus position embedding", zh: "词元嵌入加位置嵌入" },
    },
    {
      tex: "\\operatorname{Attn}(Q, K, V) = \\operatorname{softmax}\\Big(\\frac{QK^\\top}{\\sqrt{d_k}} + M\\Big)V, \\qquad M_{ts} = \\begin{cases} 0 & s \\le t \\\\ -\\infty & s > t \\end{cases}",
      line: "blocks = nn.sequential(nn.transformerBlock(D, 4, { causal: true })",
      label: { en: "causal self-attention (4 heads of d_k = 8)", zh: "因果自注意力（4 个头，d_k = 8）" },
    },
    {
      tex: "L = -\\frac{1}{BT}\\sum_{b,t} \\log p_\\theta\\big(x_{t+1} \\mid x_{\\le t}\\big), \\qquad L_\\text{start} \\approx \\ln V",
      line: "const loss = nn.crossEntropy(logits.reshape([B * T, V]), y.reshape([B * T]));",
      label: { en: "next-character cross-entropy", zh: "下一字符的交叉熵" },
    },
    {
      tex: "p_k = \\frac{e^{z_k}}{\\sum_j e^{z_j}}",
      line: ".softmax(-1),",
      label: { en: "the next character's probabilities", zh: "下一字符的概率" },
    },
    {
      tex: "k = \\min\\Big\\{k : \\sum_{j \\le k} p_j > u\\Big\\}, \\qquad u \\sim \\mathcal{U}[0, 1)",
      line: "while (k < V - 1 && u >= p[k]!) u -= p[k++]!;",
      label: { en: "sampling by inverse transform", zh: "逆变换采样" },
    },
  ],
  comments: {
    "The model: token + position embeddings, two causal Transformer blocks, a final norm, a projection to the vocabulary.":
      "模型：词元嵌入 + 位置嵌入，两个因果 Transformer 块，最后的归一化，以及到词表的投影。",
    "x: [B, T] character ids → [B, T, V] scores for the next character at every position": "x：[B, T] 个字符编号 → [B, T, V]，即每个位置上下一个字符的得分",
    "The next character's probabilities after a window of T characters.": "一个 T 字符窗口之后下一个字符的概率。",
    "Random windows from the text (inputs, and the same shifted by one as targets), from a seeded generator.":
      "从文本中随机取窗口（作为输入，向后错一位作为目标），使用固定种子的随机数生成器。",
    "Writes `length` characters after `prompt`, sampling each from the model's probabilities (seeded).":
      "在 `prompt` 之后写出 `length` 个字符，每个都按模型给出的概率采样（固定种子）。",
    "Read back only every few steps: each read waits for the device, training steps need not.":
      "只每隔几步读回一次：每次读回都要等待设备，而训练步本身不必等。",
    "steps(60): a quick run (Settings) writes a few characters, not 60.": "steps(60)：快速运行（设置中）只写出几个字符，而不是 60 个。",
  },
});
