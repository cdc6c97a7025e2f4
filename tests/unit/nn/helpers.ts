import { expect } from "vitest";
import { tensor, type Tensor, type NestedArray } from "webgrad";

/** A float64 tensor from nested numbers. */
export const f64 = (a: NestedArray, requiresGrad = false): Tensor => tensor(a, { dtype: "float64", requiresGrad });
/** An int32 tensor from nested numbers. */
export const i32 = (a: NestedArray): Tensor => tensor(a, { dtype: "int32" });

function flat(a: unknown): number[] {
  return Array.isArray(a) ? a.flatMap(flat) : [Number(a)];
}

/** Elementwise |actual − expected| ≤ atol + rtol·|expected|, with shapes compared too. */
export function expectClose(actual: Tensor | number | number[], expected: NestedArray, atol = 1e-10, rtol = 1e-10): void {
  const a = typeof actual === "number" || Array.isArray(actual) ? flat(actual) : flat(actual.tolistSync());
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  let worst = 0,
    at = -1;
  for (let i = 0; i < e.length; i++) {
    const err = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
    if (!(err <= worst) || Number.isNaN(a[i])) {
      worst = Number.isNaN(err) ? Infinity : err;
      at = i;
    }
  }
  if (at >= 0) expect.fail(`element ${at}: got ${a[at]}, expected ${e[at]} (atol ${atol}, rtol ${rtol})`);
}

/**
 * Check the gradients of a scalar function of float64 tensors against central finite
 * differences (every element of every input).
 */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], { eps = 1e-6, atol = 1e-6, rtol = 1e-5 } = {}): void {
  const xs = inputs.map((x) => tensor(x.dataSync() as Float64Array, { dtype: "float64", shape: [...x.shape], requiresGrad: true }));
  const out = f(...xs);
  expect(out.size).toBe(1);
  out.backward();
  xs.forEach((x, k) => {
    const base = Float64Array.from(x.dataSync() as Float64Array);
    const numeric: number[] = [];
    for (let i = 0; i < base.length; i++) {
      const eval_ = (d: number) => {
        const b = base.slice();
        b[i] += d;
        const args = xs.map((y, j) => (j === k ? tensor(b, { dtype: "float64", shape: [...x.shape] }) : y.detach()));
        return f(...args).itemSync();
      };
      numeric.push((eval_(eps) - eval_(-eps)) / (2 * eps));
    }
    const g = x.grad;
    expect(g, `input ${k} got no gradient`).not.toBeNull();
    const analytic = flat(g!.tolistSync());
    for (let i = 0; i < numeric.length; i++) {
      const tol = atol + rtol * Math.abs(numeric[i]);
      if (!(Math.abs(analytic[i] - numeric[i]) <= tol)) expect.fail(`input ${k}, element ${i}: analytic ${analytic[i]} vs numeric ${numeric[i]}`);
    }
  });
}
