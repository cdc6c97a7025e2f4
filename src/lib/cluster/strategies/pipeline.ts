/**
 * Pipeline parallelism: the model is cut into stages on successive devices and the batch into
 * microbatches. GPipe runs every forward, then every backward; 1F1B (PipeDream-flush) starts
 * backwards as early as possible, so fewer microbatches' activations are alive at once; interleaved
 * 1F1B (Megatron-LM) gives each device v model chunks, shrinking the bubble by v. The schedules are
 * per-device op orders; the clock runs them with stage-to-stage sends, and training runs the same
 * microbatches for real (activations and their gradients cross stage boundaries through dist.send;
 * gradients accumulate, one optimizer step), equal to single-device training.
 * @module
 */
import type { Module } from "../../nn/module";
import type { Optimizer } from "../../optim/optimizer";
import type { Tensor } from "../../tensor/tensor";
import { clusterOf } from "../cluster";
import { send } from "../collectives/api";
import { DeviceTensor } from "../placement";
import type { SimDevice } from "../device";
import { DistError } from "../errors";
import { RunTimeline } from "../timeline";
import { activationBytes as measureActivations, allocateState, resolveMemoryModel, withActivations, type MemoryModel } from "../accounting";
import { batchOf, emitRun, paramTimes, splitBatch, tokensOf } from "./common";

/**
 * Pipeline schedules.
 * @example dist.simulatePipeline("interleaved", { p: 4, m: 8, v: 2, forward: () => 1, backward: () => 2 })
 */
export type PipelineScheduleName = "gpipe" | "1f1b" | "interleaved";

/**
 * One op of a device's order: forward or backward of microbatch `micro` through model chunk `chunk`.
 * @example dist.PIPELINE_SCHEDULES["1f1b"](0, 4, 8, 1)[0]   // { type: "F", micro: 0, chunk: 0 }
 */
export interface PipelineOp {
  type: "F" | "B";
  micro: number;
  chunk: number;
}

type OrderBuilder = (d: number, p: number, m: number, v: number) => PipelineOp[];

/**
 * Schedules as per-device op orders (a table: adding a schedule is one entry).
 * @example dist.PIPELINE_SCHEDULES.gpipe(0, 4, 2, 1).map((o) => o.type + o.micro).join(" ")   // "F0 F1 B0 B1"
 */
export const PIPELINE_SCHEDULES: Record<PipelineScheduleName, OrderBuilder> = {
  gpipe: (_d, _p, m) => [
    ...Array.from({ length: m }, (_, j) => ({ type: "F" as const, micro: j, chunk: 0 })),
    ...Array.from({ length: m }, (_, j) => ({ type: "B" as const, micro: j, chunk: 0 })),
  ],
  "1f1b": (d, p, m) => interleavedOrder(d, p, m, 1),
  interleaved: (d, p, m, v) => interleavedOrder(d, p, m, v),
};

/** Megatron-LM's interleaved 1F1B order (v = 1 gives plain 1F1B): warm-up forwards, then one forward one backward, then cool-down backwards. */
function interleavedOrder(d: number, p: number, m: number, v: number): PipelineOp[] {
  const total = m * v;
  const warmup = v === 1 ? Math.min(p - d - 1, m) : Math.min((p - d - 1) * 2 + (v - 1) * p, total);
  const op = (k: number, type: "F" | "B"): PipelineOp => {
    let chunk = Math.floor(k / p) % v;
    if (type === "B") chunk = v - 1 - chunk;
    const micro = Math.floor(k / (p * v)) * p + (k % p);
    return { type, micro, chunk };
  };
  const out: PipelineOp[] = [];
  for (let k = 0; k < warmup; k++) out.push(op(k, "F"));
  const steady = total - warmup;
  for (let i = 0; i < steady; i++) {
    out.push(op(warmup + i, "F"));
    out.push(op(i, "B"));
  }
  for (let i = steady; i < total; i++) out.push(op(i, "B"));
  return out;
}

/**
 * Peak activation bytes of one device running `order`: each forward of a (microbatch, chunk) keeps
 * what that chunk saves for backward (`chunkBytes[chunk]`) until its backward frees it. Counting
 * every in-flight op with the bytes of all the device's chunks would overstate interleaved 1F1B by
 * up to v×: its in-flight ops are chunk-microbatches, not whole microbatches.
 * @example dist.peakActivationBytes(dist.PIPELINE_SCHEDULES.interleaved(0, 4, 8, 2), [10, 10])   // 110 (11 chunk-microbatches in flight)
 */
export function peakActivationBytes(order: readonly PipelineOp[], chunkBytes: readonly number[]): number {
  let held = 0,
    peak = 0;
  for (const op of order) {
    held += op.type === "F" ? chunkBytes[op.chunk] : -chunkBytes[op.chunk];
    peak = Math.max(peak, held);
  }
  return peak;
}

/**
 * Inputs of the pipeline clock.
 * @example dist.simulatePipeline("1f1b", { p: 4, m: 8, forward: (s) => 1, backward: (s) => 2, send: () => 0.1 })
 */
export interface PipelineClock {
  /** Devices (physical stages). */
  p: number;
  /** Microbatches. */
  m: number;
  /** Model chunks per device (interleaved), default 1. */
  v?: number;
  /** Forward / backward time of virtual stage s (= chunk·p + device) for one microbatch. */
  forward: (s: number) => number;
  backward: (s: number) => number;
  /** Time to send activations (or their gradients) from virtual stage s to s ± 1. */
  send?: (from: number, to: number) => number;
  /** Device ids for the timeline (default 0…p−1). */
  devices?: number[];
}

/**
 * What the pipeline clock reports.
 * @example const { bubble, peakInFlight } = dist.simulatePipeline("1f1b", { p: 4, m: 8, forward: () => 1, backward: () => 2 });
 */
export interface PipelineRun {
  timeline: RunTimeline;
  time: number;
  /** Idle share of the devices' time: 1 − Σ busy / (p · time). */
  bubble: number;
  /** Most (microbatch, chunk) forwards whose activations a device holds at once (whole microbatches when v = 1). */
  peakInFlight: number[];
  orders: PipelineOp[][];
}

/**
 * Run a schedule on the clock.
 * @example
 * const r = dist.simulatePipeline("gpipe", { p: 4, m: 8, forward: () => 1, backward: () => 2 });
 * r.bubble   // (p − 1) / (m + p − 1) = 3/11
 */
export function simulatePipeline(schedule: PipelineScheduleName, c: PipelineClock): PipelineRun {
  const { p, m } = c;
  const v = schedule === "interleaved" ? (c.v ?? 2) : 1;
  if (schedule === "interleaved" && m % p !== 0)
    throw new DistError("pipeline", `interleaved 1F1B needs the microbatch count (${m}) to be a multiple of the pipeline depth (${p})`);
  const orders = Array.from({ length: p }, (_, d) => PIPELINE_SCHEDULES[schedule](d, p, m, v));
  const S = p * v;
  const send = c.send ?? (() => 0);
  const ids = c.devices ?? Array.from({ length: p }, (_, d) => d);
  const fDone = new Float64Array(S * m).fill(NaN),
    bDone = new Float64Array(S * m).fill(NaN);
  const next = new Int32Array(p),
    free = new Float64Array(p);
  const tl = new RunTimeline(ids);
  let left = orders.reduce((s, o) => s + o.length, 0);
  while (left > 0) {
    let progressed = false;
    for (let d = 0; d < p; d++) {
      while (next[d] < orders[d].length) {
        const op = orders[d][next[d]];
        const s = op.chunk * p + d;
        let ready: number;
        if (op.type === "F") ready = s === 0 ? 0 : fDone[(s - 1) * m + op.micro] + send(s - 1, s);
        else ready = s === S - 1 ? fDone[s * m + op.micro] : bDone[(s + 1) * m + op.micro] + send(s + 1, s);
        if (Number.isNaN(ready)) break;
        const t0 = Math.max(ready, free[d]);
        const t1 = t0 + (op.type === "F" ? c.forward(s) : c.backward(s));
        (op.type === "F" ? fDone : bDone)[s * m + op.micro] = t1;
        tl.add(ids[d], "compute", t0, t1, `${op.type}${op.micro}${v > 1 ? `.${op.chunk}` : ""}`);
        free[d] = t1;
        next[d]++;
        left--;
        progressed = true;
      }
    }
    if (!progressed) throw new DistError("pipeline", "the schedule deadlocks (an op waits for one that never runs)");
  }
  const time = Math.max(...free);
  let busy = 0;
  for (const d of ids) busy += tl.busy(d, "compute");
  const peakInFlight = orders.map((o) => {
    let n = 0,
      peak = 0;
    for (const op of o) {
      n += op.type === "F" ? 1 : -1;
      peak = Math.max(peak, n);
    }
    return peak;
  });
  return { timeline: tl, time, bubble: 1 - busy / (p * time), peakInFlight, orders };
}

/**
 * Options of pipeline training.
 * @example new dist.Pipeline(stages, c.devices, { schedule: "interleaved", chunks: 2, microbatches: 8, optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) })
 */
export interface PipelineOptions {
  schedule?: PipelineScheduleName;
  microbatches: number;
  /** Model chunks per device (interleaved); the stage list then has p·v entries, stage s on device s mod p. */
  chunks?: number;
  optimizer: (params: Tensor[]) => Optimizer;
  /** How the memory bars count the model state (default: mixed precision, the optimizer's own state). */
  memory?: Partial<MemoryModel>;
}

/**
 * Pipeline-parallel training: `stages[s]` runs on `devices[s % p]`.
 * @example
 * const pipe = new dist.Pipeline([stage0, stage1, stage2, stage3], c.devices, { schedule: "1f1b", microbatches: 8, optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) });
 * const r = pipe.step(x, y, (o, t) => nn.mse(o, t));   // r.loss, r.bubble, r.timeline
 */
export class Pipeline {
  readonly optimizer: Optimizer;
  /** The memory accounting of the bars. */
  readonly memory: MemoryModel;
  constructor(
    readonly stages: Module[],
    readonly devices: SimDevice[],
    readonly opts: PipelineOptions,
  ) {
    const v = opts.schedule === "interleaved" ? (opts.chunks ?? 2) : 1;
    if (stages.length !== devices.length * v)
      throw new DistError(
        "Pipeline",
        `${opts.schedule ?? "gpipe"} with ${devices.length} devices${v > 1 ? ` and ${v} chunks each` : ""} needs ${devices.length * v} stages, got ${stages.length}`,
      );
    this.optimizer = opts.optimizer(stages.flatMap((s) => s.parameters()));
    this.memory = resolveMemoryModel(opts.memory, this.optimizer);
    stages.forEach((s, i) => allocateState(devices[i % devices.length], s.numParameters(), this.memory, `pipeline stage ${i}`));
  }

  /**
   * Stage `from`'s activations (or gradients) to stage `to`'s device: a real send over the
   * simulated links (values copied through dist.send); the clock models its time in the schedule.
   */
  private move(t: Tensor, from: number, to: number): Tensor {
    const p = this.devices.length;
    const a = this.devices[from % p],
      b = this.devices[to % p];
    if (a === b) return t.detach();
    const src = new DeviceTensor(t.detach(), a, "activations");
    const r = send(src, b);
    const out = r.outputs[0].tensor;
    r.outputs[0].free();
    src.free();
    return out;
  }

  /**
   * One step: m microbatches through every stage, gradients accumulated, one update. Reports the
   * clock (bubble, timeline) and each device's peak activation bytes (the most it holds at once of
   * what autograd saves per microbatch in each chunk: GPipe holds all m, 1F1B at most p, interleaved
   * counts each in-flight chunk-microbatch with its own chunk's bytes).
   */
  step(
    xIn: Tensor | DeviceTensor,
    yIn: Tensor | DeviceTensor,
    lossFn: (out: Tensor, y: Tensor) => Tensor,
  ): PipelineRun & { loss: number; activationBytes: number[] } {
    const x = batchOf("Pipeline.step", xIn, this.devices),
      y = batchOf("Pipeline.step", yIn, this.devices, "the targets");
    const m = this.opts.microbatches,
      p = this.devices.length,
      S = this.stages.length;
    const xs = splitBatch("Pipeline.step", x, m),
      ys = splitBatch("Pipeline.step", y, m);
    this.optimizer.zeroGrad();
    let loss = 0;
    const actBytes: number[] = new Array(S).fill(0);
    const savedBytes: number[] = new Array(S).fill(0);
    for (let j = 0; j < m; j++) {
      // Forward stage by stage; each boundary is a send to the next device (a leaf there).
      const inputs: Tensor[] = [],
        outputs: Tensor[] = [];
      let h = xs[j];
      for (let s = 0; s < S; s++) {
        const inp = s === 0 ? h : this.move(h, s - 1, s).requiresGrad_();
        inputs.push(inp);
        h = this.stages[s].forward(inp);
        outputs.push(h);
        actBytes[s] = h.nbytes;
      }
      const l = lossFn(h, ys[j]).div(m);
      // What each stage keeps for one microbatch's backward (equal microbatches: the first tells).
      if (j === 0)
        for (let q = 0; q < S; q++) savedBytes[q] = measureActivations(q === S - 1 ? [outputs[q], l] : [outputs[q]], this.stages[q].parameters(), this.memory);
      l.backward();
      loss += l.itemSync();
      for (let s = S - 1; s > 0; s--) outputs[s - 1].backward(this.move(inputs[s].grad!, s, s - 1));
    }
    this.optimizer.step();
    const cl = clusterOf(this.devices[0]);
    const spec = this.devices[0].spec;
    const tokens = tokensOf(xs[0]);
    const times = this.stages.map((st) =>
      st.parameters().reduce(
        (a, q) => {
          const t = paramTimes(spec, q.size, tokens);
          return { f: a.f + t.forward, b: a.b + t.backward };
        },
        { f: 0, b: 0 },
      ),
    );
    const dev = (s: number) => this.devices[s % p];
    const run = simulatePipeline(this.opts.schedule ?? "gpipe", {
      p,
      m,
      v: S / p,
      forward: (s) => times[s].f,
      backward: (s) => times[s].b,
      send: (a, b) => {
        const [da, db] = [dev(a), dev(b)];
        if (da === db) return 0;
        const r = cl.route(da, db);
        return r.latency + actBytes[Math.min(a, b)] / r.bandwidth;
      },
      devices: this.devices.map((d) => d.id),
    });
    // Activation memory: a device keeps what each chunk saved for each of its in-flight microbatches until that chunk's backward.
    const activationBytes = run.orders.map((order, d) =>
      peakActivationBytes(
        order,
        Array.from({ length: S / p }, (_, k) => savedBytes[k * p + d]),
      ),
    );
    const name = this.opts.schedule ?? "gpipe";
    withActivations(this.devices, activationBytes, `${name} activations`, () =>
      emitRun(`pipeline:${name}`, this.devices, run.timeline, { time: run.time, bubble: run.bubble, microbatches: m }),
    );
    return { ...run, loss, activationBytes };
  }
}
