import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "used-twice",
    prompt: {
      en: "In `y = x * x`, x is used twice. How does backward combine the two contributions to x's gradient?",
      zh: "在 `y = x * x` 中 x 被用了两次。反向传播如何合并对 x 梯度的两份贡献？",
    },
    choices: [
      { en: "The second overwrites the first", zh: "后一份覆盖前一份" },
      { en: "They are added", zh: "相加" },
      { en: "They are multiplied", zh: "相乘" },
    ],
    answer: 1,
    explanation: {
      en: "The multivariate chain rule sums over every path from x to the loss, so each node adds (+=) into its inputs' gradients: here 2x.",
      zh: "多元链式法则对从 x 到损失的所有路径求和，所以每个节点把梯度累加（+=）到输入上：这里得到 2x。",
    },
  },
  {
    kind: "implement",
    id: "tape-backward",
    prompt: {
      en: "The engine of this lesson, cut down: every operation records a node on the tape with its backward step. Write `backward()`: seed the output's gradient with 1 and run the nodes' backward steps so that each node's gradient is complete before it is passed on. The check compares the gradients with webgrad's `grad` on four expressions.",
      zh: "本课引擎的精简版：每个运算都在 tape 上记录一个节点及其反向步骤。实现 `backward()`：把输出的梯度设为 1，并按正确的顺序执行各节点的反向步骤，使每个节点的梯度在往下传之前已经累加完整。检查会在四个表达式上把梯度与 webgrad 的 `grad` 对比。",
    },
    starter: `/** The tape: every Value made by an operation, in the order it was computed. */
let tape: Value[] = [];
export const resetTape = (): void => void (tape = []);

export class Value {
  grad = 0;
  /** Adds this node's gradient into its inputs' gradients (its local chain rule). */
  backwardStep: () => void = () => {};
  constructor(public data: number) {}
  private record(data: number, step: (out: Value) => void): Value {
    const out = new Value(data);
    out.backwardStep = () => step(out);
    tape.push(out);
    return out;
  }
  add(b: Value): Value {
    return this.record(this.data + b.data, (out) => {
      this.grad += out.grad;
      b.grad += out.grad;
    });
  }
  mul(b: Value): Value {
    return this.record(this.data * b.data, (out) => {
      this.grad += b.data * out.grad;
      b.grad += this.data * out.grad;
    });
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    return this.record(t, (out) => {
      this.grad += (1 - t * t) * out.grad;
    });
  }
  /** Reverse-mode AD: seed d(this)/d(this) = 1, then run every node's backward step. */
  backward(): void {
    this.grad = 1;
    // TODO: in which order must the steps run so that each node's grad is complete before it is used?
    for (const node of tape) node.backwardStep();
  }
}

const a = new Value(0.5),
  b = new Value(-1.5);
a.mul(b).add(a).tanh().backward();
console.log("d/da =", a.grad, " d/db =", b.grad);
`,
    solution: `/** The tape: every Value made by an operation, in the order it was computed. */
let tape: Value[] = [];
export const resetTape = (): void => void (tape = []);

export class Value {
  grad = 0;
  /** Adds this node's gradient into its inputs' gradients (its local chain rule). */
  backwardStep: () => void = () => {};
  constructor(public data: number) {}
  private record(data: number, step: (out: Value) => void): Value {
    const out = new Value(data);
    out.backwardStep = () => step(out);
    tape.push(out);
    return out;
  }
  add(b: Value): Value {
    return this.record(this.data + b.data, (out) => {
      this.grad += out.grad;
      b.grad += out.grad;
    });
  }
  mul(b: Value): Value {
    return this.record(this.data * b.data, (out) => {
      this.grad += b.data * out.grad;
      b.grad += this.data * out.grad;
    });
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    return this.record(t, (out) => {
      this.grad += (1 - t * t) * out.grad;
    });
  }
  /** Reverse-mode AD: seed d(this)/d(this) = 1, then run every node's backward step. */
  backward(): void {
    this.grad = 1;
    // Newest first: a node's grad is complete once every later node that used it has run.
    for (let i = tape.length - 1; i >= 0; i--) tape[i]!.backwardStep();
  }
}

const a = new Value(0.5),
  b = new Value(-1.5);
a.mul(b).add(a).tanh().backward();
console.log("d/da =", a.grad, " d/db =", b.grad);
`,
    check: `export default async function check(learner, t, wg) {
  const cases = [
    [{ en: "a·b", zh: "a·b" }, (a, b) => a.mul(b)],
    [{ en: "tanh(a·b + a)", zh: "tanh(a·b + a)" }, (a, b) => a.mul(b).add(a).tanh()],
    [{ en: "(a·b)·(a + b)", zh: "(a·b)·(a + b)" }, (a, b) => a.mul(b).mul(a.add(b))],
    [{ en: "tanh(tanh(a)·b)·a", zh: "tanh(tanh(a)·b)·a" }, (a, b) => a.tanh().mul(b).tanh().mul(a)],
  ];
  for (const [name, f] of cases) {
    await t.case(name, async () => {
      const Value = t.fn("Value");
      t.fn("resetTape")();
      const [x, y] = [0.7, -1.3];
      const a = new Value(x), b = new Value(y);
      f(a, b).backward();
      const ta = wg.tensor(x), tb = wg.tensor(y);
      const da = await wg.grad((v) => f(v, tb))(ta).data();
      const db = await wg.grad((v) => f(ta, v))(tb).data();
      t.close([a.grad, b.grad], [da[0], db[0]], 1e-4);
    });
  }
}
`,
    hints: [
      {
        en: "A node's gradient is complete only after every node that used it has run its step, and those were recorded later.",
        zh: "一个节点的梯度，只有在所有用到它的节点都执行完反向步骤后才完整，而这些节点都记录得更晚。",
      },
      { en: "Walk the tape from its end to its start.", zh: "从 tape 的末尾往开头遍历。" },
    ],
  },
  {
    kind: "implement",
    id: "tanh-vjp",
    prompt: {
      en: "Give the engine tanh's backward rule (its vjp): the gradient that reaches tanh's output must become its input's gradient times tanh's local derivative. Run it: the Tape panel draws your engine's neuron, and stepping through its backward shows the gradient your rule computes at the tanh box. The check compares your engine's gradients with webgrad's `grad` on three expressions with tanh.",
      zh: "为引擎写出 tanh 的反向规则（它的 VJP）：到达 tanh 输出的梯度，乘以 tanh 的局部导数后，累加到输入的梯度上。运行它：Tape 面板会画出你的引擎里的那个神经元，单步执行反向传播时，tanh 框上显示的就是你的规则算出的梯度。检查会在三个含 tanh 的表达式上把你的引擎的梯度与 webgrad 的 `grad` 对比。",
    },
    starter: `import { showTape } from "webgrad";

/** The tape: every Value made by an operation, in the order it was computed. */
let tape: Value[] = [];
export const resetTape = (): void => void (tape = []);

export class Value {
  grad = 0;
  label = "";
  backwardStep: () => void = () => {};
  constructor(
    public data: number,
    readonly op = "",
    readonly inputs: Value[] = [],
  ) {}
  private record(data: number, op: string, inputs: Value[], step: (out: Value) => void): Value {
    const out = new Value(data, op, inputs);
    out.backwardStep = () => step(out);
    tape.push(out);
    return out;
  }
  add(b: Value): Value {
    return this.record(this.data + b.data, "+", [this, b], (out) => {
      this.grad += out.grad;
      b.grad += out.grad;
    });
  }
  mul(b: Value): Value {
    return this.record(this.data * b.data, "*", [this, b], (out) => {
      this.grad += b.data * out.grad;
      b.grad += this.data * out.grad;
    });
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    return this.record(t, "tanh", [this], (out) => {
      // TODO: tanh's vjp: what does tanh's output gradient become for its input? (t = tanh(x) is at hand)
      this.grad += out.grad;
    });
  }
  backward(onStep?: (node: Value) => void): void {
    this.grad = 1;
    for (let i = tape.length - 1; i >= 0; i--) {
      tape[i]!.backwardStep();
      onStep?.(tape[i]!);
    }
  }
}

// One neuron, drawn in the Tape panel: step through its backward and read each gradient ḡ.
const leaf = (data: number, label: string) => Object.assign(new Value(data), { label });
const [x, w, b] = [leaf(2, "x"), leaf(-0.5, "w"), leaf(0.3, "b")];
const o = x.mul(w).add(b).tanh();
const view = showTape(tape, (v) => ({ op: v.op, inputs: v.inputs, value: v.data, grad: v.grad, name: v.label }), { name: "my Value engine" });
o.backward((node) => view.step(node));
console.log("o =", o.data.toFixed(4), " ∂o/∂w =", w.grad.toFixed(4), " expected", (x.data * (1 - o.data ** 2)).toFixed(4));
`,
    solution: `import { showTape } from "webgrad";

/** The tape: every Value made by an operation, in the order it was computed. */
let tape: Value[] = [];
export const resetTape = (): void => void (tape = []);

export class Value {
  grad = 0;
  label = "";
  backwardStep: () => void = () => {};
  constructor(
    public data: number,
    readonly op = "",
    readonly inputs: Value[] = [],
  ) {}
  private record(data: number, op: string, inputs: Value[], step: (out: Value) => void): Value {
    const out = new Value(data, op, inputs);
    out.backwardStep = () => step(out);
    tape.push(out);
    return out;
  }
  add(b: Value): Value {
    return this.record(this.data + b.data, "+", [this, b], (out) => {
      this.grad += out.grad;
      b.grad += out.grad;
    });
  }
  mul(b: Value): Value {
    return this.record(this.data * b.data, "*", [this, b], (out) => {
      this.grad += b.data * out.grad;
      b.grad += this.data * out.grad;
    });
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    return this.record(t, "tanh", [this], (out) => {
      this.grad += (1 - t * t) * out.grad; // d tanh(x)/dx = 1 − tanh²(x)
    });
  }
  backward(onStep?: (node: Value) => void): void {
    this.grad = 1;
    for (let i = tape.length - 1; i >= 0; i--) {
      tape[i]!.backwardStep();
      onStep?.(tape[i]!);
    }
  }
}

// One neuron, drawn in the Tape panel: step through its backward and read each gradient ḡ.
const leaf = (data: number, label: string) => Object.assign(new Value(data), { label });
const [x, w, b] = [leaf(2, "x"), leaf(-0.5, "w"), leaf(0.3, "b")];
const o = x.mul(w).add(b).tanh();
const view = showTape(tape, (v) => ({ op: v.op, inputs: v.inputs, value: v.data, grad: v.grad, name: v.label }), { name: "my Value engine" });
o.backward((node) => view.step(node));
console.log("o =", o.data.toFixed(4), " ∂o/∂w =", w.grad.toFixed(4), " expected", (x.data * (1 - o.data ** 2)).toFixed(4));
`,
    check: `export default async function check(learner, t, wg) {
  const cases = [
    [{ en: "tanh(a)", zh: "tanh(a)" }, (a, b) => a.tanh().add(b)],
    [{ en: "tanh(a·b)·a", zh: "tanh(a·b)·a" }, (a, b) => a.mul(b).tanh().mul(a)],
    [{ en: "tanh(tanh(a) + b)", zh: "tanh(tanh(a) + b)" }, (a, b) => a.tanh().add(b).tanh()],
  ];
  for (const [name, f] of cases) {
    await t.case(name, async () => {
      const Value = t.fn("Value");
      t.fn("resetTape")();
      const [x, y] = [0.8, -0.6];
      const a = new Value(x), b = new Value(y);
      f(a, b).backward();
      const ta = wg.tensor(x), tb = wg.tensor(y);
      const da = await wg.grad((v) => f(v, tb))(ta).data();
      const db = await wg.grad((v) => f(ta, v))(tb).data();
      t.close([a.grad, b.grad], [da[0], db[0]], 1e-4);
    });
  }
}
`,
    hints: [
      {
        en: "y = tanh(x) has dy/dx = 1 − tanh²(x) = 1 − y², and t already holds y.",
        zh: "y = tanh(x) 的导数 dy/dx = 1 − tanh²(x) = 1 − y²，而 t 里已经存着 y。",
      },
      { en: "The chain rule: x̄ += (1 − t²) · ȳ, where ȳ is out.grad.", zh: "链式法则：x̄ += (1 − t²) · ȳ，其中 ȳ 就是 out.grad。" },
    ],
  },
]);
