/**
 * Lesson 51's sequence parallelism: reduceScatter → LayerNorm on s/t tokens → allGather equals
 * allReduce → LayerNorm on every token, the two collectives send the allReduce's bytes on a ring,
 * and a GPT-3 layer's activations follow Korthikanti et al. 2022 (sbh(10 + 24/t) → 34·sbh/t).
 */
import { describe, expect, it } from "vitest";
import { dist, nn, randn } from "webgrad";

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
});
