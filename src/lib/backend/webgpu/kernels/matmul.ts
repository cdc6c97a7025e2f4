/**
 * Matmul on the GPU, four kernels: a thread per output for small M or N (matrix-vector, thin
 * products); the vec4 kernel where the layouts allow it (K four at a time, A and B read as vec4
 * along their contiguous dims, TM×TN outputs per thread, no workgroup memory: see vec4Layout);
 * otherwise the register kernel (4×4 per thread) or, on `MATMUL_VARIANT`, the tiled one
 * (workgroup-memory tiles, TM×TN register blocks). All are batched with broadcast batch strides
 * and take transposed operands through strides. Geometries per adapter were chosen by
 * measurement: docs/WEBGPU_TUNING.md.
 */
import { shapeSize } from "../../../tensor/shape";
import type { OutSpec, StridedView } from "../../backend";
import { broadcastView, contiguousStrides } from "../../../tensor/shape";
import tiledTemplate from "../../../../../shaders/matmul.wgsl?raw";
import smallTemplate from "../../../../../shaders/matmul_small.wgsl?raw";
import regTemplate from "../../../../../shaders/matmul_reg.wgsl?raw";
import vec4Template from "../../../../../shaders/matmul_vec4.wgsl?raw";
import { halfAccesses, kernelShader, spread, storageBindings, wgslType, type WgslType } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { coalesce } from "../layout";
import type { FieldValue } from "../params";
import { MATMUL_PARAMS } from "./layouts";
import { MATMUL_BATCH_RANK, matmulBatchBases, matmulBatchKey, matmulOpening, MATMUL_SIZES } from "./openings";
import type { ShaderSpec } from "../pipelines";
import type { GpuStorage } from "../storage";
import { fill, stridedCopy } from "./movement";
import type { PartialOpTable } from "../../../ops/names";

/** Tile geometry of the tiled kernel. */
export const TILE = { BM: 64, BN: 64, BK: 16, TM: 8 };

/**
 * Which large-matrix kernel runs: "tiled" (workgroup memory + barriers) or "registers" (no
 * workgroup memory, REG.TM×4 per thread), and whether layouts that allow it take the vec4 kernel
 * (vec4Geometry: TM×TN per thread, K four at a time). Chosen by measurement (docs/WEBGPU_TUNING.md).
 */
export const MATMUL_VARIANT: { kernel: "tiled" | "registers"; vec4: boolean } = { kernel: "registers", vec4: true };

/**
 * The vec4 path's layout, or null when it does not apply: A read as vec4 along k ("vec", k stride
 * 1), as vec4 down its columns ("tvec", m stride 1: a transposed A such as xᵀ in a weight
 * gradient; M a multiple of 4) or gathered ("scalar"); B as vec4 rows ("row", column stride 1) or
 * columns ("col", k stride 1). Every offset and stride it divides by 4 must be a multiple of 4,
 * and K, N multiples of 4.
 */
function vec4Layout(
  a: StridedView,
  b: StridedView,
  batchStrides: number[][],
  m: number,
  n: number,
  k: number,
): { a: "vec" | "tvec" | "scalar"; b: "row" | "col" } | null {
  if (k % 4 !== 0 || n % 4 !== 0 || m < 8 || k < 8) return null;
  const r = a.strides.length;
  const [sAm, sAk] = [a.strides[r - 2], a.strides[r - 1]];
  const [sBk, sBn] = [b.strides[r - 2], b.strides[r - 1]];
  const x4 = (...v: number[]) => v.every((x) => x % 4 === 0);
  const bMode = sBn === 1 && x4(b.offset, sBk, ...batchStrides[1]) ? "row" : sBk === 1 && x4(b.offset, sBn, ...batchStrides[1]) ? "col" : null;
  if (!bMode) return null;
  const aMode =
    sAk === 1 && x4(a.offset, sAm, ...batchStrides[0]) ? "vec" : sAm === 1 && m % 4 === 0 && x4(a.offset, sAk, ...batchStrides[0]) ? "tvec" : "scalar";
  return { a: aMode, b: bMode };
}
/** Geometry of the register-only kernel: WX×WY threads, each TM rows × 4 columns. */
export const REG = { WX: 16, WY: 8, TM: 4 };
/**
 * Geometry of the vec4 kernel (the default where its layout applies, see vec4Layout) on a GPU:
 * WX×WY threads, each TM rows × TN columns (TM a multiple of 4, TN of 4; measured: docs/WEBGPU_TUNING.md).
 */
export const VEC4 = { WX: 16, WY: 8, TM: 8, TN: 4 };
/**
 * The vec4 kernel's geometry on a CPU adapter: far larger blocks per thread, since loads per fma
 * are what count there (docs/WEBGPU_TUNING.md).
 */
export const VEC4_CPU = { WX: 8, WY: 4, TM: 16, TN: 16 };
/**
 * The same blocks with the threads of a workgroup along rows (WX = 1), for products whose column
 * blocks leave a partial group of four (see vec4CpuGeometry).
 */
export const VEC4_CPU_ROWS = { WX: 1, WY: 8, TM: 16, TN: 16 };

/**
 * The CPU adapter's block for small products (under SMALL_PRODUCT_MACS multiply-adds). SwiftShader
 * compiles a 16×16 block in 1–3 s per operand layout (LLVM over 64 unrolled vec4 accumulators),
 * an 8×8 block in well under one; the big block saves about 1 ms a call at 128³, so a small product
 * would need a thousand calls to repay the compile, and each Run is a fresh device that compiles
 * again (measured: docs/WEBGPU_TUNING.md). Both blocks give bit-identical results: every output is
 * the same fma chain over k, whatever thread computes it.
 */
export const VEC4_CPU_SMALL = { WX: 8, WY: 4, TM: 8, TN: 8 };
/**
 * The CPU adapter's block for thin products (N ≤ 8 columns): threads along rows (WX = 1), each 4
 * rows × 8 columns, so a workgroup covers 32 rows and no column thread idles.
 */
export const VEC4_CPU_THIN = { WX: 1, WY: 8, TM: 4, TN: 8 };
/** Products with fewer multiply-adds than this use VEC4_CPU_SMALL on a CPU adapter. */
export const SMALL_PRODUCT_MACS = 2 ** 22;
/**
 * Larger products on a CPU adapter also start on VEC4_CPU_SMALL, and take the big block once its
 * kernel (one per operand layout and epilogue) has run `tierUpMacs` multiply-adds on the small
 * one: the big block is built then, in the background (KernelContext.tierUp). A quick look at a
 * model never pays for it; a long training run does after a few dozen steps, and gains ~30 % on
 * its products from then on. Both blocks give bit-identical results. 0: no tiering (the bench's
 * steady state).
 */
export const MATMUL_TUNING = { tierUpMacs: 2 ** 30 };

/**
 * A CPU adapter runs invocations four at a time as SIMD lanes (consecutive local invocations, x
 * fastest): a group of four with one thread in range costs what four do. So the lanes go along
 * the dimension whose thread count leaves the smaller partial group — columns (VEC4_CPU) unless
 * rows waste less (VEC4_CPU_ROWS; measured: docs/WEBGPU_TUNING.md).
 */
export function vec4CpuGeometry(m: number, n: number, macs = Infinity): typeof VEC4_CPU {
  if (macs < SMALL_PRODUCT_MACS) return VEC4_CPU_SMALL;
  const partial = (threads: number) => (4 * Math.ceil(threads / 4) - threads) / threads;
  const cols = partial(Math.ceil(n / VEC4_CPU.TN)),
    rows = partial(Math.ceil(m / VEC4_CPU_ROWS.TM));
  return rows < cols ? VEC4_CPU_ROWS : VEC4_CPU;
}

/** Below these, the thread-per-output kernel wins (a 64×64 tile would be mostly idle). */
const SMALL_M = 8,
  SMALL_N = 8;

/**
 * An epilogue applied to each output: `expr` over `acc` (the dot product), `r` (row) and `col`
 * (column); `prelude` holds module-scope helper functions it calls. `more` are the expressions of
 * further outputs C1, C2 … stored at the same element (a weight gradient and the weight it
 * updates). In any of them `prev<k>` is output k's value before this kernel stores it — how an
 * output that overwrites an input reads that input (the caller passes the input's buffer as the
 * output). `setup` runs once per thread before the first store (it fills `var<private>`s the
 * prelude declares: values the expressions would otherwise read per element). The key names it in
 * the pipeline cache, so one key must always mean one epilogue.
 */
export type Epilogue = { key: string; expr: string; prelude?: string; more?: readonly string[]; setup?: string };
const PLAIN: Epilogue = { key: "plain", expr: "acc" };

/** Output k's binding name: C, C1, C2 … */
const outName = (k: number) => (k === 0 ? "C" : `C${k}`);

/** The outputs whose `prev<k>` an epilogue reads. */
function prevsOf(exprs: readonly string[]): number[] {
  return [...new Set(exprs.flatMap((e) => [...e.matchAll(/\bprev(\d+)\b/g)].map((m) => Number(m[1]))))].sort((a, b) => a - b);
}

/**
 * The statements storing every output of a scalar element at flat index `at` (`acc` in scope):
 * each `prev<k>` read first, then one store per output. `col` is the element's column.
 */
function scalarStores(exprs: readonly string[], at: string, col: string): string {
  const prev = prevsOf(exprs).map((k) => `let prev${k} = ${outName(k)}[${at}];`);
  const stores = exprs.map((e, k) => `${outName(k)}[${at}] = ${e.replace(/\bcol\b/g, col)};`);
  return [...prev, ...stores].join(" ");
}

/**
 * The stores of a block of TM rows × 4 columns (accumulators acc0 … acc<TM-1>, one vec4 per row;
 * `rowOf(i)` is the WGSL of row i). A plain product stores in straight-line code; an epilogue
 * loops over the block, so its code appears once rather than 4·TM times (SwiftShader's compile
 * time grows with the code; see `loopedStore` of the vec4 kernel).
 */
function blockScalarStores(exprs: readonly string[], tm: number, rowOf: (i: string) => string): string {
  if (exprs.length === 1 && exprs[0] === "acc") {
    return [...Array(tm).keys()]
      .map((i) => {
        const lanes = ["x", "y", "z", "w"].map((l, j) => `    if (c + ${j}u < N) { C[cBase + r * N + c + ${j}u] = acc${i}.${l}; }`);
        return `  {\n    let r = ${rowOf(`${i}u`)};\n    if (r < M) {\n${lanes.join("\n")}\n    }\n  }`;
      })
      .join("\n");
  }
  return [
    `  let accs = array<vec4<T>, ${tm}>(${[...Array(tm).keys()].map((i) => `acc${i}`).join(", ")});`,
    `  for (var bi = 0u; bi < ${tm}u; bi++) {`,
    `    let r = ${rowOf("bi")};`,
    `    if (r < M) {`,
    `      for (var lj = 0u; lj < 4u; lj++) {`,
    `        if (c + lj < N) { let acc = accs[bi][lj]; ${scalarStores(exprs, "cBase + r * N + c + lj", "(c + lj)")} }`,
    `      }`,
    `    }`,
    `  }`,
  ].join("\n");
}

function mac(t: WgslType, acc: string, a: string, b: string): string {
  return t === "f32" ? `fma(${a}, ${b}, ${acc})` : `${acc} + ${a} * ${b}`;
}

/** An epilogue input's 2-D view at C's [row, col] (`slot.epilogue[e]` in the kernel). */
export type EpilogueInputView = FieldValue<typeof MATMUL_PARAMS.fields.epilogue.of>;

/**
 * Queue C = A·B (+ epilogue) for views a [..., M, K], b [..., K, N]; returns C. `extra` storages
 * bind as E0, E1 …, read through `extraViews` (the epilogue's `slot.epilogue[e]`).
 * `outputs.into` is C's buffer when given (an output that overwrites an input); `outputs.more`
 * are the buffers of the epilogue's further outputs C1, C2 … (same size and dtype as C).
 */
export function runMatmul(
  ctx: KernelContext,
  a: StridedView,
  b: StridedView,
  out: OutSpec,
  epilogue: Epilogue = PLAIN,
  extra: GpuStorage[] = [],
  extraViews: readonly EpilogueInputView[] = [],
  outputs: { into?: GpuStorage; more?: readonly GpuStorage[] } = {},
): GpuStorage {
  const rank = out.shape.length;
  const m = out.shape[rank - 2],
    n = out.shape[rank - 1];
  const k = a.shape[a.shape.length - 1];
  const batchShape = out.shape.slice(0, -2);
  const batches = shapeSize(batchShape);
  const more = outputs.more ?? [];
  if (more.length !== (epilogue.more?.length ?? 0))
    throw new Error(`runMatmul: ${epilogue.more?.length ?? 0} further epilogue outputs, ${more.length} buffers`);
  const c = outputs.into ?? ctx.alloc(out.dtype, batches * m * n, "matmul", out.shape);
  if (batches * m * n === 0) return c;
  const exprs = [epilogue.expr, ...(epilogue.more ?? [])];
  const plain = exprs.length === 1 && epilogue.expr === "acc";
  const outs = [c, ...more];
  const setup = epilogue.setup ? `  ${epilogue.setup}\n` : "";
  // Bindings of the further outputs, after C (one more binding each).
  const moreBindings = (type: string) =>
    more.map((_, j) => `\n@group(0) @binding(${4 + extra.length + j}) var<storage, read_write> ${outName(j + 1)}: array<${type}>;`).join("");
  if (k === 0 && plain) {
    fill(ctx, c, batches * m * n, 0);
    return c;
  }
  // float16: the kernels below are written for f32 buffers; halfAccesses gives them float16 ones
  // (A, B and C share the output's dtype: matmul promotes A and B; an epilogue input has it too, or is a bool mask).
  const he = ctx.elem(out.dtype, "matmul");
  const tk = he.key;
  const halved = (shader: ShaderSpec, vec4: { a: boolean; b: boolean; c: boolean }): ShaderSpec =>
    he.dtype !== "float16"
      ? shader
      : {
          key: shader.key,
          source: () =>
            halfAccesses(shader.source(), [
              { name: "A", elem: he, vec4: vec4.a },
              { name: "B", elem: he, vec4: vec4.b },
              ...extra.map((s, i) => ({ name: `E${i}`, elem: ctx.elem(s.dtype, "matmul") })),
              ...outs.map((_, o) => ({ name: outName(o), elem: he, vec4: vec4.c })),
            ]),
        };
  const av = broadcastView(a, [...batchShape, m, k]);
  const bv = broadcastView(b, [...batchShape, k, n]);
  const t = wgslType(out.dtype, "matmul");
  // Epilogue inputs bind in their own dtype's type: the output's, or a mask's u32 (bool).
  const extraBindings = extra.map((s, i) => ({ name: `E${i}`, type: wgslType(s.dtype, "matmul") }));
  const batch = coalesce(batchShape, [av.strides.slice(0, -2), bv.strides.slice(0, -2)]);
  // The batch offsets' form follows the coalesced batch dims (part of the key): up to
  // MATMUL_BATCH_RANK, packed as exactly that many, size-1 dims of stride 0 in front.
  const batchRank = batch.shape.length;
  const bk = matmulBatchKey(batchRank);
  const pad = Math.max(0, MATMUL_BATCH_RANK - batchRank);
  const batchDims =
    batchRank > MATMUL_BATCH_RANK
      ? batch
      : { shape: [...Array<number>(pad).fill(1), ...batch.shape], strides: batch.strides.map((st) => [...Array<number>(pad).fill(0), ...st]) };
  const params = MATMUL_PARAMS.pack("matmul", {
    M: m,
    N: n,
    K: k,
    batches,
    batchDims: batchDims.shape,
    aBatch: { offset: av.offset, strides: batchDims.strides[0] },
    bBatch: { offset: bv.offset, strides: batchDims.strides[1] },
    aRowStride: av.strides[rank - 2],
    aColStride: av.strides[rank - 1],
    bRowStride: bv.strides[rank - 2],
    bColStride: bv.strides[rank - 1],
    epilogue: extraViews,
  });
  // WGSL text is built only when a pipeline is (source()): per call, only the key and parameters.
  const bindings = () =>
    storageBindings([{ name: "A", type: t }, { name: "B", type: t }, ...extraBindings], { name: "C", type: t }) +
    moreBindings(t) +
    `\nalias T = ${t};\n${epilogue.prelude ?? ""}`;
  const vec = MATMUL_VARIANT.vec4 ? vec4Layout(av, bv, batch.strides, m, n, k) : null;
  // A thin product (N ≤ 8, e.g. attention's probabilities × values over an 8-wide head) takes the
  // vec4 kernel's thin block on a CPU adapter where its layout allows: about 8× the
  // thread-per-output kernel, whose strided loads SwiftShader runs lane by lane.
  const thin = ctx.features.cpuAdapter && vec !== null && n <= SMALL_N && m > SMALL_M;
  const small = !thin && (m <= SMALL_M || n <= SMALL_N);
  // A short, wide product (M ≤ 8 < N, e.g. a head's value gradient taken transposed) on a CPU
  // adapter: Cᵀ = Bᵀ·Aᵀ is a thin one, and one strided copy writes C. The thin block with the copy
  // takes about a quarter of the thread-per-output kernel's time (docs/WEBGPU_TUNING.md).
  if (small && plain && more.length === 0 && extra.length === 0 && ctx.features.cpuAdapter && m <= SMALL_M && n > SMALL_N) {
    const swapped = (v: StridedView, rows: number, cols: number): StridedView => ({
      ...v,
      shape: [...batchShape, cols, rows],
      strides: [...v.strides.slice(0, -2), v.strides[rank - 1], v.strides[rank - 2]],
    });
    const bT = swapped(bv, k, n),
      aT = swapped(av, m, k);
    if (MATMUL_VARIANT.vec4 && vec4Layout(bT, aT, [batch.strides[1], batch.strides[0]], n, m, k) !== null) {
      const ct = runMatmul(ctx, bT, aT, { shape: [...batchShape, n, m], dtype: out.dtype });
      const ctStrides = contiguousStrides([...batchShape, n, m]);
      stridedCopy(
        ctx,
        "matmul",
        { storage: ct, shape: out.shape, strides: [...ctStrides.slice(0, -2), 1, m], offset: 0, dtype: out.dtype },
        { storage: c, strides: contiguousStrides(out.shape), offset: 0 },
      );
      ct.release(); // back to the pool once the queued copy is submitted
      return c;
    }
  }
  if (small) {
    const macK = (s: string, d: number) => mac(t, s, `A[aRow + i32(k + ${d}u) * sAk]`, `B[bCol + i32(k + ${d}u) * sBk]`);
    const shader = {
      key: `matmul-small:${tk}:${bk}:${epilogue.key}`,
      source: () =>
        kernelShader(MATMUL_PARAMS, smallTemplate, {
          BINDINGS: bindings(),
          SIZES: MATMUL_SIZES,
          BATCH_BASES: matmulBatchBases(batchRank, "batch"),
          MAC0: macK("s0", 0),
          MAC1: macK("s1", 1),
          MAC2: macK("s2", 2),
          MAC3: macK("s3", 3),
          STORE: `${setup}  ${scalarStores(exprs, "idx", "c")}`,
        }),
    };
    ctx.dispatch(
      halved(shader, { a: false, b: false, c: false }),
      [gpuStorage(av), gpuStorage(bv), ...extra, ...outs],
      params,
      spread(Math.ceil((batches * m * n) / 64)),
    );
    return c;
  }
  if (vec) {
    // The shader of one block geometry (built only when a pipeline is: per call, only the key).
    const vec4Kernel = (geo: typeof VEC4): { shader: ShaderSpec; groups: [number, number, number] } => {
      const { WX, WY, TM } = geo;
      // Column vec4 groups per thread.
      const NV = geo.TN / 4;
      const TN = 4 * NV;
      const rows = [...Array(TM).keys()];
      const cols = [...Array(NV).keys()];
      const lanes = ["x", "y", "z", "w"];
      // Each output that is not the bare product is a function of one lane (its prev<k> reads as parameters).
      const prevs = prevsOf(exprs);
      const epiFns = () =>
        exprs
          .map((e, o) => (e === "acc" ? "" : `\nfn store${o}(acc: T, r: u32, col: u32${prevs.map((q) => `, prev${q}: T`).join("")}) -> T { return ${e}; }`))
          .join("");
      const vb = () =>
        storageBindings([{ name: "A", type: vec.a === "scalar" ? t : `vec4<${t}>` }, { name: "B", type: `vec4<${t}>` }, ...extraBindings], {
          name: "C",
          type: `vec4<${t}>`,
        }) +
        moreBindings(`vec4<${t}>`) +
        `\nalias T = ${t};\n${epilogue.prelude ?? ""}` +
        epiFns();
      // Element offsets → vec4 indices (every offset is a multiple of 4 on this path). A transposed
      // A ("tvec") gives rows row0+4g…row0+4g+3 of each k as one vec4 (tq_g for k + q); row i's
      // four k's are then lane i % 4 of group i / 4 (free on a CPU adapter, docs/WEBGPU_TUNING.md).
      const groups = [...Array(TM / 4).keys()];
      const aLoad = (i: number) =>
        vec.a === "vec"
          ? `A[a${i} + kq]`
          : vec.a === "tvec"
            ? `vec4<T>(${[0, 1, 2, 3].map((q) => `t${q}_${i >> 2}.${lanes[i % 4]}`).join(", ")})`
            : `vec4<T>(${[0, 1, 2, 3].map((q) => `A[a${i} + i32(k + ${q}u) * sAk]`).join(", ")})`;
      const loadA = () =>
        vec.a === "tvec"
          ? [0, 1, 2, 3].map((q) => `    let kt${q} = i32(k + ${q}u) * sAk4;`).join("\n") +
            "\n" +
            [0, 1, 2, 3].flatMap((q) => groups.map((g) => `    let t${q}_${g} = A[t${g} + kt${q}];`)).join("\n")
          : "";
      const aRows = () =>
        vec.a === "tvec"
          ? "  let sAk4 = sAk / 4;\n  // Row groups past M read the last group again and are not stored.\n" +
            groups.map((g) => `  let t${g} = (aBase + i32(min(row0 + ${4 * g}u, M - 4u))) / 4;`).join("\n")
          : rows.map((i) => `  let a${i} = (aBase + i32(min(row0 + ${i}u, M - 1u)) * sAm)${vec.a === "vec" ? " / 4" : ""};`).join("\n");
      // Column groups past N (N % TN ≠ 0) read the last group again and are not stored.
      // Vec4 indices are computed once outside the k loop (B's column groups, A's rows).
      const colOf = (j: number) => (j === 0 ? "i32(c)" : `i32(min(c + ${4 * j}u, N - 4u))`);
      const bBases = () =>
        vec.b === "row"
          ? "  let sBk4 = sBk / 4;\n" + cols.map((j) => `  let bg${j} = (bBase + ${colOf(j)}) / 4;`).join("\n")
          : [...Array(TN).keys()].map((x) => `  let bn${x} = (bBase + i32(min(c + ${x}u, N - 1u)) * sBn) / 4;`).join("\n");
      const loadB = () =>
        vec.b === "row"
          ? [0, 1, 2, 3].map((q) => `    let kb${q} = i32(k + ${q}u) * sBk4;`).join("\n") +
            "\n" +
            [0, 1, 2, 3].flatMap((q) => cols.map((j) => `    let b${q}_${j} = B[bg${j} + kb${q}];`)).join("\n")
          : [...Array(TN).keys()].map((x) => `    let bc${x} = B[bn${x} + kq];`).join("\n") +
            "\n" +
            [0, 1, 2, 3]
              .flatMap((q) => cols.map((j) => `    let b${q}_${j} = vec4<T>(${[0, 1, 2, 3].map((x) => `bc${4 * j + x}.${lanes[q]}`).join(", ")});`))
              .join("\n");
      const f = (acc: string, a: string, b: string) => (t === "f32" ? `fma(vec4<T>(${a}), ${b}, ${acc})` : `${acc} + vec4<T>(${a}) * ${b}`);
      // With an epilogue, the stores loop over the block (the accumulators copied to an array): the
      // epilogue's code appears once, not once per element. SwiftShader's compile time grows with
      // the code: unrolled, a GELU epilogue tripled the 8×8 block's (docs/WEBGPU_TUNING.md).
      const loopedStore = () => {
        const blocks = rows.flatMap((i) => cols.map((j) => `acc${i}_${j}`));
        const outputs = exprs.map((e, o) =>
          e === "acc"
            ? `        ${outName(o)}[ci] = a;`
            : `        var v${o}: vec4<T>;\n        for (var l = 0u; l < 4u; l++) { v${o}[l] = store${o}(a[l], r, col + l${prevs.map((q) => `, p${q}[l]`).join("")}); }\n        ${outName(o)}[ci] = v${o};`,
        );
        return [
          `  let accs = array<vec4<T>, ${blocks.length}>(${blocks.join(", ")});`,
          `  for (var i = 0u; i < ${TM}u; i++) {`,
          `    let r = row0 + i;`,
          `    if (r >= M) { break; }`,
          `    for (var j = 0u; j < ${NV}u; j++) {`,
          // Column groups past N (N % TN ≠ 0) were computed from the last group again: not stored.
          `      let col = c + 4u * j;`,
          `      if (j == 0u || col < N) {`,
          `        let ci = (cBase + r * N + col) / 4u;`,
          `        let a = accs[i * ${NV}u + j];`,
          ...prevs.map((q) => `        let p${q} = ${outName(q)}[ci];`),
          ...outputs,
          `      }`,
          `    }`,
          `  }`,
        ].join("\n");
      };
      const shader = {
        key: `matmul-v4${TM}x${TN}w${WX}x${WY}:${tk}:${vec.a}${vec.b}:${bk}:${epilogue.key}`,
        source: () =>
          kernelShader(MATMUL_PARAMS, vec4Template, {
            BINDINGS: vb(),
            OPENING: matmulOpening(batchRank),
            TM,
            TN,
            WX,
            WY,
            A_ROWS: `${aRows()}\n${bBases()}`,
            ACC_DECL: rows.flatMap((i) => cols.map((j) => `  var acc${i}_${j} = vec4<${t}>(${t}(0));`)).join("\n"),
            LOAD_B: `    let kq = i32(k >> 2u);\n${loadA() ? `${loadA()}\n` : ""}${loadB()}`,
            INNER: rows
              .map(
                (i) =>
                  `    let av${i} = ${aLoad(i)};\n` +
                  cols
                    .map(
                      (j) =>
                        `    acc${i}_${j} = ${f(f(f(f(`acc${i}_${j}`, `av${i}.x`, `b0_${j}`), `av${i}.y`, `b1_${j}`), `av${i}.z`, `b2_${j}`), `av${i}.w`, `b3_${j}`)};`,
                    )
                    .join("\n"),
              )
              .join("\n"),
            // N % 4 = 0: each column group in range is vec4-aligned in C, so one vec4 store per row,
            // group and output (an epilogue applied lane by lane, after every prev<k> is read).
            STORE: plain
              ? rows
                  .map((i) => {
                    const group = (j: number) => {
                      const st = `C[(cBase + r * N + c + ${4 * j}u) / 4u] = acc${i}_${j};`;
                      return j === 0 ? `    { ${st} }` : `    if (c + ${4 * j}u < N) { ${st} }`;
                    };
                    return `  if (row0 + ${i}u < M) {\n    let r = row0 + ${i}u;\n${cols.map(group).join("\n")}\n  }`;
                  })
                  .join("\n")
              : setup + loopedStore(),
          }),
      };
      return { shader, groups: [Math.ceil(n / (TN * WX)), Math.ceil(m / (TM * WY)), batches] };
    };
    const macs = batches * m * n * k;
    let geo = !ctx.features.cpuAdapter ? VEC4 : thin ? VEC4_CPU_THIN : vec4CpuGeometry(m, n, macs);
    // A big block on a CPU adapter runs as the small one until its work would repay the compile (MATMUL_TUNING).
    if (geo !== VEC4 && geo !== VEC4_CPU_SMALL && geo !== VEC4_CPU_THIN && ctx.tierUp) {
      const big = halved(vec4Kernel(geo).shader, { a: vec.a !== "scalar", b: true, c: true });
      if (!ctx.tierUp(big, macs, MATMUL_TUNING.tierUpMacs)) geo = VEC4_CPU_SMALL;
    }
    const { shader, groups } = vec4Kernel(geo);
    ctx.dispatch(halved(shader, { a: vec.a !== "scalar", b: true, c: true }), [gpuStorage(av), gpuStorage(bv), ...extra, ...outs], params, groups);
    return c;
  }
  if (MATMUL_VARIANT.kernel === "registers") {
    const { WX, WY, TM } = REG;
    const rows = [...Array(TM).keys()];
    const fmaV = (acc: string, a: string) => (t === "f32" ? `fma(vec4<f32>(${a}), b, ${acc})` : `${acc} + vec4<${t}>(${a}) * b`);
    const shader = {
      key: `matmul-reg${TM}x4:${tk}:${bk}:${epilogue.key}`,
      source: () =>
        kernelShader(MATMUL_PARAMS, regTemplate, {
          BINDINGS: bindings(),
          OPENING: matmulOpening(batchRank),
          TM,
          WX,
          WY,
          A_ROWS: rows.map((i) => `  let a${i} = aBase + i32(min(row0 + ${i}u, M - 1u)) * sAm;`).join("\n"),
          ACC_DECL: rows.map((i) => `  var acc${i} = vec4<${t}>(${t}(0));`).join("\n"),
          INNER: rows.map((i) => `    acc${i} = ${fmaV(`acc${i}`, `A[a${i} + ka]`)};`).join("\n"),
          STORE: setup + blockScalarStores(exprs, TM, (i) => `row0 + ${i}`),
        }),
    };
    ctx.dispatch(halved(shader, { a: false, b: false, c: false }), [gpuStorage(av), gpuStorage(bv), ...extra, ...outs], params, [
      Math.ceil(n / (4 * WX)),
      Math.ceil(m / (TM * WY)),
      batches,
    ]);
    return c;
  }
  const { BM, BN, BK, TM } = TILE;
  const rowsOf = [...Array(TM).keys()];
  const accType = `vec4<${t}>`;
  const fmaVec = (acc: string, a: string) => (t === "f32" ? `fma(vec4<f32>(${a}), b, ${acc})` : `${acc} + vec4<${t}>(${a}) * b`);
  const store = blockScalarStores(exprs, TM, (i) => `row0 + ty * TM + ${i}`);
  const shader = {
    key: `matmul:${tk}:${bk}:${epilogue.key}`,
    source: () =>
      kernelShader(MATMUL_PARAMS, tiledTemplate, {
        BINDINGS: bindings(),
        OPENING: matmulOpening(batchRank),
        BM,
        BN,
        BK,
        TM,
        WX: BN / 4,
        WY: BM / TM,
        ACC_DECL: rowsOf.map((i) => `  var acc${i} = ${accType}(${t}(0));`).join("\n"),
        INNER: rowsOf.map((i) => `      acc${i} = ${fmaVec(`acc${i}`, `As[kk][ty * TM + ${i}u]`)};`).join("\n"),
        STORE: setup + store,
      }),
  };
  ctx.dispatch(halved(shader, { a: false, b: false, c: false }), [gpuStorage(av), gpuStorage(bv), ...extra, ...outs], params, [
    Math.ceil(n / BN),
    Math.ceil(m / BM),
    batches,
  ]);
  return c;
}

/** Matmul kernels by op name. */
export const MATMUL_KERNELS = {
  matmul: (ctx, [a, b], _attrs, out) => runMatmul(ctx, a, b, out),
} satisfies PartialOpTable<GpuKernel>;
