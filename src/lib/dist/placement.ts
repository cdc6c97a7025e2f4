/**
 * Tensors placed on simulated devices. The core Tensor class knows nothing of the cluster: a
 * DeviceTensor is a light record `{ device, tensor }` that accounts the tensor's bytes on its
 * device, so that every collective and strategy can check where its inputs live.
 * @module
 */
import { Tensor, type NestedArray } from "../tensor/tensor";
import { tensor as makeTensor, randn as makeRandn, zeros as makeZeros } from "../tensor/creation";
import type { MemoryCategory, SimDevice } from "./device";
import { DistError } from "./errors";
import { hostTensor } from "./host";

/**
 * A tensor on a simulated device. Its bytes are accounted on the device under `category` until
 * `free()`.
 * @example
 * const c = dist.cluster({ devicesPerNode: 2 });
 * const x = dist.place(randn([4, 4]), c.devices[0]);
 * x.device.name   // "d0"
 */
export class DeviceTensor {
  private freed = false;
  constructor(
    readonly tensor: Tensor,
    readonly device: SimDevice,
    readonly category: MemoryCategory = "activations",
  ) {
    device.allocate(tensor.nbytes, category, tensor.name ?? `a [${tensor.shape.join(", ")}] ${tensor.dtype} tensor`);
  }
  get shape(): readonly number[] {
    return this.tensor.shape;
  }
  get dtype() {
    return this.tensor.dtype;
  }
  get nbytes(): number {
    return this.tensor.nbytes;
  }
  /** True once `free()` was called. */
  get isFreed(): boolean {
    return this.freed;
  }
  /** Release the bytes on the device (the record must not be used afterwards). */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.device.free(this.tensor.nbytes, this.category);
  }
  /**
   * A copy on another device (accounts memory there; the time of the copy is what
   * `dist.send` reports, this is the bookkeeping only).
   * @example const y = x.to(c.devices[1]);
   */
  to(device: SimDevice, category: MemoryCategory = this.category): DeviceTensor {
    return new DeviceTensor(this.tensor.detach().clone(), device, category);
  }
  toString(): string {
    return `DeviceTensor(${this.device.name}, [${this.shape.join(", ")}], ${this.dtype})`;
  }
}

/**
 * Place `t` on `device` (no copy: the record accounts the bytes on the device).
 * @example const shards = c.devices.map((d, i) => dist.place(full([1024], i), d));
 */
export function place(t: Tensor | NestedArray, device: SimDevice, category: MemoryCategory = "activations"): DeviceTensor {
  return new DeviceTensor(t instanceof Tensor ? hostTensor(t, "dist.place") : makeTensor(t, { device: "cpu" }), device, category);
}

/**
 * Random normal values on a simulated device.
 * @example const x = dist.randn([1024], c.devices[3]);
 */
export function randn(shape: number[], device: SimDevice, opts: { seed?: number; category?: MemoryCategory } = {}): DeviceTensor {
  return place(makeRandn(shape, opts.seed === undefined ? {} : { seed: opts.seed }), device, opts.category);
}

/**
 * Zeros on a simulated device.
 * @example const g = dist.zeros([1024], c.devices[0], { category: "gradients" });
 */
export function zeros(shape: number[], device: SimDevice, opts: { category?: MemoryCategory } = {}): DeviceTensor {
  return place(makeZeros(shape), device, opts.category);
}

/**
 * Check that `t` lives on `device` (the error names both), and return its tensor.
 * @example const x = dist.onDevice(xs[0], c.devices[0], "matmul");
 */
export function onDevice(t: DeviceTensor, device: SimDevice, op: string): Tensor {
  if (!(t instanceof DeviceTensor)) throw new DistError(op, `expects tensors placed on simulated devices (dist.place(t, device)), got ${String(t)}`);
  if (t.isFreed) throw new DistError(op, `${t} was freed`);
  if (t.device !== device) throw new DistError(op, `the tensor [${t.shape.join(", ")}] is on device ${t.device.name} but this op runs on ${device.name}: move it with .to(${device.name}) or dist.send`);
  return t.tensor;
}

/**
 * Run `fn` on tensors that all live on `device`, and place its result there (a tensor on the wrong
 * device is an error that names both).
 * @example const y = dist.run(c.devices[0], (a, b) => a.matmul(b), x0, w0);
 */
export function run(device: SimDevice, fn: (...ts: Tensor[]) => Tensor, ...inputs: DeviceTensor[]): DeviceTensor {
  const ts = inputs.map((t) => onDevice(t, device, "dist.run"));
  return place(fn(...ts), device);
}
