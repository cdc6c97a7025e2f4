/**
 * The history lesson's timeline (example 04): four eras of AI frameworks, the frameworks that
 * opened each (year of first public release), and how one era's section of the example becomes a
 * program of its own ("Run this era" loads it into the editor and runs it).
 *
 * The example `04-framework-history.ts` holds one section per era, each opened by a comment
 * `// N. …` (N = 1…4). A snippet is the example's preamble (its imports and shared data, the lines
 * before section 1) plus one section. Comments are translated line for line
 * (`lessons/comments.ts` never moves a line), so the line numbers found in the English code cut
 * the Chinese code at the same places.
 * @module
 */
import type { Bilingual } from "../types";

/** The example this timeline belongs to. */
export const HISTORY_EXAMPLE_ID = "04-framework-history";

/** The four eras, oldest first. */
export type EraId = "library" | "dataflow" | "eager" | "compiler";

/** One era of the timeline. */
export interface Era {
  readonly id: EraId;
  /** 1-based: the number of its section comment in the example (`// 2. …`). */
  readonly section: number;
  readonly name: Bilingual;
  /** First year drawn for the era's band, and the last (the present for eras still in use). */
  readonly from: number;
  readonly to: number;
  /** How a program of that era is written. */
  readonly style: Bilingual;
  /** What its snippet shows when it runs, and which panel shows it. */
  readonly shows: Bilingual;
  /** The panel to open when its snippet runs. */
  readonly panel: string;
}

/** A framework on the timeline: the year it was first released to the public. */
export interface Milestone {
  readonly name: string;
  readonly year: number;
  readonly era: EraId;
  /** Who made it, and a note (bilingual). */
  readonly note: Bilingual;
}

/** The first year on the timeline's axis. */
export const TIMELINE_START = 2000;
/** The last year on the axis: an era still in use runs to here ("today"). */
export const TIMELINE_END = 2025;

/** The eras in order, each with the section of the example that shows it. */
export const eras: readonly Era[] = [
  {
    id: "library",
    section: 1,
    name: { en: "Library", zh: "库" },
    from: 2002,
    to: 2015,
    style: {
      en: "Arrays that compute at once, and layers whose backward pass is code you derive and type in (Caffe: a Backward() per layer).",
      zh: "数组运算立即执行；每一层的反向传播都要自己推导、自己写代码（Caffe：每一层各写一个 Backward()）。",
    },
    shows: {
      en: "Console: the loss and a gradient you derived by hand; the Tape panel stays empty: nothing was recorded.",
      zh: "控制台：损失和手推出来的梯度；“梯度带”面板是空的：框架什么都没有记录。",
    },
    panel: "console",
  },
  {
    id: "dataflow",
    section: 2,
    name: { en: "Dataflow graph", zh: "数据流图" },
    from: 2007,
    to: 2019,
    style: {
      en: "Declare the whole graph first (placeholders for data, tf.gradients adds the backward nodes), then a session feeds data and runs it.",
      zh: "先声明整张计算图（数据用占位符表示，tf.gradients 往图里加入反向节点），再由 session 喂入数据、执行这张图。",
    },
    shows: {
      en: "Console: the graph printed before any data exists, then the same graph fed three times; the Graph panel draws it.",
      zh: "控制台：在任何数据出现之前就打印出的计算图，然后同一张图被喂了三次数据；“计算图”面板把它画出来。",
    },
    panel: "graph",
  },
  {
    id: "eager",
    section: 3,
    name: { en: "Eager (define-by-run)", zh: "动态图（Define-by-Run）" },
    from: 2015,
    to: TIMELINE_END,
    style: {
      en: "Each line runs at once and records itself on a tape; print anything mid-model, use plain if/for; backward() replays the tape in reverse.",
      zh: "每一行立即执行，并把自己记录到梯度带（tape）上；可以在模型中间随手打印、直接用 if/for；backward() 反向重放这条梯度带。",
    },
    shows: {
      en: "Console: values printed as they are computed; the Tape panel: the ops recorded by the last step.",
      zh: "控制台：边算边打印的数值；“梯度带”面板：最后一步记录下的算子。",
    },
    panel: "tape",
  },
  {
    id: "compiler",
    section: 4,
    name: { en: "Compiler / DSL", zh: "编译器 / DSL" },
    from: 2017,
    to: TIMELINE_END,
    style: {
      en: "Write plain functions, transform them (grad, vmap), and let a compiler trace them into an IR, optimise it and run it; a new shape retraces.",
      zh: "写普通的函数，对函数做变换（grad、vmap），由编译器把它追踪成 IR、优化后执行；形状一变就重新追踪。",
    },
    shows: {
      en: "Console: the optimised IR (fused ops), the trace count after a new shape, and MindSpore-style derivative source code; the Graph panel: traced vs optimised.",
      zh: "控制台：优化后的 IR（融合后的算子）、换了形状之后的追踪次数，以及 MindSpore 式的源码变换求导结果；“计算图”面板：追踪出的图与优化后的图。",
    },
    panel: "graph",
  },
];

/**
 * Frameworks and the year each was first released to the public (or, for Theano, began: it was
 * first presented at SciPy 2010). PyTorch was first released in late 2016 and announced in
 * January 2017; torch.compile came with PyTorch 2.0 (March 2023).
 */
export const milestones: readonly Milestone[] = [
  {
    name: "Torch",
    year: 2002,
    era: "library",
    note: { en: "Collobert, Bengio, Mariéthoz (IDIAP); Lua Torch7 in 2011", zh: "Collobert、Bengio、Mariéthoz（IDIAP）；2011 年出现 Lua 版 Torch7" },
  },
  { name: "NumPy", year: 2006, era: "library", note: { en: "Travis Oliphant: the n-d array everyone copied", zh: "Travis Oliphant：后来人人效仿的 n 维数组" } },
  {
    name: "Caffe",
    year: 2013,
    era: "library",
    note: { en: "Yangqing Jia, UC Berkeley: layers with hand-written Forward/Backward", zh: "贾扬清，UC Berkeley：每层手写 Forward/Backward" },
  },
  {
    name: "Theano",
    year: 2007,
    era: "dataflow",
    note: { en: "Montréal (MILA): symbolic graphs, T.grad, compiled to C/CUDA", zh: "蒙特利尔（MILA）：符号计算图、T.grad，编译成 C/CUDA" },
  },
  {
    name: "TensorFlow",
    year: 2015,
    era: "dataflow",
    note: { en: "Google, November 2015: graph + Session.run", zh: "Google，2015 年 11 月：计算图 + Session.run" },
  },
  {
    name: "MXNet",
    year: 2015,
    era: "dataflow",
    note: { en: "DMLC (CMU, UW …): symbolic and imperative mixed", zh: "DMLC（CMU、华盛顿大学等）：符号式与命令式混合" },
  },
  {
    name: "Chainer",
    year: 2015,
    era: "eager",
    note: { en: "Preferred Networks, June 2015: the first define-by-run framework", zh: "Preferred Networks，2015 年 6 月：第一个 define-by-run 框架" },
  },
  {
    name: "PyTorch",
    year: 2016.9,
    era: "eager",
    note: { en: "Facebook AI Research: released late 2016, announced January 2017", zh: "Facebook AI Research：2016 年底发布，2017 年 1 月正式公开" },
  },
  {
    name: "TF 2.0",
    year: 2019.7,
    era: "eager",
    note: { en: "Google, September 2019: eager by default, tf.function to compile", zh: "Google，2019 年 9 月：默认即时执行，用 tf.function 编译" },
  },
  {
    name: "XLA",
    year: 2017,
    era: "compiler",
    note: { en: "Google: the linear-algebra compiler behind TensorFlow and JAX", zh: "Google：TensorFlow 与 JAX 背后的线性代数编译器" },
  },
  {
    name: "JAX",
    year: 2018,
    era: "compiler",
    note: {
      en: "Google: SysML 2018 paper, open-sourced December 2018; jit(grad(f)) by tracing",
      zh: "Google：SysML 2018 论文，2018 年 12 月开源；靠追踪实现 jit(grad(f))",
    },
  },
  {
    name: "MindSpore",
    year: 2020.2,
    era: "compiler",
    note: {
      en: "Huawei, open-sourced 28 March 2020: source-to-source autodiff, graph and PyNative modes",
      zh: "华为，2020 年 3 月 28 日开源：源码变换自动微分，静态图与 PyNative 两种模式",
    },
  },
  {
    name: "torch.compile",
    year: 2023.2,
    era: "compiler",
    note: {
      en: "PyTorch 2.0, March 2023: captures eager code into graphs (TorchDynamo)",
      zh: "PyTorch 2.0，2023 年 3 月：把动态图代码捕获成计算图（TorchDynamo）",
    },
  },
];

/** The first line of an era snippet: keeps the history lesson beside it (see `exampleForCode`). */
export function snippetHeader(era: EraId): string {
  return `// snippet: ${HISTORY_EXAMPLE_ID}/${era}`;
}

/** The 0-based line where each era's section starts in the example's English code, by section number. */
export function sectionStarts(englishCode: string): Map<number, number> {
  const starts = new Map<number, number>();
  englishCode.split("\n").forEach((line, i) => {
    const m = /^\/\/ ([1-9])\. /.exec(line);
    if (m) starts.set(Number(m[1]), i);
  });
  return starts;
}

/**
 * The program "Run this era" loads: the snippet header, the example's preamble and the era's
 * section, cut from `code` (the example in the UI language) at the lines found in `englishCode`.
 * Throws when the example has no such section (a test keeps the two in step).
 */
export function eraSnippet(era: Era, code: string, englishCode: string): string {
  const starts = sectionStarts(englishCode);
  const first = Math.min(...starts.values());
  const from = starts.get(era.section);
  if (from === undefined || !Number.isFinite(first)) throw new Error(`the history example has no section ${era.section}`);
  const after = [...starts.values()].filter((s) => s > from);
  const to = after.length ? Math.min(...after) : undefined;
  const lines = code.split("\n");
  const preamble = lines.slice(0, first);
  const section = lines.slice(from, to);
  while (section.length && section[section.length - 1]!.trim() === "") section.pop();
  return [snippetHeader(era.id), ...preamble, ...section, ""].join("\n");
}

/** x position (0…1) of a year on the timeline. */
export function yearPosition(year: number): number {
  return (year - TIMELINE_START) / (TIMELINE_END - TIMELINE_START);
}
