/**
 * Row kernels of the nn ops: softmax and logSoftmax (online softmax: per-thread max and sum merged
 * with rescaling), layerNorm (Welford per thread, Chan's merge across threads), crossEntropy and
 * its gradient (logSoftmax and the pick at the target fused; the mean over valid rows in the same
 * kernel when the problem is small). Rows are spread over threads by `rowGeometry`.
 */
import { shapeSize } from "../../../tensor/shape";
import softmaxTemplate from "../../../../../shaders/softmax.wgsl?raw";
import softmax4Template from "../../../../../shaders/softmax4.wgsl?raw";
import { kernelShader, storageBindings } from "../codegen";
import { gpuStorage, type GpuKernel } from "../kernel";
import { rowGeometry, rowIndex, rowKey, rowEnables, rowParams, rowsByFour, rowTemplate, rowWorkgroups } from "./rows";
import { ROWS_PARAMS } from "./layouts";
import { ONLINE_SOFTMAX_MERGE, ROW4_OPENING, ROW_OPENING } from "./openings";
import { LAYER_NORM_KERNELS } from "./layernorm";
import { CROSS_ENTROPY_KERNELS } from "./crossentropy";
import type { PartialOpTable } from "../../../ops/names";

function rowwise(op: "softmax" | "logSoftmax"): GpuKernel {
  return (ctx, [x], attrs, spec) => {
    const n = shapeSize(spec.shape);
    const o = ctx.alloc(spec.dtype, n, op, spec.shape);
    if (n === 0) return o;
    const { rows, len, values, rowContiguous: rc } = rowParams(op, x, [attrs.axis as number], true);
    const g = rowGeometry(ctx, rows, len);
    const xe = ctx.elem(x.dtype, op),
      oe = ctx.elem(spec.dtype, op);
    // Four elements a load where the rows allow it (the same bits as the scalar kernel).
    if (op === "softmax" && rowsByFour(g, x, spec.dtype, len, values, rc)) {
      const shader4 = {
        key: `${op}:${xe.key}>${oe.key}:c:oc:${rowKey(g)}:v4`,
        source: () =>
          kernelShader(ROWS_PARAMS, softmax4Template, {
            BINDINGS: storageBindings([{ name: "src", type: "vec4<f32>" }], { name: "dst", type: "vec4<f32>" }),
            ...rowTemplate(g),
            OPENING: ROW4_OPENING,
          }),
      };
      ctx.dispatch(shader4, [gpuStorage(x), o], ROWS_PARAMS.pack(op, values), rowWorkgroups(g, rows));
      return o;
    }
    const outJ = rowIndex(rc.output, "outReduced");
    // Softmax parks exp(x − m) in dst and rescales it in place: an f32 buffer keeps it unrounded,
    // so an emulated float16 result is rounded once, at the rescale.
    const park = (v: string) => (oe.store === "f16" ? oe.save(v) : v);
    const write =
      op === "softmax"
        ? `  let scale = select(expf(mt - rowMax) / rowSum, nanF32(), nanRow);\n  for (var j = t; j < len; j += TPR) { let k = ob + ${outJ}; dst[k] = ${oe.save(`${oe.load("dst[k]")} * scale`)}; }`
        : `  let logSum = logf(rowSum);\n  for (var j = t; j < len; j += TPR) { dst[ob + ${outJ}] = ${oe.save(`select(f32(src[ib + ${rowIndex(rc.input, "inReduced")}]) - rowMax - logSum, nanF32(), nanRow)`)}; }`;
    const shader = {
      key: `${op}:${xe.key}>${oe.key}${rc.input ? ":c" : ""}${rc.output ? ":oc" : ""}:${rowKey(g)}`,
      source: () =>
        kernelShader(
          ROWS_PARAMS,
          softmaxTemplate,
          {
            BINDINGS: storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: oe.store }),
            MERGE: ONLINE_SOFTMAX_MERGE,
            ...rowTemplate(g),
            OPENING: ROW_OPENING,
            IN_J: rowIndex(rc.input, "inReduced"),
            STORE_E: op === "softmax" ? `      dst[ob + ${outJ}] = ${park("e")};` : "",
            WRITE: write,
          },
          rowEnables(g),
        ),
    };
    ctx.dispatch(shader, [gpuStorage(x), o], ROWS_PARAMS.pack(op, values), rowWorkgroups(g, rows));
    return o;
  };
}

/** Kernels by op name. */
export const NN_KERNELS = {
  softmax: rowwise("softmax"),
  logSoftmax: rowwise("logSoftmax"),
  ...LAYER_NORM_KERNELS,
  ...CROSS_ENTROPY_KERNELS,
} satisfies PartialOpTable<GpuKernel>;
