import { describe, expect, it } from "vitest";
import { nn, optim, tensor, ones, randn, manualSeed, noGrad, Tensor, ShapeError, WebgradError } from "webgrad";
import { expectClose, f64 } from "./helpers";

class MLP extends nn.Module {
  fc1 = nn.linear(2, 8);
  act = nn.relu();
  blocks = [nn.linear(8, 8), nn.linear(8, 8)];
  head = nn.sequential(nn.dropout(0.5), nn.linear(8, 3));
  scale = nn.parameter(ones([1]));
  forward(x: Tensor): Tensor {
    let h = this.act.forward(this.fc1.forward(x));
    for (const b of this.blocks) h = b.forward(h).relu();
    return this.head.forward(h).mul(this.scale);
  }
}

describe("Module", () => {
  it("finds parameters and children by field, with dotted names", () => {
    manualSeed(0);
    const m = new MLP();
    const names = m.namedParameters().map(([n]) => n);
    expect(names).toEqual([
      "scale",
      "fc1.weight",
      "fc1.bias",
      "blocks.0.weight",
      "blocks.0.bias",
      "blocks.1.weight",
      "blocks.1.bias",
      "head.1.weight",
      "head.1.bias",
    ]); // own parameters first, as PyTorch
    expect(m.parameters().map((p) => p.name)).toEqual(names); // the Tape panel shows these
    expect(m.children().length).toBe(5);
    expect(m.numParameters()).toBe(2 * 8 + 8 + 2 * (64 + 8) + 8 * 3 + 3 + 1);
    expect(m.fc1.weight.shape).toEqual([8, 2]);
    const seq = nn.sequential(nn.linear(2, 16), nn.relu(), nn.linear(16, 1));
    expect(seq.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(String(seq)).toContain("(0): Linear(inFeatures=2, outFeatures=16, bias=true)");
  });
  it("call() ≡ forward(), train/eval switch dropout", () => {
    manualSeed(1);
    const m = new MLP();
    const x = randn([4, 2]);
    m.eval();
    expect(m.head.layers[0].training).toBe(false);
    expect(m.call(x).tolistSync()).toEqual(m.forward(x).tolistSync());
    m.train();
    expect(m.training && m.head.layers[0].training).toBe(true);
  });
  it("dropout: zero with probability p, scaled by 1/(1−p), identity in eval", () => {
    manualSeed(2);
    const x = ones([20000]);
    const d = nn.dropout(0.25);
    const y = d.forward(x).dataSync();
    const zeros = y.filter((v) => v === 0).length;
    expect(Math.abs(zeros / y.length - 0.25)).toBeLessThan(0.02);
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(nn.functional.dropout(x, 0.5, true, { seed: 3 }).tolistSync()).toEqual(nn.functional.dropout(x, 0.5, true, { seed: 3 }).tolistSync());
  });
  it("stateDict round trip (snapshot copies, shape-checked load, strict names)", () => {
    manualSeed(3);
    const a = new MLP(),
      b = new MLP();
    const x = randn([5, 2]);
    a.eval();
    b.eval();
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual(a.namedParameters().map(([n]) => n));
    expect(sd["fc1.weight"]).not.toBe(a.fc1.weight);
    const w = b.fc1.weight;
    b.loadStateDict(sd);
    expect(b.fc1.weight).toBe(w); // loaded in place: identity kept for optimizers
    expect(b.forward(x).tolistSync()).toEqual(a.forward(x).tolistSync());
    noGrad(() => a.fc1.weight.add_(1)); // the snapshot does not follow later changes
    expect(sd["fc1.weight"].tolistSync()).toEqual(b.fc1.weight.tolistSync());
    const bad = { ...sd, "fc1.weight": randn([2, 8]) };
    expect(() => b.loadStateDict(bad)).toThrow(ShapeError);
    expect(() => b.loadStateDict(bad)).toThrow(/fc1\.weight.*\[2, 8\].*\[8, 2\]/);
    const { scale: _s, ...missing } = sd;
    expect(() => b.loadStateDict({ ...missing, extra: ones([1]) })).toThrow(/missing: scale; unexpected: extra/);
    expect(b.loadStateDict(missing, { strict: false }).missing).toEqual(["scale"]);
  });
  it("zeroGrad, freezing, to(float64)", () => {
    manualSeed(4);
    const m = nn.sequential(nn.linear(2, 3), nn.tanh(), nn.linear(3, 1));
    nn.mse(m.forward(randn([4, 2])), randn([4, 1])).backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    m.requiresGrad_(false);
    expect(m.parameters().length).toBe(4); // frozen parameters are still listed
    expect(m.forward(randn([1, 2])).requiresGrad).toBe(false);
    m.requiresGrad_(true);
    const before = m.forward(tensor([[0.5, -1]])).itemSync();
    m.double();
    expect(m.parameters().every((p) => p.dtype === "float64" && p.requiresGrad)).toBe(true);
    expect(m.namedParameters()[0][1].name).toBe("0.weight");
    expect(m.forward(f64([[0.5, -1]])).itemSync()).toBeCloseTo(before, 6);
  });
  it("shape errors speak the user's language", () => {
    const lin = nn.linear(3, 2);
    expect(() => lin.forward(randn([4, 5]))).toThrow(/in_features 3/);
    expect(() => nn.multiHeadAttention(6, 4)).toThrow(/divisible/);
    expect(() => nn.mse(randn([3, 1]), randn([3]))).toThrow(/same shape/);
    expect(() => nn.crossEntropy(randn([3, 4]), tensor([0, 1], { dtype: "int32" }))).toThrow(/\[3\]/);
  });
  it("layers: embedding, oneHot, conv2d shapes, init helpers", () => {
    manualSeed(5);
    const emb = nn.embedding(10, 4);
    expect(emb.forward(tensor([[1, 2, 3]], { dtype: "int32" })).shape).toEqual([1, 3, 4]);
    expect(nn.oneHot(tensor([0, 2], { dtype: "int32" }), 3).tolistSync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(nn.conv2d(3, 8, 3, { padding: 1, stride: 2 }).forward(randn([2, 3, 9, 9])).shape).toEqual([2, 8, 5, 5]);
    const cnn = nn.sequential(
      nn.conv2d(1, 4, 3, { padding: 1 }),
      nn.relu(),
      nn.maxPool2d(2),
      nn.conv2d(4, 4, 3, { groups: 2 }),
      nn.avgPool2d(2),
      nn.flatten(),
      nn.linear(4, 2),
    );
    expect(cnn.forward(randn([3, 1, 8, 8])).shape).toEqual([3, 2]);
    expect(cnn.namedParameters().map(([n, p]) => `${n}:${p.shape}`)).toEqual([
      "0.weight:4,1,3,3",
      "0.bias:4",
      "3.weight:4,2,3,3",
      "3.bias:4",
      "6.weight:2,4",
      "6.bias:2",
    ]);
    const w = randn([200, 300]);
    nn.xavierUniform(w, { seed: 1 });
    const a = Math.sqrt(6 / 500);
    const d = w.dataSync();
    expect(Math.max(...d)).toBeLessThanOrEqual(a);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(-a);
    expect(w.std().itemSync()).toBeCloseTo(a / Math.sqrt(3), 2);
    nn.kaimingNormal(w, { nonlinearity: "relu", seed: 2 });
    expect(w.std().itemSync()).toBeCloseTo(Math.sqrt(2 / 300), 3);
    nn.xavierNormal(w, { seed: 3 });
    expect(w.std().itemSync()).toBeCloseTo(Math.sqrt(2 / 500), 3);
    nn.kaimingUniform(w, { seed: 4, mode: "fanOut" });
    expect(w.abs().max().itemSync()).toBeLessThanOrEqual(Math.sqrt(6 / 200));
    expect(nn.kaimingUniform(randn([3, 4]), { seed: 7 }).tolistSync()).toEqual(nn.kaimingUniform(randn([3, 4]), { seed: 7 }).tolistSync());
    const l1 = nn.linear(4, 4, { seed: 9 }),
      l2 = nn.linear(4, 4, { seed: 9 });
    expect(l1.weight.tolistSync()).toEqual(l2.weight.tolistSync());
  });
});

describe("optim", () => {
  it("parameters keep their identity; state and lr schedules", () => {
    manualSeed(6);
    const m = nn.linear(3, 1);
    const [w, b] = m.parameters();
    const opt = optim.sgd(m.parameters(), { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      nn.mse(m.forward(randn([8, 3])), randn([8, 1])).backward();
      opt.step();
    }
    expect(m.parameters()[0]).toBe(w);
    expect(m.parameters()[1]).toBe(b);
    expect(w.isLeaf && w.requiresGrad).toBe(true);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(["0", "1"]);
    expect((sd.state[0].momentumBuffer as Tensor).shape).toEqual([1, 3]);
    const opt2 = optim.sgd(m.parameters(), { lr: 0.5, momentum: 0.5 });
    const buf = opt2.state.get(w)!.momentumBuffer;
    opt2.loadStateDict(sd);
    expect(opt2.paramGroups[0].lr).toBe(0.1);
    expect(opt2.state.get(w)!.momentumBuffer).toBe(buf); // copied in place
    expect(buf.tolistSync()).toEqual(sd.state[0].momentumBuffer.tolistSync());
    expect(() => optim.sgd(m.parameters(), { lr: 0.1 }).loadStateDict(sd)).toThrow(/no state named "momentumBuffer"/);
  });
  it("param groups with their own lr", () => {
    const a = tensor([1], { requiresGrad: true }),
      b = tensor([1], { requiresGrad: true });
    const opt = optim.sgd([{ params: [a] }, { params: [b], lr: 1 }], { lr: 0.1 });
    a.add(b).sum().backward();
    opt.step();
    expect(a.itemSync()).toBeCloseTo(0.9, 6);
    expect(b.itemSync()).toBeCloseTo(0, 6);
    expect(() => optim.adam([a.mul(2)])).toThrow(WebgradError);
  });
  it("schedules: step, cosine (min lr), warm-up, warm-up + cosine, sequential", () => {
    const p = tensor([1], { requiresGrad: true });
    const lrs = (mk: (o: optim.Optimizer<object>) => optim.LRScheduler, n: number) => {
      const opt = optim.sgd([p], { lr: 1 });
      const s = mk(opt);
      const out = [opt.paramGroups[0].lr];
      for (let i = 0; i < n; i++) {
        s.step();
        out.push(s.getLastLr()[0]);
      }
      return out;
    };
    expect(lrs((o) => optim.stepLR(o, { stepSize: 2, gamma: 0.5 }), 5)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    const cos = lrs((o) => optim.cosineLR(o, { tMax: 4, minLr: 0.2 }), 6);
    expectClose(cos, [1, 0.2 + (0.8 * (1 + Math.SQRT1_2)) / 2, 0.6, 0.2 + (0.8 * (1 - Math.SQRT1_2)) / 2, 0.2, 0.2, 0.2], 1e-12);
    expect(lrs((o) => optim.warmupLR(o, { warmupSteps: 4 }), 5)).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
    const wc = lrs((o) => optim.warmupCosine(o, { warmupSteps: 2, totalSteps: 6, minLr: 0 }), 7);
    expectClose(wc, [0, 0.5, 1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0, 0], 1e-12);
    const lin = lrs((o) => optim.linearLR(o, { startFactor: 0.5, totalSteps: 2 }), 3);
    expect(lin).toEqual([0.5, 0.75, 1, 1]);
    const seq = lrs(
      (o) => optim.sequentialLR(o, [optim.linearSchedule({ startFactor: 0.5, totalSteps: 2 }), optim.stepSchedule({ stepSize: 1, gamma: 0.5 })], [2]),
      4,
    );
    expect(seq).toEqual([0.5, 0.75, 1, 0.5, 0.25]);
  });
  it("clipGradNorm", () => {
    const a = tensor([3, 0], { requiresGrad: true, dtype: "float64" }),
      b = tensor([4], { requiresGrad: true, dtype: "float64" });
    a.square().sum().mul(0.5).add(b.square().sum().mul(0.5)).backward(); // grads 3, 0, 4: norm 5
    expect(optim.clipGradNorm([a, b], 1).itemSync()).toBeCloseTo(5, 12);
    expectClose(a.grad!, [0.6, 0], 1e-6);
    expectClose(b.grad!, [0.8], 1e-6);
  });
});
