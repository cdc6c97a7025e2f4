/**
 * Data parallel training (PyTorch DDP): every device holds a replica of the model and takes an
 * equal slice of the batch; during backward, gradients are grouped into buckets (in the order
 * backward produces them) and each bucket is all-reduced as soon as it is complete, so that
 * communication overlaps the rest of backward. Gradients are averaged, every replica takes the
 * same optimizer step, and the replicas stay identical: the result equals single-device training
 * on the whole batch.
 * @module
 */
import type { Module } from "../../nn/module";
import type { Optimizer } from "../../optim/optimizer";
import { tensor } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { clusterOf as clusterOfDevice } from "../cluster";
import { allReduce } from "../collectives/api";
import type { AlgorithmName } from "../collectives/registry";
import type { SimDevice } from "../device";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import { RunTimeline } from "../timeline";
import { activationBytes as measureActivations, allocateState, resolveMemoryModel, withActivations, type MemoryModel } from "../accounting";
import { batchOf, emitRun, flatGrads, paramTimes, replicate, splitBatch, tokensOf, updateTime, writeFlat } from "./common";

/**
 * Options of data parallel training.
 * @example new dist.DataParallel(make, c.devices, { optimizer: (ps) => optim.adam(ps), bucketBytes: 1 << 16, memory: { precision: "fp32" } })
 */
export interface DDPOptions {
  /** The optimizer of each replica. */
  optimizer: (params: Tensor[]) => Optimizer;
  /** Bucket size in bytes (PyTorch's default is 25 MiB; small models need small buckets to overlap). */
  bucketBytes?: number;
  /** allReduce algorithm (default ring). */
  algorithm?: AlgorithmName;
  /** How the memory bars count the model state (default: mixed precision, the optimizer's own state; see `dist.MemoryModel`). */
  memory?: Partial<MemoryModel>;
}

/**
 * What one DDP step reports.
 * @example const { loss, exposedComm, timeline } = ddp.step(x, y, (o, t) => nn.mse(o, t));
 */
export interface DDPStepResult {
  /** Mean of the replicas' losses (= the full-batch loss). */
  loss: number;
  /** Simulated per-device timeline (forward, backward per parameter, bucket all-reduces, update). */
  timeline: RunTimeline;
  /** Simulated step time. */
  time: number;
  /** Communication not hidden behind backward (seconds). */
  exposedComm: number;
  /** Parameter indices of each bucket. */
  buckets: number[][];
  /** Activation bytes each device keeps for backward (autograd's saved tensors of its replica, at the memory model's precision). */
  activationBytes: number[];
}

/**
 * Data parallel training over `devices`.
 * @example
 * const ddp = new dist.DataParallel(() => makeModel(), c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), bucketBytes: 4096 });
 * const r = ddp.step(x, y, (out, y) => nn.mse(out, y));   // r.loss, r.timeline, r.exposedComm
 */
export class DataParallel<M extends Module = Module> {
  readonly replicas: M[];
  readonly optimizers: Optimizer[];
  readonly buckets: number[][];
  /** The memory accounting of the bars. */
  readonly memory: MemoryModel;
  private readonly opts: DDPOptions;
  constructor(
    factory: () => M,
    readonly devices: SimDevice[],
    opts: DDPOptions,
  ) {
    if (devices.length === 0) throw new DistError("DataParallel", "needs at least one device");
    this.opts = opts;
    const first = factory();
    this.replicas = devices.map((_, r) => (r === 0 ? first : replicate(factory, first)));
    this.optimizers = this.replicas.map((m) => opts.optimizer(m.parameters()));
    // Buckets in reverse parameter order: backward produces the last layer's gradients first.
    const params = first.parameters();
    const cap = opts.bucketBytes ?? 25 * 2 ** 20;
    this.buckets = [];
    let cur: number[] = [],
      bytes = 0;
    for (let i = params.length - 1; i >= 0; i--) {
      cur.push(i);
      bytes += params[i].nbytes;
      if (bytes >= cap) {
        this.buckets.push(cur);
        cur = [];
        bytes = 0;
      }
    }
    if (cur.length) this.buckets.push(cur);
    this.memory = resolveMemoryModel(opts.memory, this.optimizers[0]);
    const numel = params.reduce((s, p) => s + p.size, 0);
    for (const d of devices) allocateState(d, numel, this.memory, "DataParallel replica");
  }

  /** One training step on the batch (x, y), split across the devices. */
  step(xIn: Tensor | DeviceTensor, yIn: Tensor | DeviceTensor, lossFn: (out: Tensor, y: Tensor) => Tensor): DDPStepResult {
    const x = batchOf("DataParallel.step", xIn, this.devices),
      y = batchOf("DataParallel.step", yIn, this.devices, "the targets");
    const p = this.devices.length;
    const xs = splitBatch("DataParallel.step", x, p),
      ys = splitBatch("DataParallel.step", y, p);
    const tl = new RunTimeline(this.devices.map((d) => d.id));
    let lossSum = 0;
    const activationBytes = this.replicas.map((m, r) => {
      this.optimizers[r].zeroGrad();
      const l = lossFn(m.forward(xs[r]), ys[r]);
      const saved = measureActivations([l], m.parameters(), this.memory);
      l.backward();
      lossSum += l.itemSync();
      return saved;
    });
    // The clock: forward, then backward parameter by parameter (last first).
    const params = this.replicas[0].parameters();
    const spec = this.devices[0].spec;
    const tokens = tokensOf(xs[0]);
    const times = params.map((q) => paramTimes(spec, q.size, tokens));
    const fwd = times.reduce((s, t) => s + t.forward, 0);
    const gradReady = new Array<number>(params.length);
    let t = fwd;
    for (let i = params.length - 1; i >= 0; i--) {
      t += times[i].backward;
      gradReady[i] = t;
    }
    const backEnd = t;
    for (const d of this.devices) {
      tl.add(d.id, "compute", 0, fwd, "forward");
      let s = fwd;
      for (let i = params.length - 1; i >= 0; i--) {
        tl.add(d.id, "compute", s, gradReady[i], `backward ${this.replicas[0].namedParameters()[i][0]}`);
        s = gradReady[i];
      }
    }
    // Buckets: all-reduce each (real data) as soon as its last gradient is ready.
    const linkFree = new Float64Array(this.clusterLinks());
    let commFree = 0;
    const replicaParams = this.replicas.map((m) => m.parameters());
    this.buckets.forEach((b, bi) => {
      const shards = this.devices.map((d, r) => new DeviceTensor(tensor(flatGrads(b.map((i) => replicaParams[r][i]))), d, "gradients"));
      const ready = Math.max(...b.map((i) => gradReady[i]), commFree);
      const res = allReduce(shards, { algorithm: this.opts.algorithm, start: ready, linkFree });
      res.outputs.forEach((o, r) => {
        writeFlat(
          b.map((i) => replicaParams[r][i]),
          o.tensor.dataSync() as Float32Array,
          "grad",
          1 / p,
        );
        tl.add(this.devices[r].id, "comm", ready, res.finish[r], `allReduce bucket ${bi}`);
        o.free();
      });
      shards.forEach((s) => s.free());
      tl.transfers.push(res.timeline);
      commFree = Math.max(...res.finish);
    });
    const commEnd = Math.max(commFree, backEnd);
    const upd = updateTime(
      spec,
      params.reduce((s, q) => s + q.size, 0),
      3 + 2 * this.memory.optimizerSlots,
    );
    for (const d of this.devices) tl.add(d.id, "compute", commEnd, commEnd + upd, "optimizer step");
    this.optimizers.forEach((o) => o.step());
    const exposedComm = commEnd - backEnd;
    withActivations(this.devices, activationBytes, "DataParallel activations", () =>
      emitRun("ddp", this.devices, tl, { time: tl.time, exposedComm, buckets: this.buckets.length }),
    );
    return { loss: lossSum / p, timeline: tl, time: tl.time, exposedComm, buckets: this.buckets, activationBytes };
  }

  private clusterLinks(): number {
    return clusterOfDevice(this.devices[0]).topology.links.length;
  }
}
