/** layerNorm on the GPU: one pass of Welford per thread, Chan's merge across a row's threads (shaders/layernorm.wgsl). */
import { shapeSize } from "../../../tensor/shape";
import template from "../../../../../shaders/layernorm.wgsl?raw";
import { kernelShader, storageBindings } from "../codegen";
import { gpuStorage, type GpuKernel } from "../kernel";
import type { PartialOpTable } from "../../../ops/names";
import { rowGeometry, rowIndex, rowKey, rowEnables, rowParams, rowTemplate, rowWorkgroups } from "./rows";
import { LAYER_NORM_PARAMS } from "./layouts";
import { ROW_OPENING } from "./openings";

const layerNorm: GpuKernel = (ctx, [x], attrs, spec) => {
  const n = shapeSize(spec.shape);
  const o = ctx.alloc(spec.dtype, n, "layerNorm", spec.shape);
  if (n === 0) return o;
  const dims = attrs.dims as number;
  const r = x.shape.length;
  const axes = Array.from({ length: dims }, (_, i) => r - dims + i);
  const { rows, len, values, rowContiguous: rc } = rowParams("layerNorm", x, axes, true);
  const params = LAYER_NORM_PARAMS.pack("layerNorm", { ...values, eps: attrs.eps as number });
  const g = rowGeometry(ctx, rows, len);
  const xe = ctx.elem(x.dtype, "layerNorm"),
    oe = ctx.elem(spec.dtype, "layerNorm");
  const shader = {
    key: `layerNorm:${xe.key}>${oe.key}${rc.input ? ":c" : ""}${rc.output ? ":oc" : ""}:${rowKey(g)}`,
    source: () =>
      kernelShader(
        LAYER_NORM_PARAMS,
        template,
        {
          BINDINGS: storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: oe.store }),
          ...rowTemplate(g),
          OPENING: ROW_OPENING,
          IN_J: rowIndex(rc.input, "inReduced"),
          OUT_J: rowIndex(rc.output, "outReduced"),
          SAVE_Y: oe.save("y"),
        },
        rowEnables(g),
      ),
  };
  ctx.dispatch(shader, [gpuStorage(x), o], params, rowWorkgroups(g, rows));
  return o;
};

/** Kernels by op name. */
export const LAYER_NORM_KERNELS = { layerNorm } satisfies PartialOpTable<GpuKernel>;
