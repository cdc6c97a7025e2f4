/**
 * The hand-off to real engines: a costed plan as Megatron-LM launch arguments and as a DeepSpeed
 * config. Each name is pinned to where the engine documents it (paths in NVIDIA/Megatron-LM and
 * deepspeedai/DeepSpeed, read at their August 2026 snapshots), and each value is checked against the plan.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

/** The value after a flag, or true for a switch, or undefined when absent (and the flag appears at most once). */
function valueOf(args: string[], name: string): string | true | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  expect(args.lastIndexOf(name), `${name} given once`).toBe(at);
  const next = args[at + 1];
  return next === undefined || next.startsWith("--") ? true : next;
}

// Megatron-LM: the flags `megatron/training/arguments.py` parses (many generated from the fields of
// megatron/core/model_parallel_config.py and megatron/core/transformer/transformer_config.py, `_` → `-`).
const MEGATRON_DOCUMENTED = {
  // docs/user-guide/parallelism-guide.md ("--tensor-model-parallel-size 4", "--sequence-parallel",
  // "--expert-model-parallel-size 8", "--num-experts 64"); docs/api-guide/core/generalized_tensor_parallel.md
  // ("--pipeline-model-parallel-size 1", "--micro-batch-size 1 --global-batch-size 4", "--num-layers 12
  // --hidden-size 1024 --num-attention-heads 16", "--seq-length 1024 --max-position-embeddings 1024", "--bf16").
  parallelism: ["--tensor-model-parallel-size", "--pipeline-model-parallel-size", "--sequence-parallel", "--expert-model-parallel-size", "--num-experts"],
  batch: ["--micro-batch-size", "--global-batch-size"],
  model: ["--num-layers", "--hidden-size", "--num-attention-heads", "--seq-length", "--max-position-embeddings", "--bf16"],
  // arguments.py: group.add_argument('--num-layers-per-virtual-pipeline-stage', …), ('--use-distributed-optimizer', …),
  // ('--overlap-grad-reduce', …), ('--group-query-attention', …), ('--swiglu', …), ('--untie-embeddings-and-output-weights', …),
  // ('--position-embedding-type', …, default='learned_absolute'), ('--optimizer', choices=['adam', 'sgd', …]).
  arguments: [
    "--num-layers-per-virtual-pipeline-stage",
    "--use-distributed-optimizer",
    "--overlap-grad-reduce",
    "--group-query-attention",
    "--swiglu",
    "--untie-embeddings-and-output-weights",
    "--position-embedding-type",
    "--optimizer",
  ],
  // transformer_config.py: recompute_granularity: Literal['full', 'selective'], recompute_method: Literal['uniform', 'block'],
  // recompute_num_layers; shown as flags in docs/user-guide/features/fine_grained_activation_offloading.md
  // ("--recompute-granularity selective") and examples/…/sft_llama_3p1_nemotron_nano_vl_8b_v1.sh ("--recompute-method block", "--recompute-num-layers 32").
  recompute: ["--recompute-granularity", "--recompute-method", "--recompute-num-layers"],
  // docs/llama_mistral.md: "--ffn-hidden-size 14336", "--normalization RMSNorm", "--disable-bias-linear",
  // "--attention-dropout 0.0", "--hidden-dropout 0.0"; docs/user-guide/training-examples.md: "--fp16";
  // examples/gptoss/02_train.sh: "--num-query-groups 8", "--moe-router-topk 2".
  llama: [
    "--ffn-hidden-size",
    "--normalization",
    "--disable-bias-linear",
    "--attention-dropout",
    "--hidden-dropout",
    "--fp16",
    "--num-query-groups",
    "--moe-router-topk",
  ],
  // arguments.py, validate_args: an interleaved schedule on 2 stages needs overlap_p2p_comm (model_parallel_config.py).
  p2p: ["--overlap-p2p-communication"],
};
const documented = new Set(Object.values(MEGATRON_DOCUMENTED).flat());

describe("dist.megatronArgs", () => {
  it("GPT-3 175B, TP 8 × PP 16 × DP 8 interleaved, selective recompute, ZeRO-1: every flag documented, every value the plan's", () => {
    const r = dist.plan("gpt3-175b", dist.dgxA100(128), {
      tp: 8,
      pp: 16,
      dp: 8,
      microbatch: 1,
      globalBatch: 1536,
      interleave: 2,
      recompute: "selective",
      sequenceParallel: true,
      zero: 1,
    });
    const { args, notes } = dist.megatronArgs(r);
    for (const a of args.filter((x) => x.startsWith("--"))) expect(documented.has(a), `${a} is a documented Megatron-LM flag`).toBe(true);
    expect(valueOf(args, "--tensor-model-parallel-size")).toBe("8");
    expect(valueOf(args, "--pipeline-model-parallel-size")).toBe("16");
    // 96 layers over 16 stages × 2 chunks: 3 layers per virtual stage (Megatron derives v = layers / pp / this).
    expect(valueOf(args, "--num-layers-per-virtual-pipeline-stage")).toBe("3");
    expect(96 / 16 / Number(valueOf(args, "--num-layers-per-virtual-pipeline-stage"))).toBe(r.plan.interleave);
    expect(valueOf(args, "--sequence-parallel")).toBe(true);
    expect(valueOf(args, "--use-distributed-optimizer")).toBe(true);
    expect(valueOf(args, "--overlap-grad-reduce")).toBe(true);
    expect(valueOf(args, "--recompute-granularity")).toBe("selective");
    expect(valueOf(args, "--recompute-method")).toBeUndefined();
    // global = micro × dp × accumulation: Megatron derives the accumulation from the two batch flags and dp = world / (tp·pp).
    const micro = Number(valueOf(args, "--micro-batch-size")),
      global = Number(valueOf(args, "--global-batch-size"));
    expect(global).toBe(micro * r.plan.dp * r.plan.microbatches);
    expect([micro, global]).toEqual([1, 1536]);
    expect(valueOf(args, "--num-layers")).toBe("96");
    expect(valueOf(args, "--hidden-size")).toBe("12288");
    expect(valueOf(args, "--ffn-hidden-size")).toBe("49152");
    expect(valueOf(args, "--num-attention-heads")).toBe("96");
    expect(valueOf(args, "--seq-length")).toBe("2048");
    expect(valueOf(args, "--bf16")).toBe(true);
    expect(valueOf(args, "--fp16")).toBeUndefined();
    // GPT: no LLaMA switches, no MoE flags.
    for (const f of ["--swiglu", "--num-experts", "--group-query-attention"]) expect(valueOf(args, f), f).toBeUndefined();
    expect(notes.join("\n")).toMatch(/1024 GPUs/);
    expect(notes.join("\n")).toMatch(/V = 51200/);
  });

  it("full recomputation: every layer (uniform, one layer per checkpoint); no ZeRO: no distributed optimizer; fp16", () => {
    const r = dist.plan("megatron-1t", dist.dgxA100(384), { tp: 8, pp: 64, dp: 6, microbatch: 1, globalBatch: 3072, recompute: "full", precision: "fp16" });
    const { args } = dist.megatronArgs(r);
    expect(valueOf(args, "--recompute-granularity")).toBe("full");
    expect(valueOf(args, "--recompute-method")).toBe("uniform");
    expect(valueOf(args, "--recompute-num-layers")).toBe("1");
    expect(valueOf(args, "--use-distributed-optimizer")).toBeUndefined();
    expect(valueOf(args, "--num-layers-per-virtual-pipeline-stage")).toBeUndefined();
    expect(valueOf(args, "--sequence-parallel")).toBeUndefined();
    expect(valueOf(args, "--fp16")).toBe(true);
    expect(valueOf(args, "--bf16")).toBeUndefined();
  });

  it("Mixtral with expert parallelism and LLaMA's architecture switches; LLaMA-2 70B's grouped-query attention", () => {
    const mix = dist.megatronArgs(
      dist.plan("mixtral-8x7b", dist.dgxH100(8), { tp: 2, pp: 4, dp: 8, ep: 8, microbatch: 1, globalBatch: 256, sequenceParallel: true }),
    );
    expect(valueOf(mix.args, "--num-experts")).toBe("8");
    expect(valueOf(mix.args, "--moe-router-topk")).toBe("2");
    expect(valueOf(mix.args, "--expert-model-parallel-size")).toBe("8");
    expect(valueOf(mix.args, "--num-query-groups")).toBe("8");
    expect(valueOf(mix.args, "--swiglu")).toBe(true);
    expect(valueOf(mix.args, "--normalization")).toBe("RMSNorm");
    expect(valueOf(mix.args, "--position-embedding-type")).toBe("rope");
    expect(valueOf(mix.args, "--disable-bias-linear")).toBe(true);
    expect(valueOf(mix.args, "--untie-embeddings-and-output-weights")).toBe(true);
    expect(valueOf(mix.args, "--ffn-hidden-size")).toBe("14336");
    const llama = dist.megatronArgs(dist.plan("llama2-70b", dist.dgxA100(8), { tp: 8, pp: 8, dp: 1, microbatch: 1, globalBatch: 64 }));
    expect(valueOf(llama.args, "--group-query-attention")).toBe(true);
    expect(valueOf(llama.args, "--num-query-groups")).toBe("8");
    // dp = 1: nothing to overlap.
    expect(valueOf(llama.args, "--overlap-grad-reduce")).toBeUndefined();
  });

  it("an interleaved schedule on two stages asks for Megatron's p2p overlap, which its validation requires", () => {
    const { args, notes } = dist.megatronArgs(dist.plan("gpt3-1.3b", dist.dgxA100(1), { tp: 1, pp: 2, dp: 4, microbatch: 1, globalBatch: 32, interleave: 2 }));
    expect(valueOf(args, "--overlap-p2p-communication")).toBe(true);
    expect(valueOf(args, "--num-layers-per-virtual-pipeline-stage")).toBe("6");
    expect(notes.join("\n")).toMatch(/overlap-p2p-communication/);
  });

  it("refuses what Megatron-LM cannot run, naming the reason", () => {
    const c = dist.dgxA100(4);
    const base = { tp: 8, pp: 1, dp: 4, microbatch: 1, globalBatch: 64 };
    expect(() => dist.megatronArgs(dist.plan("gpt3-13b", c, { ...base, zero: 3 }))).toThrow(/ZeRO-3 has no Megatron-LM flag.*deepspeedConfig/);
    expect(() => dist.megatronArgs(dist.plan("gpt3-13b", c, { ...base, tp: 4, pp: 2, schedule: "gpipe" }))).toThrow(/no GPipe schedule/);
    expect(() => dist.megatronArgs(dist.plan({ layers: 4, hidden: 64, heads: 4, vocab: 0, seq: 16 }, c, { ...base, tp: 4, pp: 2 }))).toThrow(/no vocabulary/);
    expect(() => dist.megatronArgs(dist.plan("gpt3-13b", c, { ...base, optimizerSlots: 3 }))).toThrow(/3 fp32 slots/);
    expect(valueOf(dist.megatronArgs(dist.plan("gpt3-13b", c, { ...base, optimizerSlots: 1 })).args, "--optimizer")).toBe("sgd");
  });
});

// DeepSpeed: docs/_pages/config-json.md ("DeepSpeed Configuration JSON"): train_batch_size,
// train_micro_batch_size_per_gpu, gradient_accumulation_steps ("train_batch_size must be equal to
// train_micro_batch_size_per_gpu * gradient_accumulation_steps * number of GPUs"); zero_optimization: stage,
// overlap_comm; fp16: enabled, loss_scale (0 = dynamic); bf16: enabled; tensor_parallel: autotp_size (AutoTP);
// expert_parallel: enabled, autoep_size (AutoEP); activation_checkpointing: partition_activations,
// contiguous_memory_optimization. deepspeed/runtime/pipe/engine.py asserts "ZeRO-2 and ZeRO-3 are incompatible
// with pipeline parallelism".
const DEEPSPEED_DOCUMENTED: Record<string, string[] | null> = {
  train_batch_size: null,
  train_micro_batch_size_per_gpu: null,
  gradient_accumulation_steps: null,
  zero_optimization: ["stage", "overlap_comm"],
  bf16: ["enabled"],
  fp16: ["enabled", "loss_scale"],
  tensor_parallel: ["autotp_size"],
  expert_parallel: ["enabled", "autoep_size"],
  activation_checkpointing: ["partition_activations", "contiguous_memory_optimization"],
};
function expectDocumentedKeys(config: object): void {
  for (const [k, v] of Object.entries(config)) {
    expect(k in DEEPSPEED_DOCUMENTED, `${k} is a documented DeepSpeed key`).toBe(true);
    const inner = DEEPSPEED_DOCUMENTED[k];
    if (inner) for (const ik of Object.keys(v as object)) expect(inner, `${k}.${ik}`).toContain(ik);
    else expect(typeof v).toBe("number");
  }
}

describe("dist.deepspeedConfig", () => {
  it("ZeRO-3 data parallelism: train_batch_size = micro × accumulation × data-parallel GPUs, the stage, bf16", () => {
    const r = dist.plan("gpt3-13b", dist.dgxA100(4), { tp: 1, pp: 1, dp: 32, microbatch: 2, globalBatch: 256, zero: 3 });
    const { config, notes } = dist.deepspeedConfig(r);
    expectDocumentedKeys(config);
    expect(config.train_batch_size).toBe(256);
    expect(config.train_micro_batch_size_per_gpu).toBe(2);
    expect(config.gradient_accumulation_steps).toBe(4);
    expect(config.train_batch_size).toBe(config.train_micro_batch_size_per_gpu * config.gradient_accumulation_steps * r.plan.dp);
    expect(config.zero_optimization).toEqual({ stage: 3, overlap_comm: true });
    expect(config.bf16).toEqual({ enabled: true });
    expect(config.fp16).toBeUndefined();
    expect(config.tensor_parallel).toBeUndefined();
    expect(config.activation_checkpointing).toBeUndefined();
    expect(notes[0]).toMatch(/2 × 4 × 32 = 256/);
    // A JSON config: it survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  it("3D plan: AutoTP's degree, ZeRO-1, fp16 with dynamic loss scale, checkpointing; pipeline and sequence parallelism in the notes", () => {
    const r = dist.plan("gpt3-175b", dist.dgxA100(128), {
      tp: 8,
      pp: 16,
      dp: 8,
      microbatch: 1,
      globalBatch: 1536,
      zero: 1,
      recompute: "full",
      sequenceParallel: true,
      precision: "fp16",
      interleave: 2,
    });
    const { config, notes } = dist.deepspeedConfig(r);
    expectDocumentedKeys(config);
    expect(config.gradient_accumulation_steps).toBe(192);
    expect(config.train_batch_size).toBe(1 * 192 * 8);
    expect(config.zero_optimization.stage).toBe(1);
    expect(config.fp16).toEqual({ enabled: true, loss_scale: 0 });
    expect(config.bf16).toBeUndefined();
    expect(config.tensor_parallel).toEqual({ autotp_size: 8 });
    expect(config.activation_checkpointing).toEqual({ partition_activations: true, contiguous_memory_optimization: false });
    const text = notes.join("\n");
    expect(text).toMatch(/PipelineModule\(layers, num_stages=16\)/);
    expect(text).toMatch(/no interleaved schedule/);
    expect(text).toMatch(/sequence parallelism/);
  });

  it("Mixtral: AutoEP's degree without tensor parallelism, a note with it", () => {
    const alone = dist.deepspeedConfig(dist.plan("mixtral-8x7b", dist.dgxH100(8), { tp: 1, pp: 1, dp: 64, ep: 8, microbatch: 1, globalBatch: 256, zero: 1 }));
    expectDocumentedKeys(alone.config);
    expect(alone.config.expert_parallel).toEqual({ enabled: true, autoep_size: 8 });
    const withTp = dist.deepspeedConfig(dist.plan("mixtral-8x7b", dist.dgxH100(8), { tp: 2, pp: 1, dp: 32, ep: 8, microbatch: 1, globalBatch: 256, zero: 1 }));
    expect(withTp.config.expert_parallel).toBeUndefined();
    expect(withTp.notes.join("\n")).toMatch(/AutoEP cannot be combined with AutoTP/);
  });

  it("refuses ZeRO-2/3 with pipeline parallelism, as DeepSpeed's pipeline engine does", () => {
    const r = dist.plan("gpt3-13b", dist.dgxA100(4), { tp: 4, pp: 2, dp: 4, microbatch: 1, globalBatch: 64, zero: 2 });
    expect(() => dist.deepspeedConfig(r)).toThrow(/ZeRO-2 with pipeline parallelism \(pp = 2\)/);
  });
});
