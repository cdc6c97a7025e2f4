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

describe("horizontal fusion pass", () => {
  it("independent updates and column sums run as one multi-output node; results match eager", () => {
    manualSeed(5);
    const f = (a: Tensor, b: Tensor, g: Tensor, lr: Tensor) => {
      const b2 = b.mul(0.5).add(1); // an elementwise group
      const s = g.sum(0); // a column sum, independent of it: joins its kernel
      const a2 = a.sub(s.mul(lr)); // depends on s: closes that kernel, stays on its own
      return [s, a2, b2];
    };
    const a = randn([5]), b = randn([3, 4]), g = randn([7, 5]), lr = randn([]);
    const l = jit(f).lower(a, b, g, lr);
    const multi = l.optimized.nodes.filter((n) => n.op === "fused" && n.attrs.kind === "multi");
    expect(multi).toHaveLength(1);
    expect(multi[0].results).toHaveLength(2);
    expect(multi[0].regions![0].nodes.map((n) => n.op)).toEqual(["mul", "add", "sum"]);
    const got = jit(f)(a, b, g, lr), want = f(a, b, g, lr);
    got.forEach((t, i) => expectAllClose(values(t), values(want[i]), 1e-6));
  });
});
