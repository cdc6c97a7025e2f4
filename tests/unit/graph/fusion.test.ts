import { describe, expect, it } from "vitest";
import { jit, randn, manualSeed, type Tensor } from "webgrad";
import { expectAllClose, values } from "./helpers";

describe("fusion pass", () => {
  it("a node an elementwise chain took is not also a matmul epilogue (the graph stays valid)", () => {
    manualSeed(4);
    // mul → add → relu is a chain (same shape) traced before the matmul reaches the add.
    const f = (x: Tensor, w: Tensor, b: Tensor) => {
      const bb = b.mul(2);
      return x.matmul(w).add(bb).relu();
    };
    const x = randn([3, 4]), w = randn([4, 5]), b = randn([3, 5]);
    const l = jit(f).lower(x, w, b);
    const fused = l.optimized.nodes.filter((n) => n.op === "fused");
    const members = fused.flatMap((n) => n.regions![0].nodes.map((m) => m.id));
    expect(new Set(members).size).toBe(members.length);
    expectAllClose(values(jit(f)(x, w, b)), values(f(x, w, b)), 1e-6);
  });
});
