/** Help → PyTorch → webgrad: the cheat sheet's frame and one note per row (the code is code, not translated). */
export const cheatsheet = {
  menuItem: { en: "PyTorch → webgrad", zh: "PyTorch → webgrad 对照" },
  menuHint: { en: "the same program, line by line: what changes and why", zh: "同一个程序逐行对照：哪里不同，为什么" },
  title: { en: "PyTorch → webgrad", zh: "PyTorch → webgrad 对照表" },
  intro: {
    en: "webgrad follows PyTorch's names where JavaScript allows. What changes comes from the language: no operator overloading, no keyword arguments, no __call__, and reading values is asynchronous.",
    zh: "webgrad 在 JavaScript 允许的地方沿用 PyTorch 的命名。不同之处都来自语言本身：没有运算符重载、没有关键字参数、没有 __call__，而且读取数值是异步的。",
  },
  colTorch: { en: "PyTorch", zh: "PyTorch" },
  colWebgrad: { en: "webgrad", zh: "webgrad" },
  colWhy: { en: "Why", zh: "说明" },
  close: { en: "Close", zh: "关闭" },
  import: { en: 'Import what you use from "webgrad" (the editor completes the names).', zh: '从 "webgrad" 导入要用的名字（编辑器会自动补全）。' },
  tensor: { en: "float32 by default, as in PyTorch.", zh: "默认 float32，与 PyTorch 相同。" },
  shapes: { en: "A shape is one array argument.", zh: "形状作为一个数组参数传入。" },
  requiresGrad: { en: "Keyword arguments become an options object.", zh: "关键字参数改为一个选项对象。" },
  operators: {
    en: "No operator overloading: + − * / @ are methods (add, sub, mul, div, matmul).",
    zh: "没有运算符重载：+ − * / @ 都是方法（add、sub、mul、div、matmul）。",
  },
  reduce: { en: "Positional arguments: the axis, then keepdims.", zh: "按位置传参：先轴，再 keepdims。" },
  reshape: { en: "The new shape is one array.", zh: "新形状是一个数组。" },
  slice: {
    en: "No [ ] indexing on objects: one spec per dimension, [start, stop] for a range.",
    zh: "对象不支持 [ ] 索引：每个维度一个描述，区间写成 [start, stop]。",
  },
  item: {
    en: "Reading values is asynchronous (they may still be on the GPU): await it, or it prints “Promise”.",
    zh: "读取数值是异步的（值可能还在 GPU 上）：要加 await，否则打印出的是“Promise”。",
  },
  print: { en: "The console prints tensors the way PyTorch does.", zh: "控制台按 PyTorch 的格式打印张量。" },
  backward: { en: "The same: gradients add up in .grad of each leaf.", zh: "完全一样：梯度累加到每个叶子张量的 .grad 中。" },
  noGrad: { en: "A function instead of a with block.", zh: "用一个函数代替 with 语句块。" },
  module: {
    en: "A class that extends nn.Module, with forward; parameters are found in its fields.",
    zh: "继承 nn.Module 的类，实现 forward；参数从它的字段中自动找到。",
  },
  linear: { en: "Classes take new; every layer also has a lowercase factory.", zh: "类要用 new 创建；每个层也有一个小写的工厂函数。" },
  call: {
    en: "A JavaScript object cannot be called (there is no __call__): call forward, or call(x), which also names the parameters in the Tape panel.",
    zh: "JavaScript 对象不能被调用（没有 __call__）：请调用 forward，或用 call(x)，它还会在 Tape 面板中为参数命名。",
  },
  loss: { en: "Losses and layers in camelCase, directly under nn (and nn.functional).", zh: "损失函数与层用驼峰命名，直接位于 nn（以及 nn.functional）下。" },
  optimizer: { en: "Lowercase factories; options in an object.", zh: "小写的工厂函数；选项放在对象中。" },
  step: { en: "The same three steps, in camelCase.", zh: "同样的三步，改为驼峰命名。" },
  seed: { en: "One global seed for every random op.", zh: "一个全局种子控制所有随机算子。" },
  compile: {
    en: "Traces the function into a graph that the optimization passes rewrite (see the Graph panel).",
    zh: "把函数追踪成计算图，再由优化 pass 改写（见 Graph 面板）。",
  },
  grad: { en: "Function transforms as in torch.func (and JAX).", zh: "与 torch.func（以及 JAX）相同的函数变换。" },
} as const;
