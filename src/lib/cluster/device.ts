/**
 * A simulated device: an id, its place in the cluster (node, local index), its spec, and memory
 * accounting by category. Memory here is bookkeeping (the data itself lives in ordinary CPU
 * tensors): what matters for the lesson is which bytes sit where, and when they no longer fit.
 * @module
 */
import { DistError, OutOfMemoryError, fmtBytes } from "./errors";
import type { DeviceSpec } from "./presets";

/**
 * What a block of device memory holds (the Cluster panel's bar colours).
 * @example dev.allocate(1024, "optimizer" satisfies dist.MemoryCategory)
 */
export type MemoryCategory = "parameters" | "gradients" | "optimizer" | "activations" | "buffers";

/**
 * The categories, in display order.
 * @example dist.MEMORY_CATEGORIES.map((k) => dev.memory[k])
 */
export const MEMORY_CATEGORIES: readonly MemoryCategory[] = ["parameters", "gradients", "optimizer", "activations", "buffers"];

/**
 * Bytes per category.
 * @example const m: dist.MemoryByCategory = c.devices[0].memory; m.gradients
 */
export type MemoryByCategory = Record<MemoryCategory, number>;

/**
 * An all-zero memory record.
 * @example const total = dist.emptyMemory(); for (const d of c.devices) total.parameters += d.memory.parameters;
 */
export function emptyMemory(): MemoryByCategory {
  return { parameters: 0, gradients: 0, optimizer: 0, activations: 0, buffers: 0 };
}

/**
 * One simulated accelerator. Create them through `dist.cluster(...)`.
 * @example
 * const c = dist.cluster({ nodes: 1, devicesPerNode: 2, device: "toy" });
 * c.devices[0].allocate(1 << 20, "activations", "x");   // 1 MiB of activations on device 0
 */
export class SimDevice {
  /** Bytes in use per category. */
  readonly memory: MemoryByCategory = emptyMemory();
  /** The highest total in use so far. */
  peakBytes = 0;
  constructor(
    /** Global id: the index in `cluster.devices`. */
    readonly id: number,
    /** Node (host) index. */
    readonly node: number,
    /** Index within the node. */
    readonly local: number,
    readonly spec: DeviceSpec,
  ) {}

  /** "d3" (node 0) or "n1/d3": how messages and panels name the device. */
  get name(): string {
    return `d${this.id}`;
  }

  /** Bytes in use, all categories. */
  get usedBytes(): number {
    let s = 0;
    for (const k in this.memory) s += this.memory[k as MemoryCategory];
    return s;
  }

  /** Bytes still free. */
  get freeBytes(): number {
    return this.spec.memoryCapacity - this.usedBytes;
  }

  /**
   * Account `bytes` under `category`; `what` names the allocation (and `op` the call) in the error when it does not fit.
   * @example dev.allocate(4 * 1024, "parameters", "fc1.weight")
   */
  allocate(bytes: number, category: MemoryCategory, what: string = category, op = "allocate"): void {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new DistError(op, `bytes must be a finite number ≥ 0, got ${bytes}`);
    const used = this.usedBytes;
    if (used + bytes > this.spec.memoryCapacity) {
      throw new OutOfMemoryError(
        op,
        `device ${this.name} (${this.spec.name}, ${fmtBytes(this.spec.memoryCapacity)}) is out of memory: allocating ${fmtBytes(bytes)} of ${category} for ${what} with ${fmtBytes(used)} in use (${fmtBytes(this.spec.memoryCapacity - used)} free)`,
        this.id,
        bytes,
      );
    }
    this.memory[category] += bytes;
    if (used + bytes > this.peakBytes) this.peakBytes = used + bytes;
  }

  /** Give back `bytes` of `category`. Freeing more than is held is a bug in the caller. */
  free(bytes: number, category: MemoryCategory): void {
    if (bytes > this.memory[category] + 1e-9)
      throw new DistError("free", `device ${this.name} frees ${fmtBytes(bytes)} of ${category} but holds only ${fmtBytes(this.memory[category])}`);
    this.memory[category] -= bytes;
  }

  /** Forget every allocation (and the peak). */
  resetMemory(): void {
    for (const k in this.memory) this.memory[k as MemoryCategory] = 0;
    this.peakBytes = 0;
  }

  toString(): string {
    return `SimDevice(${this.name}, node ${this.node}, ${this.spec.name})`;
  }
}
