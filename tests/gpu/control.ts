/**
 * Eager control flow on WebGPU, where a predicate cannot be read synchronously: `cond` runs both
 * branches and `whileLoop({ maxIterations })` runs every guarded step, selecting with where. The
 * values and gradients must still be the CPU's, where only the code taken ever runs: an untaken
 * branch whose backward would make 0·NaN (x / s · s with s = NaN or 0) adds nothing.
 */
import { runNamedChecks, type CaseResult, type NamedCheck } from "./compare";
import { close } from "./fusion";
import { getDefaultBackend, setDefaultBackend } from "../../src/lib/backend/registry";
import { tensor } from "../../src/lib/ops/creation";
import { noGrad } from "../../src/lib/ops/gradmode";
import { grad } from "../../src/lib/autodiff/transforms";
import { cond } from "../../src/lib/graph/control/cond";
import { whileLoop } from "../../src/lib/graph/control/while";
import { jit } from "../../src/lib/graph/jit";
import type { Tensor } from "../../src/lib/tensor/tensor";

type Program = () => Tensor[];

/** `program`'s results read back, run with `backend` as the default. */
async function on(backend: "cpu" | "webgpu", program: Program): Promise<number[][]> {
  const prev = getDefaultBackend().name;
  setDefaultBackend(backend);
  try {
    const out: number[][] = [];
    for (const t of program()) out.push(Array.from((await t.data()) as ArrayLike<number>));
    return out;
  } finally {
    setDefaultBackend(prev);
  }
}

/** The CPU's results, and WebGPU's the same (NaN where the CPU has NaN). */
async function agree(name: string, program: Program, want?: readonly (readonly number[])[]): Promise<void> {
  const cpu = await on("cpu", program);
  const gpu = await on("webgpu", program);
  if (want) want.forEach((w, i) => close(`${name}: CPU result ${i}`, cpu[i], w));
  cpu.forEach((c, i) => close(`${name}: WebGPU result ${i}`, gpu[i], c));
}

/** What `program` throws on `backend` ("" when it runs). */
async function thrown(backend: "cpu" | "webgpu", program: Program): Promise<string> {
  try {
    await on(backend, program);
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}

/** y = x / s · s: x itself for a finite nonzero s, and a NaN in its backward when s is NaN. */
const nanPath = (x: Tensor, s: Tensor | number) => x.div(s).mul(s);

const CHECKS: NamedCheck[] = [
  [
    "cond: a NaN only the untaken branch's backward meets adds nothing to the gradient (eager, jit(grad) and grad(jit))",
    async () => {
      const g = (x: Tensor, s: Tensor) =>
        cond(
          x.sum().gt(0),
          (t: Tensor) => t.tanh().add(nanPath(x, s)),
          (t: Tensor) => t.square(),
          x,
        ).sum();
      await agree(
        "cond NaN",
        () => {
          const x = tensor([-1.5, -0.5]),
            s = tensor(NaN);
          return [
            grad(g)(x, s),
            jit(grad(g))(x, s),
            grad(jit(g))(x, s),
            cond(
              x.sum().gt(0),
              (t: Tensor) => t.neg(),
              (t: Tensor) => t.mul(3),
              x,
            ),
          ];
        },
        [
          [-3, -1],
          [-3, -1],
          [-3, -1],
          [-4.5, -1.5],
        ],
      );
    },
  ],
  [
    "cond inside cond: only the branches taken at both levels reach the gradient",
    async () => {
      const g = (x: Tensor, s: Tensor) =>
        cond(
          x.sum().lt(0),
          (t: Tensor) =>
            cond(
              t.max().gt(0),
              (u: Tensor) => u.exp().add(nanPath(x, s)),
              (u: Tensor) => u.mul(u).mul(2),
              t,
            ),
          (t: Tensor) => nanPath(t, s).add(1),
          x,
        ).sum();
      await agree(
        "nested cond",
        () => {
          const x = tensor([-2, -0.5, -1]),
            s = tensor(NaN);
          return [grad(g)(x, s), g(x, s), grad(jit(g))(x, s)];
        },
        [[-8, -2, -4], [10.5]],
      );
    },
  ],
  [
    "whileLoop with maxIterations: the guarded steps after the loop ends add nothing to the gradient",
    async () => {
      // Taken while c < 3 (c = 0, 1, 2 → 3): the first step not taken divides by c − 3 = 0.
      const f = (x: Tensor) =>
        whileLoop(
          (c: Tensor) => c.sum().lt(3),
          (c: Tensor) => c.add(nanPath(x, c.sub(3))),
          x.mul(0),
          { maxIterations: 5 },
        ).sum();
      await agree(
        "guarded steps",
        () => {
          const x = tensor([1]);
          return [grad(f)(x), f(x), grad(jit(f))(x)];
        },
        [[3], [3]],
      );
    },
  ],
  [
    "cond: an input the taken branch saved, changed in place before the backward, refuses it on both backends",
    async () => {
      // (WebGPU refuses when either branch saved it: it cannot tell which ran without a read.)
      for (const backend of ["cpu", "webgpu"] as const) {
        const message = await thrown(backend, () => {
          const x = tensor([0.5, 1]).requiresGrad_();
          const h = x.mul(1);
          const y = cond(
            h.sum().gt(0),
            (t: Tensor) => t.mul(t),
            (t: Tensor) => t.neg(),
            h,
          );
          noGrad(() => h.add_(1));
          y.sum().backward();
          return [x.grad!];
        });
        if (!/changed in place|modified in place|in place/.test(message))
          throw new Error(`${backend}: want the in-place refusal, got ${message || "a gradient"}`);
      }
    },
  ],
  [
    "a jit(grad) first traced inside a branch not taken gives the right gradient when a later call takes it",
    async () => {
      await agree(
        "jit in a branch",
        () => {
          const inner = jit(
            grad((t: Tensor) => t.mul(t).sum()),
            { name: "inner" },
          );
          const pick = (x: Tensor) =>
            cond(
              x.sum().gt(0),
              (t: Tensor) => inner(t),
              (t: Tensor) => t.neg(),
              x,
            );
          return [pick(tensor([-1, -2])), pick(tensor([1, 2]))];
        },
        [
          [1, 2],
          [2, 4],
        ],
      );
    },
  ],
  [
    "cond and whileLoop: their result written in place refuses a backward through the op that saved it, on both backends (fuzz seeds 2071, 2256, …)",
    async () => {
      const viaCond = () => {
        const x = tensor([0.5, 1]).requiresGrad_();
        const y = cond(
          x.sum().gt(0),
          (t: Tensor) => t.tanh().exp(),
          (t: Tensor) => t.tanh().exp().mul(2),
          x,
        );
        noGrad(() => y.reshape([2, 1]).mul_(2));
        y.sum().backward();
        return x.grad!;
      };
      const viaLoop = () => {
        const x = tensor([0.5]).requiresGrad_();
        const y = whileLoop(
          (c: Tensor) => c.sum().lt(2),
          (c: Tensor) => c.exp(),
          x,
          { maxIterations: 4 },
        );
        noGrad(() => y.add_(1));
        y.sum().backward();
        return x.grad!;
      };
      for (const [name, program] of [
        ["cond", viaCond],
        ["whileLoop", viaLoop],
      ] as const)
        for (const backend of ["cpu", "webgpu"] as const) {
          const message = await thrown(backend, () => [program()]);
          if (!/exp: its output .* changed in place/.test(message))
            throw new Error(`${name} on ${backend}: want exp's in-place refusal, got ${message || "a gradient"}`);
        }
      // The loop's steps saved only their inputs (c · 1.5): writing the result refuses nothing.
      await agree("loop result written", () => {
        const x = tensor([-0.55, -0.33, -3.25]).requiresGrad_();
        const y = whileLoop(
          (c: Tensor) => c.abs().sum().lt(27),
          (c: Tensor) => c.mul(1.5).add(0.25),
          x.mul(1),
          { maxIterations: 4 },
        );
        noGrad(() => y.flip(0).add_(0.5));
        y.mul(2).sum().backward();
        return [x.grad!, y];
      });
    },
  ],
  [
    "cond: a branch that returns its operand gives a result of its own (writing it leaves the operand as it was)",
    async () => {
      await agree(
        "operand returned",
        () => {
          const x = tensor([0.5, 1]);
          const y = cond(
            x.sum().gt(0),
            (t: Tensor) => t,
            (t: Tensor) => t.neg(),
            x,
          );
          y.add_(1);
          return [x, y];
        },
        [
          [0.5, 1],
          [1.5, 2],
        ],
      );
    },
  ],
  [
    "cond on a predicate of more than one element is a shape error, not an elementwise select",
    async () => {
      for (const backend of ["cpu", "webgpu"] as const) {
        const message = await thrown(backend, () => [
          cond(
            tensor([1, -1]).gt(0),
            (t: Tensor) => t,
            (t: Tensor) => t.neg(),
            tensor([1, 2]),
          ),
        ]);
        if (!/cond.*exactly one element/.test(message)) throw new Error(`${backend}: want the shape error, got ${message || "a result"}`);
      }
    },
  ],
];

/** Run the eager control-flow checks (WebGPU against the CPU backend). */
export async function runControlChecks(log: (l: string) => void): Promise<CaseResult[]> {
  return runNamedChecks("control", CHECKS, log);
}
