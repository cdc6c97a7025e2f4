import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { exportOnnx, exportOnnxAsync, onnxModelOf, jit, nn, randn, manualSeed, tensor, scan, cond, whileLoop, concat, scatterAdd, type Tensor } from "webgrad";
import { expectAllClose, values } from "./helpers";

const require = createRequire(import.meta.url);
const ort = require("onnxruntime-node") as typeof import("onnxruntime-node");

async function runOnnx(bytes: Uint8Array, inputs: Record<string, Tensor>): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const [k, t] of Object.entries(inputs)) {
    const type = t.dtype === "float32" ? "float32" : t.dtype === "float64" ? "float64" : t.dtype === "int32" ? "int32" : "bool";
    feeds[k] = new ort.Tensor(type, t.dataSync() as Float32Array, [...t.shape]);
  }
  const out = await session.run(feeds);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as Float32Array, Number)]));
}

describe("ONNX export", () => {
  it("an MLP runs in onnxruntime and gives our outputs", async () => {
    manualSeed(1);
    const model = nn.sequential(nn.linear(4, 16), nn.relu(), nn.linear(16, 8), nn.gelu(), nn.linear(8, 3));
    const f = (x: Tensor) => [model.forward(x).softmax(-1), model.forward(x).logSoftmax(-1).sum(-1)];
    const x = randn([5, 4]);
    const bytes = exportOnnx(f, x);
    expect(bytes.length).toBeGreaterThan(100);
    const ours = (jit(f)(x) as Tensor[]).map(values);
    const theirs = await runOnnx(bytes, { arg0: x });
    expectAllClose(theirs.output0, ours[0], 1e-5);
    expectAllClose(theirs.output1, ours[1], 1e-5);
    const viaAsync = await runOnnx(await exportOnnxAsync(f, x), { arg0: x }); // the path that works on WebGPU
    expectAllClose(viaAsync.output0, ours[0], 1e-5);
    const model0 = onnxModelOf(f, [x]);
    const ops = new Set(model0.nodes.map((n) => n.op));
    for (const op of ["MatMul", "Add", "Relu", "Softmax", "LogSoftmax", "ReduceSum"]) expect(ops).toContain(op);
    expect(model0.initializers.length).toBeGreaterThanOrEqual(6); // weights and biases
    // The same function exports the same bytes, however many values were traced in between.
    jit((a: Tensor) => a.exp().add(1).mul(a))(x);
    expect(exportOnnx(f, x)).toEqual(bytes);
  });

  it("layerNorm and crossEntropy (the fused primitives) run in onnxruntime", async () => {
    manualSeed(2);
    const ln = nn.layerNorm(6);
    const f = (x: Tensor, y: Tensor) => {
      const h = ln.forward(x);
      return [h, nn.crossEntropy(h, y), nn.crossEntropy(h, y, { reduction: "none", ignoreIndex: 1 }), nn.crossEntropy(h, y, { reduction: "sum" })];
    };
    const x = randn([4, 6]);
    const y = tensor([0, 5, 1, 3], { dtype: "int32" });
    const ours = (jit(f)(x, y) as Tensor[]).map(values);
    const model0 = onnxModelOf(f, [x, y]);
    expect(new Set(model0.nodes.map((n) => n.op))).toContain("SoftmaxCrossEntropyLoss");
    const theirs = await runOnnx(exportOnnx(f, x, y), { arg0: x, arg1: y });
    ours.forEach((o, i) => expectAllClose(theirs[`output${i}`], o, 1e-5));
  });

  it("movement, reductions, gather and comparisons round-trip (float64 too)", async () => {
    const f = (x: Tensor, idx: Tensor) => {
      const t = x.transpose(0, 1).reshape([3, 2]).exp();
      const g = x.gather(1, idx);
      const s = x.slice(null, [null, null, -1]);
      return [t.sum(0, true), g.max(-1), s.mul(x.gt(0).cast("float64")), x.mean(), concat([x, x], 0).cumsum(0)];
    };
    const x = tensor(
      [
        [0.5, -1, 2],
        [3, 0.25, -0.75],
      ],
      { dtype: "float64" },
    );
    const idx = tensor(
      [
        [2, 0],
        [1, 1],
      ],
      { dtype: "int32" },
    );
    const ours = (jit(f)(x, idx) as Tensor[]).map(values);
    const theirs = await runOnnx(exportOnnx(f, x, idx), { arg0: x, arg1: idx });
    ours.forEach((o, i) => expectAllClose(theirs[`output${i}`], o, 1e-12));
  });

  it("control flow exports as If, Scan and Loop and runs in onnxruntime", async () => {
    const w = tensor([0.5, -1.5], { dtype: "float64" });
    const f = (x: Tensor, xs: Tensor) => {
      const a = cond(
        x.sum().gt(0),
        () => x.mul(w).exp(),
        () => x.neg().add(w),
      );
      const [h, hs] = scan(
        (h: Tensor, xi: Tensor) => {
          const n = h.mul(w).add(xi).tanh();
          return [n, n.square()];
        },
        x,
        xs,
      );
      const [r] = scan((c: Tensor, xi: Tensor) => [c.add(xi), null], x, xs, { reverse: true });
      const l = whileLoop(
        (c: Tensor) => c.sum().lt(20),
        (c: Tensor) => c.mul(2).add(w.abs()),
        x.abs().add(0.1),
      );
      const m = whileLoop(
        (c: Tensor) => c.sum().lt(1e9),
        (c: Tensor) => c.mul(3),
        x.abs().add(1),
        { maxIterations: 4 },
      );
      return [a, h, hs, r, l, m];
    };
    const xs = tensor(
      [
        [0.1, 0.2],
        [-0.3, 0.4],
        [0.5, -0.6],
      ],
      { dtype: "float64" },
    );
    for (const x of [tensor([0.3, 0.2], { dtype: "float64" }), tensor([-0.3, -0.2], { dtype: "float64" })]) {
      const ours = (jit(f)(x, xs) as Tensor[]).map(values);
      const model0 = onnxModelOf(f, [x, xs]);
      for (const op of ["If", "Scan", "Loop"]) expect(model0.nodes.map((n) => n.op)).toContain(op);
      const theirs = await runOnnx(exportOnnx(f, x, xs), { arg0: x, arg1: xs });
      ours.forEach((o, i) => expectAllClose(theirs[`output${i}`], o, 1e-12));
    }
  });

  it("names ops it cannot export, and refuses training steps", () => {
    const f = (x: Tensor) => scatterAdd(x, 0, tensor([1, 0], { dtype: "int32" }), x.exp());
    expect(() => exportOnnx(f, randn([2]))).toThrow(/no ONNX mapping for scatterAdd/);
    const w = randn([2], { requiresGrad: true });
    const step = (x: Tensor) => {
      const l = x.mul(w).sum();
      l.backward();
      return l;
    };
    expect(() => exportOnnx(step, randn([2]))).toThrow(/gradient|training step/);
  });
});
