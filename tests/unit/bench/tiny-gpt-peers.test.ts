/**
 * The bench's tiny-Transformer step does the same work in every library: webgrad (eager and
 * compiled), jax-js and TensorFlow.js start from the same weights (bench/steps.ts) and must give
 * the same loss, step after step. A peer's model written differently (a missing layer norm, the
 * approximate GELU, the mask the wrong way round) changes the losses at once; the steps after the
 * first check the gradients and Adam too. Here on each library's CPU path; the bench runs the
 * same code on WebGPU.
 */
import { describe, expect, it } from "vitest";
import { tinyGptStep } from "../../../bench/steps";
import { jaxTinyGptStep, tfjsTinyGptStep } from "../../../bench/peer-gpt";

// jax-js uses ES2025 iterator helpers (`matchAll(…).map(…).filter(…)`), which Node 20 lacks and
// Chromium has: the lazy ones as generators, the rest through an array.
const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as Record<string, unknown>;
const helpers: Record<string, (this: Iterable<unknown>, ...args: never[]) => unknown> = {
  *map(f: (x: unknown, i: number) => unknown) {
    let i = 0;
    for (const x of this) yield f(x, i++);
  },
  *filter(f: (x: unknown, i: number) => boolean) {
    let i = 0;
    for (const x of this) if (f(x, i++)) yield x;
  },
  toArray() {
    return [...this];
  },
};
for (const name of ["forEach", "some", "every", "find", "reduce"] as const) {
  helpers[name] = function (this: Iterable<unknown>, ...args: never[]) {
    return ([...this][name] as (...a: never[]) => unknown)(...args);
  };
}
for (const [name, f] of Object.entries(helpers)) iteratorPrototype[name] ??= f;

const STEPS = 3;

async function losses(step: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < STEPS; i++) out.push(await step());
  return out;
}

describe("the bench's tiny-Transformer step is the same work in every library", () => {
  it("webgrad eager and jit, jax-js and TensorFlow.js give the same losses", async () => {
    const eager = await losses(tinyGptStep(false));
    const jitted = await losses(tinyGptStep(true));
    const jax = await losses(await jaxTinyGptStep());
    const tfjs = await losses(await tfjsTinyGptStep());
    // A uniform guess over 64 symbols is ln 64 ≈ 4.16; each step lowers the loss.
    expect(eager[0]).toBeGreaterThan(3.5);
    expect(eager[0]).toBeLessThan(5);
    for (let i = 1; i < STEPS; i++) expect(eager[i]).toBeLessThan(eager[i - 1]! - 0.05);
    // float32 sums in different orders: the libraries agree to a few parts in a million.
    for (const [name, other] of Object.entries({ jitted, jax, tfjs })) {
      const worst = Math.max(...other.map((l, i) => Math.abs(l - eager[i]!)));
      expect(worst, `${name}: ${other.join(", ")} vs webgrad's ${eager.join(", ")}`).toBeLessThan(2e-5);
    }
  }, 120_000);
});
