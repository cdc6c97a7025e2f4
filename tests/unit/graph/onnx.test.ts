import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { exportOnnx, onnxModelOf, jit, nn, randn, manualSeed, tensor, scan, zeros, concat, type Tensor } from "webgrad";
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
    const model0 = onnxModelOf(f, [x]);
    const ops = new Set(model0.nodes.map((n) => n.op));
    for (const op of ["MatMul", "Add", "Relu", "Softmax", "LogSoftmax", "ReduceSum"]) expect(ops).toContain(op);
    expect(model0.initializers.length).toBeGreaterThanOrEqual(6); // weights and biases
  });

  it("movement, reductions, gather and comparisons round-trip (float64 too)", async () => {
    const f = (x: Tensor, idx: Tensor) => {
      const t = x.transpose(0, 1).reshape([3, 2]).exp();
      const g = x.gather(1, idx);
      const s = x.slice(null, [null, null, -1]);
      return [t.sum(0, true), g.max(-1), s.mul(x.gt(0).cast("float64")), x.mean(), concat([x, x], 0).cumsum(0)];
    };
    const x = tensor([[0.5, -1, 2], [3, 0.25, -0.75]], { dtype: "float64" });
    const idx = tensor([[2, 0], [1, 1]], { dtype: "int32" });
    const ours = (jit(f)(x, idx) as Tensor[]).map(values);
    const theirs = await runOnnx(exportOnnx(f, x, idx), { arg0: x, arg1: idx });
    ours.forEach((o, i) => expectAllClose(theirs[`output${i}`], o, 1e-12));
  });

  it("names ops it cannot export, and refuses training steps", () => {
    const f = (x: Tensor) => scan((c: Tensor, xi: Tensor) => [c.add(xi), null], zeros([2]), x)[0];
    expect(() => exportOnnx(f, randn([3, 2]))).toThrow(/no ONNX mapping for scan/);
    const w = randn([2], { requiresGrad: true });
    const step = (x: Tensor) => {
      const l = x.mul(w).sum();
      l.backward();
      return l;
    };
    expect(() => exportOnnx(step, randn([2]))).toThrow(/gradient|training step/);
  });
});
