/**
 * Hand-off to a real engine: a costed plan written as Megatron-LM launch arguments or as a DeepSpeed
 * JSON config, with every name spelled as the engine documents it (Megatron-LM: the flags its
 * `megatron/training/arguments.py` parses, generated from `ModelParallelConfig` / `TransformerConfig`
 * and shown in `docs/user-guide/parallelism-guide.md`; DeepSpeed: the keys of "DeepSpeed Configuration
 * JSON", `docs/_pages/config-json.md`). What an engine cannot express throws a `DistError` naming the
 * reason; what it expresses elsewhere (the tokenizer, DeepSpeed's model-parallel split, which lives in
 * code, not in the JSON) is listed in `notes`.
 * @module
 */
import { DistError } from "../errors";
import type { PlanResult } from "./cost";

/**
 * Megatron-LM launch arguments for a plan, and what they leave to the launcher.
 * @example const { args, notes } = dist.megatronArgs(dist.plan("gpt3-175b", dist.dgxA100(128), p)); console.log(args.join(" "));
 */
export interface MegatronLaunch {
  /** Command-line arguments for `pretrain_gpt.py`, flag then value: `["--tensor-model-parallel-size", "8", …, "--bf16"]`. */
  args: string[];
  /** What the arguments do not say and the launcher must (world size, tokenizer), or where Megatron-LM differs from the plan. */
  notes: string[];
}

/**
 * A DeepSpeed JSON config (the keys of DeepSpeed's "Configuration JSON" page that a plan determines).
 * @example const cfg: dist.DeepSpeedConfig = dist.deepspeedConfig(r).config; JSON.stringify(cfg, null, 2)
 */
export interface DeepSpeedConfig {
  /** Sequences per optimizer step, all data-parallel replicas: micro-batch × accumulation × data-parallel ranks. */
  train_batch_size: number;
  /** Sequences per forward/backward pass on one GPU. */
  train_micro_batch_size_per_gpu: number;
  /** Micro-batches accumulated per step. */
  gradient_accumulation_steps: number;
  /** ZeRO: `stage` 0–3; `overlap_comm` overlaps the gradient reduction with backward. */
  zero_optimization: { stage: 0 | 1 | 2 | 3; overlap_comm: boolean };
  /** bfloat16 mixed precision (present when the plan trains in bf16). */
  bf16?: { enabled: true };
  /** float16 mixed precision with dynamic loss scaling (`loss_scale` 0), present when the plan trains in fp16. */
  fp16?: { enabled: true; loss_scale: 0 };
  /** AutoTP tensor parallelism (present when tp > 1): `autotp_size` is the tensor-parallel degree. */
  tensor_parallel?: { autotp_size: number };
  /** AutoEP expert parallelism for MoE models (present when ep > 1 and tp = 1; AutoEP cannot be combined with AutoTP). */
  expert_parallel?: { enabled: true; autoep_size: number };
  /** DeepSpeed's activation checkpointing (present with recomputation; the model must call `deepspeed.checkpointing.checkpoint`). */
  activation_checkpointing?: { partition_activations: boolean; contiguous_memory_optimization: boolean };
}

/**
 * A DeepSpeed config for a plan, and what the JSON cannot say.
 * @example const { config, notes } = dist.deepspeedConfig(r); console.log(JSON.stringify(config, null, 2));
 */
export interface DeepSpeedLaunch {
  config: DeepSpeedConfig;
  /** Where the model-parallel split goes instead (code, not JSON), and where DeepSpeed differs from the plan. */
  notes: string[];
}

const flag = (args: string[], name: string, value?: number | string) => {
  args.push(name);
  if (value !== undefined) args.push(String(value));
};

/**
 * Megatron-LM launch arguments for a costed plan (`dist.plan`'s result or a search's `ranked[i].result`).
 * Throws a `DistError` for what Megatron-LM cannot run: ZeRO stage 2 or 3 (its distributed optimizer
 * shards the optimizer state, ZeRO-1; full sharding is its separate FSDP path), the GPipe schedule with
 * pipeline parallelism (Megatron-LM runs 1F1B), a model without a vocabulary, or an optimizer other
 * than Adam (2 slots) or SGD with momentum (1 slot).
 * @example
 * const r = dist.plan("gpt3-175b", dist.dgxA100(128), { tp: 8, pp: 8, dp: 16, microbatch: 1, globalBatch: 1536, recompute: "selective", sequenceParallel: true, zero: 1 });
 * console.log(["torchrun --nproc-per-node 8 pretrain_gpt.py", ...dist.megatronArgs(r).args].join(" "));
 */
export function megatronArgs(r: PlanResult): MegatronLaunch {
  const { model: m, plan: p } = r;
  const fail = (why: string) => {
    throw new DistError("dist.megatronArgs", why);
  };
  if (p.zero >= 2)
    fail(
      `ZeRO-${p.zero} has no Megatron-LM flag: --use-distributed-optimizer shards the optimizer state only (ZeRO-1); use zero: 1, or dist.deepspeedConfig for stage ${p.zero}`,
    );
  if (p.schedule === "gpipe" && p.pp > 1 && p.interleave === 1) fail(`Megatron-LM has no GPipe schedule (it runs 1F1B); use schedule: "1f1b"`);
  if (m.vocab === 0) fail(`model "${m.name}" has no vocabulary (vocab 0): Megatron-LM's GPT always has an embedding and an output layer`);
  if (p.optimizerSlots !== 2 && p.optimizerSlots !== 1)
    fail(`an optimizer with ${p.optimizerSlots} fp32 slots per parameter has no Megatron-LM equivalent (Adam keeps 2, SGD with momentum 1)`);
  const args: string[] = [];
  const notes: string[] = [`launch on ${p.devices} GPUs (tp·pp·dp = ${p.tp}·${p.pp}·${p.dp}); Megatron-LM derives dp = world size / (tp·pp)`];
  // Parallelism.
  flag(args, "--tensor-model-parallel-size", p.tp);
  flag(args, "--pipeline-model-parallel-size", p.pp);
  if (p.interleave > 1) {
    flag(args, "--num-layers-per-virtual-pipeline-stage", p.layersPerChunk);
    if (p.pp === 2) {
      flag(args, "--overlap-p2p-communication");
      notes.push("Megatron-LM interleaves two pipeline stages only with --overlap-p2p-communication");
    }
  }
  if (p.sequenceParallel && p.tp > 1) flag(args, "--sequence-parallel");
  if (m.experts > 0) {
    flag(args, "--num-experts", m.experts);
    flag(args, "--moe-router-topk", m.topK);
    flag(args, "--expert-model-parallel-size", p.ep);
  }
  if (p.zero === 1) flag(args, "--use-distributed-optimizer");
  if (p.overlapGradReduce && p.dp > 1) flag(args, "--overlap-grad-reduce");
  // Recomputation: "selective" recomputes the attention core (Megatron's default --recompute-modules core_attn);
  // "full" keeps each layer's input only: every layer (uniform, 1 layer per checkpoint) rerun in backward.
  if (p.recompute === "selective") flag(args, "--recompute-granularity", "selective");
  if (p.recompute === "full") {
    flag(args, "--recompute-granularity", "full");
    flag(args, "--recompute-method", "uniform");
    flag(args, "--recompute-num-layers", 1);
  }
  // Batch.
  flag(args, "--micro-batch-size", p.microbatch);
  flag(args, "--global-batch-size", p.globalBatch);
  // Model.
  flag(args, "--num-layers", m.layers);
  flag(args, "--hidden-size", m.hidden);
  flag(args, "--ffn-hidden-size", m.ffn);
  flag(args, "--num-attention-heads", m.heads);
  if (m.kvHeads !== m.heads) {
    flag(args, "--group-query-attention");
    flag(args, "--num-query-groups", m.kvHeads);
  }
  flag(args, "--seq-length", m.seq);
  flag(args, "--max-position-embeddings", m.seq);
  if (m.family === "llama") {
    flag(args, "--swiglu");
    flag(args, "--normalization", "RMSNorm");
    flag(args, "--disable-bias-linear");
    flag(args, "--position-embedding-type", "rope");
    flag(args, "--untie-embeddings-and-output-weights");
    flag(args, "--attention-dropout", 0);
    flag(args, "--hidden-dropout", 0);
  }
  // Precision and optimizer.
  if (p.precision === "bf16") flag(args, "--bf16");
  if (p.precision === "fp16") flag(args, "--fp16");
  if (p.optimizerSlots === 1) flag(args, "--optimizer", "sgd");
  notes.push(
    `the vocabulary comes from the tokenizer (--tokenizer-type, --vocab-file…), padded to a multiple of --make-vocab-size-divisible-by × tp; the plan assumes V = ${m.vocab}`,
  );
  if (!p.overlapGradReduce && p.dp > 1)
    notes.push("the plan does not overlap the gradient reduction with backward: Megatron-LM's default without --overlap-grad-reduce");
  return { args, notes };
}

/**
 * A DeepSpeed config for a costed plan: batch (micro-batch, accumulation, global), ZeRO stage,
 * precision and activation checkpointing. DeepSpeed's "number of GPUs" in its batch rule is the
 * data-parallel world size, so `train_batch_size` = micro-batch × accumulation × dp. Tensor parallelism
 * is AutoTP's `tensor_parallel.autotp_size`, expert parallelism AutoEP's `expert_parallel.autoep_size`;
 * pipeline parallelism is not a JSON key (a `PipelineModule(num_stages=pp)` in code): listed in `notes`. Throws a `DistError` for ZeRO stage 2 or 3
 * with pipeline parallelism, which DeepSpeed's pipeline engine refuses.
 * @example const { config } = dist.deepspeedConfig(dist.plan("gpt3-13b", dist.dgxA100(4), { tp: 1, pp: 1, dp: 32, microbatch: 2, globalBatch: 256, zero: 3 }));
 */
export function deepspeedConfig(r: PlanResult): DeepSpeedLaunch {
  const { model: m, plan: p } = r;
  if (p.pp > 1 && p.zero >= 2)
    throw new DistError(
      "dist.deepspeedConfig",
      `ZeRO-${p.zero} with pipeline parallelism (pp = ${p.pp}): DeepSpeed's pipeline engine supports ZeRO stage 0 or 1 only`,
    );
  const config: DeepSpeedConfig = {
    train_batch_size: p.globalBatch,
    train_micro_batch_size_per_gpu: p.microbatch,
    gradient_accumulation_steps: p.microbatches,
    zero_optimization: { stage: p.zero, overlap_comm: p.overlapGradReduce },
  };
  if (p.precision === "bf16") config.bf16 = { enabled: true };
  if (p.precision === "fp16") config.fp16 = { enabled: true, loss_scale: 0 };
  if (p.recompute !== "none") config.activation_checkpointing = { partition_activations: p.tp > 1, contiguous_memory_optimization: false };
  const notes: string[] = [
    `launch on ${p.devices} GPUs; DeepSpeed's batch rule counts the ${p.dp} data-parallel ranks: ${p.microbatch} × ${p.microbatches} × ${p.dp} = ${p.globalBatch}`,
  ];
  if (p.tp > 1) {
    config.tensor_parallel = { autotp_size: p.tp };
    if (p.sequenceParallel)
      notes.push("AutoTP splits the linear layers Megatron's way but not the sequence: the plan's sequence parallelism needs Megatron-DeepSpeed");
    if (p.pp > 1)
      notes.push("AutoTP with a PipelineModule is not a documented combination: Megatron-DeepSpeed passes its own model-parallel unit (mpu) instead");
  }
  if (m.experts > 0 && p.ep > 1) {
    if (p.tp === 1) config.expert_parallel = { enabled: true, autoep_size: p.ep };
    else
      notes.push(
        `AutoEP cannot be combined with AutoTP: build the experts with deepspeed.moe.layer.MoE(num_experts=${m.experts}, ep_size=${p.ep}, k=${m.topK})`,
      );
  }
  if (p.pp > 1)
    notes.push(
      `pipeline parallelism is set in code: deepspeed.pipe.PipelineModule(layers, num_stages=${p.pp}); DeepSpeed runs 1F1B${p.interleave > 1 ? ` and has no interleaved schedule (the plan's ${p.interleave} chunks per stage)` : ""}`,
    );
  if (p.recompute === "selective")
    notes.push("selective recomputation (the attention core only) is the model's choice: checkpoint that block with deepspeed.checkpointing.checkpoint");
  if (p.recompute === "full") notes.push("full recomputation: wrap each transformer layer in deepspeed.checkpointing.checkpoint");
  if (p.optimizerSlots !== 2) notes.push(`the plan's optimizer keeps ${p.optimizerSlots} fp32 slots per parameter; set "optimizer" to match (Adam keeps 2)`);
  return { config, notes };
}
