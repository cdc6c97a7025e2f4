import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "rnn-op",
    prompt: {
      en: "An RNN runs over a sequence of fixed length. Which control-flow op expresses it in a graph?",
      zh: "RNN 在固定长度的序列上运行。在计算图中用哪个控制流算子表达它？",
    },
    choices: [
      { en: "cond", zh: "cond" },
      { en: "scan", zh: "scan" },
      { en: "whileLoop", zh: "whileLoop" },
    ],
    answer: 1,
    explanation: {
      en: "scan is a loop with a static trip count that carries a state; its gradient is a reverse scan over the saved carries.",
      zh: "scan 是迭代次数固定、携带状态的循环；它的梯度是在保存的状态上做一次反向 scan。",
    },
  },
  {
    kind: "implement",
    id: "switch-merge",
    prompt: {
      en: "Be TensorFlow 1's executor for one `cond`. A token is `{ value: number }` or `DEAD`. Write `switchOp(data, pred)` (returns `[outFalse, outTrue]`: `data` on the side `pred` picks, `DEAD` on the other; both `DEAD` when an input is dead), `apply(fn, ...inputs)` (an op: `DEAD` if any input is dead, else `{ value: fn(...values) }`) and `merge(a, b)` (the live input; `DEAD` when both are dead). The check builds `cond(x > 0, x => 2x, x => -x)` from them, nested inside an untaken branch too.",
      zh: "来当一次 TensorFlow 1 的执行器，执行一个 `cond`。令牌是 `{ value: number }` 或 `DEAD`。实现 `switchOp(data, pred)`（返回 `[outFalse, outTrue]`：`data` 送到 `pred` 选中的一侧，另一侧为 `DEAD`；有输入为死时两侧都是 `DEAD`）、`apply(fn, ...inputs)`（一个算子：任一输入为死则为 `DEAD`，否则为 `{ value: fn(...values) }`）和 `merge(a, b)`（传出活的那个输入；两个都死时为 `DEAD`）。检查会用它们搭出 `cond(x > 0, x => 2x, x => -x)`，也会把它嵌套在未被选中的分支里。",
    },
    starter: `/** A token of the dataflow machine: a value, or dead (the untaken side of a Switch). */
export type Token = { value: number } | "dead";
export const DEAD = "dead" as const;

/** [output 0 (pred false), output 1 (pred true)]. */
export function switchOp(data: Token, pred: Token): [Token, Token] {
  // TODO: route data by pred; the other side is dead
  return [data, data];
}

/** An ordinary op: dead in, dead out. */
export function apply(fn: (...xs: number[]) => number, ...inputs: Token[]): Token {
  return { value: fn(...inputs.map((t) => (t === DEAD ? NaN : t.value))) };
}

/** Whichever input is live. */
export function merge(a: Token, b: Token): Token {
  return a;
}
`,
    solution: `/** A token of the dataflow machine: a value, or dead (the untaken side of a Switch). */
export type Token = { value: number } | "dead";
export const DEAD = "dead" as const;

/** [output 0 (pred false), output 1 (pred true)]. */
export function switchOp(data: Token, pred: Token): [Token, Token] {
  if (data === DEAD || pred === DEAD) return [DEAD, DEAD];
  return pred.value ? [DEAD, data] : [data, DEAD];
}

/** An ordinary op: dead in, dead out. */
export function apply(fn: (...xs: number[]) => number, ...inputs: Token[]): Token {
  if (inputs.some((t) => t === DEAD)) return DEAD;
  return { value: fn(...inputs.map((t) => (t as { value: number }).value)) };
}

/** Whichever input is live. */
export function merge(a: Token, b: Token): Token {
  return a !== DEAD ? a : b;
}
`,
    check: `export default async function check(learner, t) {
  const switchOp = t.fn("switchOp"), apply = t.fn("apply"), merge = t.fn("merge");
  const DEAD = learner.DEAD;
  // cond(x > 0, 2x, -x) as Switch / Merge: both branches are wired, only the live one computes.
  const piecewise = (x) => {
    const pred = apply((v) => (v > 0 ? 1 : 0), x);
    const [xf, xt] = switchOp(x, pred);
    return merge(apply((v) => 2 * v, xt), apply((v) => -v, xf));
  };
  for (const x of [3, -2, 0]) {
    await t.case("cond at x = " + x, () => t.equal(piecewise({ value: x }), { value: x > 0 ? 2 * x : -x }));
  }
  await t.case({ en: "a cond inside an untaken branch is dead all through", zh: "未选中分支里的 cond 整个都是死的" }, () => {
    const [, inner] = switchOp({ value: 5 }, { value: 0 }); // the true side is not taken
    t.equal(piecewise(inner), DEAD);
  });
  await t.case({ en: "an op never computes on a dead input", zh: "算子从不在死输入上计算" }, () => {
    let calls = 0;
    apply(() => calls++, DEAD, { value: 1 });
    t.equal(calls, 0);
  });
}
`,
    hints: [
      {
        en: "switchOp: if either input is DEAD, both outputs are DEAD; otherwise put data at index pred.value ? 1 : 0 and DEAD at the other.",
        zh: "switchOp：任一输入为 DEAD 时两个输出都是 DEAD；否则把 data 放在下标 pred.value ? 1 : 0 处，另一处为 DEAD。",
      },
      {
        en: "apply must return DEAD before calling fn when any input is DEAD — that is what skips the whole untaken branch.",
        zh: "只要有输入为 DEAD，apply 就要在调用 fn 之前返回 DEAD——整个未选中的分支正是这样被跳过的。",
      },
    ],
  },
]);
