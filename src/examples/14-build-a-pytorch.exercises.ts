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
]);
