import { describe, expect, it } from "vitest";
import { jit, randn, manualSeed, nn, optim, setPassEnabled, type Tensor } from "webgrad";
import { expectAllClose, values } from "./helpers";

describe("fusion pass", () => {
  it("a node an elementwise chain took is not also a matmul epilogue (the graph stays valid)", () => {
    manualSeed(4);
    // mul → add → relu is a chain (same shape) traced before the matmul reaches the add.
    const f = (x: Tensor, w: Tensor, b: Tensor) => {
      const bb = b.mul(2);
      return x.matmul(w).add(bb).relu();
    };
    const x = randn([3, 4]),
      w = randn([4, 5]),
      b = randn([3, 5]);
    const l = jit(f).lower(x, w, b);
    const fused = l.optimized.nodes.filter((n) => n.op === "fused");
    const members = fused.flatMap((n) => n.regions![0].nodes.map((m) => m.id));
    expect(new Set(members).size).toBe(members.length);
    expectAllClose(values(jit(f)(x, w, b)), values(f(x, w, b)), 1e-6);
  });
});

describe("fusion pass: a product also used after its epilogue", () => {
  it("stays a second result of the matmul's fused node (a gradient and the update that reads it); results match eager", () => {
    manualSeed(6);
    // g = aᵀ·b is returned and consumed by w − lr·g: one kernel stores both.
    const f = (a: Tensor, b: Tensor, w: Tensor, lr: Tensor) => {
      const g = a.transpose(0, 1).matmul(b);
      return [w.sub(g.mul(lr)), g];
    };
    const a = randn([7, 9]),
      b = randn([7, 5]),
      w = randn([9, 5]),
      lr = randn([]);
    const l = jit(f).lower(a, b, w, lr);
    const fused = l.optimized.nodes.filter((n) => n.op === "fused");
    expect(fused).toHaveLength(1);
    expect(fused[0].attrs.kind).toBe("matmul-epilogue");
    expect(fused[0].regions![0].nodes.map((n) => n.op)).toEqual(["matmul", "mul", "sub"]);
    expect(fused[0].results).toHaveLength(2);
    // The region yields the update, then the product itself.
    expect(fused[0].regions![0].outputs.map((o) => o.value!.id)).toEqual([fused[0].regions![0].nodes[2].output.id, fused[0].regions![0].nodes[0].output.id]);
    const got = jit(f)(a, b, w, lr),
      want = f(a, b, w, lr);
    got.forEach((t, i) => expectAllClose(values(t), values(want[i]), 1e-6));
  });

  it("is not joined when a node before the chain's end reads it (the graph stays valid, results match)", () => {
    manualSeed(7);
    const f = (a: Tensor, b: Tensor) => {
      const p = a.matmul(b);
      const s = p.sum(); // reads p before the chain below ends
      return p.mul(2).add(s).tanh();
    };
    const a = randn([4, 6]),
      b = randn([6, 3]);
    const l = jit(f).lower(a, b);
    expect(l.optimized.nodes.some((n) => n.op === "matmul")).toBe(true);
    expect(l.optimized.nodes.every((n) => !(n.op === "fused" && n.attrs.kind === "matmul-epilogue"))).toBe(true);
    expectAllClose(values(jit(f)(a, b)), values(f(a, b)), 1e-6);
  });

  it("an SGD step with its weight-gradient matmuls carrying the updates matches eager, and with fusion off", () => {
    const run = (compiled: boolean) => {
      manualSeed(8);
      const model = nn.sequential(nn.linear(9, 13), nn.relu(), nn.linear(13, 1));
      const opt = optim.sgd(model.parameters(), { lr: 0.05 });
      const x = randn([6, 9]),
        y = randn([6, 1]);
      const step = (x: Tensor, y: Tensor) => {
        const loss = nn.mse(model.forward(x), y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return loss;
      };
      const f = compiled ? jit(step) : step;
      const losses = [0, 1, 2].map(() => f(x, y).itemSync());
      return { losses, params: model.parameters().flatMap((p) => [values(p), values(p.grad!)]), lowered: compiled ? jit(step).lower(x, y) : null };
    };
    const eager = run(false),
      graph = run(true);
    expectAllClose(graph.losses, eager.losses, 1e-6);
    graph.params.forEach((p, i) => expectAllClose(p, eager.params[i], 1e-6));
    const updates = graph.lowered!.optimized.nodes.filter((n) => n.op === "fused" && n.attrs.kind === "matmul-epilogue" && n.results);
    expect(updates).toHaveLength(2);
    setPassEnabled("fusion", false);
    try {
      const plain = run(true);
      expectAllClose(plain.losses, eager.losses, 1e-6);
      plain.params.forEach((p, i) => expectAllClose(p, eager.params[i], 1e-6));
    } finally {
      setPassEnabled("fusion", true);
    }
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
    const a = randn([5]),
      b = randn([3, 4]),
      g = randn([7, 5]),
      lr = randn([]);
    const l = jit(f).lower(a, b, g, lr);
    const multi = l.optimized.nodes.filter((n) => n.op === "fused" && n.attrs.kind === "multi");
    expect(multi).toHaveLength(1);
    expect(multi[0].results).toHaveLength(2);
    expect(multi[0].regions![0].nodes.map((n) => n.op)).toEqual(["mul", "add", "sum"]);
    const got = jit(f)(a, b, g, lr),
      want = f(a, b, g, lr);
    got.forEach((t, i) => expectAllClose(values(t), values(want[i]), 1e-6));
  });
});

describe("fusion passes: literal constants", () => {
  it("mark a fused region's 0-d float32/int32 constants from JS numbers as literals, not ±∞, 0 or a subnormal, and not a tensor the caller made", () => {
    manualSeed(8);
    const k = randn([]);
    const f = (x: Tensor) => x.mul(0.9).add(k).minimum(Infinity).add(1e-40).mul(3).maximum(0);
    const x = randn([6]);
    const l = jit(f).lower(x);
    const fused = l.optimized.nodes.filter((n) => n.op === "fused");
    expect(fused).toHaveLength(1);
    const inputs = fused[0].regions![0].inputs;
    const literals = inputs.flatMap((i) => (i.literal === undefined ? [] : [i.literal]));
    expect(literals.sort()).toEqual([0.8999999761581421, 3].sort());
    // x, the caller's k, ∞, the subnormal and 0 are bound.
    expect(inputs.filter((i) => i.literal === undefined)).toHaveLength(5);
    expectAllClose(values(jit(f)(x)), values(f(x)), 1e-6);
  });
});

describe("multi-output fusion", () => {
  it("runs each parameter's Adam update (moments, bias corrections, value) as one node storing three results; training matches eager", () => {
    const run = (compiled: boolean) => {
      manualSeed(9);
      const model = nn.sequential(nn.linear(6, 5), nn.relu(), nn.linear(5, 2));
      const opt = optim.adam(model.parameters(), { lr: 1e-2 });
      const x = randn([4, 6]);
      const step = () => {
        opt.zeroGrad();
        const loss = model.forward(x).square().mean();
        loss.backward();
        opt.step();
        return loss;
      };
      const f = compiled ? jit(step, { name: "adam" }) : step;
      const losses = [0, 1, 2, 3].map(() => values(f())[0]);
      return { losses, params: model.parameters().map((p) => values(p)), lowered: compiled ? (f as ReturnType<typeof jit>).lower() : undefined };
    };
    const eager = run(false),
      graph = run(true);
    expectAllClose(graph.losses, eager.losses, 1e-5);
    graph.params.forEach((p, i) => expectAllClose(p, eager.params[i], 1e-5));
    const updates = graph.lowered!.optimized.nodes.filter((n) => n.op === "fused" && n.attrs.kind === "multi" && n.results?.length === 3);
    expect(updates).toHaveLength(4);
    for (const u of updates) expect(u.regions![0].nodes.map((n) => n.op)).toEqual(expect.arrayContaining(["pow", "sqrt", "div", "sub"]));
  });

  it("leaves a group alone when a path leaves it and comes back (a sum between two same-shape ops): results match eager", () => {
    manualSeed(10);
    const f = (x: Tensor) => {
      const a = x.mul(2);
      return a.add(a.sum()).exp();
    };
    const x = randn([5, 3]);
    const l = jit(f).lower(x);
    expect(l.optimized.nodes.some((n) => n.op === "fused" && n.attrs.kind === "multi")).toBe(false);
    expectAllClose(values(jit(f)(x)), values(f(x)), 1e-6);
  });
});
