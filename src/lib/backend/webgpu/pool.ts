/**
 * A buffer pool with size classes. Sizes round up to one of four steps per power of two
 * (1, 1.25, 1.5, 1.75 × 2ᵏ), so at most a quarter is wasted and freed buffers are found again by
 * the next tensor of a similar size: a training loop reuses the same buffers every step.
 */

/** The smallest buffer the pool hands out (bindings may not be empty). */
const MIN_BYTES = 256;

/** The size class `bytes` rounds up to. */
function sizeClass(bytes: number): number {
  if (bytes <= MIN_BYTES) return MIN_BYTES;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

/** What a pool holds, for the memory panel and tests. */
export interface PoolStats {
  /** Bytes in buffers handed out and not yet returned. */
  liveBytes: number;
  liveBuffers: number;
  /** Bytes in buffers waiting for reuse. */
  pooledBytes: number;
  pooledBuffers: number;
  /** Buffers created since the start (a flat count in a loop means the pool works). */
  created: number;
}

/** Buffers of one usage, recycled by size class. */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private stats: PoolStats = { liveBytes: 0, liveBuffers: 0, pooledBytes: 0, pooledBuffers: 0, created: 0 };

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    private readonly label: string,
    /** Pooled bytes kept at most; buffers returned beyond this are destroyed. */
    private readonly maxPooledBytes = 512 * 1024 * 1024,
  ) {}

  /** A buffer of at least `bytes` (its size is the size class). */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) {
      this.stats.pooledBytes -= size;
      this.stats.pooledBuffers--;
    } else {
      buf = this.device.createBuffer({ size, usage: this.usage, label: `${this.label} ${size}` });
      this.stats.created++;
    }
    this.stats.liveBytes += size;
    this.stats.liveBuffers++;
    return buf;
  }

  /** Give a buffer back for reuse. Safe once every command using it has been submitted. */
  release(buf: GPUBuffer): void {
    const size = buf.size;
    this.stats.liveBytes -= size;
    this.stats.liveBuffers--;
    if (this.stats.pooledBytes + size > this.maxPooledBytes) {
      buf.destroy();
      return;
    }
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(buf);
    this.stats.pooledBytes += size;
    this.stats.pooledBuffers++;
  }

  /** Current counts. */
  snapshot(): PoolStats {
    return { ...this.stats };
  }

  /** Destroy every pooled buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.stats.pooledBytes = 0;
    this.stats.pooledBuffers = 0;
  }
}
