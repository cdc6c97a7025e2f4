/**
 * ZeRO (Rajbhandari et al. 2020): data parallelism without the redundancy. Stage 1 shards the
 * optimizer state, stage 2 also the gradients, stage 3 also the parameters (all-gathered before
 * they are used). Communication follows the paper (§7): stages 1 and 2 reduce-scatter the
 * gradients and all-gather the updated parameters, Ψ + Ψ = 2Ψ, the same volume as data
 * parallelism's all-reduce (which is itself a reduce-scatter then an all-gather); stage 3 gathers
 * the parameters again for backward, 3Ψ. Stage 0 is plain data parallelism: one all-reduce, every
 * device updates everything. Training equals single-device Adam on the batch.
 * @module
 */
import type { Module } from "../../nn/module";
import { Adam, type AdamOptions } from "../../optim/algorithms";
import { tensor } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { allGather, allReduce, reduceScatter, type CollectiveOutput } from "../collectives/api";
import type { AlgorithmName } from "../collectives/registry";
import type { MemoryByCategory, SimDevice } from "../device";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import { RunTimeline } from "../timeline";
import {
  activationBytes as measureActivations,
  allocateState,
  modelState,
  resolveMemoryModel,
  withActivations,
  type MemoryModel,
  type StateSharding,
} from "../accounting";
import { batchOf, emitRun, flatGrads, paramTimes, replicate, splitBatch, tokensOf, updateTime, writeFlat } from "./common";

/**
 * ZeRO stage: 0 is plain data parallelism.
 * @example new dist.ZeRO(make, c.devices, { stage: 3 satisfies dist.ZeroStage })
 */
export type ZeroStage = 0 | 1 | 2 | 3;

/**
 * Memory per device in the ZeRO paper's mixed-precision Adam accounting for Ψ parameters over Nd
 * devices: fp16 parameters (2Ψ), fp16 gradients (2Ψ), and K·Ψ of optimizer state (fp32 master
 * parameters, momentum and variance: K = 12), each sharded from its stage on.
 * @example dist.zeroMemory(7.5e9, 3, 64).total   // 1.875e9 bytes (the paper: 1.9 GB)
 */
export function zeroMemory(psi: number, stage: ZeroStage, nd: number, K = 12): { parameters: number; gradients: number; optimizer: number; total: number } {
  // K = 4 (fp32 master copy) + 4 per optimizer slot in the shared accounting.
  return modelState(psi, { precision: "mixed", optimizerSlots: (K - 4) / 4 }, zeroSharding(stage, nd));
}

/**
 * How ZeRO stage `stage` splits the model state over `nd` devices: optimizer state from stage 1,
 * gradients from 2, parameters from 3.
 * @example dist.modelState(psi, model, dist.zeroSharding(2, 8))
 */
export function zeroSharding(stage: ZeroStage, nd: number): StateSharding {
  return { parameters: stage >= 3 ? nd : 1, gradients: stage >= 2 ? nd : 1, optimizer: stage >= 1 ? nd : 1 };
}

/**
 * Options of ZeRO training.
 * @example new dist.ZeRO(make, c.devices, { stage: 2, lr: 1e-3, betas: [0.9, 0.95] })
 */
export interface ZeroOptions extends AdamOptions {
  stage: ZeroStage;
  /** Collective algorithm (default ring). */
  algorithm?: AlgorithmName;
  /** How the memory bars count the model state (default: mixed precision with Adam's two slots, the paper's K = 12). */
  memory?: Partial<MemoryModel>;
}

/**
 * What one ZeRO step reports.
 * @example const { memory } = zero.step(x, y, (o, t) => nn.mse(o, t)); memory.optimizer
 */
export interface ZeroStepResult {
  loss: number;
  timeline: RunTimeline;
  time: number;
  /** Bytes accounted per device 0 at the step's peak (mixed-precision Adam accounting of this model's Ψ, and its activations). */
  memory: MemoryByCategory;
  /** Activation bytes each device keeps for backward (autograd's saved tensors of its replica). */
  activationBytes: number[];
}

/**
 * ZeRO-sharded data parallel training with Adam.
 * @example
 * const z = new dist.ZeRO(() => makeModel(), c.devices, { stage: 2, lr: 1e-2 });
 * const r = z.step(x, y, (o, t) => nn.mse(o, t));   // r.loss, r.timeline, r.memory
 */
export class ZeRO<M extends Module = Module> {
  readonly replicas: M[];
  /** This device's partition of the flat fp32 parameters (what its Adam updates). */
  readonly partitions: Tensor[];
  readonly optimizers: Adam[];
  /** Ψ: parameters of the model. */
  readonly numParameters: number;
  /** The memory accounting of the bars. */
  readonly memory: MemoryModel;
  private readonly shardSize: number;
  constructor(
    factory: () => M,
    readonly devices: SimDevice[],
    readonly opts: ZeroOptions,
  ) {
    if (![0, 1, 2, 3].includes(opts.stage)) throw new DistError("ZeRO", `stage must be 0, 1, 2 or 3, got ${opts.stage}`);
    const p = devices.length;
    const first = factory();
    this.replicas = devices.map((_, r) => (r === 0 ? first : replicate(factory, first)));
    const params = first.parameters();
    this.numParameters = params.reduce((s, q) => s + q.size, 0);
    this.shardSize = Math.ceil(this.numParameters / p);
    const flat = new Float32Array(this.shardSize * p);
    let at = 0;
    for (const q of params) {
      flat.set(q.dataSync() as Float32Array, at);
      at += q.size;
    }
    this.partitions = devices.map((_, r) => tensor(flat.slice(r * this.shardSize, (r + 1) * this.shardSize)).requiresGrad_());
    this.optimizers = this.partitions.map((t) => new Adam([t], opts));
    this.memory = resolveMemoryModel(opts.memory, this.optimizers[0]);
    for (const d of devices) allocateState(d, this.numParameters, this.memory, `ZeRO-${opts.stage}`, zeroSharding(opts.stage, p));
  }

  /** The full flat parameters (concatenated partitions, without padding). */
  flatParameters(): Float32Array {
    const out = new Float32Array(this.shardSize * this.devices.length);
    this.partitions.forEach((t, r) => out.set(t.dataSync() as Float32Array, r * this.shardSize));
    return out.slice(0, this.numParameters);
  }

  /**
   * One collective input per device, accounted under what it holds (a parameter shard, the flat
   * gradients) so the Cluster panel's bars name it while the collective runs; the caller frees it.
   */
  private place(data: Float32Array[], category: "parameters" | "gradients"): DeviceTensor[] {
    return this.devices.map((d, r) => new DeviceTensor(tensor(data[r]), d, category));
  }

  private gatherInto(tl: RunTimeline, at: number, label: string): CollectiveOutput {
    const shards = this.place(
      this.partitions.map((t) => t.dataSync() as Float32Array),
      "parameters",
    );
    const res = allGather(shards, { algorithm: this.opts.algorithm, start: at });
    res.outputs.forEach((o, r) => {
      writeFlat(this.replicas[r].parameters(), (o.tensor.dataSync() as Float32Array).subarray(0, this.numParameters), "data");
      tl.add(this.devices[r].id, "comm", at, res.finish[r], label);
      o.free();
    });
    shards.forEach((s) => s.free());
    tl.transfers.push(res.timeline);
    return res;
  }

  /** One training step. */
  step(xIn: Tensor | DeviceTensor, yIn: Tensor | DeviceTensor, lossFn: (out: Tensor, y: Tensor) => Tensor): ZeroStepResult {
    const x = batchOf("ZeRO.step", xIn, this.devices),
      y = batchOf("ZeRO.step", yIn, this.devices, "the targets");
    const p = this.devices.length,
      stage = this.opts.stage;
    const tl = new RunTimeline(this.devices.map((d) => d.id));
    const spec = this.devices[0].spec;
    const xs = splitBatch("ZeRO.step", x, p),
      ys = splitBatch("ZeRO.step", y, p);
    let t = 0;
    if (stage === 3) t = Math.max(...this.gatherInto(tl, t, "allGather parameters (forward)").finish);
    const params0 = this.replicas[0].parameters();
    const tokens = tokensOf(xs[0]);
    const fwd = params0.reduce((s, q) => s + paramTimes(spec, q.size, tokens).forward, 0);
    const bwd = params0.reduce((s, q) => s + paramTimes(spec, q.size, tokens).backward, 0);
    for (const d of this.devices) tl.add(d.id, "compute", t, t + fwd, "forward");
    t += fwd;
    if (stage === 3) {
      // ZeRO-3 frees the gathered parameters after forward and gathers them again for backward.
      const gathered = this.place(
        this.partitions.map((q) => q.dataSync() as Float32Array),
        "parameters",
      );
      const res = allGather(gathered, { algorithm: this.opts.algorithm, start: t });
      res.outputs.forEach((o, r) => {
        tl.add(this.devices[r].id, "comm", t, res.finish[r], "allGather parameters (backward)");
        o.free();
      });
      // The shards given to the gather are freed too: kept, they would pile up step after step.
      gathered.forEach((s) => s.free());
      tl.transfers.push(res.timeline);
      t = Math.max(...res.finish);
    }
    let lossSum = 0;
    const activationBytes = this.replicas.map((m, r) => {
      for (const q of m.parameters()) q.grad = null;
      const l = lossFn(m.forward(xs[r]), ys[r]);
      const saved = measureActivations([l], m.parameters(), this.memory);
      l.backward();
      lossSum += l.itemSync();
      return saved;
    });
    for (const d of this.devices) tl.add(d.id, "compute", t, t + bwd, "backward");
    t += bwd;
    // Gradients: all-reduce (stage 0, every device updates everything) or reduce-scatter (stages 1–3: a device
    // needs only the averaged gradients of its own partition; stage 1 keeps the full gradient buffer for backward).
    const padded = this.shardSize * p;
    const grads = this.replicas.map((m) => {
      const g = new Float32Array(padded);
      g.set(flatGrads(m.parameters()));
      return g;
    });
    const shards = this.place(grads, "gradients");
    const scatter = stage >= 1;
    const red = scatter ? reduceScatter(shards, { algorithm: this.opts.algorithm, start: t }) : allReduce(shards, { algorithm: this.opts.algorithm, start: t });
    red.outputs.forEach((o, r) => {
      const d = o.tensor.dataSync() as Float32Array;
      const mine = scatter ? d : d.subarray(r * this.shardSize, (r + 1) * this.shardSize);
      const g = new Float32Array(mine.length);
      for (let i = 0; i < g.length; i++) g[i] = mine[i] / p;
      this.partitions[r].grad = tensor(g);
      tl.add(this.devices[r].id, "comm", t, red.finish[r], scatter ? "reduceScatter gradients" : "allReduce gradients");
      o.free();
    });
    shards.forEach((s) => s.free());
    tl.transfers.push(red.timeline);
    t = Math.max(...red.finish);
    const upd = updateTime(spec, stage >= 1 ? this.shardSize : padded, 7);
    for (const d of this.devices) tl.add(d.id, "compute", t, t + upd, stage >= 1 ? "Adam on the partition" : "Adam on all parameters");
    this.optimizers.forEach((o) => o.step());
    t += upd;
    if (stage === 0) {
      // Plain data parallelism: every device has all the averaged gradients and updates all the
      // parameters itself (the partitions, updated alike on every device), so nothing is gathered.
      const updated = this.flatParameters();
      for (const m of this.replicas) writeFlat(m.parameters(), updated, "data");
    } else if (stage <= 2) this.gatherInto(tl, t, "allGather parameters");
    const memory = withActivations(this.devices, activationBytes, `ZeRO-${stage} activations`, () => {
      emitRun(`zero${stage}`, this.devices, tl, { time: tl.time, stage });
      return { ...this.devices[0].memory };
    });
    return { loss: lossSum / p, timeline: tl, time: tl.time, memory, activationBytes };
  }
}
