/**
 * Tensors placed on simulated devices. The core Tensor class knows nothing of the cluster: a
 * DeviceTensor is a light record `{ device, tensor }` that accounts the tensor's bytes on its
 * device, so that every collective and strategy can check where its inputs live. This module
 * installs the tensor core's placement hook, so `randn(shape, { device: d })` and `t.to(d)` make
 * DeviceTensors too.
 * @module
 */
import { INSPECT, Tensor, type NestedArray } from "../tensor/tensor";
import { tensor as makeTensor, randn as makeRandn, zeros as makeZeros } from "../ops/creation";
import { simPlacement } from "../tensor/sim-placement";
import { to as toBackend } from "../ops/functional";
import type { send as Send } from "./collectives/api";
import { SimDevice, type MemoryCategory } from "./device";
import { DistError } from "./errors";
import { hostTensor } from "./host";

/**
 * @internal How `DeviceTensor.to(otherDevice)` copies: `dist.send`, which collectives/api.ts
 * installs when it loads (it makes DeviceTensors, so importing it here would be a module cycle).
 */
export const deviceTransfer: { send: typeof Send | null } = { send: null };

/**
 * A tensor on a simulated device. Its bytes are accounted on the device under `category` until
 * `free()`. Make one with a creation function's `device` option, `t.to(device)` or `dist.place`.
 * @example
 * const c = dist.cluster({ devicesPerNode: 2 });
 * const x = randn([4, 4], { device: c.devices[0] });
 * x.device.name   // "d0"
 * const y = x.to(c.devices[1]);   // a simulated transfer (dist.send)
 */
export class DeviceTensor {
  private freed = false;
  /**
   * @param op names the call in an out-of-memory error (its message names the device, the shape and the bytes).
   */
  constructor(
    readonly tensor: Tensor,
    readonly device: SimDevice,
    readonly category: MemoryCategory = "activations",
    op = "allocate",
  ) {
    if (!(device instanceof SimDevice)) throw new DistError(op, `expects a simulated device from dist.cluster(), got ${String(device)}`);
    device.allocate(tensor.nbytes, category, tensor.name ?? `a [${tensor.shape.join(", ")}] ${tensor.dtype} tensor`, op);
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
  /** `using x = randn([n], { device: d })` frees the bytes at the end of the block. */
  [Symbol.dispose](): void {
    this.free();
  }
  /**
   * Move to another simulated device: a real copy over the simulated links (`dist.send`: the
   * transfer shows in the Cluster panel; its time is what `dist.send` returns); the same device
   * gives this tensor back. A backend name ("cpu", "webgpu") or a dtype gives a plain Tensor copy.
   * @example const y = x.to(c.devices[1]);          // DeviceTensor on d1
   * @example const t = x.to("cpu");                 // a plain Tensor again
   */
  to(device: SimDevice, category?: MemoryCategory): DeviceTensor;
  to(target: string): Tensor;
  to(target: SimDevice | string, category: MemoryCategory = this.category): DeviceTensor | Tensor {
    if (this.freed) throw new DistError("to", `${this} was freed`);
    if (typeof target === "string") {
      const t = this.tensor.detach();
      const out = toBackend(t, target);
      return out === t ? t.clone() : out;
    }
    if (!(target instanceof SimDevice)) throw new DistError("to", `expects a simulated device from dist.cluster() or a backend name, got ${String(target)}`);
    if (target === this.device) return this;
    if (deviceTransfer.send === null) throw new DistError("to", "the collectives are not loaded (import dist from webgrad)");
    return deviceTransfer.send(this, target, { category }).outputs[0];
  }
  /** The printed form in the playground console: where it lives, then its values. */
  async [INSPECT](): Promise<string> {
    return `${this.toString()} ${await this.tensor[INSPECT]()}`;
  }
  toString(): string {
    return `DeviceTensor(${this.device.name}, [${this.shape.join(", ")}], ${this.dtype})`;
  }
}

/**
 * Place `t` on `device` (no copy: the record accounts the bytes on the device). The ordinary way
 * is a creation function's `device` option or `t.to(device)`.
 * @example const shards = c.devices.map((d, i) => dist.place(full([1024], i), d));
 */
export function place(t: Tensor | NestedArray, device: SimDevice, category: MemoryCategory = "activations"): DeviceTensor {
  return new DeviceTensor(t instanceof Tensor ? hostTensor(t, "dist.place") : makeTensor(t, { device: "cpu" }), device, category, "dist.place");
}

// The tensor core's `device: SimDevice` option and `Tensor.to(SimDevice)` land here.
simPlacement.hook = {
  place(t, device, op, copy) {
    if (!(device instanceof SimDevice))
      throw new DistError(op, `device must be a backend name ("cpu", "webgpu") or a simulated device from dist.cluster(), got ${String(device)}`);
    const host = hostTensor(t, op);
    const data = copy ? makeTensor(host.dataSync().slice(), { shape: [...host.shape], dtype: host.dtype, device: "cpu" }) : host;
    if (copy && host.name !== undefined) data.name = host.name;
    return new DeviceTensor(data, device, "activations", op);
  },
};

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
  if (t.device !== device)
    throw new DistError(
      op,
      `the tensor [${t.shape.join(", ")}] is on device ${t.device.name} but this op runs on ${device.name}: move it with .to(${device.name}) or dist.send`,
    );
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
