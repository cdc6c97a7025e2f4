/**
 * The planner's wire types: what the Cluster panel's Planner view sends to the app's planner worker
 * (src/runner/planner-worker.ts) and gets back, and what `dist.plan` tells the page about the plan a
 * program costed (the `plan` event). Plain data, structurally the library's own `dist.ModelConfig`,
 * `dist.PlannerCluster` and `dist.Plan` (the worker passes them to the library as they are), so the
 * panel can build and show plans without importing the library. Types only.
 * @module
 */
import type { Activity } from "./events";

/** A transformer's configuration (the library's `dist.ModelConfig` with every field present). */
export interface PlannerModel {
  name: string;
  family: "gpt" | "llama";
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  vocab: number;
  seq: number;
  /** 0: a dense MLP. */
  experts: number;
  topK: number;
  /** Expert capacity factor (absent: dropless). */
  capacityFactor?: number;
  /** "ffn": each layer is its feed-forward part alone (absent: a whole transformer layer). */
  layerKind?: "transformer" | "ffn";
}

/** One device kind (the library's `dist.DeviceSpec`). */
export interface PlannerDevice {
  name: string;
  /** Peak FLOP/s per dtype ("float32", "bfloat16", "float16" …). */
  peakFlops: Record<string, number> & { float32: number };
  memoryBandwidth: number;
  memoryCapacity: number;
}

/** One link kind (the library's `dist.LinkSpec`). */
export interface PlannerLink {
  name: string;
  bandwidth: number;
  latency: number;
}

/** A cluster as the planner sees it (the library's `dist.PlannerCluster`). */
export interface PlannerCluster {
  name: string;
  nodes: number;
  devicesPerNode: number;
  device: PlannerDevice;
  intra: PlannerLink;
  inter: PlannerLink;
  topology?: "switched" | "torus";
}

/** A parallel plan (the library's `dist.Plan`). */
export interface PlannerPlan {
  tp: number;
  pp: number;
  dp: number;
  microbatch: number;
  globalBatch: number;
  zero?: 0 | 1 | 2 | 3;
  recompute?: "none" | "selective" | "full";
  interleave?: number;
  sequenceParallel?: boolean;
  ep?: number;
  schedule?: "1f1b" | "gpipe";
  overlapGradReduce?: boolean;
  precision?: "bf16" | "fp16" | "fp32";
  optimizerSlots?: number;
}

/** Everything one `dist.plan` call takes. */
export interface PlannerInputs {
  model: PlannerModel;
  cluster: PlannerCluster;
  plan: PlannerPlan;
}

/** Memory of one device by category, bytes, against its capacity. */
export interface PlannerMemory {
  parameters: number;
  gradients: number;
  optimizer: number;
  activations: number;
  buffers: number;
  total: number;
  capacity: number;
  fits: boolean;
}

/** The figures of a costed plan. */
export interface PlannerFigures {
  /** Seconds: step = compute + exposedComm + bubble + optimizer. */
  step: number;
  compute: number;
  exposedComm: number;
  bubble: number;
  optimizer: number;
  tokensPerSecond: number;
  mfu: number;
  /** Hardware FLOP/s per device achieved. */
  flopsPerDevice: number;
  microbatches: number;
  devices: number;
  parameters: number;
  /** The stage whose device needs the most memory, and that memory. */
  worstStage: number;
  memory: PlannerMemory;
}

/** A plan handed to an engine: its text, or why the engine cannot run it. */
export type PlannerHandoff = { ok: true; text: string; notes: string[] } | { ok: false; reason: string };

/** A costed plan, or the rule it breaks. */
export type PlannerOutcome =
  | {
      ok: true;
      figures: PlannerFigures;
      /** Memory of a device of each pipeline stage. */
      memoryByStage: PlannerMemory[];
      /** One step's per-stage timeline (device = stage's global rank), or null when it has too many intervals to send while dragging. */
      timeline: { devices: number[]; activities: Activity[] } | null;
      /** Intervals one step's timeline has (2 per pipeline op, plus the tail). */
      timelineSize: number;
      megatron: PlannerHandoff;
      deepspeed: PlannerHandoff;
    }
  | { ok: false; reason: string };

/** One ranked candidate of a search. */
export interface PlannerCandidate {
  plan: PlannerPlan;
  step: number;
  mfu: number;
  memory: number;
  /** What its time goes to beyond compute (the library's words, English). */
  limiter: string;
  slowdown: number;
}

/** A search's answer: the ranked plans that fit and why the others fail. */
export interface PlannerSearch {
  ranked: PlannerCandidate[];
  counts: { considered: number; invalid: number; outOfMemory: number; fits: number };
  /** A few rejected plans with their reason (the closest out-of-memory ones first). */
  rejected: { plan: PlannerPlan; reason: string }[];
}

/** A cluster preset the panel offers: one node of it (the panel sets `nodes` from the device count). */
export interface PlannerClusterPreset {
  /** "dgx-a100", "dgx-h100", "tpu-torus". */
  id: string;
  node: PlannerCluster;
}

/** What the planner worker offers: the library's model and cluster presets. */
export interface PlannerCatalogue {
  models: (PlannerModel & { parameters: number })[];
  clusters: PlannerClusterPreset[];
}
