/**
 * A transformer described by its configuration (no tensors): what the planner costs. Two families
 * cover the presets: "gpt" (GPT-2/3, Megatron-LM: LayerNorm with bias, biases on every linear,
 * GeLU MLP, dropout, learned positions, tied input/output embeddings) and "llama" (RMSNorm, no
 * biases, SwiGLU MLP, no dropout, rotary positions, untied embeddings, grouped-query attention).
 * An MoE model replaces every layer's MLP by `experts` expert MLPs with top-k routing (Mixtral),
 * dropless or with an expert capacity (GShard, Switch Transformer). A layer is a whole transformer
 * layer, or (`layerKind: "ffn"`) its feed-forward part alone: the bare MLP or MoE layer the
 * real-data strategies can train, so a small plan can be checked against them.
 * A few optional fields describe the SOTA survey's models whose parameters the uniform layer model
 * cannot count: heads wider or narrower than hidden/heads (PaLM), tied embeddings in the "llama"
 * family (PaLM), and DeepSeek-V3's dense first layers, shared experts, narrow experts and latent
 * attention. Such a model is counted here but `dist.plan` refuses it (its layers are not alike).
 * @module
 */
import { DistError } from "../errors";

/**
 * A transformer's configuration.
 * @example const m: dist.ModelConfig = { name: "mine", family: "gpt", layers: 24, hidden: 2048, heads: 16, vocab: 51200, seq: 2048 };
 */
export interface ModelConfig {
  /** Shown in results. */
  name?: string;
  /** "gpt" (default) or "llama": norms, biases, MLP kind, dropout and embedding tying follow the family. */
  family?: "gpt" | "llama";
  layers: number;
  /** Model width h. */
  hidden: number;
  /** Attention heads a. */
  heads: number;
  /** Key/value heads (grouped-query attention); default `heads`. */
  kvHeads?: number;
  /** MLP width; default 4·hidden. */
  ffn?: number;
  /** Vocabulary size V (0: layers on inputs already embedded — no embedding, output head or loss). */
  vocab: number;
  /** Sequence length s. */
  seq: number;
  /** Experts per MoE layer (0 or absent: a dense MLP). */
  experts?: number;
  /** Experts each token is routed to (default 2 when experts are given). */
  topK?: number;
  /**
   * Expert capacity factor (GShard, Switch Transformer): each device sends each expert
   * ⌈capacityFactor · tokens · topK / experts⌉ slots per microbatch, padding the empty ones and
   * dropping tokens past them, so the allToAlls and the experts' products are that size whatever
   * the routing. Absent: dropless (Mixtral, MegaBlocks): every routed token, spread evenly.
   */
  capacityFactor?: number;
  /**
   * "transformer" (default): attention, norms and the MLP (or MoE). "ffn": the feed-forward part
   * alone, no attention, norms or residual: `dist.ExpertParallelMoE`'s bare gate and experts, or an
   * MLP stack, so a small plan costs exactly what a real-data strategy trains.
   */
  layerKind?: "transformer" | "ffn";
  /** Width of one attention head (default hidden / heads; PaLM: 256 with 48 heads of an 18 432-wide model). */
  headDim?: number;
  /** Input and output embeddings shared (default: true for "gpt", false for "llama"; PaLM shares them). */
  tiedEmbeddings?: boolean;
  /** MLP width of one routed expert (default `ffn`; DeepSeek-V3: 2048 beside a dense 18 432). */
  expertFfn?: number;
  /** Experts every token uses besides its top-k routed ones, each `expertFfn` wide (DeepSeek-V3: 1). */
  sharedExperts?: number;
  /** The first layers keep a dense MLP of width `ffn` (DeepSeek-V3: 3). */
  denseLayers?: number;
  /**
   * Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values go through low-rank
   * projections of ranks `qRank` and `kvRank`, plus `ropeDim` rotary dims per query head and one
   * shared rotary key of `ropeDim`; values and the non-rotary query/key parts are `headDim` wide.
   */
  latentAttention?: { qRank: number; kvRank: number; ropeDim: number };
}

/**
 * A config with every default filled in and the derived sizes the cost model uses.
 * @example dist.resolveModel(dist.MODEL_PRESETS["gpt3-175b"]).parameters   // ≈ 1.75e11
 */
export interface ResolvedModel {
  name: string;
  family: "gpt" | "llama";
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  seq: number;
  experts: number;
  topK: number;
  /** Expert capacity factor; 0: dropless. */
  capacityFactor: number;
  /** A whole transformer layer, or its feed-forward part alone. */
  layerKind: "transformer" | "ffn";
  /** GPT: biases, LayerNorm with bias, dropout, learned positions, tied embeddings. */
  biases: boolean;
  dropout: boolean;
  gatedMlp: boolean;
  tiedEmbeddings: boolean;
  learnedPositions: boolean;
  /** Parameters of one layer by part. */
  layer: { attention: number; mlp: number; router: number; norms: number; total: number };
  /** Parameters of the input embedding (tokens, and positions when learned). */
  embedding: number;
  /** Parameters of the output projection (0 when tied) and the final norm. */
  head: number;
  /** All parameters. */
  parameters: number;
  /** Parameters one token uses (MoE: top-k experts only); 6 × this × tokens ≈ training FLOPs. */
  activeParameters: number;
  /**
   * Whether every layer is alike and attention is standard (grouped-query) attention: what the
   * planner's cost model describes. False for dense first layers, shared or narrower experts, latent attention.
   */
  uniform: boolean;
}

const positive = (name: string, v: number | undefined, what: string) => {
  if (!(Number.isInteger(v) && (v as number) > 0)) throw new DistError("dist.plan", `model "${name}": ${what} must be a positive integer, got ${v}`);
};

/**
 * Fill in a config's defaults and count its parameters (one MLP per layer counted `experts` times for MoE).
 * @example dist.resolveModel({ layers: 2, hidden: 64, heads: 4, vocab: 100, seq: 16 }).parameters
 */
export function resolveModel(c: ModelConfig): ResolvedModel {
  const name = c.name ?? `${c.family ?? "gpt"}-${c.layers}x${c.hidden}`;
  for (const [k, v] of [
    ["layers", c.layers],
    ["hidden", c.hidden],
    ["heads", c.heads],
    ["seq", c.seq],
  ] as const)
    positive(name, v, k);
  if (!(Number.isInteger(c.vocab) && c.vocab >= 0)) throw new DistError("dist.plan", `model "${name}": vocab must be an integer ≥ 0, got ${c.vocab}`);
  const family = c.family ?? "gpt";
  if (family !== "gpt" && family !== "llama") throw new DistError("dist.plan", `model "${name}": family must be "gpt" or "llama", got "${String(family)}"`);
  const gpt = family === "gpt";
  const h = c.hidden,
    heads = c.heads;
  if (c.headDim === undefined && h % heads !== 0) throw new DistError("dist.plan", `model "${name}": hidden ${h} is not a multiple of heads ${heads}`);
  const kvHeads = c.kvHeads ?? heads;
  positive(name, kvHeads, "kvHeads");
  if (heads % kvHeads !== 0) throw new DistError("dist.plan", `model "${name}": heads ${heads} is not a multiple of kvHeads ${kvHeads}`);
  const headDim = c.headDim ?? h / heads;
  positive(name, headDim, "headDim");
  const ffn = c.ffn ?? 4 * h;
  positive(name, ffn, "ffn");
  const experts = c.experts ?? 0;
  if (!(Number.isInteger(experts) && experts >= 0)) throw new DistError("dist.plan", `model "${name}": experts must be an integer ≥ 0, got ${experts}`);
  const topK = experts > 0 ? (c.topK ?? 2) : 1;
  if (experts > 0 && !(Number.isInteger(topK) && topK >= 1 && topK <= experts))
    throw new DistError("dist.plan", `model "${name}": topK must be an integer in 1…${experts}, got ${topK}`);
  const capacityFactor = experts > 0 ? (c.capacityFactor ?? 0) : 0;
  if (!(Number.isFinite(capacityFactor) && capacityFactor >= 0))
    throw new DistError("dist.plan", `model "${name}": capacityFactor must be a number ≥ 0 (0 or absent: dropless), got ${c.capacityFactor}`);
  const layerKind = c.layerKind ?? "transformer";
  if (layerKind !== "transformer" && layerKind !== "ffn")
    throw new DistError("dist.plan", `model "${name}": layerKind must be "transformer" or "ffn", got "${String(layerKind)}"`);
  const ffnOnly = layerKind === "ffn";
  const expertFfn = c.expertFfn ?? ffn;
  positive(name, expertFfn, "expertFfn");
  const shared = experts > 0 ? (c.sharedExperts ?? 0) : 0;
  const denseLayers = c.denseLayers ?? 0;
  if (!(Number.isInteger(shared) && shared >= 0)) throw new DistError("dist.plan", `model "${name}": sharedExperts must be an integer ≥ 0, got ${shared}`);
  if (!(Number.isInteger(denseLayers) && denseLayers >= 0 && denseLayers <= c.layers))
    throw new DistError("dist.plan", `model "${name}": denseLayers must be an integer in 0…${c.layers}, got ${denseLayers}`);
  const hkv = kvHeads * headDim,
    q = heads * headDim;
  const mla = c.latentAttention;
  if (mla) for (const k of ["qRank", "kvRank", "ropeDim"] as const) positive(name, mla[k], `latentAttention.${k}`);
  // Latent attention: down-projections with their norms, up-projections to every head, one shared rotary key, the output.
  const attention = ffnOnly
    ? 0
    : mla
      ? h * mla.qRank +
        mla.qRank +
        mla.qRank * heads * (headDim + mla.ropeDim) +
        h * (mla.kvRank + mla.ropeDim) +
        mla.kvRank +
        mla.kvRank * heads * 2 * headDim +
        q * h
      : h * (q + 2 * hkv) + q * h + (gpt ? q + 2 * hkv + h : 0);
  const mlpOf = (width: number) => (gpt ? 2 * h * width + width + h : 3 * h * width);
  const oneMlp = mlpOf(expertFfn);
  const mlp = experts > 0 ? oneMlp * (experts + shared) : mlpOf(ffn);
  const router = experts > 0 ? h * experts : 0;
  const norms = ffnOnly ? 0 : (gpt ? 2 : 1) * 2 * h;
  const layer = { attention, mlp, router, norms, total: attention + mlp + router + norms };
  // The first denseLayers layers (DeepSeek-V3) have a plain MLP of width ffn and no router.
  const denseLayer = attention + mlpOf(ffn) + norms;
  const tied = c.tiedEmbeddings ?? gpt;
  // vocab 0: a stack of layers on inputs already embedded (what the real-data strategies train), no embedding, head or loss.
  const embedding = c.vocab === 0 ? 0 : c.vocab * h + (gpt ? c.seq * h : 0);
  const head = c.vocab === 0 ? 0 : (tied ? 0 : c.vocab * h) + (gpt ? 2 : 1) * h;
  const moeLayers = c.layers - (experts > 0 ? denseLayers : 0);
  const parameters = moeLayers * layer.total + (c.layers - moeLayers) * denseLayer + embedding + head;
  // A token uses its top-k routed experts and the shared ones, not the other routed experts.
  const activeParameters = parameters - moeLayers * (experts > 0 ? oneMlp * (experts - topK) : 0);
  const uniform = !mla && shared === 0 && (experts === 0 || (denseLayers === 0 && expertFfn === ffn));
  return {
    name,
    family,
    layers: c.layers,
    hidden: h,
    heads,
    kvHeads,
    headDim,
    ffn,
    vocab: c.vocab,
    seq: c.seq,
    experts,
    topK,
    capacityFactor,
    layerKind,
    biases: gpt,
    dropout: gpt,
    gatedMlp: !gpt,
    tiedEmbeddings: tied,
    learnedPositions: gpt,
    layer,
    embedding,
    head,
    parameters,
    activeParameters,
    uniform,
  };
}
