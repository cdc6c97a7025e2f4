/**
 * Lesson 51's sequence parallelism: reduceScatter → LayerNorm on s/t tokens → allGather equals
 * allReduce → LayerNorm on every token, the two collectives send the allReduce's bytes on a ring,
 * a GPT-3 layer's activations follow Korthikanti et al. 2022 (sbh(10 + 24/t) → 34·sbh/t), and
 * `dist.TensorParallel` with `sequenceParallel` trains exactly as without it, on slices of the sequence.
 */
import { describe, expect, it } from "vitest";
import { dist, nn, optim, randn, type Tensor } from "webgrad";

/** Two transformer layers as Megatron's four tensor-parallel blocks over t ranks. */
function megatron(t: number, sequenceParallel: boolean) {
  const blocks = (nn.sequential(nn.transformerBlock(16, 4, { seed: 3 }), nn.transformerBlock(16, 4, { seed: 4 })).children() as nn.TransformerBlock[]).flatMap(
    (b) => [
      { ln: dist.replicatedLayerNorm(b.ln1), inner: dist.ParallelAttention.fromAttention(b.attn, t), residual: true },
      {
        ln: dist.replicatedLayerNorm(b.ln2),
        inner: dist.ParallelMLP.fromLinears(b.mlp.children()[0] as nn.Linear, b.mlp.children()[2] as nn.Linear, t),
        residual: true,
      },
    ],
  );
  const c = dist.cluster({ devicesPerNode: t });
  return new dist.TensorParallel(blocks, c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), sequenceParallel });
}

describe("sequence parallelism (lesson 51)", () => {
  it("reduceScatter + LayerNorm on a token shard + allGather = allReduce + LayerNorm, for the same bytes", () => {
    for (const p of [2, 4]) {
      const c = dist.cluster({ devicesPerNode: p, intra: "NVLink" });
      const partials = c.devices.map((d, r) => dist.place(randn([16, 8], { seed: 10 + r }), d));
      const ln = nn.layerNorm(8);
      const ar = dist.allReduce(partials, { algorithm: "ring" });
      const rs = dist.reduceScatter(partials, { algorithm: "ring" });
      const ag = dist.allGather(
        rs.outputs.map((o, r) => dist.place(ln.forward(o.tensor), c.devices[r])),
        { algorithm: "ring" },
      );
      expect(ag.outputs[0].tensor.sub(ln.forward(ar.outputs[0].tensor)).abs().max().itemSync()).toBeLessThan(1e-6);
      const sent = (r: dist.CollectiveOutput) => Array.from(r.timeline.columns.bytes).reduce((a, v) => a + v, 0);
      const n = 16 * 8 * 4;
      expect(sent(rs)).toBe((p - 1) * n);
      expect(sent(ag)).toBe((p - 1) * n);
      expect(sent(ar)).toBe(2 * (p - 1) * n);
      expect(rs.outputs[0].tensor.shape).toEqual([16 / p, 8]);
    }
  });
  it("GPT-3 layer, one 2048-token sequence, selective recomputation: 0.327 GB without SP, 0.107 GB with it at t = 8", () => {
    const m = dist.resolveModel(dist.MODEL_PRESETS["gpt3-175b"]);
    const sbh = 2048 * 12288;
    for (const t of [1, 2, 4, 8, 16]) {
      expect(dist.layerActivationBytes(m, 1, t, false, "selective")).toBeCloseTo(sbh * (10 + 24 / t), 0);
      expect(dist.layerActivationBytes(m, 1, t, true, "selective")).toBeCloseTo((34 * sbh) / t, 0);
    }
    expect((dist.layerActivationBytes(m, 1, 8, false, "selective") / 1e9).toFixed(3)).toBe("0.327");
    expect((dist.layerActivationBytes(m, 1, 8, true, "selective") / 1e9).toFixed(3)).toBe("0.107");
  });

  it("TensorParallel with sequence parallelism: the same loss and update as without, allGather + reduceScatter for each allReduce, less kept", () => {
    for (const t of [2, 4]) {
      const x = randn([2, 8, 16], { seed: 5 }),
        y = randn([2, 8, 16], { seed: 6 });
      const mse = (o: Tensor, target: Tensor) => nn.mse(o, target);
      const plain = megatron(t, false),
        sp = megatron(t, true);
      const a = plain.step(x, y, mse),
        b = sp.step(x, y, mse);
      expect(Math.abs(b.loss - a.loss)).toBeLessThan(1e-6);
      const after = (m: dist.TensorParallel) => m.parameters().map((q) => Array.from(q.dataSync()));
      const pa = after(plain),
        pb = after(sp);
      pa.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(pb[i][j] - v)).toBeLessThan(1e-5)));
      // Per block: g and ḡ in forward; ḡ's transpose, the input gathered again and g's transpose in backward.
      expect(b.allReduces).toEqual([]);
      expect(b.collectives.filter((c) => c.block === 0).map((c) => `${c.kind} ${c.where}`)).toEqual([
        "allGather g (forward)",
        "reduceScatter ḡ (forward)",
        "allGather ḡ (backward)",
        "allGather g again (backward)",
        "reduceScatter g (backward)",
      ]);
      const whole = 2 * 8 * 16 * 4;
      for (const c of b.collectives) expect(c.bytes).toBe(whole);
      expect(a.collectives.map((c) => c.kind)).toEqual(Array(8).fill("allReduce"));
      for (let r = 0; r < t; r++) expect(b.activationBytes[r]).toBeLessThan(a.activationBytes[r]);
    }
  });

  it("TensorParallel with sequence parallelism names a sequence the devices cannot split", () => {
    expect(() => megatron(4, true).step(randn([2, 6, 16]), randn([2, 6, 16]), (o, y) => nn.mse(o, y))).toThrow(/sequence of 6 positions.*4 devices/);
  });
});
