import { describe, expect, it } from "vitest";
import { cond, scan, jit, grad, jvp, type Tensor } from "webgrad";
import { f64, expectAllClose, numericGrad } from "./helpers";

describe("passes and control flow", () => {
  it("optimize inside regions and never fuse across them; an unused cond is removed", () => {
    const f = (x: Tensor) => {
      const unused = cond(x.sum().gt(0), () => x.exp(), () => x.neg());
      void unused;
      return cond(x.sum().gt(0), () => x.mul(1).exp().add(0).mul(2).sin(), () => x.neg());
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
    const f = (x: Tensor) => scan((c: Tensor, xi: Tensor) => [cond(xi.gt(0), () => c.mul(xi).sin(), () => c.add(xi)), null], x.sum(), x)[0];
    const x = f64([0.3, -0.4, 0.8]);
    const df = (x: Tensor) => grad(f)(x).sum();
    const numeric = numericGrad(df, [x], 0, 1e-5);
    expectAllClose(grad(df)(x), numeric, 1e-5);
    expectAllClose(jit(grad(df))(x), numeric, 1e-5);
  });
});

describe("transforms outside jit", () => {
  it("grad(jit(f)) and jvp(jit(f)) through cond and scan run the compiled graph under the transform", () => {
    const f = (x: Tensor) => scan((c: Tensor, xi: Tensor) => [cond(xi.gt(0), () => c.mul(xi).sin(), () => c.add(xi)), null], x.sum(), x)[0];
    const x = f64([0.3, -0.4, 0.8]);
    const numeric = numericGrad(f, [x], 0);
    expectAllClose(grad(jit(f))(x), numeric, 1e-6);
    const v = f64([1, 0, 0]);
    expectAllClose(jvp(jit(f), [x], [v])[1], [numeric[0]], 1e-6);
  });
});
