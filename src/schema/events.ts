/**
 * The library's events as data: what `emit` sends, the runner forwards to the page (inside the
 * worker protocol's `output` messages) and the app's stores take in. One declaration for the
 * library, the runner and the panels; the library re-exports these types as part of its API.
 * Types only: no DOM, no imports outside src/schema. A new kind added to {@link WebgradEvent}
 * must also get a route in the app (src/app/state/routes.ts: the table's type requires one) and a
 * check in src/runner/validate.ts.
 * @module
 */
import type { OpCategory } from "./op-category";
import type { IRGraphJSON } from "./ir-json";
import type { PlannerInputs } from "./planner";

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
  /** The op's reverse-mode rule, for reading (e.g. `∂x = ḡ · (1 − y²)` for tanh), when the library has one. */
  rule?: string;
  /** The output's values (row-major), when the tape knows them: a learner-built engine's scalars (`showTape`). */
  value?: number[];
  /** The output's tangent v̇ (forward mode), when a learner-built forward-mode engine sends it (`showTape`). */
  tangent?: number[];
}

/**
 * The reverse-mode tape, for the Tape panel: each node as it is recorded, each leaf it reads, the
 * backward pass node by node, and a reset when recording starts again after a backward.
 */
/** Gradients up to this many elements travel with their values in `backward` tape events. */
export const SMALL_GRAD_ELEMENTS = 16;

export type TapeEvent =
  | { type: "tape"; phase: "record"; node: TapeNodeInfo }
  /** `line`: the user's line of the first op that read the leaf; `gradLine`: the line that made it require grad (where it was declared, usually). */
  | {
      type: "tape";
      phase: "leaf";
      id: number;
      name?: string;
      shape: number[];
      dtype: string;
      line?: number;
      gradLine?: number;
      /** Its values and tangent, as on {@link TapeNodeInfo} (sent by `showTape`). */
      value?: number[];
      tangent?: number[];
    }
  /**
   * One backward step. `gradValues` (per input) and `gradOut` (the gradient that arrived) carry the
   * values when a gradient is small ({@link SMALL_GRAD_ELEMENTS} elements at most) and readable at
   * once (CPU); null where not.
   */
  | {
      type: "tape";
      phase: "backward";
      nodeId: number;
      gradShapes: number[][];
      gradNorms: number[];
      gradValues?: (number[] | null)[];
      gradOut?: { shape: number[]; values: number[] | null };
    }
  /** Gradient norms that could not be read synchronously (WebGPU), sent once the pass's read-back is done. */
  | { type: "tape"; phase: "norms"; nodeId: number; gradNorms: number[] }
  /** A new tape starts. `engine`: the name of the learner-built engine that sent it (`showTape`); absent for the library's own tape. */
  | { type: "tape"; phase: "reset"; engine?: string };

/** One row of an evaluation trace: an intermediate vᵢ, how it is computed, and its tangent or adjoint. */
export interface EvalTraceRow {
  /** v₋₁, v₀ for the inputs, then v₁, v₂ … */
  name: string;
  /** How it is computed from earlier rows (`ln v₋₁`), or the input it is (`x₁`). */
  expr: string;
  value: number;
  /** How its tangent v̇ᵢ (forward) or adjoint v̄ᵢ (reverse) is computed. */
  derivExpr: string;
  deriv: number;
}

/**
 * An evaluation trace (`evaluationTrace()`), for the Tape panel's table view: every intermediate
 * of a scalar function with its tangent (forward mode, filled top to bottom) or adjoint (reverse
 * mode, filled bottom to top after the forward sweep).
 */
export interface EvalTraceEvent {
  type: "evaltrace";
  name: string;
  mode: "forward" | "reverse";
  /** How many of the rows are inputs (they come first). */
  inputs: number;
  rows: EvalTraceRow[];
  /** Forward: the input tangents. Reverse: the output's adjoint, [1]. */
  seed: number[];
}

/** The backend in use (`backendInfo()`), for the status bar. */
export interface BackendEvent {
  type: "backend";
  name: string;
  detail: string;
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

/**
 * The columns of a collective's transfer timeline (`CommTimeline.columns`, what the `comm` event
 * carries): typed arrays, one entry per transfer, so 100 000 transfers cost no objects.
 * @example const { t0, t1 } = r.timeline.columns;   // Float64Arrays, one entry per transfer
 */
export interface TransferColumns {
  t0: Float64Array;
  t1: Float64Array;
  src: Int32Array;
  dst: Int32Array;
  /** Index into `routes`. */
  link: Int32Array;
  bytes: Float64Array;
  chunk: Int32Array;
  step: Int32Array;
}

/**
 * What a device does in an interval.
 * @example run.timeline.busy(0, "comm" satisfies dist.ActivityKind)
 */
export type ActivityKind = "compute" | "comm" | "idle";

/**
 * One interval of a device's activity in a parallel run.
 * @example run.timeline.activities.filter((a) => a.kind === "compute" && a.device === 0)
 */
export interface Activity {
  device: number;
  kind: ActivityKind;
  /** Simulated seconds. */
  t0: number;
  t1: number;
  /** "F3", "B1.2", "allReduce bucket 0", … */
  label: string;
}

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
      transfers: TransferColumns;
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
      activities: Activity[];
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
  /** The IR as JSON. */
  json: IRGraphJSON;
}

/** The kernels of a graph's fused nodes (`graph/kernels.ts` fusedKernels): node id → pipeline keys, and each key's WGSL once. */
export interface FusedKernels {
  /** Fused node id → the pipelines it dispatches (one when codegen takes the whole region). */
  byNode: Record<number, string[]>;
  /** Pipeline key → WGSL. */
  sources: Record<string, string>;
  /** Fused node id → why it has no WGSL (e.g. float64, which WebGPU does not have). */
  notes: Record<number, string>;
}

/** One order of a graph's nodes (`graph/schedule.ts`): the bytes live at each step and its memory plan. */
export interface ScheduleOrderInfo {
  /** Kahn's first-ready-first-run order, or the greedy memory-aware one. */
  name: "topological" | "memory-aware";
  /** Node ids in run order. */
  order: number[];
  /** Bytes of intermediates live while each step runs. */
  live: number[];
  /** The largest of `live`. */
  peak: number;
  /** The memory plan of this order: each buffer with the values that use it, over steps [start, end]. */
  buffers: { bytes: number; values: { value: number; node: number; op: string; start: number; end: number }[] }[];
  /** Bytes of all buffers of the plan (the arena), and of one buffer per value (no reuse). */
  arenaBytes: number;
  unplannedBytes: number;
}

/** How a graph can be scheduled, for the Graph panel's Schedule view (`graph/schedule.ts` scheduleOf). */
export interface GraphScheduleInfo {
  /** The nodes in graph order: bytes they make, stage (longest path from the inputs), stream, and the node ids they wait for. */
  nodes: { id: number; op: string; bytes: number; stage: number; lane: number; deps: number[] }[];
  orders: ScheduleOrderInfo[];
  /** Streams (independent chains) and stages (the critical path, in nodes). */
  streams: number;
  stages: number;
  /** Dispatches: eager (one per op as traced), graph (one per kernel after the passes), in this many submits. */
  dispatches: { eager: number; graph: number; submits: number };
}

/** A function `jit` traced, for the Graph panel: the traced graph and the graph after each pass. */
export interface GraphEvent {
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
  /** The WGSL WebGPU's codegen writes for each fused node. */
  kernels?: FusedKernels;
  /** How the optimized graph can be scheduled (orders, streams, memory plan); absent for big graphs. */
  schedule?: GraphScheduleInfo;
  /** The guards of this trace: what a later call must match to reuse it (`JitFunction.guards`). */
  guards?: string[];
  /** How many times this jit function has traced, this trace included. */
  traceCount?: number;
}

/**
 * A knob the program declared (`slider()`, `choice()`), for the knobs bar above the editor: the
 * control, its range or options, the value the code gave, and the value this run used (the
 * learner's choice when the page passed one, else the initial value). Declared again when the
 * same name comes with other settings; the bar keeps the last declaration of each name.
 */
export type KnobEvent =
  | {
      type: "knob";
      control: "slider";
      name: string;
      /** What the bar shows (the name unless the code gave a label). */
      label: string;
      min: number;
      max: number;
      /** The grid of a linear slider; absent for a log slider (it moves in equal ratios). */
      step?: number;
      log: boolean;
      initial: number;
      value: number;
    }
  | {
      type: "knob";
      control: "choice";
      name: string;
      label: string;
      options: (string | number)[];
      initial: string | number;
      value: string | number;
    };

/**
 * A plan the program costed with `dist.plan`: its inputs, so the Cluster panel's Planner view can
 * open with the same knobs and go on from the code.
 */
export interface PlanEvent {
  type: "plan";
  inputs: PlannerInputs;
}

/** Library events that panels consume. New kinds are added as the library grows. */
export type WebgradEvent =
  PlotEvent | ImageEvent | ScatterEvent | TapeEvent | EvalTraceEvent | BackendEvent | KernelEvent | CommEvent | GraphEvent | KnobEvent | PlanEvent;

/** The kinds of {@link WebgradEvent}: its `type` field. */
export type WebgradEventType = WebgradEvent["type"];

/** The events of one kind. */
export type EventOf<K extends WebgradEventType> = Extract<WebgradEvent, { type: K }>;
