/** CPU kernel for the random op: Threefry-2x32 per element (the WGSL kernel computes the same bits). */
import { allocArray } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import { randomElement, type RandomDist } from "../../../tensor/threefry";
import type { CpuKernel } from "./util";
import type { PartialOpTable } from "../../../ops/names";

export const RANDOM_KERNELS = {
  random: (_inputs, attrs, out) => {
    const n = shapeSize(out.shape);
    const o = allocArray(out.dtype, n);
    const seed = attrs.seed as number,
      offset = attrs.offset as number,
      dist = attrs.dist as RandomDist;
    const scratch = new Uint32Array(2);
    for (let i = 0; i < n; i++) o[i] = randomElement(seed, offset, i, dist, scratch);
    return o;
  },
} satisfies PartialOpTable<CpuKernel>;
