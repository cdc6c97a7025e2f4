/**
 * `nn`: modules (layers with parameters), losses, stateless functions (`nn.functional`) and
 * initializers (`nn.init`), PyTorch-like with camelCase names.
 * @example
 * const model = nn.sequential(nn.linear(2, 16), nn.relu(), nn.linear(16, 1));
 * const loss = nn.mse(model.forward(x), y);
 * @module
 */
import type { Tensor } from "../tensor/tensor";
import { Module } from "./module";
import {
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  Identity,
  LayerNorm,
  Linear,
  MultiHeadAttention,
  ReLU,
  Sequential,
  SiLU,
  Sigmoid,
  Softmax,
  Tanh,
  TransformerBlock,
  type Conv2dLayerOptions,
  type LayerOptions,
  type MultiHeadAttentionOptions,
  type TransformerBlockOptions,
} from "./layers";

export { Module, parameter, isParameter, type StateDict } from "./module";
export {
  Linear,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  Embedding,
  LayerNorm,
  Dropout,
  Identity,
  Flatten,
  ReLU,
  GELU,
  Tanh,
  Sigmoid,
  SiLU,
  Softmax,
  Sequential,
  MultiHeadAttention,
  TransformerBlock,
  type LayerOptions,
  type Conv2dLayerOptions,
  type MultiHeadAttentionOptions,
  type TransformerBlockOptions,
} from "./layers";
export { mse, crossEntropy, bce, bceWithLogits, l1, nllLoss, oneHot, type Reduction, type LossOptions, type CrossEntropyOptions } from "./functional";
export { xavierUniform, xavierNormal, kaimingUniform, kaimingNormal, calculateGain } from "./init";
/** Stateless layer functions and losses: `nn.functional.linear(x, w, b)`, `nn.functional.layerNorm(…)`, … */
export * as functional from "./functional";
/** In-place initializers: `nn.init.xavierUniform(w)`, `nn.init.kaimingNormal(w, { nonlinearity: "relu" })`, … */
export * as init from "./init";

// ------------------------------------------------------------------ factories (the DESIGN sketch's style)

/**
 * A fully connected layer `x·Wᵀ + b` (W [out, in]).
 * @example nn.linear(2, 16)
 */
export const linear = (inFeatures: number, outFeatures: number, opts?: LayerOptions & { bias?: boolean }): Linear => new Linear(inFeatures, outFeatures, opts);
/**
 * A 2-D convolution over [N, C, H, W].
 * @example nn.conv2d(3, 16, 3, { padding: 1, stride: 2 })
 */
export const conv2d = (inChannels: number, outChannels: number, kernelSize: number | [number, number], opts?: Conv2dLayerOptions): Conv2d =>
  new Conv2d(inChannels, outChannels, kernelSize, opts);
/**
 * 2-D max pooling (stride defaults to the kernel size).
 * @example nn.maxPool2d(2)
 */
export const maxPool2d = (
  kernelSize: number | [number, number],
  opts?: { stride?: number | [number, number]; padding?: number | [number, number]; dilation?: number | [number, number] },
): MaxPool2d => new MaxPool2d(kernelSize, opts);
/**
 * 2-D average pooling (stride defaults to the kernel size).
 * @example nn.avgPool2d(2)
 */
export const avgPool2d = (
  kernelSize: number | [number, number],
  opts?: { stride?: number | [number, number]; padding?: number | [number, number] },
): AvgPool2d => new AvgPool2d(kernelSize, opts);
/**
 * An embedding table.
 * @example nn.embedding(vocabSize, 32)
 */
export const embedding = (numEmbeddings: number, dim: number, opts?: LayerOptions): Embedding => new Embedding(numEmbeddings, dim, opts);
/**
 * Layer normalization over the trailing dims.
 * @example nn.layerNorm(64)
 */
export const layerNorm = (normalizedShape: number | number[], eps = 1e-5, opts?: LayerOptions & { elementwiseAffine?: boolean; bias?: boolean }): LayerNorm =>
  new LayerNorm(normalizedShape, eps, opts);
/**
 * Dropout (active in training mode only).
 * @example nn.dropout(0.1)
 */
export const dropout = (p = 0.5): Dropout => new Dropout(p);
/**
 * Layers applied in order.
 * @example nn.sequential(nn.linear(2, 16), nn.relu(), nn.linear(16, 1))
 */
export const sequential = (...layers: Module[]): Sequential => new Sequential(...layers);
/** A ReLU layer. */ export const relu = (): ReLU => new ReLU();
/** A GELU layer (exact, or the tanh approximation). */ export const gelu = (approximate: "none" | "tanh" = "none"): GELU => new GELU(approximate);
/** A tanh layer. */ export const tanh = (): Tanh => new Tanh();
/** A sigmoid layer. */ export const sigmoid = (): Sigmoid => new Sigmoid();
/** A SiLU (swish) layer. */ export const silu = (): SiLU => new SiLU();
/** A softmax layer. */ export const softmax = (axis = -1): Softmax => new Softmax(axis);
/** A flatten layer (all dims but the batch by default). */ export const flatten = (startDim = 1, endDim = -1): Flatten => new Flatten(startDim, endDim);
/** The identity layer. */ export const identity = (): Identity => new Identity();
/**
 * Multi-head attention over [B, T, E].
 * @example nn.multiHeadAttention(64, 4, { causal: true })
 */
export const multiHeadAttention = (embedDim: number, numHeads: number, opts?: MultiHeadAttentionOptions): MultiHeadAttention =>
  new MultiHeadAttention(embedDim, numHeads, opts);
/**
 * A pre-norm Transformer block (attention + MLP, residual).
 * @example nn.transformerBlock(64, 4, { causal: true })
 */
export const transformerBlock = (dModel: number, numHeads: number, opts?: TransformerBlockOptions): TransformerBlock =>
  new TransformerBlock(dModel, numHeads, opts);

/**
 * Wrap a function as a module without parameters (for use inside `sequential`).
 * @example nn.sequential(nn.linear(4, 4), nn.lambda((x) => x.square()))
 */
export function lambda(fn: (x: Tensor) => Tensor): Module {
  return new (class Lambda extends Module {
    forward(x: Tensor): Tensor {
      return fn(x);
    }
  })();
}
