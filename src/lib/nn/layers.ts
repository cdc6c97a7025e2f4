/** Layers: Linear, Conv2d, Embedding, LayerNorm, Dropout, Sequential, activations, attention, a Transformer block. */
import { ShapeError, WebgradError } from "../errors";
import { fmtValue } from "../tensor/validate";
import type { Tensor } from "../tensor/tensor";
import { ones, zeros, type CreateOptions } from "../ops/creation";
import type { DType } from "../tensor/dtype";
import { Module, parameter } from "./module";
import * as NF from "./functional";
import { kaimingUniform, normal_, uniform_ } from "./init";

/** Options of layers that create parameters. */
export interface LayerOptions {
  /** Parameter dtype (float32 by default; float64 on the CPU for gradient checks). */
  dtype?: DType;
  /** Initialize from this seed instead of the global generator (`manualSeed`). */
  seed?: number;
}

function seedAt(opts: LayerOptions, k: number): number | undefined {
  return opts.seed === undefined ? undefined : opts.seed + k;
}

function posInt(layer: string, name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0) throw new ShapeError(layer, `${name} must be a positive integer, got ${fmtValue(v)}`);
}

const create = (opts: LayerOptions): CreateOptions => ({ dtype: opts.dtype ?? "float32" });

/**
 * Fully connected layer `y = x·Wᵀ + b`, W [out, in]. Initialized as PyTorch: W and b from
 * U(−1/√in, 1/√in).
 * @example const fc = new nn.Linear(784, 10);   // or nn.linear(784, 10)
 */
export class Linear extends Module {
  /** [outFeatures, inFeatures] */
  weight: Tensor;
  /** [outFeatures], or null without bias. */
  bias: Tensor | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: LayerOptions & { bias?: boolean } = {},
  ) {
    super();
    posInt("Linear", "inFeatures", inFeatures);
    posInt("Linear", "outFeatures", outFeatures);
    this.weight = parameter(zeros([outFeatures, inFeatures], create(opts)));
    kaimingUniform(this.weight, { a: Math.sqrt(5), seed: seedAt(opts, 0) });
    this.weight.name = "weight";
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = opts.bias === false ? null : parameter(uniform_(zeros([outFeatures], create(opts)), -bound, bound, { seed: seedAt(opts, 1) }));
    if (this.bias) this.bias.name = "bias";
  }
  forward(x: Tensor): Tensor {
    return NF.linear(x, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Options of Conv2d. */
export interface Conv2dLayerOptions extends LayerOptions, NF.Conv2dOptions {
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
}

/**
 * 2-D convolution layer over [N, C, H, W] inputs; weight [out, in, k, k], PyTorch's initialization.
 * @example const conv = nn.conv2d(1, 8, 3, { padding: 1 });
 */
export class Conv2d extends Module {
  weight: Tensor;
  bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly conv: NF.Conv2dOptions;
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | [number, number],
    opts: Conv2dLayerOptions = {},
  ) {
    super();
    posInt("Conv2d", "inChannels", inChannels);
    posInt("Conv2d", "outChannels", outChannels);
    this.kernelSize = typeof kernelSize === "number" ? [kernelSize, kernelSize] : [kernelSize[0], kernelSize[1]];
    this.kernelSize.forEach((k) => posInt("Conv2d", "kernelSize", k));
    const groups = opts.groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1 || inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ShapeError("Conv2d", `groups (${groups}) must be a positive integer dividing inChannels ${inChannels} and outChannels ${outChannels}`);
    }
    this.conv = { stride: opts.stride ?? 1, padding: opts.padding ?? 0, dilation: opts.dilation ?? 1, groups };
    this.weight = parameter(zeros([outChannels, inChannels / groups, ...this.kernelSize], create(opts)));
    kaimingUniform(this.weight, { a: Math.sqrt(5), seed: seedAt(opts, 0) });
    this.weight.name = "weight";
    const bound = 1 / Math.sqrt((inChannels / groups) * this.kernelSize[0] * this.kernelSize[1]);
    this.bias = opts.bias === false ? null : parameter(uniform_(zeros([outChannels], create(opts)), -bound, bound, { seed: seedAt(opts, 1) }));
    if (this.bias) this.bias.name = "bias";
  }
  forward(x: Tensor): Tensor {
    return NF.conv2d(x, this.weight, this.bias, this.conv);
  }
  override extraRepr(): string {
    const g = this.conv.groups !== 1 ? `, groups=${this.conv.groups}` : "";
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=${JSON.stringify(this.conv.stride)}, padding=${JSON.stringify(this.conv.padding)}${g}`;
  }
}

/**
 * 2-D max pooling over [N, C, H, W] (stride defaults to the kernel size).
 * @example nn.sequential(nn.conv2d(1, 8, 3, { padding: 1 }), nn.relu(), nn.maxPool2d(2))
 */
export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: NF.Size2,
    readonly opts: NF.MaxPool2dOptions = {},
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return NF.maxPool2d(x, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}`;
  }
}

/** 2-D average pooling over [N, C, H, W] (stride defaults to the kernel size). */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: NF.Size2,
    readonly opts: NF.AvgPool2dOptions = {},
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return NF.avgPool2d(x, this.kernelSize, this.opts);
  }
  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}`;
  }
}

/**
 * A lookup table of `numEmbeddings` vectors of size `dim` (initialized N(0, 1) as PyTorch).
 * @example const emb = nn.embedding(vocab, 32); const h = emb.forward(ids);   // ids int32 [B, T] → [B, T, 32]
 */
export class Embedding extends Module {
  /** [numEmbeddings, dim] */
  weight: Tensor;
  constructor(
    readonly numEmbeddings: number,
    readonly dim: number,
    opts: LayerOptions = {},
  ) {
    super();
    posInt("Embedding", "numEmbeddings", numEmbeddings);
    posInt("Embedding", "dim", dim);
    this.weight = parameter(normal_(zeros([numEmbeddings, dim], create(opts)), 0, 1, { seed: opts.seed }));
    this.weight.name = "weight";
  }
  forward(ids: Tensor): Tensor {
    return NF.embedding(ids, this.weight);
  }
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.dim}`;
  }
}

/**
 * Layer normalization over the trailing `normalizedShape` dims, with a learned scale (ones) and shift (zeros).
 * @example const ln = nn.layerNorm(64);
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  weight: Tensor | null;
  bias: Tensor | null;
  constructor(
    normalizedShape: number | number[],
    readonly eps = 1e-5,
    opts: LayerOptions & { elementwiseAffine?: boolean; bias?: boolean } = {},
  ) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.normalizedShape.forEach((d, i) => posInt("LayerNorm", `normalizedShape[${i}]`, d));
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? parameter(ones(this.normalizedShape, create(opts))) : null;
    this.bias = affine && opts.bias !== false ? parameter(zeros(this.normalizedShape, create(opts))) : null;
    if (this.weight) this.weight.name = "weight";
    if (this.bias) this.bias.name = "bias";
  }
  forward(x: Tensor): Tensor {
    return NF.layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.eps}`;
  }
}

/**
 * Dropout with probability `p` while training; the identity after `eval()`.
 * @example nn.sequential(nn.linear(16, 16), nn.relu(), nn.dropout(0.1))
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new WebgradError("Dropout", `p must be in [0, 1], got ${fmtValue(p)}`);
  }
  forward(x: Tensor): Tensor {
    return NF.dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** The identity layer: returns its input (for an optional stage in a model). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Flatten dims startDim … endDim (default: all but the batch dim). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
}

/** max(x, 0) */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}
/** GELU, exact (erf) or with the tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: "none" | "tanh" = "none") {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.gelu(this.approximate);
  }
  override extraRepr(): string {
    return this.approximate === "none" ? "" : `approximate="${this.approximate}"`;
  }
}
/** tanh */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}
/** 1 / (1 + e⁻ˣ) */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}
/** x·sigmoid(x) (swish) */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return x.silu();
  }
}
/** Softmax along an axis. */
export class Softmax extends Module {
  constructor(readonly axis = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.softmax(this.axis);
  }
}

/**
 * Layers applied one after another; children are named "0", "1", … (so parameters are "0.weight", …).
 * @example const model = nn.sequential(nn.linear(2, 16), nn.relu(), nn.linear(16, 1));
 */
export class Sequential extends Module {
  /** The layers, in order. */
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
    });
    this.layers = layers;
  }
  override namedChildren(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }
  forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this.layers) h = m.forward(h);
    return h;
  }
  /** The layer at index i (negative counts from the end). */
  at(i: number): Module {
    return this.layers[i < 0 ? this.layers.length + i : i];
  }
  /** Number of layers. */
  get length(): number {
    return this.layers.length;
  }
}

/** Options of MultiHeadAttention. */
export interface MultiHeadAttentionOptions extends LayerOptions {
  /** Bias in the projections (default true). */
  bias?: boolean;
  /** Dropout on the attention weights while training. */
  dropout?: number;
  /** Always apply a causal mask (decoder self-attention). */
  causal?: boolean;
}

/**
 * Multi-head attention over [B, T, E] inputs (batch first): projections q, k, v and out
 * (each a Linear [E, E]), `numHeads` heads of size E / numHeads.
 * @example const attn = nn.multiHeadAttention(64, 4, { causal: true }); const y = attn.forward(x);
 */
export class MultiHeadAttention extends Module {
  q: Linear;
  k: Linear;
  v: Linear;
  out: Linear;
  readonly headDim: number;
  readonly causal: boolean;
  readonly dropoutP: number;
  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    opts: MultiHeadAttentionOptions = {},
  ) {
    super();
    posInt("MultiHeadAttention", "embedDim", embedDim);
    posInt("MultiHeadAttention", "numHeads", numHeads);
    if (embedDim % numHeads !== 0) throw new ShapeError("MultiHeadAttention", `embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    this.headDim = embedDim / numHeads;
    const lo = (k: number): LayerOptions & { bias?: boolean } => ({
      dtype: opts.dtype,
      bias: opts.bias,
      seed: opts.seed === undefined ? undefined : opts.seed + 10 * k,
    });
    this.q = new Linear(embedDim, embedDim, lo(0));
    this.k = new Linear(embedDim, embedDim, lo(1));
    this.v = new Linear(embedDim, embedDim, lo(2));
    this.out = new Linear(embedDim, embedDim, lo(3));
    this.causal = opts.causal ?? false;
    this.dropoutP = opts.dropout ?? 0;
  }
  private heads(x: Tensor): Tensor {
    const [B, T] = x.shape;
    return x.reshape([B, T, this.numHeads, this.headDim]).permute([0, 2, 1, 3]); // [B, H, T, d]
  }
  /**
   * Attend from `query` [B, Tq, E] to `key`/`value` [B, Tk, E] (self-attention when omitted).
   * `mask`: bool [Tq, Tk] (or broadcastable to [B, H, Tq, Tk]), true where attention is allowed.
   */
  forward(query: Tensor, key: Tensor = query, value: Tensor = key, opts: { mask?: Tensor | null; causal?: boolean } = {}): Tensor {
    if (query.ndim !== 3 || query.shape[2] !== this.embedDim) {
      throw new ShapeError("MultiHeadAttention", `expects inputs [batch, seq, ${this.embedDim}], got ${query.shape.length ? `[${query.shape}]` : "a scalar"}`);
    }
    const [B, T] = query.shape;
    const q = this.heads(this.q.forward(query));
    const k = this.heads(this.k.forward(key));
    const v = this.heads(this.v.forward(value));
    const o = NF.scaledDotProductAttention(q, k, v, { mask: opts.mask, causal: opts.causal ?? this.causal, dropoutP: this.dropoutP, training: this.training });
    return this.out.forward(o.permute([0, 2, 1, 3]).reshape([B, T, this.embedDim]));
  }
  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}${this.causal ? ", causal" : ""}`;
  }
}

/** Options of TransformerBlock. */
export interface TransformerBlockOptions extends LayerOptions {
  /** Hidden size of the MLP as a multiple of dModel (default 4). */
  mlpRatio?: number;
  /** Dropout after attention and MLP (and on attention weights). */
  dropout?: number;
  /** Causal self-attention (GPT-style). */
  causal?: boolean;
  /** MLP activation (default GELU). */
  activation?: "gelu" | "relu" | "silu";
}

/**
 * A pre-norm Transformer block: `x + attn(ln1(x))`, then `x + mlp(ln2(x))`.
 * @example const block = nn.transformerBlock(64, 4, { causal: true }); const y = block.forward(x);  // [B, T, 64]
 */
export class TransformerBlock extends Module {
  ln1: LayerNorm;
  attn: MultiHeadAttention;
  ln2: LayerNorm;
  mlp: Sequential;
  drop: Dropout;
  constructor(
    readonly dModel: number,
    readonly numHeads: number,
    opts: TransformerBlockOptions = {},
  ) {
    super();
    const hidden = Math.round(dModel * (opts.mlpRatio ?? 4));
    const p = opts.dropout ?? 0;
    const s = (k: number) => (opts.seed === undefined ? undefined : opts.seed + 100 * k);
    this.ln1 = new LayerNorm(dModel, 1e-5, { dtype: opts.dtype });
    this.attn = new MultiHeadAttention(dModel, numHeads, { dtype: opts.dtype, causal: opts.causal, dropout: p, seed: s(1) });
    this.ln2 = new LayerNorm(dModel, 1e-5, { dtype: opts.dtype });
    const act = opts.activation === "relu" ? new ReLU() : opts.activation === "silu" ? new SiLU() : new GELU();
    this.mlp = new Sequential(
      new Linear(dModel, hidden, { dtype: opts.dtype, seed: s(2) }),
      act,
      new Linear(hidden, dModel, { dtype: opts.dtype, seed: s(3) }),
    );
    this.drop = new Dropout(p);
  }
  forward(x: Tensor, opts: { mask?: Tensor | null } = {}): Tensor {
    const h = x.add(this.drop.forward(this.attn.forward(this.ln1.forward(x), undefined, undefined, { mask: opts.mask })));
    return h.add(this.drop.forward(this.mlp.forward(this.ln2.forward(h))));
  }
  override extraRepr(): string {
    return `dModel=${this.dModel}, numHeads=${this.numHeads}`;
  }
}
