/**
 * Pieces shared by the strategies: splitting a batch, flattening gradients, the roofline time of a
 * layer's forward and backward, and the `comm` run event.
 * @module
 */
import { emit, hasListeners } from "../../events";
import { noGrad } from "../../ops/gradmode";
import { tensor } from "../../ops/creation";
import { Tensor } from "../../tensor/tensor";
import type { Module } from "../../nn/module";
import { clusterOf } from "../cluster";
import { roofline } from "../cost";
import { MEMORY_CATEGORIES, type SimDevice } from "../device";
import { DistError } from "../errors";
import { hostTensor } from "../host";
import { DeviceTensor } from "../placement";
import type { DeviceSpec, SimDType } from "../presets";
import type { RunTimeline } from "../timeline";

/**
 * The host tensor of a batch given to a strategy: a plain tensor (on the CPU backend), or a
 * DeviceTensor on one of the strategy's devices (the batch is loaded there and split from it). A
 * batch on another device is an error naming both, at the caller's line.
 */
export function batchOf(op: string, x: Tensor | DeviceTensor, devices: readonly SimDevice[], what = "the batch"): Tensor {
  if (x instanceof DeviceTensor) {
    if (x.isFreed) throw new DistError(op, `${what} (${x}) was freed`);
    if (!devices.includes(x.device)) {
      throw new DistError(
        op,
        `${what} [${x.shape.join(", ")}] is on device ${x.device.name}, which is not one of this strategy's devices (${devices.map((d) => d.name).join(", ")}): move it with .to(${devices[0].name})`,
      );
    }
    return x.tensor;
  }
  if (!(x instanceof Tensor)) throw new DistError(op, `${what} must be a tensor, got ${x === null ? "null" : typeof x}`);
  return hostTensor(x, op);
}

/** Split `x` along dim 0 into `p` equal parts (an error names the sizes when it does not divide). */
export function splitBatch(op: string, x: Tensor, p: number): Tensor[] {
  if (x.shape.length === 0 || x.shape[0] % p !== 0)
    throw new DistError(op, `splits the batch across ${p} devices, so its size must be divisible by ${p}; got shape [${x.shape.join(", ")}]`);
  const k = x.shape[0] / p;
  return Array.from({ length: p }, (_, r) => x.narrow(0, r * k, k));
}

/** The gradients of `params` as one flat Float32Array (zeros where a gradient is missing). */
export function flatGrads(params: readonly Tensor[]): Float32Array {
  const n = params.reduce((s, p) => s + p.size, 0);
  const out = new Float32Array(n);
  let at = 0;
  for (const p of params) {
    if (p.grad) out.set(p.grad.dataSync() as Float32Array, at);
    at += p.size;
  }
  return out;
}

/** Write a flat array into the gradients (`"grad"`) or the values (`"data"`) of `params`, scaled. */
export function writeFlat(params: readonly Tensor[], flat: Float32Array, into: "grad" | "data", scale = 1): void {
  let at = 0;
  noGrad(() => {
    for (const p of params) {
      const part = flat.slice(at, at + p.size);
      if (scale !== 1) for (let i = 0; i < part.length; i++) part[i] *= scale;
      const t = tensor(part, { shape: [...p.shape], dtype: p.dtype });
      if (into === "grad") p.grad = t;
      else p.copy_(t);
      at += p.size;
    }
  });
}

/** Copy a module's parameters and buffers into a fresh one from `factory`. */
export function replicate<M extends Module>(factory: () => M, reference: Module): M {
  const m = factory();
  noGrad(() => m.loadStateDict(reference.stateDict()));
  return m;
}

/** Forward and backward roofline times of a parameter tensor used on `tokens` rows (2·t·numel FLOPs forward, twice that backward). */
export function paramTimes(spec: DeviceSpec, numel: number, tokens: number, dtype: SimDType = "float32"): { forward: number; backward: number } {
  const eb = 4;
  const forward = roofline(spec, { flops: 2 * tokens * numel, bytes: numel * eb }, dtype);
  const backward = roofline(spec, { flops: 4 * tokens * numel, bytes: 2 * numel * eb }, dtype);
  return { forward, backward };
}

/** Roofline time of an optimizer update over `numel` elements reading/writing `streams` arrays of 4 bytes each. */
export function updateTime(spec: DeviceSpec, numel: number, streams: number, flopsPerElement = 4): number {
  return roofline(spec, { flops: flopsPerElement * numel, bytes: streams * 4 * numel });
}

/** Rows of a batch tensor: all dims but the last. */
export function tokensOf(x: Tensor): number {
  return x.shape.length <= 1 ? Math.max(x.shape[0] ?? 1, 1) : x.size / x.shape[x.shape.length - 1];
}

/** Emit a parallel run's timeline and memory (only when someone listens). */
export function emitRun(strategy: string, devices: SimDevice[], timeline: RunTimeline, summary: Record<string, number>): void {
  if (!hasListeners()) return;
  emit({
    type: "comm",
    phase: "run",
    cluster: clusterOf(devices[0]).id,
    strategy,
    devices: devices.map((d) => d.id),
    time: timeline.time,
    activities: timeline.activities,
    memory: devices.map((d) => ({ device: d.id, ...Object.fromEntries(MEMORY_CATEGORIES.map((c) => [c, d.memory[c]])) }) as never),
    summary,
  });
}
