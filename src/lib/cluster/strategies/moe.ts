/**
 * Mixture of experts with expert parallelism (GShard / Switch Transformer / Mixtral routing). A gate
 * sends each token to its top-k experts (k = 1 by default); experts live on different devices. Every
 * device packs its tokens' choices into an [experts × capacity, d] buffer (capacity =
 * ⌈capacityFactor · tokens · k / experts⌉ per expert, filled first choices first; choices past it are
 * dropped and counted), an allToAll sends each expert its slots, the experts run, and a second
 * allToAll brings the results home, where each token sums its experts' outputs weighted by their gate
 * probabilities (top-1 raw, top-k renormalized over the chosen). Backward runs the two allToAlls in
 * reverse on the gradients, then the gate's, whose replicas' gradients are all-reduced (data
 * parallelism over the group) before the optimizer step. The computation equals the same layer on one
 * device with the same routing and capacity rule (`moeReference`).
 * @module
 */
import { linear } from "../../nn/functional";
import type { Linear } from "../../nn/layers";
import type { Module } from "../../nn/module";
import type { Optimizer } from "../../optim/optimizer";
import { concat } from "../../ops/functional";
import { tensor, zeros } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { allReduce, allToAll } from "../collectives/api";
import type { AlgorithmName } from "../collectives/registry";
import type { SimDevice } from "../device";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import { RunTimeline } from "../timeline";
import { activationBytes as measureActivations, allocateState, resolveMemoryModel, withActivations, type MemoryModel } from "../accounting";
import { batchOf, emitRun, flatGrads, paramTimes, updateTime, writeFlat } from "./common";

/**
 * Top-k routing of one group of tokens with a per-expert capacity. Token t's j-th choice is entry
 * t·k + j of `expert` and `slot` (token-major, choices best first).
 * @example const { slot, dropped } = dist.routeTopK(logits, 1.25, 2);
 */
export interface Routing {
  /** Experts each token chose, best first: entry t·topK + j is token t's j-th choice. */
  expert: Int32Array;
  /** Slot (expert · capacity + position) of each choice, or −1 when its expert was full. */
  slot: Int32Array;
  /** Choices dropped because their expert was full (top-1: tokens dropped). */
  dropped: number;
  capacity: number;
  /** Experts each token chose. */
  topK: number;
}

/**
 * Expert capacity per group: ⌈capacityFactor · tokens · topK / experts⌉ (each token takes topK slots;
 * the planner's `dist.expertSlots` is experts times this).
 * @example dist.expertCapacity(1024, 8, 1.25)      // 160
 * dist.expertCapacity(1024, 8, 1.25, 2)           // 320
 */
export function expertCapacity(tokens: number, experts: number, capacityFactor: number, topK = 1): number {
  return Math.ceil((capacityFactor * tokens * topK) / experts);
}

function checkTopK(op: string, topK: number, experts: number): void {
  if (!(Number.isInteger(topK) && topK >= 1 && topK <= experts))
    throw new DistError(op, `topK must be an integer in 1…${experts} (the number of experts), got ${topK}`);
}

/**
 * Route tokens (gate logits [n, E]) to their `topK` highest-logit experts (ties to the lower index),
 * with capacity ⌈capacityFactor·n·topK/E⌉ per expert. Slots are filled in GShard's priority order:
 * every token's first choice in token order, then every token's second choice, and so on, so a
 * token's best expert is never crowded out by another token's second; a choice past its expert's
 * capacity is dropped and counted.
 * @example const r = dist.routeTopK(logits, 1.25, 2); r.dropped
 */
export function routeTopK(logits: Tensor, capacityFactor: number, topK: number): Routing {
  const [n, E] = logits.shape;
  checkTopK("dist.routeTopK", topK, E);
  const capacity = expertCapacity(n, E, capacityFactor, topK);
  const l = logits.dataSync();
  const expert = new Int32Array(n * topK),
    slot = new Int32Array(n * topK),
    fill = new Int32Array(E);
  for (let t = 0; t < n; t++) {
    const chosen = new Set<number>();
    for (let j = 0; j < topK; j++) {
      let best = -1;
      for (let e = 0; e < E; e++) if (!chosen.has(e) && (best < 0 || l[t * E + e] > l[t * E + best])) best = e;
      chosen.add(best);
      expert[t * topK + j] = best;
    }
  }
  let dropped = 0;
  for (let j = 0; j < topK; j++)
    for (let t = 0; t < n; t++) {
      const i = t * topK + j,
        e = expert[i];
      if (fill[e] < capacity) slot[i] = e * capacity + fill[e]++;
      else {
        slot[i] = -1;
        dropped++;
      }
    }
  return { expert, slot, dropped, capacity, topK };
}

/**
 * Route tokens (gate logits [n, E]) to their top-1 expert in token order, dropping those past capacity:
 * `dist.routeTopK` with topK = 1.
 * @example const r = dist.routeTop1(logits, 1.25); r.dropped
 */
export function routeTop1(logits: Tensor, capacityFactor: number): Routing {
  return routeTopK(logits, capacityFactor, 1);
}

/** The [E·C, n] 0/1 dispatch matrix of a routing's choice `j`, or of all its choices (its transpose combines). */
function dispatchMatrix(r: Routing, n: number, E: number, j?: number): Tensor {
  const m = new Float32Array(E * r.capacity * n);
  for (let i = 0; i < n * r.topK; i++) {
    const t = Math.floor(i / r.topK);
    if (r.slot[i] >= 0 && (j === undefined || i % r.topK === j)) m[r.slot[i] * n + t] = 1;
  }
  return tensor(m, { shape: [E * r.capacity, n] });
}

/** The [n, E] one-hot matrix of each token's j-th choice. */
function choiceOneHot(r: Routing, n: number, E: number, j: number): Tensor {
  const m = new Float32Array(n * E);
  for (let t = 0; t < n; t++) m[t * E + r.expert[t * r.topK + j]] = 1;
  return tensor(m, { shape: [n, E] });
}

/**
 * One group's routing and what its combine needs: the dispatch matrix of all choices (D = M·x packs
 * the slots), and per choice j its dispatch matrix Mⱼ and gate weight gⱼ [n, 1], so that the layer's
 * output is Σⱼ (Mⱼᵀ · expert outputs) ⊙ gⱼ. The gate weights as `ExpertParallelMoE` says: top-1 the
 * raw softmax probability, top-k ≥ 2 the softmax of the logits masked to the k chosen (the
 * probabilities renormalized over them).
 */
function routeGroup(logits: Tensor, capacityFactor: number, topK: number): { r: Routing; M: Tensor; choices: { M: Tensor; gate: Tensor }[] } {
  const [n, E] = logits.shape;
  const r = routeTopK(logits, capacityFactor, topK);
  let probs: Tensor;
  if (topK === 1) probs = logits.softmax(-1);
  else {
    const outside = new Float32Array(n * E).fill(-Infinity);
    for (let i = 0; i < n * topK; i++) outside[Math.floor(i / topK) * E + r.expert[i]] = 0;
    probs = logits.add(tensor(outside, { shape: [n, E] })).softmax(-1);
  }
  const choices = Array.from({ length: topK }, (_, j) => ({
    M: dispatchMatrix(r, n, E, j),
    gate: probs.mul(choiceOneHot(r, n, E, j)).sum(-1, true),
  }));
  return { r, M: topK === 1 ? choices[0].M : dispatchMatrix(r, n, E), choices };
}

/** The layer's output on one group: each choice's expert output brought back to its token and weighed by its gate. */
function combine(choices: { M: Tensor; gate: Tensor }[], out: Tensor): Tensor {
  return choices.map((c) => c.M.T.matmul(out).mul(c.gate)).reduce((a, b) => a.add(b));
}

/**
 * The MoE layer on one device, with the same routing, gate weights and per-group capacity rule as
 * `dist.ExpertParallelMoE` (the reference). `groups` splits the tokens as the devices would; `topK`
 * (default 1) as `dist.routeTopK` routes.
 * @example const y = dist.moeReference(x, gate, experts, { capacityFactor: 1, groups: 4, topK: 2 });
 */
export function moeReference(
  x: Tensor,
  gate: Linear,
  experts: Module[],
  opts: { capacityFactor: number; groups: number; topK?: number },
): { y: Tensor; dropped: number } {
  const n = x.shape[0] / opts.groups,
    E = experts.length;
  let dropped = 0;
  const outs: Tensor[] = [];
  for (let g = 0; g < opts.groups; g++) {
    const xg = x.narrow(0, g * n, n);
    const { r, M, choices } = routeGroup(gate.forward(xg), opts.capacityFactor, opts.topK ?? 1);
    dropped += r.dropped;
    const D = M.matmul(xg).reshape([E, r.capacity, xg.shape[1]]);
    const O = experts.map((ex, e) => ex.forward(D.narrow(0, e, 1).reshape([r.capacity, xg.shape[1]])));
    outs.push(combine(choices, concatRows(O)));
  }
  return { y: concatRows(outs), dropped };
}

function concatRows(ts: Tensor[]): Tensor {
  return ts.length === 1 ? ts[0] : concat(ts, 0);
}

/**
 * What one expert-parallel step reports.
 * @example const { dropped, capacity } = moe.step(x, y, (o, t) => nn.mse(o, t));
 */
export interface MoEStep {
  loss: number;
  /** Choices dropped over all devices, their experts full (top-1: tokens dropped). */
  dropped: number;
  capacity: number;
  timeline: RunTimeline;
  time: number;
  /** Activation bytes each device keeps for backward: its gate, dispatch and combine, and its experts on the tokens they received. */
  activationBytes: number[];
  /** Seconds of the gate gradients' allReduce, after backward (nothing left to hide it behind). */
  exposedComm: number;
}

/**
 * Expert-parallel MoE training: `experts[e]` lives on `devices[⌊e / (E/p)⌋]`; the gate is replicated
 * (each device runs its own copy on its tokens, and the copies' gradients are all-reduced, as data
 * parallelism does). Each token goes to its `topK` best experts (default 1), routed as
 * `dist.routeTopK` routes, and sums their outputs weighted by the gate's softmax probabilities of
 * the chosen experts: at top-1 the raw probability (Switch Transformer: renormalized it would be the
 * constant 1, and the gate would get no gradient), at top-k ≥ 2 renormalized over the k chosen
 * (GShard's top-2, Mixtral's), so each token's weights sum to 1 and its output keeps its scale
 * whatever k is. A dropped choice's weight is lost, not handed to the token's other experts (GShard).
 * @example
 * const moe = new dist.ExpertParallelMoE(gate, experts, c.devices, { capacityFactor: 1.25, topK: 2, optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) });
 * const r = moe.step(x, y, (o, t) => nn.mse(o, t));   // r.dropped, r.timeline
 */
export class ExpertParallelMoE {
  readonly optimizer: Optimizer;
  readonly expertsPerDevice: number;
  /** The memory accounting of the bars. */
  readonly memory: MemoryModel;
  constructor(
    readonly gate: Linear,
    readonly experts: Module[],
    readonly devices: SimDevice[],
    readonly opts: {
      capacityFactor: number;
      /** Experts each token goes to (default 1: Switch; 2: GShard, Mixtral), 1 ≤ topK ≤ experts. */
      topK?: number;
      optimizer: (params: Tensor[]) => Optimizer;
      algorithm?: AlgorithmName;
      /** How the memory bars count the model state (default: mixed precision, the optimizer's own state). */
      memory?: Partial<MemoryModel>;
    },
  ) {
    if (experts.length % devices.length !== 0)
      throw new DistError("ExpertParallelMoE", `${experts.length} experts cannot be spread evenly over ${devices.length} devices`);
    checkTopK("ExpertParallelMoE", this.topK, experts.length);
    this.expertsPerDevice = experts.length / devices.length;
    this.optimizer = opts.optimizer([...gate.parameters(), ...experts.flatMap((e) => e.parameters())]);
    this.memory = resolveMemoryModel(opts.memory, this.optimizer);
    // Each device holds its experts and a replica of the gate.
    devices.forEach((d, j) =>
      allocateState(d, gate.numParameters() + this.expertsOn(j).reduce((s, e) => s + e.numParameters(), 0), this.memory, "experts and gate"),
    );
  }

  /** Experts each token goes to. */
  get topK(): number {
    return this.opts.topK ?? 1;
  }

  /** The experts device j holds. */
  expertsOn(j: number): Module[] {
    return this.experts.slice(j * this.expertsPerDevice, (j + 1) * this.expertsPerDevice);
  }

  private exchange(ts: Tensor[], at: number, tl: RunTimeline, label: string): { out: Tensor[]; end: number } {
    const shards = ts.map((t, r) => new DeviceTensor(t.detach(), this.devices[r], "activations"));
    const res = allToAll(shards, { algorithm: this.opts.algorithm, start: at });
    const out = res.outputs.map((o) => tensor(o.tensor.dataSync().slice(), { shape: [...o.shape] }));
    res.outputs.forEach((o, r) => {
      tl.add(this.devices[r].id, "comm", at, res.finish[r], label);
      o.free();
    });
    shards.forEach((s) => s.free());
    tl.transfers.push(res.timeline);
    return { out, end: Math.max(...res.finish) };
  }

  /** One step: tokens x [N, d] split evenly across the devices. */
  step(xIn: Tensor | DeviceTensor, yIn: Tensor | DeviceTensor, lossFn: (out: Tensor, y: Tensor) => Tensor): MoEStep {
    const x = batchOf("ExpertParallelMoE.step", xIn, this.devices),
      y = batchOf("ExpertParallelMoE.step", yIn, this.devices, "the targets");
    const p = this.devices.length,
      epd = this.expertsPerDevice;
    if (x.shape[0] % p !== 0) throw new DistError("ExpertParallelMoE.step", `${x.shape[0]} tokens cannot be split across ${p} devices`);
    const n = x.shape[0] / p;
    const tl = new RunTimeline(this.devices.map((d) => d.id));
    this.optimizer.zeroGrad();
    const xs = Array.from({ length: p }, (_, i) => x.narrow(0, i * n, n));
    const ys = Array.from({ length: p }, (_, i) => y.narrow(0, i * n, n));
    let dropped = 0,
      capacity = 0;
    // Each device's replica of the gate: leaf copies whose gradients the allReduce below sums.
    const gateParams = this.gate.parameters();
    const replicas = xs.map(() => gateParams.map((q) => tensor(q.detach().dataSync().slice(), { shape: [...q.shape], dtype: q.dtype }).requiresGrad_()));
    const route = xs.map((xi, i) => {
      const logits = linear(xi, replicas[i][0], this.gate.bias ? replicas[i][1] : undefined);
      const { r, M, choices } = routeGroup(logits, this.opts.capacityFactor, this.topK);
      dropped += r.dropped;
      capacity = r.capacity;
      return { choices, D: M.matmul(xi) }; // [E·C, d], expert-major: device j's experts are contiguous
    });
    const C = capacity;
    const spec = this.devices[0].spec;
    const gateTimes = gateParams.map((q) => paramTimes(spec, q.size, n));
    const tGate = gateTimes.reduce((s, g) => s + g.forward, 0);
    for (const d of this.devices) tl.add(d.id, "compute", 0, tGate, "gate");
    // Dispatch: allToAll sends each device its experts' slots from every source.
    const disp = this.exchange(
      route.map((r) => r.D),
      tGate,
      tl,
      "allToAll dispatch",
    );
    const recv = disp.out.map((t) => t.requiresGrad_()); // [p · epd·C, d] on each expert device
    const expertOut = recv.map((R, j) => {
      const parts: Tensor[] = [];
      for (let src = 0; src < p; src++) {
        for (let k = 0; k < epd; k++) parts.push(this.experts[j * epd + k].forward(R.narrow(0, (src * epd + k) * C, C)));
      }
      return concatRows(parts);
    });
    const tExp = this.experts.slice(0, epd).reduce((s, e) => s + e.parameters().reduce((a, q) => a + paramTimes(spec, q.size, p * C).forward, 0), 0);
    for (const d of this.devices) tl.add(d.id, "compute", disp.end, disp.end + tExp, "experts forward");
    const comb = this.exchange(expertOut, disp.end + tExp, tl, "allToAll combine");
    const back = comb.out.map((t) => t.requiresGrad_());
    let loss = zeros([]);
    const terms = route.map((r, i) => {
      const yi = combine(r.choices, back[i]);
      const li = lossFn(yi, ys[i]).div(p);
      loss = loss.add(li);
      return li;
    });
    const lossValue = loss.itemSync();
    const params = this.optimizer.paramGroups.flatMap((g) => g.params);
    const activationBytes = this.devices.map((_, i) => measureActivations([terms[i], route[i].D, expertOut[i]], [...params, ...replicas[i]], this.memory));
    loss.backward();
    // Backward: the combine's allToAll in reverse, the experts, the dispatch's allToAll in reverse.
    let t = comb.end;
    const g1 = this.exchange(
      back.map((b) => b.grad!),
      t,
      tl,
      "allToAll combine (backward)",
    );
    expertOut.forEach((o, j) => o.backward(g1.out[j]));
    t = g1.end + 2 * tExp;
    for (const d of this.devices) tl.add(d.id, "compute", g1.end, t, "experts backward");
    const g2 = this.exchange(
      recv.map((r) => r.grad!),
      t,
      tl,
      "allToAll dispatch (backward)",
    );
    route.forEach((r, i) => {
      if (r.D.requiresGrad) r.D.backward(g2.out[i]);
    });
    // The gate's backward (its gradient came through the gate probabilities), then the allReduce of
    // the replicas' gradients (each device's loss is already divided by p: the sum is the mean's
    // gradient), then the optimizer step over each device's gate and experts.
    const gateEnd = g2.end + gateTimes.reduce((s, g) => s + g.backward, 0);
    for (const d of this.devices) tl.add(d.id, "compute", g2.end, gateEnd, "gate backward");
    const shards = replicas.map((ps, i) => new DeviceTensor(tensor(flatGrads(ps)), this.devices[i], "gradients"));
    const red = allReduce(shards, { algorithm: this.opts.algorithm, start: gateEnd });
    writeFlat(gateParams, red.outputs[0].tensor.dataSync() as Float32Array, "grad");
    red.outputs.forEach((o, r) => {
      tl.add(this.devices[r].id, "comm", gateEnd, red.finish[r], "allReduce gate gradients");
      o.free();
    });
    shards.forEach((s) => s.free());
    tl.transfers.push(red.timeline);
    const commEnd = Math.max(...red.finish);
    const held = gateParams.reduce((s, q) => s + q.size, 0) + this.expertsOn(0).reduce((s, e) => s + e.numParameters(), 0);
    const upd = updateTime(spec, held, 3 + 2 * this.memory.optimizerSlots);
    for (const d of this.devices) tl.add(d.id, "compute", commEnd, commEnd + upd, "optimizer step");
    this.optimizer.step();
    withActivations(this.devices, activationBytes, "MoE activations", () => emitRun("moe", this.devices, tl, { time: tl.time, dropped, capacity: C }));
    return { loss: lossValue, dropped, capacity: C, timeline: tl, time: tl.time, activationBytes, exposedComm: commEnd - gateEnd };
  }
}
