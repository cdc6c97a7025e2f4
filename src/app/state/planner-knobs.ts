/**
 * The Planner view's knobs and the planner inputs they stand for: which model and cluster preset
 * (or the program's own, from its `dist.plan` call), the device count, and the plan's fields. Data
 * parallelism is derived (devices / (tp · pp)), so every knob position is a plan the cluster can
 * hold or one whose reason the planner names. Pure functions, unit-tested.
 * @module
 */
import type { PlannerCatalogue, PlannerCluster, PlannerInputs, PlannerModel, PlannerPlan } from "../../schema/planner";

/** "code": the model or cluster of the program's `dist.plan` call. */
export const FROM_CODE = "code";

/** The knobs' values. */
export interface PlannerKnobs {
  /** A model preset's name, or {@link FROM_CODE}. */
  model: string;
  /** A cluster preset's id, or {@link FROM_CODE}. */
  cluster: string;
  devices: number;
  tp: number;
  pp: number;
  microbatch: number;
  globalBatch: number;
  zero: 0 | 1 | 2 | 3;
  recompute: "none" | "selective" | "full";
  interleave: number;
  sequenceParallel: boolean;
  ep: number;
  precision: "bf16" | "fp16" | "fp32";
  schedule: "1f1b" | "gpipe";
  /** Sequence length (the model's own unless changed). */
  seq: number;
}

/** The program's own model and cluster, when its `dist.plan` call used ones that are not presets. */
export interface FromCode {
  model?: PlannerModel;
  cluster?: PlannerCluster;
}

/** Where the view starts: Megatron-LM's 1T-parameter row of Narayanan et al. (SC'21, Table 1) on 3 072 A100s. */
export const DEFAULT_KNOBS: PlannerKnobs = {
  model: "megatron-1t",
  cluster: "dgx-a100",
  devices: 3072,
  tp: 8,
  pp: 64,
  microbatch: 1,
  globalBatch: 3072,
  zero: 1,
  recompute: "full",
  interleave: 1,
  sequenceParallel: false,
  ep: 1,
  precision: "bf16",
  schedule: "1f1b",
  seq: 2048,
};

/** Device counts the slider offers (multiples of a DGX node and of a TPU host). */
export const DEVICE_COUNTS = [8, 16, 32, 64, 128, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192, 12288, 16384];
export const TP_DEGREES = [1, 2, 4, 8, 16, 32, 64];
export const MICROBATCHES = [1, 2, 4, 8, 16];
export const INTERLEAVES = [1, 2, 3, 4, 6, 8];
export const SEQUENCE_LENGTHS = [512, 1024, 2048, 4096, 8192, 16384, 32768];

/** `values` with `v` added in order when it is missing (a value from the code stays selectable). */
export function withValue(values: readonly number[], v: number): number[] {
  return values.includes(v) ? [...values] : [...values, v].sort((a, b) => a - b);
}

/** Pipeline depths for a model: the divisors of its layer count. */
export function pipelineDepths(layers: number): number[] {
  return Array.from({ length: layers }, (_, i) => i + 1).filter((d) => layers % d === 0);
}

/** Expert-parallel degrees for a model: the divisors of its expert count (1 for a dense model). */
export function expertDegrees(experts: number): number[] {
  return experts > 0 ? pipelineDepths(experts) : [1];
}

/** The model the knobs stand for (a preset with the knobs' sequence length, or the program's). */
export function modelOf(k: PlannerKnobs, catalogue: PlannerCatalogue, code: FromCode): PlannerModel {
  const base = k.model === FROM_CODE && code.model ? code.model : (catalogue.models.find((m) => m.name === k.model) ?? catalogue.models[0]);
  const { name, family, layers, hidden, heads, kvHeads, ffn, vocab, experts, topK, capacityFactor, layerKind } = base;
  // A program's capacity factor and layer kind travel with its model (the presets have neither).
  return {
    name,
    family,
    layers,
    hidden,
    heads,
    kvHeads,
    ffn,
    vocab,
    seq: k.seq,
    experts,
    topK,
    ...(capacityFactor !== undefined ? { capacityFactor } : {}),
    ...(layerKind !== undefined ? { layerKind } : {}),
  };
}

/** The model preset the knobs stand on (undefined for the program's own model). */
export function presetModel(k: PlannerKnobs, catalogue: PlannerCatalogue): (PlannerModel & { parameters: number }) | undefined {
  return k.model === FROM_CODE ? undefined : catalogue.models.find((m) => m.name === k.model);
}

/** The cluster the knobs stand for: the preset's node repeated to the device count, or the program's with as many nodes. */
export function clusterOf(k: PlannerKnobs, catalogue: PlannerCatalogue, code: FromCode): PlannerCluster {
  const node = k.cluster === FROM_CODE && code.cluster ? code.cluster : (catalogue.clusters.find((c) => c.id === k.cluster) ?? catalogue.clusters[0]).node;
  const nodes = k.devices / node.devicesPerNode;
  return { ...node, nodes, name: clusterName(k.cluster, node, nodes, k.devices) };
}

function clusterName(id: string, node: PlannerCluster, nodes: number, devices: number): string {
  if (id === "dgx-a100") return `${nodes}× DGX A100`;
  if (id === "dgx-h100") return `${nodes}× DGX H100`;
  if (id === "tpu-torus") return `TPU-like torus (${devices} chips)`;
  return node.name;
}

/** The plan the knobs stand for: dp = devices / (tp · pp), maybe not a whole number (the planner then says so). */
export function planOf(k: PlannerKnobs): PlannerPlan {
  return {
    tp: k.tp,
    pp: k.pp,
    dp: k.devices / (k.tp * k.pp),
    microbatch: k.microbatch,
    globalBatch: k.globalBatch,
    zero: k.zero,
    recompute: k.recompute,
    interleave: k.interleave,
    sequenceParallel: k.sequenceParallel,
    ep: k.ep,
    schedule: k.schedule,
    precision: k.precision,
  };
}

/** Everything one `dist.plan` call takes, from the knobs. */
export function inputsOf(k: PlannerKnobs, catalogue: PlannerCatalogue, code: FromCode): PlannerInputs {
  return { model: modelOf(k, catalogue, code), cluster: clusterOf(k, catalogue, code), plan: planOf(k) };
}

const sameModel = (a: PlannerModel, b: PlannerModel) =>
  (["family", "layers", "hidden", "heads", "kvHeads", "ffn", "vocab", "experts", "topK", "capacityFactor", "layerKind"] as const).every((f) => a[f] === b[f]);
const sameNode = (a: PlannerCluster, b: PlannerCluster) =>
  a.devicesPerNode === b.devicesPerNode &&
  (a.topology ?? "switched") === (b.topology ?? "switched") &&
  JSON.stringify(a.device) === JSON.stringify(b.device) &&
  JSON.stringify(a.intra) === JSON.stringify(b.intra) &&
  JSON.stringify(a.inter) === JSON.stringify(b.inter);

/**
 * The knobs for a program's `dist.plan` inputs: a preset where the model (up to its sequence length)
 * or the cluster's node is one, else the program's own (kept in `code`); the plan's fields as they are.
 */
export function knobsOf(inputs: PlannerInputs, catalogue: PlannerCatalogue): { knobs: PlannerKnobs; code: FromCode } {
  const { model, cluster, plan } = inputs;
  const preset = catalogue.models.find((m) => m.name === model.name && sameModel(m, model));
  const node = catalogue.clusters.find((c) => sameNode(c.node, cluster));
  const code: FromCode = {};
  if (!preset) code.model = model;
  if (!node) code.cluster = cluster;
  return {
    code,
    knobs: {
      model: preset ? preset.name : FROM_CODE,
      cluster: node ? node.id : FROM_CODE,
      devices: cluster.nodes * cluster.devicesPerNode,
      tp: plan.tp,
      pp: plan.pp,
      microbatch: plan.microbatch,
      globalBatch: plan.globalBatch,
      zero: plan.zero ?? 0,
      recompute: plan.recompute ?? "none",
      interleave: plan.interleave ?? 1,
      sequenceParallel: plan.sequenceParallel ?? false,
      ep: plan.ep ?? 1,
      precision: plan.precision ?? "bf16",
      schedule: plan.schedule ?? "1f1b",
      seq: model.seq,
    },
  };
}
