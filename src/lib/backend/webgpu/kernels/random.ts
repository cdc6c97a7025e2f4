/** The random op on the GPU: Threefry-2x32 per element (shaders/random.wgsl), bit-identical to the CPU. */
import { shapeSize } from "../../../tensor/shape";
import randomTemplate from "../../../../../shaders/random.wgsl?raw";
import { kernelShader, spread, storageBindings } from "../codegen";
import type { GpuKernel } from "../kernel";
import type { PartialOpTable } from "../../../ops/names";
import { RANDOM_PARAMS } from "./layouts";

/** WGSL that draws element i as `v` from the words w and u0 = top 24 bits of w.x in [0, 1). */
const DRAWS: Record<string, string> = {
  uniform: "  let v = u0;",
  // Box–Muller on both words; u1 ∈ (0, 1] keeps the log finite.
  normal: `  let u1 = f32((w.x >> 8u) + 1u) * (1.0 / 16777216.0);
  let u2 = f32(w.y >> 8u) * (1.0 / 16777216.0);
  let v = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);`,
};

const random: GpuKernel = (ctx, _inputs, attrs, out) => {
  const n = shapeSize(out.shape);
  const o = ctx.alloc(out.dtype, n, "random", out.shape);
  if (n === 0) return o;
  const seed = attrs.seed as number,
    offset = attrs.offset as number,
    dist = attrs.dist as string;
  const params = RANDOM_PARAMS.pack("random", {
    count: n,
    keyLo: seed >>> 0,
    keyHi: Math.floor(seed / 4294967296) >>> 0,
    counterLo: offset >>> 0,
    counterHi: Math.floor(offset / 4294967296) >>> 0,
  });
  const oe = ctx.elem(out.dtype, "random");
  const shader = {
    key: `random:${dist}:${oe.key}`,
    source: () =>
      kernelShader(RANDOM_PARAMS, randomTemplate, {
        BINDINGS: storageBindings([], { name: "dst", type: oe.store }),
        DRAW: `${DRAWS[dist]}\n  dst[i] = ${oe.save("v")};`,
      }),
  };
  ctx.dispatch(shader, [o], params, spread(Math.ceil(n / 256)));
  return o;
};

/** Kernels by op name. */
export const RANDOM_KERNELS = { random } satisfies PartialOpTable<GpuKernel>;
