/** softmax and logSoftmax: one workgroup per row, online softmax (shaders/softmax.wgsl). */
import { shapeSize } from "../../../tensor/shape";
import softmaxTemplate from "../../../../../shaders/softmax.wgsl?raw";
import { buildShader, spread, storageBindings } from "../codegen";
import { gpuStorage, type GpuKernel } from "../kernel";
import { rowIndex, rowParams } from "./rows";

/** Threads per row. */
const WG = 64;

function rowwise(op: string, out: string): GpuKernel {
  return (ctx, [x], attrs, spec) => {
    const n = shapeSize(spec.shape);
    const o = ctx.alloc(spec.dtype, n, op, spec.shape);
    if (n === 0) return o;
    const { rows, params, rowContiguous: rc } = rowParams(op, x, [attrs.axis as number], true);
    const shader = {
      key: `${op}:f32${rc.input ? ":c" : ""}${rc.output ? ":oc" : ""}`,
      source: () => buildShader(softmaxTemplate, { BINDINGS: storageBindings([{ name: "src", type: "f32" }], { name: "dst", type: "f32" }), WG, OUT: out, IN_J: rowIndex(rc.input, 30), OUT_J: rowIndex(rc.output, 50) }),
    };
    ctx.dispatch(shader, [gpuStorage(x), o], params, spread(rows));
    return o;
  };
}

/** Kernels by op name. */
export const NN_KERNELS: Record<string, GpuKernel> = {
  softmax: rowwise("softmax", "exp(z) / rowSum"),
  logSoftmax: rowwise("logSoftmax", "z - logSum"),
};
