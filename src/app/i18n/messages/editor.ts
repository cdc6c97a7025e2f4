/** The editor's own hints (markers under the code). `{expr}` and `{name}` are the learner's code. */
export const editor = {
  unawaitedRead: {
    en: "{expr} returns a Promise, so this prints “Promise”, not the number: reading a tensor waits for its values (they may still be on the GPU). Write await {expr}.",
    zh: "{expr} 返回的是 Promise，所以这里打印出的是“Promise”而不是数值：读取张量要等它的值算完（值可能还在 GPU 上）。请写成 await {expr}。",
  },
  moduleNotCallable: {
    en: "{name} is a module, and a module is an object: JavaScript cannot call an object the way Python calls __call__. Write {name}.forward(x), or {name}.call(x), which also names its parameters in the Tape panel.",
    zh: "{name} 是一个模块，而模块是对象：JavaScript 不能像 Python 的 __call__ 那样调用对象。请写成 {name}.forward(x)，或 {name}.call(x)（它还会在 Tape 面板中为参数命名）。",
  },
} as const;
