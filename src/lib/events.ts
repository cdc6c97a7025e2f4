/**
 * Instrumentation: the one channel from the library to whoever listens (the runner forwards
 * events to the UI panels). Emitting with no listener costs a Set size check.
 * @module
 */
import type { OpCategory } from "../schema/op-category";

/** A series point for the Plots panel. */
export interface PlotEvent {
  type: "plot";
  /** Chart name: points with the same chart share one set of axes. */
  chart: string;
  /** Series name within the chart (a line). */
  series: string;
  x: number;
  y: number;
}

/** Colour maps of {@link ImageEvent} levels (and of one-channel scatter backgrounds). */
export type ColorMap = "gray" | "viridis" | "coolwarm";

/**
 * A picture for the Plots panel (`image()`): one grey-level image or heatmap, or a grid of small
 * images with captions. Replaces the previous picture of the same name. Values are quantized to
 * levels 0–255 over `range`, so a 28×28 digit costs 784 bytes on the worker protocol.
 */
export interface ImageEvent {
  type: "image";
  name: string;
  /** Number of images, and the height and width of each. */
  count: number;
  height: number;
  width: number;
  /** count·height·width levels, row-major: value ≈ range[0] + level/255·(range[1] − range[0]). */
  pixels: Uint8Array;
  range: [number, number];
  colormap: ColorMap;
  /** Images per row of the grid (the panel picks one when absent). */
  columns?: number;
  /** A caption under each image. */
  captions?: string[];
  /** Per image: true draws the caption green (correct), false red (wrong), null plain. */
  correct?: (boolean | null)[];
}

/**
 * A scatter plot for the Plots panel (`scatter()`), optionally over a background field (e.g. a
 * classifier's class probabilities on a grid: its decision boundary) and with lines on top (e.g.
 * a model's prediction curve). Replaces the previous scatter of the same name.
 */
export interface ScatterEvent {
  type: "scatter";
  name: string;
  /** x0, y0, x1, y1, … */
  points: Float32Array;
  /** Class index of each point (its colour); absent: one colour. */
  labels?: Int32Array;
  /** Number of classes (colours) used by labels and background. */
  classes: number;
  /** The plotted area: xMin, xMax, yMin, yMax. */
  extent: [number, number, number, number];
  /** Polylines drawn over the points, in order. */
  lines?: { name: string; points: Float32Array }[];
  /**
   * A field over `extent`: `width`×`height` cells (row 0 at the top, yMax) of `channels` levels
   * 0–255 each. With one channel per class the levels are probabilities (each cell's colour mixes
   * the class colours); with one channel, the probability of class 1.
   */
  background?: { width: number; height: number; channels: number; levels: Uint8Array };
}

/** One node recorded on the reverse-mode tape. */
export interface TapeNodeInfo {
  id: number;
  op: string;
  /** What kind of op it is (from its definition), for the panels' colours. */
  category: OpCategory;
  /** Ids of input tensors (tape node outputs or leaves). */
  inputs: number[];
  /** Id of the output tensor. */
  output: number;
  shape: number[];
  dtype: string;
  /** Bytes of tensors saved for backward by this node. */
  savedBytes: number;
  /** 1-based line in the user's code that created this node, when known. */
  line?: number;
}

/**
 * What the WebGPU backend does, for the Kernels panel: each dispatch as it is queued, each
 * submit of a batch (with timings: from timestamp queries when the adapter has them, labelled
 * "gpu-timestamp"; otherwise the CPU-side time from submit to completion, labelled "cpu"), the
 * WGSL of each pipeline when it is compiled, and buffer-pool use.
 */
export type KernelEvent =
  | { type: "kernel"; phase: "dispatch"; kernel: string; workgroups: [number, number, number]; bytes: number }
  | { type: "kernel"; phase: "pipeline"; kernel: string; wgsl: string; compileMs: number }
  | {
      type: "kernel";
      phase: "submit";
      dispatches: number;
      /** Milliseconds per kernel key in this submit. */
      kernelMs: Record<string, number>;
      totalMs: number;
      timing: "gpu-timestamp" | "cpu";
      pool: { liveBytes: number; pooledBytes: number; buffersCreated: number };
    };

/** Library events that panels consume. New kinds are added as the library grows. */
export type WebgradEvent =
  | PlotEvent
  | ImageEvent
  | ScatterEvent
  | { type: "tape"; phase: "record"; node: TapeNodeInfo }
  | { type: "tape"; phase: "leaf"; id: number; name?: string; shape: number[]; dtype: string; line?: number }
  | { type: "tape"; phase: "backward"; nodeId: number; gradShapes: number[][]; gradNorms: number[] }
  /** Gradient norms that could not be read synchronously (WebGPU), sent once the pass's read-back is done. */
  | { type: "tape"; phase: "norms"; nodeId: number; gradNorms: number[] }
  | { type: "tape"; phase: "reset" }
  | { type: "backend"; name: string; detail: string }
  | KernelEvent
  | CommEvent
  | {
      type: "graph";
      phase: "compiled";
      /** The jit function's name. */
      name: string;
      /** Why it traced again, when it had traced before: each argument path that changed and how ("arg0.lr: 0.1 → 0.01"). */
      reason?: string;
      /** What this trace keyed and what it baked in without checking again (closure values, captured tensors, constants). */
      baked?: string[];
      /** With `jit(fn, { autograph: true })`: the converted source that was traced. */
      autograph?: string;
      /** The traced graph, then the graph after each pass of the pipeline. */
      stages: GraphStageInfo[];
      /** The WGSL WebGPU's codegen writes for each fused node (graph/kernels.ts FusedKernels). */
      kernels?: { byNode: Record<number, string[]>; sources: Record<string, string>; notes: Record<number, string> };
    };

/**
 * The simulated cluster, for the Cluster panel: its topology when a cluster is built; each
 * collective with its algorithm, devices and every transfer (columns of typed arrays, so 100 000
 * transfers cost no objects); each parallel run with its per-device compute / communication / idle
 * timeline and memory by category. Times are simulated seconds from the cost model.
 */
export type CommEvent =
  | {
      type: "comm";
      phase: "cluster";
      /** The cluster's id (`Cluster.id`): collectives and runs name theirs. */
      cluster: number;
      devices: { id: number; node: number; name: string; spec: string; memoryCapacity: number }[];
      /** Directed links between vertices (devices first, then switches named in `switches`). */
      links: { from: number; to: number; kind: string; bandwidth: number; latency: number }[];
      switches: string[];
    }
  | {
      type: "comm";
      phase: "collective";
      /** Id of the cluster it ran on. */
      cluster: number;
      collective: string;
      algorithm: string;
      /** Device id of each rank. */
      devices: number[];
      /** Bytes as nccl-tests count them for this collective. */
      bytes: number;
      time: number;
      algbw: number;
      busbw: number;
      /** Per transfer: t0, t1, src, dst (device ids), link (index into routes), bytes, chunk, step. */
      transfers: {
        t0: Float64Array; t1: Float64Array; src: Int32Array; dst: Int32Array; link: Int32Array; bytes: Float64Array; chunk: Int32Array; step: Int32Array;
      };
      routes: string[];
    }
  | {
      type: "comm";
      phase: "run";
      /** Id of the cluster it ran on. */
      cluster: number;
      /** "ddp", "zero2", "tensor-parallel", "pipeline:1f1b", … */
      strategy: string;
      devices: number[];
      time: number;
      activities: { device: number; kind: "compute" | "comm" | "idle"; t0: number; t1: number; label: string }[];
      memory: { device: number; parameters: number; gradients: number; optimizer: number; activations: number; buffers: number }[];
      /** Figures for the summary (bubble fraction, exposed communication, …). */
      summary: Record<string, number>;
    };

/** One stage of the pass pipeline, as the Graph panel shows it. */
export interface GraphStageInfo {
  pass: string;
  title: string;
  enabled: boolean;
  changes: string[];
  stats: { nodes: number; kernels: number; peakBytes: number };
  /** The IR as text. */
  text: string;
  /** The IR as JSON (graph/printer.ts GraphJSON). */
  json: unknown;
}

/** A function that receives library events. */
export type EventListener = (event: WebgradEvent) => void;

const listeners = new Set<EventListener>();

/** Subscribe to library events; returns a function that unsubscribes. */
export function onEvent(listener: EventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when someone listens: lets hot paths skip building event objects. */
export function hasListeners(): boolean {
  return listeners.size > 0;
}

/** Send an event to every listener. */
export function emit(event: WebgradEvent): void {
  for (const l of listeners) l(event);
}
