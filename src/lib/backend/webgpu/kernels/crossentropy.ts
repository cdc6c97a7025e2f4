/**
 * crossEntropy and crossEntropyGrad on the GPU (shaders/crossentropy.wgsl): logSoftmax, the pick
 * at the target and, for small problems, the reduction in one kernel. Larger problems take a
 * workgroup per block of rows; the forward's mean/sum then adds a one-workgroup finishing pass.
 */
import { shapeSize } from "../../../tensor/shape";
import template from "../../../../../shaders/crossentropy.wgsl?raw";
import { kernelShader, storageBindings, type GpuElement } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import type { PartialOpTable } from "../../../ops/names";
import type { StridedView } from "../../backend";
import { indexFlagsOf, indexFlagsWgsl, indexOpCode } from "../index-check";
import { rowGeometry, rowIndex, rowKey, rowEnables, rowParams, rowTemplate, rowWorkgroups, type RowGeometry } from "./rows";
import { CROSS_ENTROPY_PARAMS } from "./layouts";
import { ONLINE_SOFTMAX_MERGE, ROW_THREADS } from "./openings";

/** At most this many logits go through one workgroup ("single" mode: no second pass). */
const CE_SINGLE_MAX = 1 << 16;

type Mode = "forward" | "grad";

/** Per-row code: the forward's loss (kept or written), the grad's row of dz. */
function rowBody(mode: Mode, single: boolean, mean: boolean, inJ: string, oe: GpuElement): string {
  if (mode === "forward") {
    const loss = `      var pk = rowMax;
      if (y >= 0 && u32(y) < len) { let j = u32(y); pk = f32(z[zb + ${inJ}]); } else { reportIndex(y, i32(len)); }
      let loss = select(logf(rowSum) + rowMax - pk, nanF32(), nanRow || isNanF(pk));`;
    return single
      ? `    if (valid && t == 0u) {\n${loss}\n      acc += vec2<f32>(loss, 1.0);\n    }`
      : `    if (live && t == 0u) {\n      var lossOut = 0.0;\n      if (valid) {\n${loss}\n        lossOut = loss;\n      }\n      dst[row] = ${oe.save("lossOut")};\n    }`;
  }
  const w = `select(${mean ? "gv / count" : "gv"}, 0.0, !valid)`;
  return `    if (live) {
      let gv = {{G}};
      let w = ${w};
      let inv = 1.0 / rowSum;
      for (var j = t; j < len; j += TPR) {
        let p = select(select(expf(f32(z[zb + ${inJ}]) - rowMax) * inv, nanF32(), nanRow), 0.0, !valid);
        dst[row * len + j] = ${oe.save("w * (p - select(0.0, 1.0, i32(j) == y))")};
      }
    }`;
}

/** The kernel of one mode; `out` is the element of what it writes (per-row losses stay f32). */
function ceShader(
  ctx: KernelContext,
  mode: Mode,
  g: RowGeometry,
  single: boolean,
  reduction: string,
  inContiguous: boolean,
  z: GpuElement,
  out: GpuElement,
  gin?: GpuElement,
) {
  const mean = reduction === "mean";
  const inJ = rowIndex(inContiguous, "inReduced");
  let prologue = "";
  let epilogue = "";
  if (mode === "forward" && single) {
    prologue = "  var acc = vec2<f32>(0.0, 0.0);";
    epilogue = `  let total = groupSum(acc, lid);\n  if (lid == 0u) { dst[0] = ${out.save(mean ? "total.x / total.y" : "total.x")}; }`;
  }
  if (mode === "grad" && mean) {
    // Every workgroup counts the valid rows itself (N/WG reads per thread): no second kernel.
    prologue =
      "  var c = 0.0;\n  for (var i = lid; i < rows; i += WG) { c += select(0.0, 1.0, targetOf(i) != ignore); }\n  let count = groupSum(vec2<f32>(c, 0.0), lid).x;";
  }
  const gRead = reduction === "none" ? "f32(gin[P(slot.gradOffset) + i32(r) * P(slot.gradStride)])" : "f32(gin[P(slot.gradOffset)])";
  const inputs = [{ name: "z", type: z.store }, { name: "tgt", type: "i32" }, ...(gin ? [{ name: "gin", type: gin.store }] : [])];
  return {
    key: `${mode === "forward" ? "crossEntropy" : "crossEntropyGrad"}:${[z, gin, out]
      .filter((e) => e)
      .map((e) => e!.key)
      .join(",")}:${reduction}${single ? ":single" : ""}${inContiguous ? ":c" : ""}:${rowKey(g)}`,
    source: () =>
      kernelShader(
        CROSS_ENTROPY_PARAMS,
        template,
        {
          // The forward reports targets outside 0 … C − 1 (see ../index-check); the grad runs after it.
          BINDINGS:
            storageBindings(inputs, { name: "dst", type: out.store }) +
            (mode === "forward" ? `\n${indexFlagsWgsl(inputs.length + 2, indexOpCode("crossEntropy"))}` : ""),
          MERGE: ONLINE_SOFTMAX_MERGE,
          ...rowTemplate(g),
          OPENING: ROW_THREADS,
          IN_J: inJ,
          B0: single ? "0u" : "groupId(wid, nwg) * RPW",
          B1: single ? "rows" : "min(groupId(wid, nwg) * RPW + RPW, rows)",
          PROLOGUE: prologue,
          ROW_BODY: rowBody(mode, single, mean, inJ, out).replace("{{G}}", gRead),
          EPILOGUE: epilogue,
        },
        rowEnables(g),
      ),
  };
}

/** The parameter block: rows layout of z plus ignoreIndex and the target / g views. */
function ceParams(z: StridedView, t: StridedView, attrs: Record<string, unknown>, gView?: StridedView) {
  const r = rowParams("crossEntropy", z, [1], false);
  const params = CROSS_ENTROPY_PARAMS.pack("crossEntropy", {
    ...r.values,
    ignoreIndex: attrs.ignoreIndex as number,
    targetOffset: t.offset,
    targetStride: t.strides[0] ?? 0,
    gradOffset: gView?.offset ?? 0,
    gradStride: gView?.strides[0] ?? 0,
  });
  return { ...r, params };
}

const crossEntropy: GpuKernel = (ctx, [z, t], attrs, spec) => {
  const reduction = attrs.reduction as string;
  const [n, c] = z.shape;
  const o = ctx.alloc(spec.dtype, Math.max(shapeSize(spec.shape), 1), "crossEntropy", spec.shape);
  const { rows, len, params, rowContiguous } = ceParams(z, t, attrs);
  const single = reduction !== "none" && n * c <= CE_SINGLE_MAX;
  if (n === 0 && reduction === "none") return o;
  const g = rowGeometry(ctx, Math.max(rows, 1), len);
  const ze = ctx.elem(z.dtype, "crossEntropy"),
    oe = ctx.elem(spec.dtype, "crossEntropy");
  if (single || n === 0) {
    ctx.dispatch(
      ceShader(ctx, "forward", g, true, reduction, rowContiguous.input, ze, oe),
      [gpuStorage(z), gpuStorage(t), o, indexFlagsOf(ctx, "crossEntropy")],
      params,
      [1, 1, 1],
    );
    return o;
  }
  if (reduction === "none") {
    ctx.dispatch(
      ceShader(ctx, "forward", g, false, reduction, rowContiguous.input, ze, oe),
      [gpuStorage(z), gpuStorage(t), o, indexFlagsOf(ctx, "crossEntropy")],
      params,
      rowWorkgroups(g, rows),
    );
    return o;
  }
  // Large mean/sum: per-row losses, then one workgroup sums them (a [N, 1] problem in single mode
  // would redo the softmax; here the finishing pass reads each loss once). The losses stay f32
  // whatever the result's dtype, so a float16 loss is rounded once.
  const losses = ctx.alloc("float32", n, "crossEntropy", [n]);
  ctx.dispatch(
    ceShader(ctx, "forward", g, false, "none", rowContiguous.input, ze, ctx.elem("float32", "crossEntropy")),
    [gpuStorage(z), gpuStorage(t), losses, indexFlagsOf(ctx, "crossEntropy")],
    params,
    rowWorkgroups(g, rows),
  );
  ctx.dispatch(finishShader(reduction, oe), [losses, gpuStorage(t), o], params, [1, 1, 1]);
  return o;
};

/** Sum (or mean over valid rows) of per-row losses in one workgroup. */
function finishShader(reduction: string, out: GpuElement) {
  return {
    key: `crossEntropyFinish:${out.key}:${reduction}`,
    source: () =>
      kernelShader(
        CROSS_ENTROPY_PARAMS,
        `{{BINDINGS}}
const WG: u32 = 64u;
var<workgroup> part: array<vec2<f32>, WG>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
  let rows = PU(slot.rows);
  var acc = vec2<f32>(0.0, 0.0);
  for (var i = lid; i < rows; i += WG) {
    acc += vec2<f32>(losses[i], select(0.0, 1.0, tgt[P(slot.targetOffset) + i32(i) * P(slot.targetStride)] != P(slot.ignoreIndex)));
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid < k) { part[lid] = part[lid] + part[lid + k]; }
    workgroupBarrier();
  }
  if (lid == 0u) { dst[0] = ${out.save(reduction === "mean" ? "part[0].x / part[0].y" : "part[0].x")}; }
}`,
        {
          BINDINGS: storageBindings(
            [
              { name: "losses", type: "f32" },
              { name: "tgt", type: "i32" },
            ],
            { name: "dst", type: out.store },
          ),
        },
      ),
  };
}

const crossEntropyGrad: GpuKernel = (ctx, [z, t, gIn], attrs, spec) => {
  const n = shapeSize(spec.shape);
  const o = ctx.alloc(spec.dtype, n, "crossEntropyGrad", spec.shape);
  if (n === 0) return o;
  const reduction = attrs.reduction as string;
  const { rows, len, params, rowContiguous } = ceParams(z, t, attrs, gIn);
  const g = rowGeometry(ctx, rows, len);
  const single = n <= CE_SINGLE_MAX;
  const shader = ceShader(
    ctx,
    "grad",
    g,
    single,
    reduction,
    rowContiguous.input,
    ctx.elem(z.dtype, "crossEntropyGrad"),
    ctx.elem(spec.dtype, "crossEntropyGrad"),
    ctx.elem(gIn.dtype, "crossEntropyGrad"),
  );
  ctx.dispatch(shader, [gpuStorage(z), gpuStorage(t), gpuStorage(gIn), o], params, single ? [1, 1, 1] : rowWorkgroups(g, rows));
  return o;
};

/** Kernels by op name. */
export const CROSS_ENTROPY_KERNELS = { crossEntropy, crossEntropyGrad } satisfies PartialOpTable<GpuKernel>;
