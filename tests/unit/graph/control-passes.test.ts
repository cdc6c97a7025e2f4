import { describe, expect, it } from "vitest";
import { cond, scan, whileLoop, jit, grad, jvp, type Tensor } from "webgrad";
import { f64, values, expectAllClose, numericGrad } from "./helpers";

describe("passes and control flow", () => {
  it("optimize inside regions and never fuse across them; an unused cond is removed", () => {
    const f = (x: Tensor) => {
      const unused = cond(
        x.sum().gt(0),
        () => x.exp(),
        () => x.neg(),
      );
      void unused;
      return cond(
        x.sum().gt(0),
        () => x.mul(1).exp().add(0).mul(2).sin(),
        () => x.neg(),
      );
    };
    const l = jit(f).lower(f64([1, 2]));
    const changes = l.stages.flatMap((s) => s.changes);
    expect(changes.some((c) => /^in cond \(node \d+\) then: mul/.test(c))).toBe(true); // x·1 simplified inside the branch
    expect(changes.some((c) => /^in cond \(node \d+\) then: fused/.test(c))).toBe(true);
    const top = l.optimized.nodes.map((n) => n.op);
    expect(top.filter((op) => op === "cond").length).toBe(1); // DCE dropped the unused cond
    expect(top).not.toContain("fused"); // nothing fused across the region boundary (the pred chain is sum→gt)
    expectAllClose(jit(f)(f64([1, 2])), f(f64([1, 2])));
  });

  it("second-order gradients through cond and scan under jit", () => {
    const f = (x: Tensor) =>
      scan(
        (c: Tensor, xi: Tensor) => [
          cond(
            xi.gt(0),
            () => c.mul(xi).sin(),
            () => c.add(xi),
          ),
          null,
        ],
        x.sum(),
        x,
      )[0];
    const x = f64([0.3, -0.4, 0.8]);
    const df = (x: Tensor) => grad(f)(x).sum();
    const numeric = numericGrad(df, [x], 0, 1e-5);
    expectAllClose(grad(df)(x), numeric, 1e-5);
    expectAllClose(jit(grad(df))(x), numeric, 1e-5);
  });
});

describe("transforms outside jit", () => {
  it("grad(jit(f)) and jvp(jit(f)) through cond and scan run the compiled graph under the transform", () => {
    const f = (x: Tensor) =>
      scan(
        (c: Tensor, xi: Tensor) => [
          cond(
            xi.gt(0),
            () => c.mul(xi).sin(),
            () => c.add(xi),
          ),
          null,
        ],
        x.sum(),
        x,
      )[0];
    const x = f64([0.3, -0.4, 0.8]);
    const numeric = numericGrad(f, [x], 0);
    expectAllClose(grad(jit(f))(x), numeric, 1e-6);
    const v = f64([1, 0, 0]);
    expectAllClose(jvp(jit(f), [x], [v])[1], [numeric[0]], 1e-6);
  });
});

describe("a backend without synchronous read-back (as WebGPU)", () => {
  it("compiled cond selects with where, and whileLoop with maxIterations runs guarded steps", async () => {
    const { getDefaultBackend } = await import("webgrad");
    const backend = getDefaultBackend() as { readSync?: unknown };
    const f = jit((x: Tensor) =>
      cond(
        x.sum().gt(0),
        () => x.mul(2),
        () => x.neg(),
      ),
    );
    const g = jit((x: Tensor) =>
      whileLoop(
        (c: Tensor) => c.sum().lt(10),
        (c: Tensor) => c.mul(2),
        x,
        { maxIterations: 8 },
      ),
    );
    const h = jit((x: Tensor) =>
      whileLoop(
        (c: Tensor) => c.sum().lt(10),
        (c: Tensor) => c.mul(2),
        x,
      ),
    );
    const x = f64([1, 2]),
      y = f64([-1, -2]);
    f(x);
    g(x); // traced with read-back available; the runs below have none
    const saved = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(backend), "readSync");
    const own = Object.getOwnPropertyDescriptor(backend, "readSync");
    Object.defineProperty(backend, "readSync", { value: undefined, configurable: true, writable: true });
    try {
      expect(Array.from(await f(x).data())).toEqual([2, 4]);
      expect(Array.from(await f(y).data())).toEqual([1, 2]);
      expect(Array.from(await g(x).data())).toEqual([4, 8]);
      expect(
        Array.from(
          await cond(
            x.sum().gt(0),
            () => x.add(1),
            () => x,
          ).data(),
        ),
      ).toEqual([2, 3]);
      expect(() => h(x)).toThrow(/whileLoop.*maxIterations/);
    } finally {
      if (own) Object.defineProperty(backend, "readSync", own);
      else delete (backend as { readSync?: unknown }).readSync;
      void saved;
    }
    expect(values(f(x))).toEqual([2, 4]);
  });
});
