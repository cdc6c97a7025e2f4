/**
 * `dist.plan(model, cluster, plan)`: a plan costed analytically, without allocating a tensor. A pure
 * function of its inputs, cheap enough to re-cost while a slider moves (a 1T-parameter model on 3072
 * devices well within the 50 ms a slider allows): per-device memory by category, the step time split into compute,
 * exposed communication and pipeline bubble, tokens/s and MFU.
 *
 * How a step is put together (Megatron-LM's execution, which the real-data strategies also follow):
 * every pipeline device runs its chunks' forward and backward per microbatch in the schedule's order
 * (the lean pipeline clock, the same rules as `dist.simulatePipeline`); a chunk's time is its layers'
 * compute plus their tensor-parallel collectives (not overlapped), plus the expert-parallel allToAlls;
 * stage-to-stage sends cost latency. After the pipeline drains, the data-parallel gradient reduction
 * (overlapped with the last microbatch's backward when `overlapGradReduce`), ZeRO's gathers and the
 * optimizer step follow.
 * @module
 */
import { modelState, type MemoryModel } from "../accounting";
import { roofline } from "../cost";
import { emptyMemory, type MemoryByCategory } from "../device";
import { DistError } from "../errors";
import { emit, hasListeners, type PlanEvent } from "../../events";
import { zeroSharding } from "../strategies/zero";
import { collectiveTime, groupShape, p2pTime } from "./comm";
import { DEFAULT_EFFICIENCY, type Efficiency } from "./efficiency";
import { resolveModel, type ModelConfig, type ResolvedModel } from "./model";
import { checkPlan, type Plan, type ResolvedPlan } from "./plan";
import { modelConfig, type ModelPresetName, type PlannerCluster } from "./presets";
import { pipelineClock, pipelinePeakActivations } from "./pipeline-clock";
import { activationItemBytes, edgeWork, expertSlots, layerParamsOnDevice, layerWork, type PieceWork } from "./work";

/**
 * Options of `dist.plan`.
 * @example dist.plan(model, cluster, p, { efficiency: dist.SIMULATOR_ACCOUNTING })
 */
export interface PlanOptions {
  /** The efficiency model (default `dist.DEFAULT_EFFICIENCY`). */
  efficiency?: Efficiency;
}

/**
 * Memory of one device, by category, with its capacity.
 * @example const { parameters, optimizer, activations, total, fits, overflow } = dist.plan(m, c, p).memory;
 */
export interface PlanMemory extends MemoryByCategory {
  total: number;
  capacity: number;
  fits: boolean;
  /** Bytes past the capacity (0 when it fits). */
  overflow: number;
}

/**
 * A costed plan.
 * @example
 * const r = dist.plan("megatron-1t", dist.dgxA100(384), { tp: 8, pp: 64, dp: 6, microbatch: 1, globalBatch: 3072, recompute: "full" });
 * r.time.step; r.flopsPerDevice / 1e12; r.mfu; r.memory.total
 */
export interface PlanResult {
  model: ResolvedModel;
  cluster: PlannerCluster;
  plan: ResolvedPlan;
  efficiency: Efficiency;
  /** The device that needs the most memory (a pipeline stage's). */
  memory: PlanMemory;
  /** Memory of a device of each pipeline stage. */
  memoryByStage: PlanMemory[];
  /** Seconds per step: step = compute + exposedComm + bubble + optimizer, on the busiest device. */
  time: { step: number; compute: number; exposedComm: number; bubble: number; optimizer: number; pipeline: number };
  /** Communication seconds per step on the busiest device, by kind: tensor-parallel and expert-parallel collectives (in line with compute), data-parallel total and the part not hidden behind backward. */
  comm: { tp: number; ep: number; dp: number; dpExposed: number };
  /** Bubble share of the step: bubble / step. */
  bubbleFraction: number;
  /** Tokens per second (global batch · sequence / step). */
  tokensPerSecond: number;
  /** FLOPs per step, all devices: what the model needs (3 × forward) and what the hardware runs (with recomputation). */
  flops: { model: number; hardware: number };
  /** Hardware FLOP/s per device achieved (Megatron-LM's "achieved teraFLOP/s per GPU" × 1e12). */
  flopsPerDevice: number;
  /** Model FLOPs utilization: model FLOPs / (devices · peak · step). */
  mfu: number;
  /** Per microbatch: each virtual stage's forward and backward seconds (collectives included), the collectives' share of one chunk's forward and backward, and the sends between stages. */
  stages: { forward: Float64Array; backward: Float64Array; commForward: number; commBackward: number; sendUp: Float64Array; sendDown: Float64Array };
  /** The work of one layer, the embedding and the head per microbatch on one device. */
  work: { layer: PieceWork; embedding: PieceWork; head: PieceWork };
}

function memoryOf(m: MemoryByCategory, capacity: number): PlanMemory {
  const total = m.parameters + m.gradients + m.optimizer + m.activations + m.buffers;
  return { ...m, total, capacity, fits: total <= capacity, overflow: Math.max(0, total - capacity) };
}

/**
 * Cost a plan (see the module header); throws a `DistError` naming the rule a plan breaks.
 * @example dist.plan("gpt3-175b", dist.dgxA100(128), { tp: 8, pp: 8, dp: 16, microbatch: 1, globalBatch: 1536, recompute: "selective", sequenceParallel: true })
 */
export function plan(model: ModelPresetName | ModelConfig | ResolvedModel, cluster: PlannerCluster, p: Plan, opts: PlanOptions = {}): PlanResult {
  const m = typeof model === "object" && "parameters" in model ? model : resolveModel(modelConfig(model));
  // The Cluster panel's Planner view opens with the program's plan (invalid ones too: it shows their reason).
  if (hasListeners()) emit({ type: "plan", inputs: planInputs(m, cluster, p) });
  const r = checkPlan(m, cluster, p);
  if (typeof r === "string") throw new DistError("dist.plan", r);
  return costResolved(m, cluster, r, opts.efficiency ?? DEFAULT_EFFICIENCY);
}

/** A plan's inputs as plain data (the `plan` event's wire form): the model's configuration, the cluster, the plan. */
function planInputs(m: ResolvedModel, c: PlannerCluster, p: Plan): PlanEvent["inputs"] {
  const { name, family, layers, hidden, heads, kvHeads, ffn, vocab, seq, experts, topK, capacityFactor, layerKind } = m;
  const { device, intra, inter } = c;
  return {
    model: {
      name,
      family,
      layers,
      hidden,
      heads,
      kvHeads,
      ffn,
      vocab,
      seq,
      experts,
      topK,
      ...(capacityFactor > 0 ? { capacityFactor } : {}),
      ...(layerKind !== "transformer" ? { layerKind } : {}),
    },
    cluster: {
      name: c.name,
      nodes: c.nodes,
      devicesPerNode: c.devicesPerNode,
      device: { name: device.name, peakFlops: { ...device.peakFlops }, memoryBandwidth: device.memoryBandwidth, memoryCapacity: device.memoryCapacity },
      intra: { name: intra.name, bandwidth: intra.bandwidth, latency: intra.latency },
      inter: { name: inter.name, bandwidth: inter.bandwidth, latency: inter.latency },
      ...(c.topology ? { topology: c.topology } : {}),
    },
    plan: { ...p },
  };
}

/** Cost a checked plan. */
export function costResolved(
  m: ResolvedModel,
  c: PlannerCluster,
  r: ResolvedPlan,
  eff: Efficiency,
  opts: { pipeline?: "clock" | "closed-form" } = {},
): PlanResult {
  const spec = c.device;
  const sim = eff.accounting === "simulator";
  const { tp: t, pp, dp, ep, interleave: v, microbatches: mb } = r;
  const e = activationItemBytes(r);
  const wire = sim ? 4 : e;
  const layer = layerWork(m, r, spec, eff);
  const embedding = edgeWork(m, r, spec, eff, "embedding");
  const head = edgeWork(m, r, spec, eff, "head");
  const L = r.layersPerChunk;
  const S = pp * v;

  // Tensor- and expert-parallel collectives of one layer, one microbatch.
  const tpGroup = groupShape(c, t, 1);
  const act = r.microbatch * m.seq * m.hidden * wire;
  const ar = collectiveTime(c, "allReduce", tpGroup, act, wire);
  const spPair = collectiveTime(c, "allGather", tpGroup, act, wire) + collectiveTime(c, "reduceScatter", tpGroup, act, wire);
  // Two sublayers (attention, MLP) per transformer layer; the feed-forward part alone has one.
  const sublayers = m.layerKind === "ffn" ? 1 : 2;
  const tpPass = sublayers * (r.sequenceParallel ? spPair : ar);
  // Backward gathers each sublayer's input again (it was kept as a slice): Megatron overlaps that allGather with the
  // input-gradient product, so it costs nothing exposed; the simulated TensorParallel runs it before the backward compute.
  const regather = sim && r.sequenceParallel ? sublayers * collectiveTime(c, "allGather", tpGroup, act, wire) : 0;
  const tpLayer = { forward: tpPass, backward: tpPass + regather + (r.recompute === "full" ? tpPass : 0) };
  const epGroup = groupShape(c, ep, t);
  // Each device sends its expert slots (every routed token when dropless; E·C slots, padding included, with a capacity).
  const a2a = m.experts > 0 ? collectiveTime(c, "allToAll", epGroup, expertSlots(m, r.microbatch * m.seq) * m.hidden * wire, wire) : 0;
  const epLayer = { forward: 2 * a2a, backward: 2 * a2a + (r.recompute === "full" ? 2 * a2a : 0) };

  // Per virtual stage and microbatch: compute, then its collectives.
  const forward = new Float64Array(S),
    backward = new Float64Array(S);
  const computeOf = new Float64Array(pp),
    commOf = new Float64Array(pp),
    lastBackward = new Float64Array(pp);
  for (let s = 0; s < S; s++) {
    const d = s % pp;
    const fc = L * layer.time.forward + (s === 0 ? embedding.time.forward : 0) + (s === S - 1 ? head.time.forward : 0);
    const bc = L * (layer.time.backward + layer.time.recompute) + (s === 0 ? embedding.time.backward : 0) + (s === S - 1 ? head.time.backward : 0);
    const fm = L * (tpLayer.forward + epLayer.forward);
    const bm = L * (tpLayer.backward + epLayer.backward);
    forward[s] = fc + fm;
    backward[s] = bc + bm;
    computeOf[d] += mb * (fc + bc);
    commOf[d] += mb * (fm + bm);
    lastBackward[d] += bc + bm;
  }
  // Sends between virtual stages: activations forward, their gradients backward.
  const sendUp = new Float64Array(S),
    sendDown = new Float64Array(S);
  const stride = t * dp;
  const nodeOf = (d: number) => Math.floor((d * stride) / c.devicesPerNode);
  for (let s = 1; s < S; s++) {
    const a = (s - 1) % pp,
      b = s % pp;
    const across = nodeOf(a) !== nodeOf(b);
    let time: number;
    if (sim || t === 1) time = p2pTime(c, act, across);
    else if (r.sequenceParallel) time = p2pTime(c, act / t, across);
    // Megatron's scatter/gather: each tensor-parallel rank sends 1/t over its own link, then an allGather inside the node.
    else time = across ? p2pTime(c, act / t, true) + collectiveTime(c, "allGather", tpGroup, act, wire) : p2pTime(c, act, false);
    sendUp[s] = time;
    sendDown[s - 1] = time;
  }
  const schedule = v > 1 ? "interleaved" : r.schedule;

  // Parameters, state and activations of a device of each stage; data-parallel communication and the optimizer.
  const perLayer = layerParamsOnDevice(m, t, ep);
  const embedOnDevice = m.vocab === 0 ? 0 : (m.vocab * m.hidden) / t + (m.learnedPositions ? m.seq * m.hidden : 0);
  const headOnDevice =
    m.vocab === 0
      ? 0
      : (m.tiedEmbeddings ? (pp > 1 ? (m.vocab * m.hidden) / t : 0) : (m.vocab * m.hidden) / t) + (m.head - (m.tiedEmbeddings ? 0 : m.vocab * m.hidden));
  const memModel: MemoryModel = { precision: r.precision === "fp32" ? "fp32" : "mixed", optimizerSlots: r.optimizerSlots };
  const gradBytes = sim ? 4 : r.precision === "fp32" ? 4 : 2;
  const paramBytes = gradBytes;
  const dpGroup = groupShape(c, dp, t);
  const edpGroup = groupShape(c, dp / ep, t * ep);
  const memoryByStage: PlanMemory[] = [];
  let tail = 0,
    dpTotal = 0,
    dpExposed = 0,
    optimizer = 0;
  for (let d = 0; d < pp; d++) {
    const layers = L * v;
    const dense = layers * perLayer.dense + (d === 0 ? embedOnDevice : 0) + (d === pp - 1 ? headOnDevice : 0);
    const experts = layers * perLayer.experts;
    const mem = emptyMemory();
    for (const [psi, ways] of [
      [dense, dp],
      [experts, dp / ep],
    ] as const) {
      if (psi === 0) continue;
      const st = modelState(psi, memModel, zeroSharding(r.zero, ways));
      mem.parameters += st.parameters;
      mem.gradients += st.gradients;
      mem.optimizer += st.optimizer;
    }
    const chunkBytes = Array.from(
      { length: v },
      (_, k) => L * layer.activations + (k === 0 && d === 0 ? embedding.activations : 0) + (k === v - 1 && d === pp - 1 ? head.activations : 0),
    );
    const uniform = chunkBytes.every((x) => x === chunkBytes[0]);
    mem.activations = uniform ? chunkBytes[0] * inFlight(schedule, d, pp, mb, v) : pipelinePeakActivations(schedule, d, pp, mb, v, chunkBytes);
    // ZeRO-3 gathers a layer's parameters before using it and prefetches the next: two layers in flight.
    if (r.zero === 3 && !sim) mem.buffers = 2 * (perLayer.dense + perLayer.experts) * paramBytes;
    memoryByStage.push(memoryOf(mem, spec.memoryCapacity));

    // Data parallel: reduce the gradients (and gather the parameters) of this device's shards.
    let reduce = 0,
      perMicro = 0,
      gather = 0,
      update = 0;
    for (const [psi, g] of [
      [dense, dpGroup],
      [experts, edpGroup],
    ] as const) {
      if (psi === 0 || g.size === 1) {
        update += updateTime(spec, psi, r.optimizerSlots, eff);
        continue;
      }
      const gb = psi * gradBytes,
        pb = psi * paramBytes;
      if (r.zero === 0) reduce += collectiveTime(c, "allReduce", g, gb, gradBytes);
      else if (r.zero === 1) reduce += collectiveTime(c, "reduceScatter", g, gb, gradBytes);
      else perMicro += collectiveTime(c, "reduceScatter", g, gb, gradBytes);
      if (r.zero === 1 || r.zero === 2) gather += collectiveTime(c, "allGather", g, pb, paramBytes);
      if (r.zero === 3) perMicro += 2 * collectiveTime(c, "allGather", g, pb, paramBytes);
      update += updateTime(spec, r.zero >= 1 ? psi / g.size : psi, r.optimizerSlots, eff);
    }
    const total = reduce + mb * perMicro + gather;
    const hidden = r.overlapGradReduce ? Math.min(reduce, lastBackward[d]) + mb * Math.min(perMicro, (computeOf[d] + commOf[d]) / mb) : 0;
    const exposed = total - hidden;
    if (exposed + update >= tail) {
      tail = exposed + update;
      dpTotal = total;
      dpExposed = exposed;
      optimizer = update;
    }
  }

  const clock =
    opts.pipeline === "closed-form"
      ? closedFormPipeline(pp, mb, v, forward, backward, sendUp, sendDown)
      : pipelineClock(schedule, pp, mb, v, forward, backward, (a, b) => (b > a ? sendUp[b] : sendDown[b]));
  // The busiest device sets compute, communication and bubble.
  let dStar = 0;
  for (let d = 1; d < pp; d++) if (clock.busy[d] > clock.busy[dStar]) dStar = d;
  const step = clock.time + tail;
  const compute = computeOf[dStar];
  const exposedComm = commOf[dStar] + dpExposed;
  const bubble = clock.time - clock.busy[dStar];
  const perMicroFlops = (w: PieceWork) => w.flops.forward + w.flops.backward + w.flops.recompute;
  const replicas = mb * dp * t;
  const hardware = replicas * (m.layers * perMicroFlops(layer) + perMicroFlops(embedding) + perMicroFlops(head));
  const modelFlops = replicas * 3 * (m.layers * layer.flops.forward + embedding.flops.forward + head.flops.forward);
  const n = r.devices;
  const peak = spec.peakFlops[r.precision === "fp32" ? "float32" : r.precision === "fp16" ? "float16" : "bfloat16"] ?? spec.peakFlops.float32;
  let worst = memoryByStage[0];
  for (const x of memoryByStage) if (x.total > worst.total) worst = x;
  return {
    model: m,
    cluster: c,
    plan: r,
    efficiency: eff,
    memory: worst,
    memoryByStage,
    time: { step, compute, exposedComm, bubble, optimizer, pipeline: clock.time },
    comm: { tp: mb * L * v * (tpLayer.forward + tpLayer.backward), ep: mb * L * v * (epLayer.forward + epLayer.backward), dp: dpTotal, dpExposed },
    bubbleFraction: bubble / step,
    tokensPerSecond: (r.globalBatch * m.seq) / step,
    flops: { model: modelFlops, hardware },
    flopsPerDevice: hardware / (n * step),
    mfu: modelFlops / (n * peak * step),
    stages: {
      forward,
      backward,
      commForward: L * (tpLayer.forward + epLayer.forward),
      commBackward: L * (tpLayer.backward + epLayer.backward),
      sendUp,
      sendDown,
    },
    work: { layer, embedding, head },
  };
}

/**
 * Chunk-microbatches whose activations device d holds at once: GPipe all m; 1F1B min(p − d, m);
 * interleaved Megatron's warm-up + 1 (all of them when there is no steady phase).
 * @example dist.inFlight("interleaved", 0, 4, 8, 2)   // 11
 */
export function inFlight(schedule: "gpipe" | "1f1b" | "interleaved", d: number, p: number, m: number, v: number): number {
  if (schedule === "gpipe") return m;
  const total = schedule === "interleaved" ? m * v : m;
  const warmup = schedule === "interleaved" ? Math.min((p - d - 1) * 2 + (v - 1) * p, total) : Math.min(p - d - 1, m);
  return warmup < total ? warmup + 1 : total;
}

/**
 * The pipeline time in closed form, for ranking many plans: the busiest device runs its m microbatches,
 * the others' fill and drain shrink by the interleaving v, and the sends of one microbatch's round trip
 * add once. Equal to the clock for GPipe and for equal stages without sends; `dist.plan` uses the clock.
 */
function closedFormPipeline(p: number, m: number, v: number, forward: Float64Array, backward: Float64Array, up: Float64Array, down: Float64Array) {
  const busy = new Float64Array(p);
  for (let s = 0; s < forward.length; s++) busy[s % p] += m * (forward[s] + backward[s]);
  let max = 0,
    sum = 0,
    sends = 0;
  for (let d = 0; d < p; d++) {
    max = Math.max(max, busy[d]);
    sum += busy[d];
  }
  for (let s = 0; s < up.length; s++) sends += up[s] + down[s];
  return { time: max + (sum - max) / (m * v) + sends, busy };
}

/** The optimizer step over `numel` parameters: (3 + 2·slots) fp32 streams (the real-data strategies' `updateTime`). */
function updateTime(spec: PlannerCluster["device"], numel: number, slots: number, eff: Efficiency): number {
  if (numel === 0) return 0;
  const streams = 3 + 2 * slots;
  if (eff.accounting === "simulator") return roofline(spec, { flops: 4 * numel, bytes: streams * 4 * numel });
  return Math.max((4 * numel) / spec.peakFlops.float32, (streams * 4 * numel) / (spec.memoryBandwidth * eff.memory));
}
