import { describe, expect, it } from "vitest";
import { jit, tensor, randn, manualSeed, setMode, noGrad, grad, Tensor } from "webgrad";

describe("jit", () => {
  it("traces once per signature and matches eager", () => {
    const f = jit((x: Tensor, y: Tensor) => x.mul(y).add(x.exp()).sum(-1));
    const x = tensor([
        [1, 2],
        [3, 4],
      ]),
      y = tensor([
        [0.5, 0.25],
        [2, 1],
      ]);
    const eager = x.mul(y).add(x.exp()).sum(-1).tolistSync();
    expect(f(x, y).tolistSync()).toEqual(eager);
    expect(f(x, y).tolistSync()).toEqual(eager);
    expect(f.traceCount).toBe(1);
    f(tensor([1, 2]), tensor([3, 4]));
    expect(f.traceCount).toBe(2);
    const text = f.lower(x, y).text();
    expect(text).toContain("= mul %0, %1");
    expect(text).toMatch(/= sum %\d+ \{axes=\[1\], keepdims=false\}/);
  });

  it("compiles an eager-style training step with backward and in-place updates", () => {
    manualSeed(0);
    const w = randn([3, 1], { requiresGrad: true, name: "w" });
    const x = randn([8, 3]);
    const y = x.matmul(tensor([[1], [-2], [0.5]]));
    const stepFn = (xb: Tensor, yb: Tensor) => {
      w.grad = null;
      const loss = xb.matmul(w).sub(yb).square().mean();
      loss.backward();
      noGrad(() => w.sub_(w.grad!.mul(0.1)));
      return loss;
    };
    const w0 = w.tolistSync();
    // eager reference on a copy
    const we = tensor(w0 as number[][], { requiresGrad: true });
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      we.grad = null;
      const l = x.matmul(we).sub(y).square().mean();
      l.backward();
      noGrad(() => we.sub_(we.grad!.mul(0.1)));
      losses.push(l.itemSync());
    }
    const step = jit(stepFn);
    const jl: number[] = [];
    for (let i = 0; i < 5; i++) jl.push(step(x, y).itemSync());
    expect(step.traceCount).toBe(1);
    jl.forEach((v, i) => expect(v).toBeCloseTo(losses[i], 5));
    (w.tolistSync() as number[][]).forEach((r, i) => expect(r[0]).toBeCloseTo((we.tolistSync() as number[][])[i][0], 5));
    expect(w.grad).not.toBeNull();
    const text = step.lower(x, y).text();
    expect(text).toContain("writes w ← ");
  });

  it("draws fresh random numbers on every run", () => {
    const f = jit(() => randn([4]));
    const a = f().tolistSync(),
      b = f().tolistSync();
    expect(a).not.toEqual(b);
  });

  it("grad inside jit, and eager mode bypasses tracing", () => {
    const df = jit(grad((x: Tensor) => x.sin().sum()));
    const x = tensor([0.1, 0.2]);
    expect((df(x).tolistSync() as number[])[0]).toBeCloseTo(Math.cos(0.1), 6);
    setMode("eager");
    try {
      const g = jit((t: Tensor) => t.add(1));
      g(x);
      expect(g.traceCount).toBe(0);
    } finally {
      setMode("graph");
    }
  });
});

import { passes, setPassEnabled, nn, optim, data } from "webgrad";

describe("pass pipeline", () => {
  const chain = (x: Tensor) => x.mul(2).add(1).exp().mul(x).sub(0.5).relu().sum();

  it("fuses an elementwise chain into one kernel and keeps results", () => {
    const x = tensor([
      [0.1, -0.2, 0.3],
      [0.4, 0.5, -0.6],
    ]);
    const f = jit(chain);
    const l = f.lower(x);
    const fusedNodes = l.optimized.nodes.filter((n) => n.op === "fused");
    expect(fusedNodes.length).toBe(1);
    expect(l.stages.map((s) => s.pass)).toEqual(["traced", ...passes().map((p) => p.name)]);
    const last = l.stages[l.stages.length - 1].stats;
    expect(last.kernels).toBeLessThan(l.stages[0].stats.kernels);
    expect(f(x).itemSync()).toBeCloseTo(chain(x).itemSync(), 5);
    expect(l.text("optimized")).toContain("fused[");
  });

  it("each pass can be switched off and results stay the same", () => {
    manualSeed(3);
    const x = randn([4, 3]);
    const expected = chain(x).itemSync();
    for (const p of passes()) {
      setPassEnabled(p.name, false);
      try {
        expect(jit(chain)(x).itemSync()).toBeCloseTo(expected, 5);
      } finally {
        setPassEnabled(p.name, true);
      }
    }
  });

  it("simplify, cse and dce do what they say", () => {
    const x = tensor([1, 2, 3]);
    const f = (t: Tensor) => {
      const a = t.mul(1).add(0); // → t
      const b = t.exp(),
        c = t.exp(); // one exp
      t.sin(); // dead
      return a.add(b).add(c).T.reshape([3]);
    };
    const l = jit(f).lower(x);
    const names = l.optimized.nodes.map((n) => n.op);
    expect(
      names.filter((n) => n === "exp").length + l.optimized.nodes.filter((n) => n.op === "fused" && (n.attrs.ops as string[]).includes("exp")).length,
    ).toBeGreaterThan(0);
    expect(names).not.toContain("sin");
    const simp = l.stages.find((s) => s.pass === "simplify")!;
    expect(simp.changes.length).toBeGreaterThanOrEqual(2);
    expect(l.stages.find((s) => s.pass === "cse")!.changes.some((c) => c.startsWith("exp"))).toBe(true);
    expect(jit(f)(x).tolistSync()).toEqual(f(x).tolistSync());
  });

  it("simplify writes a transposed product as Bᵀ·Aᵀ (a weight gradient in the weight's layout)", () => {
    const a = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      b = tensor([
        [1, 0],
        [2, 1],
        [0, 3],
      ]);
    const f = (x: Tensor, y: Tensor) => x.T.matmul(y.T).T; // (xᵀ·yᵀ)ᵀ = y·x: no permute left
    const l = jit(f).lower(b, a);
    expect(l.stages.find((s) => s.pass === "simplify")!.changes.some((c) => c.startsWith("permute") && c.includes("matmul"))).toBe(true);
    expect(l.optimized.nodes.map((n) => n.op)).toEqual(["matmul"]);
    expect(jit(f)(b, a).tolistSync()).toEqual(f(b, a).tolistSync());
    // A product read by something else as well is left alone (it would be computed twice).
    const g = (x: Tensor, y: Tensor) => {
      const p = x.matmul(y);
      return p.T.add(p.sum());
    };
    expect(
      jit(g)
        .lower(a, b)
        .optimized.nodes.filter((n) => n.op === "matmul").length,
    ).toBe(1);
    expect(jit(g)(a, b).tolistSync()).toEqual(g(a, b).tolistSync());
  });

  it("a reshape that copies (of a permuted view) and is read twice is shared, not folded into a second copy", () => {
    manualSeed(5);
    const x = randn([2, 3, 4]);
    // r copies x's permuted elements; r.reshape([24]) is a view of that copy, where reshape(x.permute(…)) would copy again.
    const f = (t: Tensor) => {
      const r = t.permute([1, 0, 2]).reshape([3, 8]);
      return r
        .exp()
        .sum()
        .add(r.reshape([24]).mul(2).sum());
    };
    const simplified = jit(f)
      .lower(x)
      .stages.find((s) => s.pass === "simplify")!.graph;
    const flat = simplified.nodes.find((n) => n.op === "reshape" && n.output.shape.length === 1 && n.output.shape[0] === 24)!;
    expect(simplified.nodes.find((n) => n.output === flat.inputs[0])?.op).toBe("reshape");
    expect(jit(f)(x).itemSync()).toBeCloseTo(f(x).itemSync(), 5);
    // Read once, the chain still folds: reshape(reshape(p)) → reshape(p).
    const once = (t: Tensor) => t.permute([1, 0, 2]).reshape([3, 8]).reshape([24]).sum();
    expect(
      jit(once)
        .lower(x)
        .stages.find((s) => s.pass === "dce")!
        .graph.nodes.filter((n) => n.op === "reshape").length,
    ).toBe(1);
  });

  it("a compiled MLP training step matches eager step by step", () => {
    const run = (compiled: boolean) => {
      manualSeed(7);
      const model = nn.sequential(nn.linear(2, 8), nn.relu(), nn.linear(8, 3));
      const opt = optim.adam(model.parameters(), { lr: 0.05 });
      const { x, y } = data.spirals({ n: 60, classes: 3, seed: 1 });
      const step = (xb: Tensor, yb: Tensor) => {
        opt.zeroGrad();
        const loss = nn.crossEntropy(model.forward(xb), yb);
        loss.backward();
        opt.step();
        return loss;
      };
      const s = compiled ? jit(step) : step;
      const losses: number[] = [];
      for (let i = 0; i < 6; i++) losses.push(s(x, y).itemSync());
      return losses;
    };
    const eager = run(false),
      graph = run(true);
    graph.forEach((v, i) => expect(v).toBeCloseTo(eager[i], 4));
  });
});

import { CpuBackend } from "../../src/lib/backend/cpu/cpu";
import { registerBackend, setDefaultBackend, getDefaultBackend } from "../../src/lib/backend/registry";

describe("jit and backends", () => {
  it("a graph's constants live where its inputs do, whatever the default backend", () => {
    // A second backend without float64 stands in for WebGPU as the default.
    class NoF64 extends CpuBackend {
      override readonly name = "nof64";
      override readonly dtypes = ["float32", "int32", "bool"] as const;
    }
    registerBackend(new NoF64());
    const prev = getDefaultBackend().name;
    setDefaultBackend("nof64");
    try {
      const x = tensor([0.5, 1.5], { dtype: "float64", device: "cpu" });
      const f = jit((t: Tensor) => t.mul(2).add(1).exp().sum());
      expect(f(x).itemSync()).toBeCloseTo(Math.exp(2) + Math.exp(4), 10);
      expect(jit(grad((t: Tensor) => t.sin().mul(3).sum()))(x).dataSync()[0]).toBeCloseTo(3 * Math.cos(0.5), 12);
    } finally {
      setDefaultBackend(prev);
    }
  });
});
