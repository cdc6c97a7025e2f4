/** CPU kernels for softmax and logSoftmax along an axis (max-shifted, so large inputs do not overflow). */
import { allocArray } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import { arrayOf, axesLast, outOffsetsPermuted, permutedOffsets, type CpuKernel } from "./util";

function rowwise(log: boolean): CpuKernel {
  return ([x], attrs, out) => {
    const axis = attrs.axis as number;
    const perm = axesLast(x.shape.length, [axis]);
    const src = arrayOf(x);
    const io = permutedOffsets(x, perm), oo = outOffsetsPermuted(out.shape, perm);
    const len = x.shape[axis] ?? 1;
    const o = allocArray(out.dtype, shapeSize(out.shape));
    for (let k = 0; k < io.length; k += len) {
      let m = -Infinity;
      for (let j = 0; j < len; j++) m = Math.max(m, src[io[k + j]]);
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(src[io[k + j]] - m);
      const ls = Math.log(s);
      for (let j = 0; j < len; j++) {
        const z = src[io[k + j]] - m;
        o[oo[k + j]] = log ? z - ls : Math.exp(z) / s;
      }
    }
    return o;
  };
}

export const NN_KERNELS: Record<string, CpuKernel> = {
  softmax: rowwise(false),
  logSoftmax: rowwise(true),
};
