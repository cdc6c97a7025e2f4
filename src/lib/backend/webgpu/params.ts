/**
 * The parameter block every kernel reads (see shaders/common.wgsl): 128 i32 slots holding sizes,
 * shapes and strides, so one pipeline serves every shape. Floats are stored bit-for-bit.
 */
import { WebgradError } from "../../errors";
import { fmtShape } from "../../tensor/shape";

/** Slots in one parameter block. */
export const PARAM_SLOTS = 128;
/** Highest rank a kernel indexes directly (views are coalesced first, so this is rarely reached). */
const MAX_RANK = 8;
/** Slots a view block takes: [offset, contiguous, stride0 … stride7]. */
export const VIEW_SLOTS = 2 + MAX_RANK;

const f32Scratch = new Float32Array(1);
const i32Scratch = new Int32Array(f32Scratch.buffer);

/** Writes a parameter block slot by slot; `at` gives the slot of what is written next. */
export class ParamWriter {
  readonly data = new Int32Array(PARAM_SLOTS);
  /** The slot the next value goes to. */
  at = 0;
  constructor(private readonly op: string) {}
  /** An integer. */
  int(v: number): this {
    this.check(1);
    this.data[this.at++] = v | 0;
    return this;
  }
  /** A float (f32 bits; read with `PF` in WGSL). */
  float(v: number): this {
    f32Scratch[0] = v;
    return this.int(i32Scratch[0]);
  }
  /** A dims block: rank, then the shape padded to MAX_RANK. */
  dims(shape: readonly number[]): this {
    if (shape.length > MAX_RANK) throw new WebgradError(this.op, `the WebGPU kernels index at most ${MAX_RANK} dimensions after merging contiguous ones; shape ${fmtShape(shape)} has ${shape.length}`);
    this.int(shape.length);
    for (let d = 0; d < MAX_RANK; d++) this.int(shape[d] ?? 1);
    return this;
  }
  /** A view block: offset, contiguity flag, then the strides padded to MAX_RANK. */
  view(offset: number, strides: readonly number[], contiguous: boolean): this {
    this.int(offset).int(contiguous ? 1 : 0);
    for (let d = 0; d < MAX_RANK; d++) this.int(strides[d] ?? 0);
    return this;
  }
  /** Move to slot `slot` (blocks have fixed places that kernels know). */
  seek(slot: number): this {
    this.at = slot;
    return this;
  }
  private check(n: number): void {
    if (this.at + n > PARAM_SLOTS) throw new Error(`${this.op}: parameter block overflow`);
  }
}
