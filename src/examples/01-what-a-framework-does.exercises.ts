import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "same-losses",
    prompt: {
      en: "Both fits start from the same w and b: one uses a gradient derived by hand, the other autograd. How do their losses compare step by step?",
      zh: "两次拟合从相同的 w 和 b 开始：一次用手推的梯度，一次用自动微分。它们每一步的损失如何比较？",
    },
    choices: [
      { en: "Autograd's loss is lower", zh: "自动微分的损失更低" },
      { en: "They are the same at every step", zh: "每一步都相同" },
      { en: "The hand-derived one is lower", zh: "手推梯度的损失更低" },
    ],
    answer: 1,
    explanation: {
      en: "Both compute the same derivative, so both take the same steps; the framework only spares you the calculus (and its mistakes).",
      zh: "两者计算的是同一个导数，因此每一步完全一样；框架只是替你做了微积分（也避免了推导出错）。",
    },
  },
  {
    kind: "predict",
    id: "which-layer",
    prompt: {
      en: "`x.mul(w)` runs on WebGPU. Which layer turns it into a WGSL shader dispatched to the GPU?",
      zh: "`x.mul(w)` 在 WebGPU 上运行。是哪一层把它变成一个派发到 GPU 的 WGSL 着色器？",
    },
    choices: [
      { en: "The frontend: the Tensor method", zh: "前端：Tensor 的方法" },
      { en: "The operator table: mul's shape and derivative rules", zh: "算子表：mul 的形状规则和求导规则" },
      { en: "The backend: its kernel for elementwise ops", zh: "后端：逐元素算子的内核" },
      { en: "The runtime's cluster", zh: "运行时的集群" },
    ],
    answer: 2,
    explanation: {
      en: "The method and the op table say what mul means (its output shape, its vjp and jvp); only the backend knows how to compute it on a device: a CPU loop or a WGSL kernel, which the Kernels panel lists.",
      zh: "Tensor 方法和算子表规定 mul 是什么（输出形状、vjp 与 jvp）；只有后端知道如何在设备上计算它：CPU 上的循环，或者一个 WGSL 内核，“内核”面板会列出它。",
    },
  },
  {
    kind: "implement",
    id: "define-by-run",
    prompt: {
      en: "Build the autodiff layer in miniature. `Value.add` and `Value.mul` compute at once and record the result on `tape` with its parents and the local derivatives ∂out/∂parent. Write `backward(out)`: set `out.grad = 1`, then walk the tape last-recorded first, adding `v.grad · v.local[i]` to each parent's `grad` (the chain rule; `+=`, because a value can feed several others). The check compares your gradients with webgrad's `grad`.",
      zh: "动手做一个迷你的自动微分层。`Value.add` 和 `Value.mul` 立即计算，并把结果连同它的父节点和局部导数 ∂out/∂parent 记录到 `tape` 上。请实现 `backward(out)`：令 `out.grad = 1`，然后从最后记录的值开始倒着遍历梯度带，把 `v.grad · v.local[i]` 累加到每个父节点的 `grad` 上（链式法则；用 `+=`，因为一个值可能被多处使用）。检查会把你的梯度与 webgrad 的 `grad` 对比。",
    },
    starter: `/** A number that records how it was computed, as it is computed: define-by-run in miniature. */
export class Value {
  data: number;
  grad = 0;
  parents: Value[];
  /** ∂this/∂parents[i], worked out when the op ran. */
  local: number[];
  constructor(data: number, parents: Value[] = [], local: number[] = []) {
    this.data = data;
    this.parents = parents;
    this.local = local;
  }
  add(o: Value): Value {
    return record(new Value(this.data + o.data, [this, o], [1, 1]));
  }
  mul(o: Value): Value {
    return record(new Value(this.data * o.data, [this, o], [o.data, this.data]));
  }
}

/** The tape: every computed Value, in the order it was computed. */
export const tape: Value[] = [];
function record(v: Value): Value {
  tape.push(v);
  return v;
}

/** Reverse mode: d out / d every Value that out was computed from. */
export function backward(out: Value): void {
  out.grad = 1;
  // TODO: walk the tape from its end to its start; for each v, add v.grad * v.local[i] to v.parents[i].grad
}

const a = new Value(2), b = new Value(3);
const f = a.mul(b).add(a.mul(a)); // f = a·b + a²
backward(f);
console.log("f =", f.data, " df/da =", a.grad, " df/db =", b.grad); // expect 7 and 2
`,
    solution: `/** A number that records how it was computed, as it is computed: define-by-run in miniature. */
export class Value {
  data: number;
  grad = 0;
  parents: Value[];
  /** ∂this/∂parents[i], worked out when the op ran. */
  local: number[];
  constructor(data: number, parents: Value[] = [], local: number[] = []) {
    this.data = data;
    this.parents = parents;
    this.local = local;
  }
  add(o: Value): Value {
    return record(new Value(this.data + o.data, [this, o], [1, 1]));
  }
  mul(o: Value): Value {
    return record(new Value(this.data * o.data, [this, o], [o.data, this.data]));
  }
}

/** The tape: every computed Value, in the order it was computed. */
export const tape: Value[] = [];
function record(v: Value): Value {
  tape.push(v);
  return v;
}

/** Reverse mode: d out / d every Value that out was computed from. */
export function backward(out: Value): void {
  out.grad = 1;
  for (let i = tape.length - 1; i >= 0; i--) {
    const v = tape[i];
    v.parents.forEach((p, k) => (p.grad += v.grad * v.local[k])); // the chain rule, summed over uses
  }
}

const a = new Value(2), b = new Value(3);
const f = a.mul(b).add(a.mul(a)); // f = a·b + a²
backward(f);
console.log("f =", f.data, " df/da =", a.grad, " df/db =", b.grad); // expect 7 and 2
`,
    check: `export default async function check(learner, t, wg) {
  const Value = t.fn("Value"), backward = t.fn("backward");
  const fresh = () => { if (Array.isArray(learner.tape)) learner.tape.length = 0; };
  // f(a, b) = a·b + a², g(a, b) = (a + b)·(a·b)·a: a value used twice must get both contributions
  const fs = [
    { name: "a·b + a²", mine: (a, b) => a.mul(b).add(a.mul(a)), lib: (a, b) => a.mul(b).add(a.mul(a)) },
    { name: "(a + b)·(a·b)·a", mine: (a, b) => a.add(b).mul(a.mul(b)).mul(a), lib: (a, b) => a.add(b).mul(a.mul(b)).mul(a) },
  ];
  for (const f of fs) {
    for (const [av, bv] of [[2, 3], [-1.5, 0.5]]) {
      await t.case({ en: f.name + " at (" + av + ", " + bv + ")", zh: f.name + " 在 (" + av + ", " + bv + ") 处" }, async () => {
        fresh();
        const a = new Value(av), b = new Value(bv);
        backward(f.mine(a, b));
        const [ga, gb] = wg.grad(f.lib, { argnums: [0, 1] })(wg.tensor(av), wg.tensor(bv));
        t.close([a.grad, b.grad], [await ga.item(), await gb.item()], 1e-6);
      });
    }
  }
}
`,
    hints: [
      {
        en: "The last value recorded is the first whose grad is complete: for (let i = tape.length - 1; i >= 0; i--) { const v = tape[i]; … }",
        zh: "最后记录的值，它的梯度最先算完整：for (let i = tape.length - 1; i >= 0; i--) { const v = tape[i]; … }",
      },
      {
        en: "Inside: v.parents.forEach((p, k) => (p.grad += v.grad * v.local[k]));",
        zh: "循环体：v.parents.forEach((p, k) => (p.grad += v.grad * v.local[k]));",
      },
    ],
  },
]);
