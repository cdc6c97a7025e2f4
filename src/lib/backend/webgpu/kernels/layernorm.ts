/** layerNorm on the GPU: one pass of Welford per thread, Chan's merge across a row's threads (shaders/layernorm.wgsl); rows four elements a load where rowsByFour allows (shaders/layernorm4.wgsl). */
import { shapeSize } from "../../../tensor/shape";
import template from "../../../../../shaders/layernorm.wgsl?raw";
import template4 from "../../../../../shaders/layernorm4.wgsl?raw";
import { kernelShader, storageBindings } from "../codegen";
import { gpuStorage, type GpuKernel } from "../kernel";
import type { PartialOpTable } from "../../../ops/names";
import { rowGeometry, rowIndex, rowKey, rowEnables, rowParams, rowsByFour, rowTemplate, rowWorkgroups } from "./rows";
import { LAYER_NORM_PARAMS } from "./layouts";
import { ROW4_OPENING, ROW_OPENING } from "./openings";

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
  // Four elements a load where the rows allow it (the same bits as the scalar kernel).
  if (rowsByFour(g, x, spec.dtype, len, values, rc)) {
    const shader4 = {
      key: `layerNorm:${xe.key}>${oe.key}:c:oc:${rowKey(g)}:v4`,
      source: () =>
        kernelShader(LAYER_NORM_PARAMS, template4, {
          BINDINGS: storageBindings([{ name: "src", type: "vec4<f32>" }], { name: "dst", type: "vec4<f32>" }),
          ...rowTemplate(g),
          OPENING: ROW4_OPENING,
        }),
    };
    ctx.dispatch(shader4, [gpuStorage(x), o], params, rowWorkgroups(g, rows));
    return o;
  }
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
