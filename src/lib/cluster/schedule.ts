/**
 * A collective's schedule: which rank sends which blocks of its buffer to which rank, step by
 * step. Every rank holds a buffer of `blocks` equal blocks (over `elements` elements); a transfer
 * copies or adds `nBlocks` blocks from the sender's buffer into the receiver's. The same schedule
 * drives both the data (collectives/execute.ts) and the clock (sim.ts), so the numbers a collective
 * returns and the time it reports come from one description. Stored as columns of typed arrays:
 * a ring allReduce over 1024 ranks has two million transfers.
 * @module
 */

/**
 * Transfers of one collective, in step order.
 * @example
 * const s = new Schedule(2, 2, 8);            // 2 ranks, 2 blocks of 4 elements
 * s.add(0, 1, 0, 0, 1, true, 0, 0);          // rank 0 adds its block 0 into rank 1's block 0
 */
export class Schedule {
  length = 0;
  private capacity = 0;
  private src = new Int32Array(0);
  private dst = new Int32Array(0);
  private srcBlock = new Int32Array(0);
  private dstBlock = new Int32Array(0);
  private nBlocks = new Int32Array(0);
  private reduce = new Uint8Array(0);
  private step = new Int32Array(0);
  private chunk = new Int32Array(0);
  constructor(
    /** Ranks taking part. */
    readonly p: number,
    /** Blocks per rank buffer. */
    readonly blocks: number,
    /** Elements per rank buffer. */
    readonly elements: number,
    /** Expected number of transfers (saves regrowing). */
    capacity = 64,
  ) {
    this.grow(Math.max(capacity, 16));
  }

  private grow(cap: number): void {
    const g = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a.subarray(0, this.length) as never);
      return b;
    };
    this.src = g(this.src);
    this.dst = g(this.dst);
    this.srcBlock = g(this.srcBlock);
    this.dstBlock = g(this.dstBlock);
    this.nBlocks = g(this.nBlocks);
    this.reduce = g(this.reduce);
    this.step = g(this.step);
    this.chunk = g(this.chunk);
    this.capacity = cap;
  }

  /** Append a transfer. Steps must not decrease. */
  add(src: number, dst: number, srcBlock: number, dstBlock: number, nBlocks: number, reduce: boolean, step: number, chunk = 0): void {
    const i = this.length++;
    if (i >= this.capacity) this.grow(this.capacity * 2);
    this.src[i] = src;
    this.dst[i] = dst;
    this.srcBlock[i] = srcBlock;
    this.dstBlock[i] = dstBlock;
    this.nBlocks[i] = nBlocks;
    this.reduce[i] = reduce ? 1 : 0;
    this.step[i] = step;
    this.chunk[i] = chunk;
  }

  /** Column views, trimmed to `length`. */
  columns(): {
    src: Int32Array;
    dst: Int32Array;
    srcBlock: Int32Array;
    dstBlock: Int32Array;
    nBlocks: Int32Array;
    reduce: Uint8Array;
    step: Int32Array;
    chunk: Int32Array;
  } {
    const n = this.length;
    return {
      src: this.src.subarray(0, n),
      dst: this.dst.subarray(0, n),
      srcBlock: this.srcBlock.subarray(0, n),
      dstBlock: this.dstBlock.subarray(0, n),
      nBlocks: this.nBlocks.subarray(0, n),
      reduce: this.reduce.subarray(0, n),
      step: this.step.subarray(0, n),
      chunk: this.chunk.subarray(0, n),
    };
  }

  /** First element of block b (blocks split the buffer as evenly as possible). */
  blockStart(b: number): number {
    return Math.floor((b * this.elements) / this.blocks);
  }

  /** Number of steps (last step + 1). */
  get steps(): number {
    return this.length === 0 ? 0 : this.step[this.length - 1] + 1;
  }
}
