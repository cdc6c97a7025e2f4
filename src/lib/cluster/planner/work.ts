/**
 * The work of one transformer layer (and of the embedding and the output head) for one microbatch on
 * one device: its matrix products with their shapes, the FLOPs they make (attention scores and
 * attention over V included, recomputation added where the plan asks for it), the activation bytes
 * the layer keeps for backward (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
 * Transformer Models", §4: 34·s·b·h + 5·a·s²·b bytes per layer for GPT at 16 bits, split by tensor
 * and sequence parallelism, recomputed away selectively or fully), and the seconds all of it takes
 * under an efficiency model (efficiency.ts).
 * @module
 */
import { roofline } from "../cost";
import type { DeviceSpec, SimDType } from "../presets";
import type { Efficiency } from "./efficiency";
import type { ResolvedModel } from "./model";
import type { ResolvedPlan } from "./plan";

/** A batch of `count` equal matrix products [m × k]·[k × n]. */
interface Gemm {
  m: number;
  k: number;
  n: number;
  count: number;
}

/**
 * Forward, backward and recomputation of one piece of the model for one microbatch on one device.
 * @example dist.plan(model, cluster, p).work.layer.time.forward
 */
export interface PieceWork {
  /** Seconds: forward; backward (twice the forward's products and elementwise passes); forward rerun in backward. */
  time: { forward: number; backward: number; recompute: number };
  /** FLOPs the hardware runs: forward, backward, recomputation. */
  flops: { forward: number; backward: number; recompute: number };
  /** Bytes kept for backward (after recomputation). */
  activations: number;
}

/**
 * Expert slots one device sends per microbatch of `tokens` tokens (the rows its dispatch allToAll
 * carries, and the rows its experts receive back from the group): E·⌈capacityFactor·tokens·topK / E⌉
 * with a capacity, padding included (GShard, Switch Transformer); tokens·topK when dropless.
 * @example dist.expertSlots(dist.resolveModel({ layers: 1, hidden: 16, heads: 2, vocab: 0, seq: 8, experts: 4, topK: 1, capacityFactor: 1.25 }), 8)   // 12
 */
export function expertSlots(m: ResolvedModel, tokens: number): number {
  if (m.experts === 0) return tokens;
  return m.capacityFactor > 0 ? m.experts * Math.ceil((m.capacityFactor * tokens * m.topK) / m.experts) : tokens * m.topK;
}

/** Bytes per element of activations in a precision. */
export const activationItemBytes = (p: ResolvedPlan): number => (p.precision === "fp32" ? 4 : 2);

/** The dtype whose peak the compute runs at. */
export const computeDType = (p: ResolvedPlan): SimDType => (p.precision === "fp32" ? "float32" : p.precision === "fp16" ? "float16" : "bfloat16");

/**
 * Activation bytes one layer keeps per microbatch on one device (Korthikanti et al. 2022, Table 2,
 * generalized to grouped-query attention, gated MLPs, no dropout and MoE): parts split by tensor
 * parallelism (Q, K, V, the attention core, the output projection's input, the MLP's inner
 * activations) and parts every tensor-parallel rank keeps whole unless sequence parallelism splits
 * them (norm inputs, the QKV and MLP inputs, dropout masks). Selective recomputation drops the
 * attention core (the a·s² terms); full recomputation keeps only the layer's input.
 * @example dist.layerActivationBytes(dist.resolveModel(dist.MODEL_PRESETS["megatron-1t"]), 1, 8, true, "selective", 2)   // 34·s·b·h / 8
 */
export function layerActivationBytes(m: ResolvedModel, b: number, t: number, sp: boolean, recompute: "none" | "selective" | "full", e = 2): number {
  const s = m.seq,
    h = m.hidden,
    sbh = s * b * h;
  const whole = sp ? 1 / t : 1;
  if (recompute === "full") return e * sbh * whole;
  const kv = m.kvHeads / m.heads;
  const mask = m.dropout ? 1 : 0;
  const mlpInner = (m.gatedMlp ? 3 : 2) * e * expertSlots(m, s * b) * m.ffn;
  // The feed-forward part alone: its input and dropout mask kept whole, its inner activations split.
  if (m.layerKind === "ffn") return (e + mask) * sbh * whole + mlpInner / t;
  // Kept whole: two norm inputs, the QKV input, the MLP input, two dropout masks (1 byte each).
  const replicated = (4 * e + mask * 2) * sbh;
  // Split over tp: Q, K, V, the output projection's input, the MLP's inner activations.
  const split = e * sbh * (1 + kv) + e * sbh * kv + e * sbh + mlpInner;
  // The attention core: softmax output, its dropout mask and output (no dropout: the softmax output alone).
  const core = selectiveCore(m, b, e);
  return replicated * whole + split / t + (recompute === "selective" ? 0 : core / t);
}

/** a·s²·b terms of a layer (softmax output, dropout mask and output), before the tp split. */
function selectiveCore(m: ResolvedModel, b: number, e: number): number {
  const as2b = m.heads * m.seq * m.seq * b;
  return m.dropout ? (2 * e + 1) * as2b : e * as2b;
}

/** The layer's matrix products on one device, as [m × k]·[k × n] batches. */
function layerGemms(m: ResolvedModel, b: number, t: number, ep: number): { dense: Gemm[]; core: Gemm[] } {
  const T = b * m.seq,
    d = m.headDim,
    h = m.hidden;
  const heads = m.heads / t,
    kv = Math.max(m.kvHeads / t, 1);
  const attention = m.layerKind === "transformer";
  const dense: Gemm[] = attention
    ? [
        { m: T, k: h, n: (heads + 2 * kv) * d, count: 1 },
        { m: T, k: heads * d, n: h, count: 1 },
      ]
    : [];
  const core: Gemm[] = attention
    ? [
        { m: m.seq, k: d, n: m.seq, count: b * heads },
        { m: m.seq, k: m.seq, n: d, count: b * heads },
      ]
    : [];
  // Each local expert gets its share of the slots the group sends this device.
  const local = m.experts > 0 ? m.experts / ep : 1;
  const rows = expertSlots(m, T) / local;
  dense.push({ m: rows, k: h, n: ((m.gatedMlp ? 2 : 1) * m.ffn) / t, count: local }, { m: rows, k: m.ffn / t, n: h, count: local });
  if (m.experts > 0) dense.push({ m: T, k: h, n: m.experts, count: 1 });
  return { dense, core };
}

const gemmFlops = (g: Gemm) => 2 * g.m * g.k * g.n * g.count;

function gemmTime(spec: DeviceSpec, g: Gemm, dtype: SimDType, e: number, eff: Efficiency): number {
  const peak = (spec.peakFlops[dtype] ?? spec.peakFlops.float32) * eff.gemm;
  const bytes = e * g.count * (g.m * g.k + g.k * g.n + g.m * g.n);
  return Math.max(gemmFlops(g) / peak, bytes / (spec.memoryBandwidth * eff.memory));
}

/**
 * Parameters of one layer one device holds: its tensor-parallel shards and the replicated norms and biases (`dense`),
 * the part of `dense` every tensor-parallel rank holds whole (`replicated`: norms, the row-parallel biases, the router),
 * its experts (`experts`).
 * @example dist.layerParamsOnDevice(dist.resolveModel(dist.MODEL_PRESETS["gpt3-175b"]), 8, 1).dense   // ≈ 12h²/8
 */
export function layerParamsOnDevice(m: ResolvedModel, t: number, ep: number): { dense: number; replicated: number; experts: number } {
  const h = m.hidden,
    d = m.headDim;
  const kv = Math.max(m.kvHeads / t, 1) * d;
  const q = (m.heads / t) * d;
  let attention = m.layerKind === "ffn" ? 0 : h * (q + 2 * kv) + q * h;
  if (m.biases && m.layerKind !== "ffn") attention += q + 2 * kv + h;
  const oneMlp = m.gatedMlp ? (3 * h * m.ffn) / t : (2 * h * m.ffn) / t + (m.biases ? m.ffn / t + h : 0);
  const dense = attention + m.layer.norms + m.layer.router + (m.experts > 0 ? 0 : oneMlp);
  const experts = m.experts > 0 ? (oneMlp * m.experts) / ep : 0;
  // Whole on every rank: the norms, the router, and the biases added after a row-parallel sum (attention's output, the MLP's second).
  const rowBiases = m.biases ? (m.layerKind === "ffn" ? 0 : h) + (m.gatedMlp || m.experts > 0 ? 0 : h) : 0;
  return { dense, replicated: m.layer.norms + m.layer.router + rowBiases, experts };
}

/**
 * Values webgrad's autograd keeps for one layer of `b` sequences on one device (no recomputation),
 * as the real-data strategies measure them. A transformer block (no dropout, unfused kernels) on
 * t tensor-parallel ranks keeps Korthikanti et al.'s terms in values, 6·s·b·h + 12·s·b·h/t +
 * 2·a·s²·b/t and one scalar, where their 16-bit fused accounting without dropout has
 * 4·s·b·h + 12·s·b·h/t + a·s²·b/t: whole on every rank the two norm inputs, the QKV and MLP inputs,
 * and (unfused) each norm's normalized output, which its γ keeps; split over t Q, K, V (3), the
 * output projection's input (1), the MLP's two 4h-wide activations (8); per head the softmax output
 * and (unfused) the raw scores the 1/√d scale keeps; the scale itself. At t = 1: 18·s·b·h + 2·a·s²·b + 1.
 * Sequence parallelism splits the whole terms too, 6·s·b·h/t (the real TensorParallel keeps each norm's
 * input and output and the parallel part's input for its s/t positions and gathers that input again in
 * backward). The feed-forward part alone,
 * T = s·b tokens, f the MLP width: a GeLU MLP keeps its input and the GeLU's input and output,
 * T·h + 2·T·f; `dist.ExpertParallelMoE`'s top-k layer with S = expertSlots(T) slots keeps the gate's
 * input T·h, the softmax T·E (top-k ≥ 2: of the logits masked to the chosen), per choice its one-hot
 * T·E, its gate weight T and its [S × T] dispatch matrix, the S·h slots received and the S·h results
 * returned, each expert's GeLU input and output 2·S·f, and per choice its combined T·h before its
 * weight weighs it: T·h + T·E + k·(T·E + T + S·T + T·h) + 2·S·h + 2·S·f.
 */
function simulatorLayerValues(m: ResolvedModel, b: number, t: number, sp: boolean): number {
  const T = b * m.seq,
    h = m.hidden,
    f = m.ffn;
  if (m.layerKind === "transformer") return 6 * T * h * (sp ? 1 / t : 1) + (12 * T * h) / t + (2 * m.heads * m.seq * m.seq * b) / t + 1;
  // Tensor parallelism splits the MLP's inner activations (the real MoE layer has none: t = 1 there).
  if (m.experts === 0) return T * h * (sp ? 1 / t : 1) + (2 * T * f) / t;
  const S = expertSlots(m, T);
  return T * h + T * m.experts + m.topK * (T * m.experts + T + S * T + T * h) + 2 * S * h + (2 * S * f) / t;
}

/**
 * One layer's work for one microbatch on one device.
 * @example dist.layerWork(model, plan, spec, dist.DEFAULT_EFFICIENCY).time.forward
 */
export function layerWork(m: ResolvedModel, p: ResolvedPlan, spec: DeviceSpec, eff: Efficiency): PieceWork {
  const e = activationItemBytes(p);
  const { tp: t, microbatch: b, ep } = p;
  const g = layerGemms(m, b, t, ep);
  const denseFlops = g.dense.reduce((s, x) => s + gemmFlops(x), 0);
  const coreFlops = g.core.reduce((s, x) => s + gemmFlops(x), 0);
  let activations = layerActivationBytes(m, b, t, p.sequenceParallel, p.recompute, e);
  if (eff.accounting === "simulator") {
    // What webgrad's autograd keeps (pinned by tests/unit/cluster/planner-agreement.test.ts); recomputation keeps Korthikanti's.
    if (p.recompute === "none") activations = e * simulatorLayerValues(m, b, t, p.sequenceParallel);
    // The real-data strategies: every parameter tensor used on the rows it sees (b·s tokens; an expert its
    // share of the slots), 2·rows·numel FLOPs forward, at the fp32 roofline.
    // With sequence parallelism the replicated norms and biases act on the device's s/t positions only.
    const numel = layerParamsOnDevice(m, t, ep);
    const T = b * m.seq;
    const expertRows = m.experts > 0 ? (expertSlots(m, T) * ep) / m.experts : T;
    const fwFlops = 2 * T * numel.dense + 2 * expertRows * numel.experts;
    const at = (k: number, rows: number, n: number) => (n > 0 ? roofline(spec, { flops: k * 2 * rows * n, bytes: k * 4 * n }, "float32") : 0);
    const pass = (k: number) =>
      (p.sequenceParallel ? at(k, T, numel.dense - numel.replicated) + at(k, T / t, numel.replicated) : at(k, T, numel.dense)) +
      at(k, expertRows, numel.experts);
    const fw = pass(1);
    return {
      time: { forward: fw, backward: pass(2), recompute: p.recompute === "full" ? fw : 0 },
      flops: { forward: fwFlops, backward: 2 * fwFlops, recompute: p.recompute === "full" ? fwFlops : 0 },
      activations,
    };
  }
  const dtype = computeDType(p);
  const bw = spec.memoryBandwidth * eff.memory;
  const kept = layerActivationBytes(m, b, t, p.sequenceParallel, "none", e);
  const coreBytes = selectiveCore(m, b, e) / t;
  const denseT = g.dense.reduce((s, x) => s + gemmTime(spec, x, dtype, e, eff), 0);
  const coreT = g.core.reduce((s, x) => s + gemmTime(spec, x, dtype, e, eff), 0);
  const elemT = (eff.elementwisePasses * kept) / bw;
  const coreElemT = (eff.elementwisePasses * coreBytes) / bw;
  const forward = denseT + coreT + elemT;
  const recompute = p.recompute === "full" ? forward : p.recompute === "selective" ? coreT + coreElemT : 0;
  const fwdFlops = denseFlops + coreFlops;
  return {
    time: { forward, backward: 2 * forward, recompute },
    flops: { forward: fwdFlops, backward: 2 * fwdFlops, recompute: p.recompute === "full" ? fwdFlops : p.recompute === "selective" ? coreFlops : 0 },
    activations,
  };
}

/**
 * The embedding (first stage) or the output head with its loss (last stage) for one microbatch on
 * one device: the lookup is memory-bound; the head is the logits product [b·s × h]·[h × V/tp] and a
 * float32 softmax cross-entropy over the logits (Korthikanti's 4·s·b·h/t·(1 + V/h) bytes kept).
 * @example dist.edgeWork(model, plan, spec, dist.DEFAULT_EFFICIENCY, "head").flops.forward
 */
export function edgeWork(m: ResolvedModel, p: ResolvedPlan, spec: DeviceSpec, eff: Efficiency, which: "embedding" | "head"): PieceWork {
  const none: PieceWork = { time: { forward: 0, backward: 0, recompute: 0 }, flops: { forward: 0, backward: 0, recompute: 0 }, activations: 0 };
  if (m.vocab === 0) {
    if (eff.accounting !== "simulator") return none;
    // No vocabulary, as the real-data strategies train: the first block's input is data, which needs no gradient, so
    // autograd keeps one b·s·h tensor fewer there (a feed-forward layer starts with a linear, which keeps its input
    // for the weight's gradient anyway); the mean-squared-error loss keeps the difference and two scalars, two more
    // where a pipeline divides each microbatch's loss by the microbatch count or expert parallelism by the devices.
    // With sequence parallelism the first block's input is the device's s/t positions; the loss sees the whole output.
    const e = activationItemBytes(p);
    const sbh = p.microbatch * m.seq * m.hidden * e;
    const scalars = 2 + (p.pp > 1 ? 2 : 0) + (m.experts > 0 ? 2 : 0);
    const firstInput = m.layerKind === "ffn" ? 0 : sbh / (p.sequenceParallel ? p.tp : 1);
    return { ...none, activations: which === "embedding" ? -firstInput : sbh + scalars * e };
  }
  const e = activationItemBytes(p);
  const T = p.microbatch * m.seq,
    h = m.hidden,
    t = p.tp;
  const bw = spec.memoryBandwidth * eff.memory;
  if (which === "embedding") {
    const bytes = 2 * T * h * e;
    const fw = eff.accounting === "simulator" ? 0 : bytes / bw;
    const mask = m.dropout ? (T * h) / (p.sequenceParallel ? t : 1) : 0;
    return { time: { forward: fw, backward: 2 * fw, recompute: 0 }, flops: { forward: 0, backward: 0, recompute: 0 }, activations: mask };
  }
  const g: Gemm = { m: T, k: h, n: m.vocab / t, count: 1 };
  const f = gemmFlops(g);
  const kept = (4 * T * h) / t + (4 * T * m.vocab) / t;
  if (eff.accounting === "simulator") {
    const n = (m.vocab * h) / t;
    const fw = roofline(spec, { flops: 2 * T * n, bytes: 4 * n }, "float32");
    return { time: { forward: fw, backward: 2 * fw, recompute: 0 }, flops: { forward: f, backward: 2 * f, recompute: 0 }, activations: kept };
  }
  const fw = gemmTime(spec, g, computeDType(p), e, eff) + (eff.elementwisePasses * kept) / bw;
  return { time: { forward: fw, backward: 2 * fw, recompute: 0 }, flops: { forward: f, backward: 2 * f, recompute: 0 }, activations: kept };
}
