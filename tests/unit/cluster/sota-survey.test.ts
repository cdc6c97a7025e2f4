/**
 * Lesson 43's survey: the planner's parameter count of each SOTA preset against the count its paper
 * or model card publishes, and 6·N·T training FLOPs against the budgets the papers state.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

/** Published parameter counts: [preset, total, active (MoE), source]. */
const PUBLISHED: [dist.ModelPresetName, number, number | undefined, string][] = [
  ["gpt3-175b", 175.0e9, undefined, "Brown et al. 2020, Table 2.1"],
  ["palm-540b", 540.35e9, undefined, "Chowdhery et al. 2022, Table 1"],
  ["llama2-7b", 6.74e9, undefined, "Llama 2 model card (6 738 415 616)"],
  ["llama2-70b", 68.98e9, undefined, "Llama 2 model card (68 976 648 192)"],
  ["llama3-8b", 8.03e9, undefined, "Llama 3 model card"],
  ["llama3-70b", 70.6e9, undefined, "Llama 3 model card"],
  ["llama3-405b", 405e9, undefined, "Llama 3 paper (Dubey et al. 2024), Table 3"],
  ["mixtral-8x7b", 46.7e9, 12.9e9, "Mixtral announcement (Mistral AI 2023)"],
  ["deepseek-v3", 671e9, 37e9, "DeepSeek-V3 technical report, abstract"],
];
/** Within 1 % of every published count (the papers round to three digits). */
const TOLERANCE = 0.01;

describe("SOTA presets: parameters counted by dist.resolveModel against the published counts", () => {
  for (const [name, total, active, source] of PUBLISHED) {
    it(`${name}: ${total / 1e9} B (${source})`, () => {
      const m = dist.resolveModel(dist.modelConfig(name));
      expect(Math.abs(m.parameters / total - 1)).toBeLessThan(TOLERANCE);
      if (active !== undefined) expect(Math.abs(m.activeParameters / active - 1)).toBeLessThan(0.02);
      else expect(m.activeParameters).toBe(m.parameters);
    });
  }
  it("counts the exact closed forms of PaLM's and DeepSeek-V3's layers", () => {
    const palm = dist.resolveModel(dist.modelConfig("palm-540b"));
    const [h, q, f] = [18432, 48 * 256, 73728];
    // Multi-query attention: Q and O are h × 12 288, K and V one head of 256; SwiGLU: three h × f matrices; one RMSNorm pair.
    expect(palm.layer.total).toBe(h * q * 2 + 2 * h * 256 + 3 * h * f + 2 * h);
    expect(palm.parameters).toBe(118 * palm.layer.total + 256000 * h + h);
    const ds = dist.resolveModel(dist.modelConfig("deepseek-v3"));
    const H = 7168;
    const mla = H * 1536 + 1536 + 1536 * 128 * 192 + H * 576 + 512 + 512 * 128 * 256 + 128 * 128 * H;
    expect(ds.layer.attention).toBe(mla);
    const expert = 3 * H * 2048;
    expect(ds.parameters).toBe(58 * (mla + 257 * expert + H * 256 + 2 * H) + 3 * (mla + 3 * H * 18432 + 2 * H) + 2 * 129280 * H + H);
    expect(ds.activeParameters).toBe(ds.parameters - 58 * 248 * expert);
  });
  it("dist.plan refuses a model whose layers differ, and still plans PaLM", () => {
    expect(() => dist.plan("deepseek-v3", dist.dgxH100(256), { tp: 8, pp: 16, dp: 16, microbatch: 1, globalBatch: 1024 })).toThrow(/not all alike/);
    const r = dist.plan("palm-540b", dist.tpuTorus(3072), { tp: 8, pp: 1, dp: 384, microbatch: 1, globalBatch: 2304, zero: 3, recompute: "full" });
    expect(r.model.parameters).toBeCloseTo(540.35e9, -9);
  });
});

describe("training FLOPs ≈ 6·N·T against the papers' budgets", () => {
  it("GPT-3 175B on 300 B tokens: 3.14e23 (Brown et al. 2020, Table D.1)", () => {
    const m = dist.resolveModel(dist.modelConfig("gpt3-175b"));
    expect(Math.abs((6 * m.activeParameters * 300e9) / 3.14e23 - 1)).toBeLessThan(0.01);
  });
  it("LLaMA 3 405B on 15.6 T tokens: 3.8e25 (Dubey et al. 2024, §3.2)", () => {
    const m = dist.resolveModel(dist.modelConfig("llama3-405b"));
    expect(Math.abs((6 * m.activeParameters * 15.6e12) / 3.8e25 - 1)).toBeLessThan(0.01);
  });
  it("DeepSeek-V3 on 14.8 T tokens: the active 37 B, not the 671 B, set the FLOPs", () => {
    const m = dist.resolveModel(dist.modelConfig("deepseek-v3"));
    const flops = 6 * m.activeParameters * 14.8e12;
    expect(flops).toBeGreaterThan(3.2e24);
    expect(flops).toBeLessThan(3.4e24);
  });
});

describe("lesson 43's figures", () => {
  it("training days: 6·N·T / (GPUs · peak · MFU), e.g. LLaMA 3 405B on 2 048 H100s at 40 % ≈ 543 days", () => {
    const m = dist.resolveModel(dist.modelConfig("llama3-405b"));
    const days = (6 * m.activeParameters * 15.6e12) / (2048 * dist.DEVICE_PRESETS.H100.peakFlops.bfloat16! * 0.4) / 86400;
    expect(Math.round(days)).toBe(543);
    expect(dist.DEVICE_PRESETS.H100.peakFlops.bfloat16).toBe(989e12);
  });
  it("where the parameters sit: PaLM's multi-query attention is 10 % of it, DeepSeek-V3's experts 98 %", () => {
    const palm = dist.resolveModel(dist.modelConfig("palm-540b"));
    expect((118 * (2 * 18432 * 12288 + 2 * 18432 * 256)) / palm.parameters).toBeCloseTo(0.101, 3);
    const ds = dist.resolveModel(dist.modelConfig("deepseek-v3"));
    const mlp = ds.parameters - ds.layers * ds.layer.attention - ds.embedding - ds.head;
    expect(mlp / ds.parameters).toBeCloseTo(0.98, 2);
  });
});
