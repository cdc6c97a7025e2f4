/**
 * Out-of-range indices on the GPU. A kernel cannot throw, and the CPU cannot look at index values
 * without a read-back, so gather, scatterAdd and crossEntropy clamp a bad index (no read or write
 * outside a buffer) and report it in a small flags buffer: [count, op code, value, size]. Every
 * read-back copies the flags along with the data (16 bytes more) and turns a report into a
 * IndexError there, as CUDA's device-side asserts surface at the next synchronization.
 */
import { IndexError, WebgradError } from "../../errors";
import type { KernelContext } from "./kernel";
import type { GpuStorage } from "./storage";

/** Ops whose kernels report, by the code they write. */
const OPS = ["", "gather", "scatterAdd", "crossEntropy", "oneHot"] as const;

/** An op a report can name. */
export type IndexCheckedOp = Exclude<(typeof OPS)[number], "">;

/** The code a kernel of `op` writes. */
export function indexOpCode(op: IndexCheckedOp): number {
  return OPS.indexOf(op);
}

/** The op a gather reports as: its own name, or the op that asked for it as a check (oneHot). */
export function reportedOp(attrs: Record<string, unknown>): IndexCheckedOp {
  const r = attrs.reportAs;
  return typeof r === "string" && (OPS as readonly string[]).includes(r) && r !== "" ? (r as IndexCheckedOp) : "gather";
}

/** The flags storage a kernel of `op` binds (every dispatching context has one). */
export function indexFlagsOf(ctx: KernelContext, op: string): GpuStorage {
  if (ctx.indexFlags === undefined) throw new WebgradError(op, "this kernel context has no index-flags buffer to report out-of-range indices to");
  return ctx.indexFlags;
}

/** Bytes of the flags buffer. */
export const INDEX_FLAG_BYTES = 16;

/**
 * WGSL for the flags binding at `binding` and `reportIndex(v, size)`: the first report keeps its
 * value (an atomic count decides who is first, without compare-exchange's spurious failures).
 */
export function indexFlagsWgsl(binding: number, code: number): string {
  return `@group(0) @binding(${binding}) var<storage, read_write> flags: array<atomic<i32>, 4>;
fn reportIndex(v: i32, size: i32) {
  if (atomicAdd(&flags[0], 1) == 0) {
    atomicStore(&flags[1], ${code});
    atomicStore(&flags[2], v);
    atomicStore(&flags[3], size);
  }
}`;
}

/** The error a non-zero flags block stands for, or null. */
export function indexFlagError(flags: Int32Array): IndexError | null {
  const [count, code, value, size] = flags;
  if (count === 0) return null;
  const op = OPS[code] || "gather";
  const what =
    op === "crossEntropy"
      ? `target class ${value} is out of range for ${size} classes`
      : op === "oneHot"
        ? `class id ${value} is out of range for numClasses ${size}`
        : `index ${value} is out of range for a dimension of size ${size}`;
  const others = count > 1 ? ` (${count} out-of-range values in all)` : "";
  return new IndexError(
    op,
    `${what} (valid: ${size > 0 ? `0 … ${size - 1}` : "none"})${others}. The WebGPU kernel clamped it, so the values computed from it are wrong; ` +
      `it is reported at this read-back because GPU kernels run asynchronously (the CPU backend reports it at the op itself)`,
  );
}
