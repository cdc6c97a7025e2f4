/**
 * The planner's presets: model configurations (GPT-3 sizes, the Megatron-LM SC'21 Table 1 models,
 * LLaMA 2 and 3, Mixtral 8x7B) and clusters (DGX A100 and DGX H100 nodes: NVSwitch inside, one
 * InfiniBand NIC per GPU between; a TPU-like 3D torus). Device and link numbers come from the
 * simulator's own tables (`dist.DEVICE_PRESETS`, `dist.LINK_PRESETS`) so both describe one machine.
 * @module
 */
import { DistError } from "../errors";
import { DEVICE_PRESETS, LINK_PRESETS, type DeviceSpec, type LinkSpec } from "../presets";
import type { ModelConfig } from "./model";

const GPT = (name: string, layers: number, hidden: number, heads: number): ModelConfig => ({
  name,
  family: "gpt",
  layers,
  hidden,
  heads,
  vocab: 51200,
  seq: 2048,
});

/**
 * Model presets. GPT-3 sizes follow Brown et al. 2020, Table 2.1 (1.3B with 16 heads of 128 and 13B with
 * h = 5120, where the table's own numbers do not multiply out); the `megatron-*` rows are Narayanan et al.
 * SC'21, Table 1 (V = 51 200, s = 2048). GPT vocabularies are Megatron's padded 51 200. LLaMA 2/3 and
 * Mixtral follow their model cards (Mixtral at s = 4096 for training). PaLM 540B follows Chowdhery et
 * al. 2022, Table 1 and §2; DeepSeek-V3 its technical report (DeepSeek-AI 2024, §2 and §4.2) and its
 * released config.json. DeepSeek-V3's layers are not all alike: it is counted, `dist.plan` refuses it.
 * @example dist.plan("llama3-70b", dist.dgxH100(64), { tp: 8, pp: 4, dp: 16, microbatch: 1, globalBatch: 1024 })
 */
export const MODEL_PRESETS = {
  "gpt3-125m": GPT("gpt3-125m", 12, 768, 12),
  "gpt3-350m": GPT("gpt3-350m", 24, 1024, 16),
  "gpt3-760m": GPT("gpt3-760m", 24, 1536, 16),
  "gpt3-1.3b": GPT("gpt3-1.3b", 24, 2048, 16),
  "gpt3-2.7b": GPT("gpt3-2.7b", 32, 2560, 32),
  "gpt3-6.7b": GPT("gpt3-6.7b", 32, 4096, 32),
  "gpt3-13b": GPT("gpt3-13b", 40, 5120, 40),
  "gpt3-175b": GPT("gpt3-175b", 96, 12288, 96),
  "megatron-1.7b": GPT("megatron-1.7b", 24, 2304, 24),
  "megatron-3.6b": GPT("megatron-3.6b", 30, 3072, 32),
  "megatron-7.5b": GPT("megatron-7.5b", 36, 4096, 32),
  "megatron-18b": GPT("megatron-18b", 40, 6144, 48),
  "megatron-39b": GPT("megatron-39b", 48, 8192, 64),
  "megatron-76b": GPT("megatron-76b", 60, 10240, 80),
  "megatron-145b": GPT("megatron-145b", 80, 12288, 96),
  "megatron-310b": GPT("megatron-310b", 96, 16384, 128),
  "megatron-530b": GPT("megatron-530b", 105, 20480, 128),
  "megatron-1t": GPT("megatron-1t", 128, 25600, 160),
  "llama2-7b": { name: "llama2-7b", family: "llama", layers: 32, hidden: 4096, heads: 32, ffn: 11008, vocab: 32000, seq: 4096 },
  "llama2-13b": { name: "llama2-13b", family: "llama", layers: 40, hidden: 5120, heads: 40, ffn: 13824, vocab: 32000, seq: 4096 },
  "llama2-70b": { name: "llama2-70b", family: "llama", layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 32000, seq: 4096 },
  "llama3-8b": { name: "llama3-8b", family: "llama", layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 128256, seq: 8192 },
  "llama3-70b": { name: "llama3-70b", family: "llama", layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, seq: 8192 },
  "llama3-405b": { name: "llama3-405b", family: "llama", layers: 126, hidden: 16384, heads: 128, kvHeads: 8, ffn: 53248, vocab: 128256, seq: 8192 },
  "mixtral-8x7b": {
    name: "mixtral-8x7b",
    family: "llama",
    layers: 32,
    hidden: 4096,
    heads: 32,
    kvHeads: 8,
    ffn: 14336,
    vocab: 32000,
    seq: 4096,
    experts: 8,
    topK: 2,
  },
  // Chowdhery et al. 2022: 118 layers, d_model 18 432, 48 heads of 256, multi-query attention (one
  // key/value head), SwiGLU MLP of 4·d_model, no biases, a 256k vocabulary shared by input and output.
  "palm-540b": {
    name: "palm-540b",
    family: "llama",
    layers: 118,
    hidden: 18432,
    heads: 48,
    headDim: 256,
    kvHeads: 1,
    ffn: 73728,
    vocab: 256000,
    seq: 2048,
    tiedEmbeddings: true,
  },
  // DeepSeek-V3 (config.json): 61 layers of width 7168, 128 heads of 128 with latent attention
  // (q rank 1536, kv rank 512, 64 rotary dims); the first 3 layers dense (MLP 18 432), the other 58 with
  // 256 routed experts (top-8) and 1 shared expert, each 2048 wide; vocabulary 129 280, untied.
  "deepseek-v3": {
    name: "deepseek-v3",
    family: "llama",
    layers: 61,
    hidden: 7168,
    heads: 128,
    headDim: 128,
    ffn: 18432,
    vocab: 129280,
    seq: 4096,
    experts: 256,
    topK: 8,
    expertFfn: 2048,
    sharedExperts: 1,
    denseLayers: 3,
    latentAttention: { qRank: 1536, kvRank: 512, ropeDim: 64 },
  },
} satisfies Record<string, ModelConfig>;

/**
 * Names of the model presets.
 * @example const m: dist.ModelPresetName = "gpt3-175b";
 */
export type ModelPresetName = keyof typeof MODEL_PRESETS;

/**
 * A cluster as the planner sees it: identical nodes of identical devices, a fast link inside a node
 * (every device reaches every other at `intra`'s per-device bandwidth, as through NVSwitch) and a
 * network between nodes (each device has its own NIC of `inter`'s bandwidth). On a "torus" every
 * link is `intra` and collectives run as bidirectional rings along the torus axes.
 * @example const c: dist.PlannerCluster = { name: "mine", nodes: 4, devicesPerNode: 8, device: dist.DEVICE_PRESETS.A100, intra: dist.LINK_PRESETS.NVLink, inter: dist.LINK_PRESETS.InfiniBand };
 */
export interface PlannerCluster {
  name: string;
  nodes: number;
  devicesPerNode: number;
  device: DeviceSpec;
  intra: LinkSpec;
  inter: LinkSpec;
  /** "switched" (default: NVSwitch inside, a non-blocking fat tree between) or "torus". */
  topology?: "switched" | "torus";
}

/**
 * DGX A100 nodes: 8 A100 80 GB, NVLink 3 through NVSwitch (300 GB/s per GPU per direction), one
 * InfiniBand HDR NIC (200 Gb/s) per GPU — Selene, where Megatron-LM's SC'21 runs were measured.
 * @example dist.dgxA100(384)   // 3072 GPUs
 */
export function dgxA100(nodes: number): PlannerCluster {
  return { name: `${nodes}× DGX A100`, nodes, devicesPerNode: 8, device: DEVICE_PRESETS.A100, intra: LINK_PRESETS.NVLink, inter: LINK_PRESETS.InfiniBand };
}

/**
 * DGX H100 nodes: 8 H100 SXM, NVLink 4 through NVSwitch (450 GB/s per GPU per direction), one
 * InfiniBand NDR NIC (400 Gb/s) per GPU.
 * @example dist.dgxH100(128)   // 1024 GPUs
 */
export function dgxH100(nodes: number): PlannerCluster {
  return { name: `${nodes}× DGX H100`, nodes, devicesPerNode: 8, device: DEVICE_PRESETS.H100, intra: LINK_PRESETS.NVLink4, inter: LINK_PRESETS.InfiniBandNDR };
}

/**
 * A TPU v4-like chip (teaching numbers, rounded): 275 TFLOP/s bf16, 32 GiB HBM at 1.2 TB/s.
 * @example dist.TPU_LIKE.peakFlops.bfloat16   // 2.75e14
 */
export const TPU_LIKE: DeviceSpec = {
  name: "TPU-like",
  peakFlops: { float32: 275e12 / 8, bfloat16: 275e12, float16: 275e12 },
  memoryBandwidth: 1200e9,
  memoryCapacity: 32 * 2 ** 30,
};

/**
 * A TPU-like pod: `chips` chips in a 3D torus joined by inter-chip links (50 GB/s per direction, α 1 µs),
 * 4 chips per host. Collectives are bidirectional rings along the torus axes.
 * @example dist.tpuTorus(4096)
 */
export function tpuTorus(chips: number): PlannerCluster {
  if (!(Number.isInteger(chips) && chips >= 4 && chips % 4 === 0)) throw new DistError("dist.tpuTorus", `chips must be a positive multiple of 4, got ${chips}`);
  const ici: LinkSpec = { name: "ICI", bandwidth: 50e9, latency: 1e-6 };
  return { name: `TPU-like torus (${chips} chips)`, nodes: chips / 4, devicesPerNode: 4, device: TPU_LIKE, intra: ici, inter: ici, topology: "torus" };
}

/**
 * The model a name or a config stands for.
 * @example dist.modelConfig("llama2-70b").kvHeads   // 8
 */
export function modelConfig(m: ModelPresetName | ModelConfig): ModelConfig {
  if (typeof m !== "string") return m;
  const c = (MODEL_PRESETS as Record<string, ModelConfig>)[m];
  if (!c) throw new DistError("dist.plan", `unknown model preset "${m}" (known: ${Object.keys(MODEL_PRESETS).join(", ")}; or pass a ModelConfig)`);
  return c;
}
