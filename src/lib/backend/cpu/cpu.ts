/** The CPU backend: the reference every other backend is tested against. Synchronous underneath. */
import { WebgradError } from "../../errors";
import type { DType, TypedArray } from "../../tensor/dtype";
import { roundToFloat16 } from "../../tensor/float16";
import { fmtShape, shapeSize } from "../../tensor/shape";
import type { Backend, MemoryStats, OutSpec, Storage, StridedView } from "../backend";
import { CpuStorage, cpuMemory, gather, viewOffsets } from "./storage";
import { allocating, checkBytes } from "../../tensor/validate";
import { ELEMENTWISE_KERNELS } from "./kernels/elementwise";
import { REDUCE_KERNELS } from "./kernels/reduce";
import { MOVEMENT_KERNELS } from "./kernels/movement";
import { matmul } from "./kernels/matmul";
import { INDEXING_KERNELS } from "./kernels/indexing";
import { NN_KERNELS } from "./kernels/nn";
import { RANDOM_KERNELS } from "./kernels/random";
import { CONV_KERNELS } from "./kernels/conv";
import { arrayOf, type CpuKernel } from "./kernels/util";
import { implOf, unsupported } from "../../op-table";
import type { OpTable } from "../../ops/names";

/** Every CPU kernel, by op name: one per primitive of the op table (the compiler checks). */
export const CPU_KERNELS = {
  ...ELEMENTWISE_KERNELS,
  ...REDUCE_KERNELS,
  ...MOVEMENT_KERNELS,
  matmul,
  ...INDEXING_KERNELS,
  ...NN_KERNELS,
  ...RANDOM_KERNELS,
  ...CONV_KERNELS,
  noGradWrite: unsupported("always a view of its first input: no kernel runs"),
} satisfies OpTable<CpuKernel>;

/**
 * Runs ops in plain JavaScript on typed arrays; supports float64 for gradient checks. float16
 * results are computed as float32 and rounded to the nearest half (`roundToFloat16`).
 */
export class CpuBackend implements Backend {
  readonly name: string = "cpu";
  readonly dtypes: readonly DType[] = ["float16", "float32", "float64", "int32", "bool"];
  detail = "CPU (JavaScript)";

  fromArray(data: TypedArray, dtype: DType): Storage {
    return new CpuStorage(this, dtype, dtype === "float16" ? roundToFloat16(Float32Array.from(data)) : data);
  }
  exec(op: string, inputs: readonly StridedView[], attrs: Readonly<Record<string, unknown>>, out: OutSpec): Storage {
    const k = implOf<CpuKernel>(CPU_KERNELS, op);
    if (!k) throw new WebgradError(op, `the CPU backend has no kernel for this op`);
    // Refuse an output over the byte budget before a kernel allocates it, and name the op when the host cannot.
    checkBytes(op, out.shape, out.dtype);
    const data = allocating(op, out.shape, out.dtype, () => k(inputs, attrs as Record<string, unknown>, out));
    if (out.dtype === "float16") roundToFloat16(data);
    if (data.length !== shapeSize(out.shape)) throw new WebgradError(op, `CPU kernel produced ${data.length} elements for shape ${fmtShape(out.shape)}`);
    return new CpuStorage(this, out.dtype, data);
  }
  copyInto(dst: StridedView, src: StridedView): void {
    const d = arrayOf(dst);
    const vals = gather(src, dst.dtype);
    const offs = viewOffsets(dst);
    const n = vals.length;
    if (offs === null) d.set(vals as never, dst.offset);
    else for (let i = 0; i < n; i++) d[offs[i]] = vals[i];
  }
  async read(view: StridedView): Promise<TypedArray> {
    return gather(view);
  }
  readSync(view: StridedView): TypedArray {
    return gather(view);
  }
  supports(op: string): boolean {
    return implOf<CpuKernel>(CPU_KERNELS, op) !== undefined;
  }
  memory(): MemoryStats {
    return { ...cpuMemory(), pooledBytes: 0 };
  }
}
