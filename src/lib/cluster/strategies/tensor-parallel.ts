/**
 * Tensor parallelism as in Megatron-LM (Shoeybi et al. 2019). A column-parallel linear splits
 * its weight by output features (each device computes a slice of the output, no communication);
 * a row-parallel linear splits by input features (each device computes a partial sum). An MLP is
 * column-parallel then row-parallel; attention splits the heads (q, k, v column-parallel, the output
 * projection row-parallel). Each block therefore needs exactly two all-reduces, where the paper puts
 * them: g after the row-parallel layer in forward (identity in backward) and f before the
 * column-parallel layer in backward (identity in forward). Layer norms, the row-parallel bias and
 * residuals are replicated (computed identically on every device; here once).
 *
 * With `sequenceParallel` (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
 * Transformer Models", §4.2.2) the replicated parts run on a slice of the sequence instead: each
 * device keeps s/t positions of the residual stream, normalizes them, and an allGather (g) builds
 * the whole input of the column-parallel layer; a reduceScatter (ḡ) replaces the allReduce after the
 * row-parallel layer and leaves each device the sum for its own positions. Backward mirrors them
 * (allGather of the output gradient, reduceScatter of the input gradient) and, as Megatron does,
 * gathers the layer's input again instead of keeping it whole, so every activation outside the
 * parallel part is kept for s/t positions only.
 * @module
 */
import { linear, layerNorm, scaledDotProductAttention } from "../../nn/functional";
import type { LayerNorm, Linear, MultiHeadAttention } from "../../nn/layers";
import type { Optimizer } from "../../optim/optimizer";
import { tensor } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { concat } from "../../ops/functional";
import { allGather, allReduce, reduceScatter, type CollectiveOutput } from "../collectives/api";
import type { AlgorithmName } from "../collectives/registry";
import type { SimDevice } from "../device";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import { RunTimeline } from "../timeline";
import { PRECISION_BYTES, activationBytes as measureActivations, allocateState, resolveMemoryModel, withActivations, type MemoryModel } from "../accounting";
import { batchOf, emitRun, paramTimes, tokensOf } from "./common";

/**
 * A leaf copy of part r of `t` along `dim` (p equal parts).
 * @example dist.shardOf(fc.weight, 0, 1, 4)   // rows 1/4 … 2/4 of the weight, a new leaf
 */
export function shardOf(t: Tensor, dim: number, r: number, p: number): Tensor {
  if (t.shape[dim] % p !== 0) throw new DistError("tensor parallel", `dim ${dim} of [${t.shape.join(", ")}] must be divisible by the ${p} devices`);
  const k = t.shape[dim] / p;
  const part = t
    .detach()
    .narrow(dim, r * k, k)
    .contiguous();
  return tensor(part.dataSync(), { shape: [...part.shape], dtype: t.dtype }).requiresGrad_();
}

/** The parameters of a block that every device of its group holds whole (and computes with: their time counts too). */
export function replicated(b: TensorParallelBlock): Tensor[] {
  return [b.inner.bias, b.ln?.weight ?? null, b.ln?.bias ?? null].filter((t): t is Tensor => t !== null);
}

const numel = (ts: readonly Tensor[]) => ts.reduce((s, t) => s + t.size, 0);

const leafCopy = (t: Tensor) => tensor(t.detach().dataSync().slice(), { shape: [...t.shape], dtype: t.dtype }).requiresGrad_();

/**
 * Y = X·Wᵀ + b with W split by output rows: device r computes Y[:, slice r].
 * @example const col = dist.ColumnParallelLinear.fromLinear(nn.linear(8, 16), 4); col.forward(0, x)  // [.., 4]
 */
export class ColumnParallelLinear {
  constructor(
    readonly weights: Tensor[],
    readonly biases: Tensor[] | null,
  ) {}
  static fromLinear(l: Linear, p: number): ColumnParallelLinear {
    return new ColumnParallelLinear(
      Array.from({ length: p }, (_, r) => shardOf(l.weight, 0, r, p)),
      l.bias ? Array.from({ length: p }, (_, r) => shardOf(l.bias!, 0, r, p)) : null,
    );
  }
  forward(r: number, x: Tensor): Tensor {
    return linear(x, this.weights[r], this.biases?.[r]);
  }
  params(r: number): Tensor[] {
    return this.biases ? [this.weights[r], this.biases[r]] : [this.weights[r]];
  }
}

/**
 * Y = Σ_r X_r·W_rᵀ (+ b after the all-reduce) with W split by input columns: device r holds
 * X's slice r and returns a partial sum.
 * @example const row = dist.RowParallelLinear.fromLinear(nn.linear(16, 8), 4); row.partial(0, x0)
 */
export class RowParallelLinear {
  constructor(
    readonly weights: Tensor[],
    /** Replicated; added once after the all-reduce. */
    readonly bias: Tensor | null,
  ) {}
  static fromLinear(l: Linear, p: number): RowParallelLinear {
    return new RowParallelLinear(
      Array.from({ length: p }, (_, r) => shardOf(l.weight, 1, r, p)),
      l.bias ? leafCopy(l.bias) : null,
    );
  }
  partial(r: number, x: Tensor): Tensor {
    return linear(x, this.weights[r]);
  }
}

/**
 * A block's parallel part: device r maps the (replicated) input to a partial sum.
 * @example const inner: dist.ParallelInner = dist.ParallelMLP.fromLinears(fc1, fc2, 2);
 */
export interface ParallelInner {
  partial(r: number, a: Tensor): Tensor;
  /** Sharded parameters of device r. */
  params(r: number): Tensor[];
  /** Replicated bias added after the all-reduce. */
  readonly bias: Tensor | null;
}

/**
 * Megatron's MLP: column-parallel fc1 → activation → row-parallel fc2.
 * @example const mlp = dist.ParallelMLP.fromLinears(fc1, fc2, 2, (h) => h.gelu());
 */
export class ParallelMLP implements ParallelInner {
  constructor(
    readonly fc1: ColumnParallelLinear,
    readonly fc2: RowParallelLinear,
    readonly activation: (h: Tensor) => Tensor,
  ) {}
  static fromLinears(fc1: Linear, fc2: Linear, p: number, activation: (h: Tensor) => Tensor = (h) => h.gelu()): ParallelMLP {
    return new ParallelMLP(ColumnParallelLinear.fromLinear(fc1, p), RowParallelLinear.fromLinear(fc2, p), activation);
  }
  get bias(): Tensor | null {
    return this.fc2.bias;
  }
  partial(r: number, a: Tensor): Tensor {
    return this.fc2.partial(r, this.activation(this.fc1.forward(r, a)));
  }
  params(r: number): Tensor[] {
    return [...this.fc1.params(r), this.fc2.weights[r]];
  }
}

/**
 * Megatron's attention: each device owns numHeads / p heads (q, k, v column-parallel), and the
 * output projection is row-parallel.
 * @example const attn = dist.ParallelAttention.fromAttention(nn.multiHeadAttention(16, 4), 2);
 */
export class ParallelAttention implements ParallelInner {
  constructor(
    readonly q: ColumnParallelLinear,
    readonly k: ColumnParallelLinear,
    readonly v: ColumnParallelLinear,
    readonly out: RowParallelLinear,
    readonly headsPerDevice: number,
    readonly headDim: number,
    readonly causal: boolean,
  ) {}
  static fromAttention(m: MultiHeadAttention, p: number): ParallelAttention {
    if (m.numHeads % p !== 0) throw new DistError("ParallelAttention", `${m.numHeads} heads cannot be split across ${p} devices`);
    return new ParallelAttention(
      ColumnParallelLinear.fromLinear(m.q, p),
      ColumnParallelLinear.fromLinear(m.k, p),
      ColumnParallelLinear.fromLinear(m.v, p),
      RowParallelLinear.fromLinear(m.out, p),
      m.numHeads / p,
      m.headDim,
      m.causal,
    );
  }
  get bias(): Tensor | null {
    return this.out.bias;
  }
  partial(r: number, a: Tensor): Tensor {
    const [B, T] = a.shape;
    const h = this.headsPerDevice,
      d = this.headDim;
    const heads = (t: Tensor) => t.reshape([B, T, h, d]).permute([0, 2, 1, 3]);
    const o = scaledDotProductAttention(heads(this.q.forward(r, a)), heads(this.k.forward(r, a)), heads(this.v.forward(r, a)), { causal: this.causal });
    return this.out.partial(r, o.permute([0, 2, 1, 3]).reshape([B, T, h * d]));
  }
  params(r: number): Tensor[] {
    return [...this.q.params(r), ...this.k.params(r), ...this.v.params(r), this.out.weights[r]];
  }
}

/**
 * One block: optional replicated layer norm, the parallel part, optional residual: h + inner(ln(h)).
 * @example const block: dist.TensorParallelBlock = { ln: dist.replicatedLayerNorm(ln), inner, residual: true };
 */
export interface TensorParallelBlock {
  ln?: { weight: Tensor | null; bias: Tensor | null; eps: number; shape: number[] } | null;
  inner: ParallelInner;
  residual?: boolean;
}

/**
 * A replicated copy of a LayerNorm's parameters for a tensor-parallel block.
 * @example dist.replicatedLayerNorm(nn.layerNorm(64))
 */
export function replicatedLayerNorm(ln: LayerNorm): NonNullable<TensorParallelBlock["ln"]> {
  return { weight: ln.weight ? leafCopy(ln.weight) : null, bias: ln.bias ? leafCopy(ln.bias) : null, eps: ln.eps, shape: [...ln.normalizedShape] };
}

/**
 * What one tensor-parallel step reports.
 * @example tp.step(x, y, (o, t) => nn.mse(o, t)).allReduces   // [{ block: 0, where: "g (forward)", bytes }, …]
 */
export interface TensorParallelStep {
  loss: number;
  timeline: RunTimeline;
  time: number;
  /** The all-reduces, in order, with where Megatron puts them (none with sequence parallelism: see `collectives`). */
  allReduces: { block: number; where: "g (forward)" | "f (backward)"; bytes: number }[];
  /** Every collective of the step in order: the all-reduces, or with sequence parallelism its allGathers and reduceScatters. */
  collectives: { block: number; kind: "allReduce" | "allGather" | "reduceScatter"; where: string; bytes: number }[];
  /** Activation bytes each device keeps for backward, in `tp.allDevices()` order: its shards' saved tensors plus the replicated norms, residuals and loss. */
  activationBytes: number[];
}

/**
 * Tensor-parallel training of a stack of blocks.
 * @example
 * const tp = new dist.TensorParallel([{ ln, inner: dist.ParallelMLP.fromLinears(fc1, fc2, 2), residual: true }], c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) });
 * tp.step(x, y, (o, t) => nn.mse(o, t)).allReduces   // two per block: g in forward, f in backward
 */
export class TensorParallel {
  readonly optimizer: Optimizer;
  /** The memory accounting of the bars. */
  readonly memory: MemoryModel;
  constructor(
    readonly blocks: TensorParallelBlock[],
    readonly devices: SimDevice[],
    readonly opts: {
      optimizer: (params: Tensor[]) => Optimizer;
      algorithm?: AlgorithmName;
      /** Block i runs on blockDevices[i] (a pipeline stage's tensor-parallel group); default: `devices` for every block. */
      blockDevices?: SimDevice[][];
      /** How the memory bars count the model state (default: mixed precision, the optimizer's own state). */
      memory?: Partial<MemoryModel>;
      /** Sequence parallelism: norms, biases and residuals on s/t positions per device, allGather + reduceScatter instead of allReduce. */
      sequenceParallel?: boolean;
    },
  ) {
    this.optimizer = opts.optimizer(this.parameters());
    this.memory = resolveMemoryModel(opts.memory, this.optimizer);
    // Each device holds its shards and a copy of the replicated parameters (norms, row-parallel bias).
    blocks.forEach((b, i) =>
      this.group(i).forEach((d, r) => allocateState(d, numel([...b.inner.params(r), ...replicated(b)]), this.memory, `tensor-parallel block ${i}`)),
    );
  }

  /** Every device a block runs on, in block order (= `devices` unless `blockDevices` is given). */
  allDevices(): SimDevice[] {
    return [...new Set(this.blocks.flatMap((_, i) => this.group(i)))];
  }

  /** The devices block i runs on. */
  group(i: number): SimDevice[] {
    const g = this.opts.blockDevices?.[i] ?? this.devices;
    if (g.length !== this.devices.length) throw new DistError("TensorParallel", `block ${i} runs on ${g.length} devices, the others on ${this.devices.length}`);
    return g;
  }

  /** Every parameter: each device's shards, then the replicated ones. */
  parameters(): Tensor[] {
    const out: Tensor[] = [];
    for (const b of this.blocks) {
      this.devices.forEach((_, r) => out.push(...b.inner.params(r)));
      if (b.inner.bias) out.push(b.inner.bias);
      if (b.ln?.weight) out.push(b.ln.weight);
      if (b.ln?.bias) out.push(b.ln.bias);
    }
    return out;
  }

  private reduce(devices: SimDevice[], ts: Tensor[], at: number, tl: RunTimeline, label: string): { value: Tensor; end: number } {
    const shards = ts.map((t, r) => new DeviceTensor(t.detach(), devices[r], "activations"));
    const res = allReduce(shards, { algorithm: this.opts.algorithm, start: at });
    const value = tensor(res.outputs[0].tensor.dataSync().slice(), { shape: [...ts[0].shape] });
    return { value, end: this.settle(devices, res, shards, at, tl, label) };
  }

  /** The forward output (no training), for checks. */
  forward(x: Tensor): Tensor {
    let h = x;
    for (const b of this.blocks) {
      const a = b.ln ? layerNorm(h, b.ln.shape, b.ln.weight, b.ln.bias, b.ln.eps) : h;
      let y = this.devices.map((_, r) => b.inner.partial(r, a)).reduce((s, t) => s.add(t));
      if (b.inner.bias) y = y.add(b.inner.bias);
      h = b.residual ? h.add(y) : y;
    }
    return h;
  }

  /** One training step (with `sequenceParallel`, each device holds s/t positions of the residual stream). */
  step(
    xIn: Tensor | DeviceTensor,
    yIn: Tensor | DeviceTensor,
    lossFn: (out: Tensor, y: Tensor) => Tensor,
    opts: {
      zeroGrad?: boolean;
      update?: boolean;
      lossScale?: number;
      /** @internal false: a microbatch of a larger run (Hybrid3D), no run event of its own */ emit?: boolean;
    } = {},
  ): TensorParallelStep {
    const x = batchOf("TensorParallel.step", xIn, this.devices),
      y = batchOf("TensorParallel.step", yIn, this.devices, "the targets");
    const p = this.devices.length;
    const used = this.allDevices();
    const tl = new RunTimeline(used.map((d) => d.id));
    const sp = this.opts.sequenceParallel === true;
    if (sp) sequenceShape(x, p);
    // Every parameter acts on the rows its device sees: shards on every token, the replicated norms and
    // biases on every token, or on the device's s/t positions with sequence parallelism.
    const spec = this.devices[0].spec;
    const tokens = tokensOf(x);
    const timeOf = (ts: Tensor[], rows: number) =>
      ts.reduce(
        (s, q) => {
          const t = paramTimes(spec, q.size, rows);
          return { f: s.f + t.forward, b: s.b + t.backward };
        },
        { f: 0, b: 0 },
      );
    const blockTime = this.blocks.map((b) => {
      const shard = timeOf(b.inner.params(0), tokens),
        whole = timeOf(replicated(b), sp ? tokens / p : tokens);
      return { f: shard.f + whole.f, b: shard.b + whole.b };
    });
    if (opts.zeroGrad !== false) this.optimizer.zeroGrad();
    const input: PassesInput = { x, y, lossFn, lossScale: opts.lossScale, tl, blockTime };
    const run = sp ? this.sequenceParallelPasses(input) : this.passes(input);
    if (opts.update !== false) this.optimizer.step();
    const allReduces = run.collectives.flatMap((c) =>
      c.kind === "allReduce" ? [{ block: c.block, where: c.where as "g (forward)" | "f (backward)", bytes: c.bytes }] : [],
    );
    if (opts.emit !== false)
      withActivations(used, run.activationBytes, "tensor-parallel activations", () =>
        emitRun("tensor-parallel", used, tl, { time: tl.time, allReduces: allReduces.length, collectives: run.collectives.length, p }),
      );
    return { loss: run.loss, timeline: tl, time: tl.time, allReduces, collectives: run.collectives, activationBytes: run.activationBytes };
  }

  /** Forward and backward with the replicated parts whole on every device: an allReduce after each block (g) and before it in backward (f). */
  private passes({ x, y, lossFn, lossScale, tl, blockTime }: PassesInput): PassesResult {
    const used = this.allDevices();
    const collectives: TensorParallelStep["collectives"] = [];
    const saved: { H: Tensor; A: Tensor; a: Tensor[]; partial: Tensor[]; Y: Tensor; out: Tensor }[] = [];
    let t = 0;
    let h = x;
    this.blocks.forEach((b, i) => {
      const H = i === 0 ? h : h.detach().requiresGrad_();
      const A = b.ln ? layerNorm(H, b.ln.shape, b.ln.weight, b.ln.bias, b.ln.eps) : H;
      const a = this.devices.map(() => A.detach().requiresGrad_()); // f: identity in forward
      const partial = a.map((ar, r) => b.inner.partial(r, ar));
      const group = this.group(i);
      for (const d of group) tl.add(d.id, "compute", t, t + blockTime[i].f, `block ${i} forward`);
      t += blockTime[i].f;
      const g = this.reduce(group, partial, t, tl, `g: allReduce block ${i}`); // g: all-reduce in forward
      collectives.push({ block: i, kind: "allReduce", where: "g (forward)", bytes: partial[0].nbytes });
      t = g.end;
      const Y = g.value.requiresGrad_();
      let out = b.inner.bias ? Y.add(b.inner.bias) : Y;
      if (b.residual) out = H.add(out);
      saved.push({ H, A, a, partial, Y, out });
      h = out;
    });
    const l = lossScale === undefined ? lossFn(h, y) : lossFn(h, y).mul(lossScale);
    const loss = l.itemSync();
    // Activations per device: its partial sums' saved tensors, plus the replicated part of its
    // blocks (norm, residual; the loss on the last block's group), measured before backward frees them.
    const roots = new Map<SimDevice, Tensor[]>(used.map((d) => [d, []]));
    saved.forEach((s, i) => this.group(i).forEach((d, r) => roots.get(d)!.push(s.partial[r], s.out, s.A, ...(i === saved.length - 1 ? [l] : []))));
    const params = this.parameters();
    const activationBytes = used.map((d) => measureActivations(roots.get(d)!, params, this.memory));
    l.backward();
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const s = saved[i];
      if (i < this.blocks.length - 1) s.out.backward(saved[i + 1].H.grad!);
      // g: identity in backward — every device's partial gets dY.
      s.partial.forEach((pt) => pt.backward(s.Y.grad!));
      const group = this.group(i);
      for (const d of group) tl.add(d.id, "compute", t, t + blockTime[i].b, `block ${i} backward`);
      t += blockTime[i].b;
      // f: all-reduce of the input gradient in backward.
      const f = this.reduce(
        group,
        s.a.map((ar) => ar.grad!),
        t,
        tl,
        `f: allReduce block ${i}`,
      );
      collectives.push({ block: i, kind: "allReduce", where: "f (backward)", bytes: s.a[0].grad!.nbytes });
      t = f.end;
      if (s.A !== s.H)
        s.A.backward(f.value); // through the replicated layer norm into H
      else if (s.H.requiresGrad) s.H.grad = s.H.grad ? s.H.grad.add(f.value) : f.value;
    }
    return { loss, collectives, activationBytes };
  }

  /**
   * Forward and backward with sequence parallelism. Device r holds positions r·s/t … (r+1)·s/t of the
   * residual stream. Per block, forward: norm on the slice, allGather (g) of the normalized slices
   * into the parallel part's input, the partial sums, reduceScatter (ḡ) back to slices, bias and
   * residual on the slice. Backward: allGather of the output gradient's slices (ḡ's transpose), the
   * input gathered again (kept as a slice, not whole), the parallel part's backward, reduceScatter of
   * the input gradient (g's transpose) into the norm on the slice.
   */
  private sequenceParallelPasses({ x, y, lossFn, lossScale, tl, blockTime }: PassesInput): PassesResult {
    const p = this.devices.length;
    const used = this.allDevices();
    const dim = x.ndim - 2;
    const collectives: TensorParallelStep["collectives"] = [];
    const saved: { H: Tensor[]; A: Tensor[]; a: Tensor[]; partial: Tensor[]; Y: Tensor[]; out: Tensor[] }[] = [];
    let t = 0;
    const k = x.shape[dim] / p;
    let h = this.devices.map((_, r) => x.narrow(dim, r * k, k).contiguous());
    this.blocks.forEach((b, i) => {
      const group = this.group(i);
      const H = i === 0 ? h : h.map((hr) => hr.detach().requiresGrad_());
      const A = H.map((hr) => (b.ln ? layerNorm(hr, b.ln.shape, b.ln.weight, b.ln.bias, b.ln.eps) : hr));
      const g = this.gather(group, A, dim, t, tl, `g: allGather block ${i}`);
      collectives.push({ block: i, kind: "allGather", where: "g (forward)", bytes: g.value[0].nbytes });
      t = g.end;
      const a = g.value.map((v) => v.requiresGrad_());
      const partial = a.map((ar, r) => b.inner.partial(r, ar));
      for (const d of group) tl.add(d.id, "compute", t, t + blockTime[i].f, `block ${i} forward`);
      t += blockTime[i].f;
      const gb = this.scatter(group, partial, dim, t, tl, `ḡ: reduceScatter block ${i}`);
      collectives.push({ block: i, kind: "reduceScatter", where: "ḡ (forward)", bytes: partial[0].nbytes });
      t = gb.end;
      const Y = gb.value.map((v) => v.requiresGrad_());
      const out = Y.map((yr, r) => {
        const o = b.inner.bias ? yr.add(b.inner.bias) : yr;
        return b.residual ? H[r].add(o) : o;
      });
      saved.push({ H, A, a, partial, Y, out });
      h = out;
    });
    // The loss sees the whole output, as without sequence parallelism (its slices joined; no time: a small model's head).
    const whole = concat(h, dim);
    const l = lossScale === undefined ? lossFn(whole, y) : lossFn(whole, y).mul(lossScale);
    const loss = l.itemSync();
    // Activations per device as Megatron keeps them: the gathered input of each parallel part is not kept (it is
    // gathered again in backward), the device's normalized slice is; everything else as autograd saves it.
    const roots = new Map<SimDevice, Tensor[]>(used.map((d) => [d, []]));
    const slices = new Map<SimDevice, number>(used.map((d) => [d, 0]));
    const itemBytes = PRECISION_BYTES[this.memory.precision].activations;
    saved.forEach((s, i) =>
      this.group(i).forEach((d, r) => {
        roots.get(d)!.push(s.partial[r], s.out[r], s.A[r], ...(i === saved.length - 1 ? [l] : []));
        slices.set(d, slices.get(d)! + s.A[r].size * itemBytes);
      }),
    );
    const notKept = [...this.parameters(), ...saved.flatMap((s) => s.a)];
    const activationBytes = used.map((d) => measureActivations(roots.get(d)!, notKept, this.memory) + slices.get(d)!);
    l.backward();
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const s = saved[i];
      const group = this.group(i);
      if (i < this.blocks.length - 1) s.out.forEach((o, r) => o.backward(saved[i + 1].H[r].grad!));
      // ḡ's transpose: the output gradient's slices gathered; every device's partial gets the whole dY.
      const dY = this.gather(
        group,
        s.Y.map((yr) => yr.grad!),
        dim,
        t,
        tl,
        `ḡ: allGather block ${i} (backward)`,
      );
      collectives.push({ block: i, kind: "allGather", where: "ḡ (backward)", bytes: dY.value[0].nbytes });
      t = dY.end;
      // The parallel part's input, gathered again from the slices each device kept.
      const again = this.gather(group, s.A, dim, t, tl, `g: allGather block ${i} again (backward)`);
      collectives.push({ block: i, kind: "allGather", where: "g again (backward)", bytes: again.value[0].nbytes });
      t = again.end;
      s.partial.forEach((pt, r) => pt.backward(dY.value[r]));
      for (const d of group) tl.add(d.id, "compute", t, t + blockTime[i].b, `block ${i} backward`);
      t += blockTime[i].b;
      // g's transpose: the input gradient summed over the devices, each keeping its slice.
      const dA = this.scatter(
        group,
        s.a.map((ar) => ar.grad!),
        dim,
        t,
        tl,
        `g: reduceScatter block ${i} (backward)`,
      );
      collectives.push({ block: i, kind: "reduceScatter", where: "g (backward)", bytes: s.a[0].grad!.nbytes });
      t = dA.end;
      s.A.forEach((ar, r) => {
        const hr = s.H[r];
        if (ar !== hr) ar.backward(dA.value[r]);
        else if (hr.requiresGrad) hr.grad = hr.grad ? hr.grad.add(dA.value[r]) : dA.value[r];
      });
    }
    return { loss, collectives, activationBytes };
  }

  /** allGather of each device's slice along the sequence dim `dim`: the whole tensor, a new leaf per device. */
  private gather(devices: SimDevice[], slices: Tensor[], dim: number, at: number, tl: RunTimeline, label: string): { value: Tensor[]; end: number } {
    const shards = slices.map((t, r) => new DeviceTensor(seqFirst(t.detach(), dim), devices[r], "activations"));
    const res = allGather(shards, { algorithm: this.opts.algorithm, start: at });
    const value = res.outputs.map((o) => seqBack(o.tensor, dim));
    return { value, end: this.settle(devices, res, shards, at, tl, label) };
  }

  /** reduceScatter of each device's whole partial sum along the sequence dim `dim`: device r's slice of the sum, a new leaf. */
  private scatter(devices: SimDevice[], partials: Tensor[], dim: number, at: number, tl: RunTimeline, label: string): { value: Tensor[]; end: number } {
    const shards = partials.map((t, r) => new DeviceTensor(seqFirst(t.detach(), dim), devices[r], "activations"));
    const res = reduceScatter(shards, { algorithm: this.opts.algorithm, start: at });
    const value = res.outputs.map((o) => seqBack(o.tensor, dim));
    return { value, end: this.settle(devices, res, shards, at, tl, label) };
  }

  /** Put a collective on the timeline and free its buffers; returns when the last device finishes. */
  private settle(devices: SimDevice[], res: CollectiveOutput, shards: DeviceTensor[], at: number, tl: RunTimeline, label: string): number {
    res.outputs.forEach((o, r) => {
      tl.add(devices[r].id, "comm", at, res.finish[r], label);
      o.free();
    });
    shards.forEach((s) => s.free());
    tl.transfers.push(res.timeline);
    return Math.max(...res.finish);
  }
}

/** What one step's forward and backward take: the batch, the loss, the timeline to fill and each block's compute seconds. */
interface PassesInput {
  x: Tensor;
  y: Tensor;
  lossFn: (out: Tensor, y: Tensor) => Tensor;
  lossScale: number | undefined;
  tl: RunTimeline;
  blockTime: { f: number; b: number }[];
}

/** What one step's forward and backward report. */
interface PassesResult {
  loss: number;
  collectives: TensorParallelStep["collectives"];
  activationBytes: number[];
}

/** Checks that the batch's sequence dim (the second-to-last) splits over p devices. */
function sequenceShape(x: Tensor, p: number): void {
  if (x.ndim < 2) throw new DistError("TensorParallel (sequence parallel)", `the batch [${x.shape.join(", ")}] needs a sequence dim before the features`);
  const s = x.shape[x.ndim - 2];
  if (s % p !== 0)
    throw new DistError(
      "TensorParallel (sequence parallel)",
      `the sequence of ${s} positions (batch [${x.shape.join(", ")}]) cannot be split over ${p} devices`,
    );
}

/** The sequence dim moved first (the collectives split and join dim 0), as a contiguous copy. */
function seqFirst(t: Tensor, dim: number): Tensor {
  if (dim === 0) return t.contiguous();
  const order = [dim, ...t.shape.map((_, i) => i).filter((i) => i !== dim)];
  return t.permute(order).contiguous();
}

/** A collective's output with its sequence dim put back at `dim`, as a new leaf. */
function seqBack(t: Tensor, dim: number): Tensor {
  const order = t.shape.map((_, i) => i).slice(1);
  order.splice(dim, 0, 0);
  const back = dim === 0 ? t : t.permute(order);
  return tensor(back.contiguous().dataSync().slice(), { shape: [...back.shape], dtype: t.dtype });
}
