/**
 * Hybrid 3D parallelism (Megatron-LM / DeepSpeed): a dp × pp × tp mesh in Megatron-LM's default
 * rank order (tp-dp-pp: tensor parallelism varies fastest, then data, then pipeline), so a tensor-
 * parallel group sits inside a node, data-parallel peers are next (inside a node where it fits) and
 * pipeline stages are farthest apart (across nodes: only stage-boundary activations cross there).
 * Every data-parallel replica is a pipeline of stages; every stage's blocks run tensor-parallel
 * across its tp group; microbatches flow through the pipeline with gradients
 * accumulating; then the gradients of each shard are all-reduced across its data-parallel group
 * and every replica takes the same step. Training equals a single device.
 * @module
 */
import type { Optimizer } from "../../optim/optimizer";
import { tensor } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { clusterOf } from "../cluster";
import { allReduce, simulateCollective } from "../collectives/api";
import type { SimDevice } from "../device";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import { RunTimeline } from "../timeline";
import { withActivations, type MemoryModel } from "../accounting";
import { batchOf, emitRun, flatGrads, paramTimes, splitBatch, tokensOf, writeFlat } from "./common";
import { deviceMesh, type DeviceMesh } from "./mesh";
import { simulatePipeline, type PipelineScheduleName } from "./pipeline";
import { TensorParallel, replicated, type TensorParallelBlock } from "./tensor-parallel";

/**
 * Options of hybrid 3D training.
 * @example new dist.Hybrid3D(makeBlocks, c.devices, { dp: 2, pp: 2, tp: 2, microbatches: 4, optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) })
 */
export interface Hybrid3DOptions {
  dp: number;
  pp: number;
  tp: number;
  microbatches: number;
  schedule?: Exclude<PipelineScheduleName, "interleaved">;
  optimizer: (params: Tensor[]) => Optimizer;
  /** How the memory bars count the model state (default: mixed precision, the optimizer's own state). */
  memory?: Partial<MemoryModel>;
}

/**
 * What one hybrid step reports.
 * @example const { loss, bubble } = hybrid.step(x, y, (o, t) => nn.mse(o, t));
 */
export interface Hybrid3DStep {
  loss: number;
  timeline: RunTimeline;
  time: number;
  /** The pipeline's bubble fraction. */
  bubble: number;
  /** Activation bytes per device (in `devices` order): a microbatch's saved tensors on its stage and tensor-parallel rank × the microbatches in flight there. */
  activationBytes: number[];
}

/**
 * Hybrid DP × PP × TP training. `makeBlocks(tp)` builds the model's blocks sharded tp ways; it is
 * called once per data-parallel replica and must build identical replicas (fixed seeds).
 * @example
 * const h = new dist.Hybrid3D((tp) => makeBlocks(tp), c.devices, { dp: 2, pp: 2, tp: 2, microbatches: 4, optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) });
 * const r = h.step(x, y, (o, t) => nn.mse(o, t));   // r.loss, r.bubble, r.timeline
 */
export class Hybrid3D {
  readonly mesh: DeviceMesh;
  readonly replicas: TensorParallel[];
  readonly blocksPerStage: number;
  constructor(
    makeBlocks: (tp: number) => TensorParallelBlock[],
    readonly devices: SimDevice[],
    readonly opts: Hybrid3DOptions,
  ) {
    // Axes slowest first: Megatron's order "tp-dp-pp" lists them fastest first.
    this.mesh = deviceMesh(devices, { pp: opts.pp, dp: opts.dp, tp: opts.tp });
    this.replicas = Array.from({ length: opts.dp }, (_, k) => {
      const blocks = makeBlocks(opts.tp);
      if (blocks.length % opts.pp !== 0) throw new DistError("Hybrid3D", `${blocks.length} blocks cannot be split into ${opts.pp} equal pipeline stages`);
      const per = blocks.length / opts.pp;
      const blockDevices = blocks.map((_, i) => Array.from({ length: opts.tp }, (_, t) => this.device(k, Math.floor(i / per), t)));
      return new TensorParallel(blocks, blockDevices[0], { optimizer: opts.optimizer, blockDevices, memory: opts.memory });
    });
    this.blocksPerStage = this.replicas[0].blocks.length / opts.pp;
  }

  /** The device of data-parallel replica k, pipeline stage s, tensor-parallel rank t. */
  device(k: number, s: number, t: number): SimDevice {
    return this.mesh.atNamed({ dp: k, pp: s, tp: t });
  }

  /** Parameters of replica k hosted on (stage s, tp rank t): the shards, and on t = 0 the replicated ones. */
  private hosted(k: number, s: number, t: number): Tensor[] {
    const tpm = this.replicas[k];
    const out: Tensor[] = [];
    for (let i = s * this.blocksPerStage; i < (s + 1) * this.blocksPerStage; i++) {
      const b = tpm.blocks[i];
      out.push(...b.inner.params(t));
      if (t === 0) {
        if (b.inner.bias) out.push(b.inner.bias);
        if (b.ln?.weight) out.push(b.ln.weight);
        if (b.ln?.bias) out.push(b.ln.bias);
      }
    }
    return out;
  }

  /** One training step. */
  step(xIn: Tensor | DeviceTensor, yIn: Tensor | DeviceTensor, lossFn: (out: Tensor, y: Tensor) => Tensor): Hybrid3DStep {
    const x = batchOf("Hybrid3D.step", xIn, this.devices),
      y = batchOf("Hybrid3D.step", yIn, this.devices, "the targets");
    const { dp, pp, tp, microbatches: m } = this.opts;
    const xs = splitBatch("Hybrid3D.step", x, dp),
      ys = splitBatch("Hybrid3D.step", y, dp);
    let loss = 0;
    // Each microbatch runs through the replica's tensor-parallel blocks; they are parts of this
    // step, not runs of their own (emit: false). Activations per device of one microbatch:
    const perMicro = new Map<SimDevice, number>();
    this.replicas.forEach((r, k) => {
      const xm = splitBatch("Hybrid3D.step", xs[k], m),
        ym = splitBatch("Hybrid3D.step", ys[k], m);
      for (let j = 0; j < m; j++) {
        const res = r.step(xm[j], ym[j], lossFn, { zeroGrad: j === 0, update: false, lossScale: 1 / m, emit: false });
        loss += res.loss / dp;
        if (j === 0) r.allDevices().forEach((d, i) => perMicro.set(d, res.activationBytes[i]));
      }
    });
    // The clock: the pipeline with per-stage times (tensor-parallel compute + its all-reduces)...
    const spec = this.devices[0].spec;
    const tokens = tokensOf(splitBatch("Hybrid3D.step", xs[0], m)[0]);
    const actBytes = tokens * (x.shape[x.shape.length - 1] ?? 1) * 4;
    const stageTimes = Array.from({ length: pp }, (_, s) => {
      const group = Array.from({ length: tp }, (_, t) => this.device(0, s, t));
      const ar = tp > 1 ? simulateCollective("allReduce", { devices: group, bytes: actBytes, emit: false }).time : 0;
      let f = 0,
        b = 0;
      for (let i = s * this.blocksPerStage; i < (s + 1) * this.blocksPerStage; i++) {
        const block = this.replicas[0].blocks[i];
        for (const q of [...block.inner.params(0), ...replicated(block)]) {
          const t = paramTimes(spec, q.size, tokens);
          f += t.forward;
          b += t.backward;
        }
        f += ar;
        b += ar;
      }
      return { f, b };
    });
    const pipe = simulatePipeline(this.opts.schedule ?? "1f1b", {
      p: pp,
      m,
      forward: (s) => stageTimes[s].f,
      backward: (s) => stageTimes[s].b,
      send: (a, b) => {
        const r = routeOf(this.device(0, a, 0), this.device(0, b, 0));
        return r.latency + actBytes / r.bandwidth;
      },
    });
    const tl = new RunTimeline(this.devices.map((d) => d.id));
    for (const a of pipe.timeline.activities) {
      for (let k = 0; k < dp; k++) for (let t = 0; t < tp; t++) tl.add(this.device(k, a.device, t).id, a.kind, a.t0, a.t1, `stage ${a.device} ${a.label}`);
    }
    // ...then the data-parallel all-reduce of every shard's gradients across its dp group (real data).
    const tEnd = pipe.time;
    for (let s = 0; s < pp; s++) {
      for (let t = 0; t < tp; t++) {
        if (dp === 1) continue;
        const group = Array.from({ length: dp }, (_, k) => this.device(k, s, t));
        const shards = group.map((d, k) => new DeviceTensor(tensor(flatGrads(this.hosted(k, s, t))), d, "gradients"));
        const res = allReduce(shards, { start: tEnd });
        res.outputs.forEach((o, k) => {
          writeFlat(this.hosted(k, s, t), o.tensor.dataSync() as Float32Array, "grad", 1 / dp);
          tl.add(group[k].id, "comm", tEnd, res.finish[k], "dp allReduce");
          o.free();
        });
        shards.forEach((q) => q.free());
        tl.transfers.push(res.timeline);
      }
    }
    this.replicas.forEach((r) => r.optimizer.step());
    // A stage keeps the activations of the microbatches in flight on it (1F1B: at most pp).
    const activationBytes = this.devices.map(
      (d) => (perMicro.get(d) ?? 0) * pipe.peakInFlight[this.mesh.coords(this.mesh.devices.indexOf(d))[this.mesh.axis("pp")]],
    );
    withActivations(this.devices, activationBytes, `hybrid ${this.opts.schedule ?? "1f1b"} activations`, () =>
      emitRun("hybrid3d", this.devices, tl, { time: tl.time, bubble: pipe.bubble, dp, pp, tp, microbatches: m }),
    );
    return { loss, timeline: tl, time: tl.time, bubble: pipe.bubble, activationBytes };
  }
}

function routeOf(a: SimDevice, b: SimDevice) {
  return clusterOf(a).route(a, b);
}
