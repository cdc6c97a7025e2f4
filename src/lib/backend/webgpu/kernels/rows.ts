/**
 * The "rows" layout shared by reductions, cumsum, softmax, layerNorm and crossEntropy: the input
 * is seen as rows over the kept axes and, within a row, the reduced axes (moved last); its
 * parameters are ROWS_PARAMS (./layouts): dims blocks of both, and views of the input (and the
 * output, for ops whose output keeps the input's shape) over each.
 */
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import type { StridedView } from "../../backend";
import { coalesce, isRowMajor } from "../layout";
import type { ParamValues } from "../params";
import { ROWS_PARAMS } from "./layouts";
import { spread } from "../codegen";
import type { KernelContext } from "../kernel";

/** The values of the rows layout's parameters. */
export type RowsValues = ParamValues<typeof ROWS_PARAMS.fields>;

/**
 * Rows and row length of `x` reduced over `axes`, with the rows layout's parameter values, and
 * whether the input (and output) walk each row contiguously: kernels then index a row element as
 * `j` rather than `stridedOffset(…, j)` (see `rowIndex`; docs/WEBGPU_TUNING.md).
 */
export function rowParams(
  op: string,
  x: StridedView,
  axes: readonly number[],
  withOutput: boolean,
): { rows: number; len: number; values: RowsValues; rowContiguous: { input: boolean; output: boolean } } {
  const rank = x.shape.length;
  const kept = [...Array(rank).keys()].filter((d) => !axes.includes(d));
  const outStrides = contiguousStrides(x.shape);
  const pick = (ds: number[], s: readonly number[]) => ds.map((d) => s[d]);
  const k = coalesce(pick(kept, x.shape), [pick(kept, x.strides), pick(kept, outStrides)]);
  const r = coalesce(pick([...axes], x.shape), [pick([...axes], x.strides), pick([...axes], outStrides)]);
  const rows = shapeSize(pick(kept, x.shape));
  const len = shapeSize(pick([...axes], x.shape));
  const rowContiguous = { input: isRowMajor(r.shape, r.strides[0]), output: withOutput && isRowMajor(r.shape, r.strides[1]) };
  const none = { offset: 0, strides: [] };
  const values: RowsValues = {
    rows,
    len,
    keptDims: k.shape,
    reducedDims: r.shape,
    inKept: { offset: x.offset, strides: k.strides[0] },
    inReduced: { offset: 0, strides: r.strides[0], contiguous: rowContiguous.input },
    outKept: withOutput ? { offset: 0, strides: k.strides[1] } : none,
    outReduced: withOutput ? { offset: 0, strides: r.strides[1], contiguous: rowContiguous.output } : none,
  };
  return { rows, len, values, rowContiguous };
}

/**
 * Whether a row kernel of geometry `g` reads (and writes) its rows four elements at a time
 * (shaders/softmax4.wgsl, layernorm4.wgsl): a thread per row, float32 in and out, each row
 * contiguous in input and output, a multiple of four long and starting on a 16-byte boundary (the
 * input's offset and kept strides multiples of four; the output is contiguous). On a CPU adapter a
 * vec4 load or store replaces four bounds-checked scalar ones (docs/WEBGPU_TUNING.md).
 */
export function rowsByFour(
  g: RowGeometry,
  x: StridedView,
  outDtype: string,
  len: number,
  values: RowsValues,
  rc: { input: boolean; output: boolean },
): boolean {
  return (
    g.tpr === 1 &&
    rc.input &&
    rc.output &&
    len % 4 === 0 &&
    x.dtype === "float32" &&
    outDtype === "float32" &&
    x.offset % 4 === 0 &&
    values.inKept.strides.every((s) => s % 4 === 0)
  );
}

/**
 * WGSL for the offset of element `j` within a row, through the reduced-dims view of the input
 * (`inReduced`) or the output (`outReduced`): `j` itself when the row is contiguous. Part of the
 * shader key.
 */
export function rowIndex(contiguous: boolean, view: "inReduced" | "outReduced"): string {
  return contiguous ? "i32(j)" : `stridedOffset(slot.reducedDims.at, slot.${view}.at, j)`;
}

/**
 * How a row kernel spreads rows over threads: `tpr` threads share a row (a power of two) and a
 * workgroup holds `rpw` rows. On a GPU many threads per row hide memory latency (one workgroup
 * per row, merged by a tree in workgroup memory, or by subgroup shuffles); on a CPU adapter,
 * where barriers and workgroup memory cost more than they save, each thread takes whole rows once
 * there are enough rows to fill its lanes (docs/WEBGPU_TUNING.md).
 */
export interface RowGeometry {
  tpr: number;
  rpw: number;
  /** Merge through subgroup shuffles (one row per workgroup, adapter has `subgroups`). */
  subgroups: boolean;
}

/** Overrides for tests and measurements: force threads per row (1 … 256) or turn subgroups off. */
export const ROW_TUNING: { threadsPerRow?: number; subgroups?: boolean } = {};

/** Threads in a row kernel's workgroup. */
const ROW_WG = 64;

/**
 * Rows up to this long take a thread each on a CPU adapter however few they are: walking one is
 * microseconds, and the shared-row form's pipeline (barriers, subgroup shuffles) took 4–5× as long
 * to build on SwiftShader (softmax and layerNorm ~200 ms against ~45 ms), once per Run, for a
 * sampling step's single row.
 */
const CPU_SHORT_ROW = 1024;

/** The geometry of a row kernel over `rows` rows of `len` elements. */
export function rowGeometry(ctx: KernelContext, rows: number, len: number): RowGeometry {
  const threadEach = ctx.features.cpuAdapter && (rows >= 64 || len <= CPU_SHORT_ROW);
  let tpr = ROW_TUNING.threadsPerRow ?? (threadEach ? 1 : len <= 32 && rows >= 64 ? 8 : ROW_WG);
  tpr = Math.min(256, Math.max(1, 2 ** Math.round(Math.log2(tpr))));
  const rpw = Math.max(1, ROW_WG / tpr);
  const subgroups = rpw === 1 && tpr >= 16 && ctx.features.subgroups && ROW_TUNING.subgroups !== false;
  return { tpr, rpw, subgroups };
}

/** Workgroups a row kernel dispatches. */
export function rowWorkgroups(g: RowGeometry, rows: number): [number, number, number] {
  return spread(Math.ceil(rows / g.rpw));
}

/**
 * WGSL shared by the row kernels: constants TPR/RPW/WG, and `rowReduce(v, lid, sgi, sgs)` merging the
 * vec4 states of a row's TPR threads with `fn merge(a, b)` (the shader defines it); every thread of
 * the row gets the result. Call it from uniform control flow (it has barriers). `sgi`, `sgs` are
 * subgroup_invocation_id and subgroup_size, only read on the subgroup path. The geometry is part of
 * the shader key (`rowKey`).
 */
function rowReduceWgsl(g: RowGeometry): string {
  const head = `const TPR: u32 = ${g.tpr}u;\nconst RPW: u32 = ${g.rpw}u;\nconst WG: u32 = ${g.tpr * g.rpw}u;`;
  if (g.tpr === 1) return `${head}\nfn rowReduce(v: vec4<f32>, lid: u32, sgi: u32, sgs: u32) -> vec4<f32> { return v; }`;
  if (g.subgroups) {
    // Butterfly within each subgroup, then one value per subgroup compacted through an atomic
    // counter (WGSL does not promise which invocations form a subgroup), merged by thread 0.
    return `${head}
var<workgroup> red: array<vec4<f32>, WG>;
var<workgroup> nred: atomic<u32>;
fn rowReduce(v0: vec4<f32>, lid: u32, sgi: u32, sgs: u32) -> vec4<f32> {
  if (lid == 0u) { atomicStore(&nred, 0u); }
  workgroupBarrier();
  var v = v0;
  for (var k = sgs / 2u; k > 0u; k >>= 1u) { v = merge(v, subgroupShuffleXor(v, k)); }
  if (sgi == 0u) { red[atomicAdd(&nred, 1u)] = v; }
  workgroupBarrier();
  if (lid == 0u) {
    let n = atomicLoad(&nred);
    var acc = red[0];
    for (var i = 1u; i < n; i++) { acc = merge(acc, red[i]); }
    red[0] = acc;
  }
  workgroupBarrier();
  return red[0];
}`;
  }
  return `${head}
var<workgroup> red: array<vec4<f32>, WG>;
fn rowReduce(v: vec4<f32>, lid: u32, sgi: u32, sgs: u32) -> vec4<f32> {
  let t = lid % TPR;
  workgroupBarrier();
  red[lid] = v;
  workgroupBarrier();
  for (var k = TPR / 2u; k > 0u; k >>= 1u) {
    if (t < k) { red[lid] = merge(red[lid], red[lid + k]); }
    workgroupBarrier();
  }
  return red[lid - t];
}`;
}

/** The part of a row kernel's shader key that its geometry fixes. */
export function rowKey(g: RowGeometry): string {
  return `t${g.tpr}${g.subgroups ? "sg" : ""}`;
}

/**
 * What every row kernel's template takes from its geometry: the row merge (`ROW_REDUCE`), the
 * workgroup size (`WG`), the entry point's parameters (`ENTRY`, with the subgroup builtins only
 * where used) and their arguments to the merge (`SG`). Called when the pipeline is built.
 */
export function rowTemplate(g: RowGeometry): { ROW_REDUCE: string; WG: number; ENTRY: string; SG: string } {
  const base = "@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32";
  const common = { ROW_REDUCE: rowReduceWgsl(g), WG: g.tpr * g.rpw };
  if (!g.subgroups) return { ...common, ENTRY: base, SG: "0u, 1u" };
  return { ...common, ENTRY: `${base}, @builtin(subgroup_invocation_id) sgi: u32, @builtin(subgroup_size) sgs: u32`, SG: "sgi, sgs" };
}

/** The WGSL extensions a row kernel of this geometry enables. */
export function rowEnables(g: RowGeometry): string[] {
  return g.subgroups ? ["subgroups"] : [];
}
