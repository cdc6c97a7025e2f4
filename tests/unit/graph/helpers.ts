import { expect } from "vitest";
import { onEvent, tensor, type Tensor, type WebgradEvent } from "webgrad";

/** A float64 tensor. */
export const f64 = (a: number[] | number[][] | number, shape?: number[]): Tensor => tensor(a as number[], { dtype: "float64", ...(shape ? { shape } : {}) });

function flat(a: unknown): number[] {
  return Array.isArray(a) ? a.flatMap(flat) : [Number(a)];
}

/** The values of a tensor as a flat list. */
export const values = (t: Tensor): number[] => flat(t.tolistSync());

/** Elementwise closeness of flat lists. */
export function expectAllClose(actual: Tensor | number[], expected: Tensor | number[], tol = 1e-7): void {
  const a = Array.isArray(actual) ? actual : values(actual);
  const e = Array.isArray(expected) ? expected : values(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]) <= tol * (1 + Math.abs(e[i])))) expect.fail(`element ${i}: got ${v}, expected ${e[i]}`);
  });
}

/** Central finite differences of scalar f with respect to argument k. */
export function numericGrad(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], k: number, eps = 1e-6): number[] {
  const base = Float64Array.from(xs[k].dataSync() as Float64Array);
  const out: number[] = [];
  for (let i = 0; i < base.length; i++) {
    const at = (d: number) => {
      const b = base.slice();
      b[i] += d;
      const args = xs.slice();
      args[k] = tensor(b, { dtype: "float64", shape: [...xs[k].shape] });
      return f(...args).itemSync();
    };
    out.push((at(eps) - at(-eps)) / (2 * eps));
  }
  return out;
}

/** A graph event (what jit sends the Graph panel). */
export type GraphEvent = Extract<WebgradEvent, { type: "graph" }>;

/** The graph events `run` emits. */
export function graphEvents(run: () => void): GraphEvent[] {
  const events: GraphEvent[] = [];
  const off = onEvent((e) => e.type === "graph" && events.push(e));
  try {
    run();
  } finally {
    off();
  }
  return events;
}
