import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Optimization passes one at a time", zh: "逐个查看图优化 pass" },
  body: {
    en: `Computation graphs — graph optimisation and execution scheduling. A compiler rewrites the traced graph in **passes**, each a small, checkable transformation:

**algebraic simplification** ($x \\cdot 1 = x$, $x + 0 = x$, $(x^\\top)^\\top = x$), **constant folding** ($2 \\cdot 3 = 6$ is known while tracing), **common-subexpression elimination** (the same matmul written twice is computed once), **dead-code elimination** (a value nobody uses is dropped), **fusion** (a chain of elementwise ops becomes one generated kernel; kernels of one shape that feed one another, such as an optimizer's update of a parameter, become one kernel that stores several results; independent small kernels run as one), **scheduling** into stages of independent ops, and **memory planning**, which reuses buffers whose values are dead.

After these passes, what is left of the function below is one matmul $h = xw$ (computed once) and the elementwise chain $\\operatorname{relu}(\\tanh(6\\,(h + h)) + 1)$, which fusion merges with the matmul into a single kernel (the printed IR's one \`fused[matmul+add+mul+tanh+add+relu]\` node). Step through the stages to see what each pass changed, and switch one off to see what it was worth in nodes, kernels and peak memory.`,
    zh: `计算图：图优化与执行调度。编译器以一系列 **pass** 改写追踪得到的计算图，每个 pass 都是一个小而可验证的变换：

**代数化简**（$x \\cdot 1 = x$、$x + 0 = x$、$(x^\\top)^\\top = x$）、**常量折叠**（$2 \\cdot 3 = 6$ 在追踪时就已知）、**公共子表达式消除**（写了两遍的同一个矩阵乘法只算一次）、**死代码消除**（没人使用的值被删掉）、**算子融合**（一串逐元素算子合成一个生成的内核；形状相同、互相供数的内核，例如优化器对一个参数的更新，合成一个写出多个结果的内核；互不相关的小内核合并为一次启动）、**调度**（把相互独立的算子分成若干阶段），以及**内存规划**（复用其中的值已不再需要的缓冲区）。

经过这些 pass，下面的函数只剩下一次矩阵乘法 $h = xw$（只算一次），以及逐元素算子链 $\\operatorname{relu}(\\tanh(6\\,(h + h)) + 1)$；算子融合把这条链连同矩阵乘法合并成一个内核（打印出的 IR 中唯一的 \`fused[matmul+add+mul+tanh+add+relu]\` 节点）。逐个阶段查看每个 pass 改了什么；关掉某个 pass，看看它在节点数、内核数和峰值内存上值多少。`,
  },
  lookAt: {
    en: "the Graph panel: step through the stages with ◀ ▶, Before/After and Diff for each pass; Stats to switch a pass off and run again",
    zh: "“计算图”面板：用 ◀ ▶ 逐个阶段查看，每个 pass 都有“之前/之后”和“差异”视图；在统计页关掉一个 pass 再运行",
  },
  panel: "graph",
  formulas: [
    { tex: "k = 2 \\cdot 3 = 6", line: "const k = tensor(2).mul(3);", label: { en: "constant folding", zh: "常量折叠" } },
    {
      tex: "y = \\operatorname{relu}\\big(\\tanh(k\\,(h_1 + h_2)) + 1\\big) = \\operatorname{relu}\\big(\\tanh(12\\, xw) + 1\\big)",
      line: "return h1.add(h2).mul(k).tanh().add(1).relu();",
      label: {
        en: "the elementwise chain that fusion turns into one kernel; after CSE, h₁ = h₂ = xw is one matmul",
        zh: "融合成一个内核的逐元素算子链；公共子表达式消除后，h₁ = h₂ = xw 只需一次矩阵乘法",
      },
    },
  ],
  comments: {
    "algebraic simplification: x·1 and x+0 do nothing; a double transpose is the identity": "代数化简：x·1 和 x+0 什么都不做；两次转置等于恒等变换",
    "constant folding: 2·3 is known when tracing": "常量折叠：2·3 在追踪时就已知",
    "common subexpressions: the same matmul written twice": "公共子表达式：同一个矩阵乘法写了两遍",
    "dead code: computed, never used": "死代码：算了，但从未使用",
    "fusion: a chain of elementwise ops becomes one kernel": "算子融合：一串逐元素算子变成一个内核",
  },
});
