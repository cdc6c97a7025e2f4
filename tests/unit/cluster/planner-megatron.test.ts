/**
 * The planner against published runs: Narayanan et al., "Efficient Large-Scale Language Model Training
 * on GPU Clusters Using Megatron-LM", SC'21 (arXiv:2104.04473), Table 1 — GPT models from 1.7B to 1T
 * parameters on Selene (DGX A100 80 GB, NVSwitch inside a node, 8 × 200 Gb/s HDR InfiniBand per node),
 * V = 51 200, s = 2048, mixed precision (fp16), full activation recomputation, achieved teraFLOP/s per
 * GPU counted with the paper's Eq. 3, F = 96·B·s·l·h²·(1 + s/(6h) + V/(16·l·h)).
 *
 * The microbatch sizes, interleaving (--num-layers-per-virtual-pipeline-stage) and DDP implementation
 * of each row are the paper's own launch settings, NVIDIA/Megatron-LM examples/sc21/run_table_1.sh
 * ("torch" DDP overlaps the gradient all-reduce with backward, "local" does not). The efficiency model
 * is `dist.DEFAULT_EFFICIENCY`, the same for every row.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

interface Row {
  preset: dist.ModelPresetName;
  /** Paper's parameter count, billions. */
  billions: number;
  tp: number;
  pp: number;
  gpus: number;
  batch: number;
  /** run_table_1.sh: MBS, layers per virtual stage (0: not interleaved), DDP. */
  microbatch: number;
  layersPerVirtualStage: number;
  ddp: "torch" | "local";
  /** Table 1: achieved teraFLOP/s per GPU. */
  paper: number;
}

const TABLE_1: Row[] = [
  { preset: "megatron-1.7b", billions: 1.7, tp: 1, pp: 1, gpus: 32, batch: 512, microbatch: 16, layersPerVirtualStage: 0, ddp: "torch", paper: 137 },
  { preset: "megatron-3.6b", billions: 3.6, tp: 2, pp: 1, gpus: 64, batch: 512, microbatch: 16, layersPerVirtualStage: 0, ddp: "torch", paper: 138 },
  { preset: "megatron-7.5b", billions: 7.5, tp: 4, pp: 1, gpus: 128, batch: 512, microbatch: 16, layersPerVirtualStage: 0, ddp: "torch", paper: 142 },
  { preset: "megatron-18b", billions: 18.4, tp: 8, pp: 1, gpus: 256, batch: 1024, microbatch: 8, layersPerVirtualStage: 0, ddp: "torch", paper: 135 },
  { preset: "megatron-39b", billions: 39.1, tp: 8, pp: 2, gpus: 512, batch: 1536, microbatch: 4, layersPerVirtualStage: 0, ddp: "local", paper: 138 },
  { preset: "megatron-76b", billions: 76.1, tp: 8, pp: 4, gpus: 1024, batch: 1792, microbatch: 2, layersPerVirtualStage: 5, ddp: "local", paper: 140 },
  { preset: "megatron-145b", billions: 145.6, tp: 8, pp: 8, gpus: 1536, batch: 2304, microbatch: 2, layersPerVirtualStage: 5, ddp: "local", paper: 148 },
  { preset: "megatron-310b", billions: 310.1, tp: 8, pp: 16, gpus: 1920, batch: 2160, microbatch: 1, layersPerVirtualStage: 3, ddp: "local", paper: 155 },
  { preset: "megatron-530b", billions: 529.6, tp: 8, pp: 35, gpus: 2520, batch: 2520, microbatch: 1, layersPerVirtualStage: 1, ddp: "local", paper: 163 },
  { preset: "megatron-1t", billions: 1008.0, tp: 8, pp: 64, gpus: 3072, batch: 3072, microbatch: 1, layersPerVirtualStage: 0, ddp: "local", paper: 163 },
];

function costRow(row: Row) {
  const model = dist.resolveModel(dist.MODEL_PRESETS[row.preset]);
  const interleave = row.layersPerVirtualStage ? model.layers / row.pp / row.layersPerVirtualStage : 1;
  return dist.plan(model, dist.dgxA100(row.gpus / 8), {
    tp: row.tp,
    pp: row.pp,
    dp: row.gpus / (row.tp * row.pp),
    microbatch: row.microbatch,
    globalBatch: row.batch,
    recompute: "full",
    interleave,
    precision: "fp16",
    overlapGradReduce: row.ddp === "torch",
  });
}

describe("Megatron-LM SC'21 Table 1 (1.7B … 1T on A100s)", () => {
  it("the presets have the paper's parameter counts (Eq. 2: 12·l·h²·(1 + 13/(12h) + (V + s)/(12·l·h)))", () => {
    for (const row of TABLE_1) {
      const m = dist.resolveModel(dist.MODEL_PRESETS[row.preset]);
      const eq2 = 12 * m.layers * m.hidden ** 2 * (1 + 13 / (12 * m.hidden) + (m.vocab + m.seq) / (12 * m.layers * m.hidden));
      // The presets also count the final LayerNorm (2h), which Eq. 2 leaves out.
      expect(m.parameters - 2 * m.hidden).toBeCloseTo(eq2, -1);
      // The table rounds to one decimal (1.65 B prints as 1.7).
      expect(Math.abs(m.parameters / 1e9 - row.billions)).toBeLessThan(0.051);
    }
  });

  it("the hardware FLOPs of a step are the paper's Eq. 3 (attention scores, logits and the recomputed forward included)", () => {
    for (const row of TABLE_1) {
      const r = costRow(row);
      const { layers: l, hidden: h, seq: s, vocab: V } = r.model;
      const eq3 = 96 * row.batch * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
      expect(r.flops.hardware / eq3).toBeCloseTo(1, 12);
    }
  });

  it("achieved teraFLOP/s per GPU within 10 % of every row, with one efficiency model", () => {
    const lines = ["config (B params, t×p, GPUs, batch, mbs, v)      paper TFLOP/s/GPU   ours    ratio   MFU    bubble  exposed comm  memory"];
    const ratios: number[] = [];
    for (const row of TABLE_1) {
      const r = costRow(row);
      const ours = r.flopsPerDevice / 1e12;
      const ratio = ours / row.paper;
      ratios.push(ratio);
      const cfg = `${row.billions}B ${row.tp}×${row.pp} ${row.gpus} GPUs B=${row.batch} b=${row.microbatch} v=${r.plan.interleave}`;
      lines.push(
        `${cfg.padEnd(50)} ${String(row.paper).padStart(6)}            ${ours.toFixed(1).padStart(6)}   ${ratio.toFixed(3)}   ${(r.mfu * 100).toFixed(1)}%  ${(r.bubbleFraction * 100).toFixed(1).padStart(4)}%  ${((r.time.exposedComm / r.time.step) * 100).toFixed(1).padStart(5)}%      ${(r.memory.total / 2 ** 30).toFixed(1)} GiB`,
      );
      expect(r.memory.fits).toBe(true);
    }
    console.log(lines.join("\n"));
    for (const x of ratios) expect(Math.abs(x - 1)).toBeLessThan(0.1);
  });
});
