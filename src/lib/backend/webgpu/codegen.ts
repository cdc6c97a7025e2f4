/**
 * WGSL templating: kernels live in shaders/*.wgsl with {{PLACEHOLDERS}}; this fills them and
 * prepends the shared prelude (parameter block, strided indexing, math helpers).
 */
import { WebgradError } from "../../errors";
import type { DType } from "../../tensor/dtype";
import type { ViewKind } from "./layout";
import type { ParamFields, ParamLayout } from "./params";
import commonWgsl from "../../../../shaders/common.wgsl?raw";
import mathWgsl from "../../../../shaders/math.wgsl?raw";
import { linkPrelude, parsePrelude } from "./prelude";

/** What every kernel may call (the parameter block, strided indexing, the math helpers), by declaration. */
const PRELUDE = parsePrelude(`${commonWgsl}\n${mathWgsl}`);

/** The WGSL type kernels compute in, per dtype (floats in f32, bool as u32). */
export type WgslType = "f32" | "i32" | "u32";

const WGSL_TYPES: Partial<Record<DType, WgslType>> = { float16: "f32", float32: "f32", int32: "i32", bool: "u32" };

/** The WGSL type kernels compute `dtype` in, or a clear error for float64. */
export function wgslType(dtype: DType, op = "webgpu"): WgslType {
  const t = WGSL_TYPES[dtype];
  if (!t) throw new WebgradError(op, `${dtype} lives on the CPU backend: WebGPU has no 64-bit floats (cast to float32, or move the tensor with .to("cpu"))`);
  return t;
}

/**
 * How one dtype sits in a GPU buffer and how kernels move it in and out of their compute type.
 * Every kernel computes floats in f32; float16 differs only at the buffer: on an adapter with
 * `shader-f16` the buffer holds f16 (half the bytes), elsewhere it holds f32 values that every
 * store rounds to the nearest half (`f16r`, the same rounding as the CPU's `f16round`).
 */
export interface GpuElement {
  readonly dtype: DType;
  /** The buffer's WGSL element type: "f16" for native float16, else the compute type. */
  readonly store: "f16" | WgslType;
  /** The WGSL type kernels compute in. */
  readonly value: WgslType;
  /** Bytes per element in the buffer. */
  readonly bytes: 2 | 4;
  /** Names the element in shader keys: f32, i32, u32, f16 (native) or f16e (emulated). */
  readonly key: string;
  /** WGSL converting buffer element `e` (scalar) to the compute type. */
  load(e: string): string;
  /** WGSL converting compute-type value `v` (scalar) to a buffer element. */
  save(v: string): string;
  /** As `load`, for a vec4 of elements. */
  load4(e: string): string;
  /** As `save`, for a vec4 of values. */
  save4(v: string): string;
}

const plain = (t: WgslType): Omit<GpuElement, "dtype"> => ({
  store: t,
  value: t,
  bytes: 4,
  key: t,
  load: (e) => e,
  save: (v) => v,
  load4: (e) => e,
  save4: (v) => v,
});
const F16_NATIVE: Omit<GpuElement, "dtype"> = {
  store: "f16",
  value: "f32",
  bytes: 2,
  key: "f16",
  load: (e) => `f32(${e})`,
  save: (v) => `f16(${v})`,
  load4: (e) => `vec4<f32>(${e})`,
  save4: (v) => `vec4<f16>(${v})`,
};
const F16_EMULATED: Omit<GpuElement, "dtype"> = {
  store: "f32",
  value: "f32",
  bytes: 4,
  key: "f16e",
  load: (e) => e,
  save: (v) => `f16r(${v})`,
  load4: (e) => e,
  save4: (v) => `f16r4(${v})`,
};

/** How `dtype` sits in a buffer on a device with (`nativeF16`) or without shader-f16. */
export function gpuElement(dtype: DType, nativeF16: boolean, op = "webgpu"): GpuElement {
  const t = wgslType(dtype, op);
  const e = dtype === "float16" ? (nativeF16 ? F16_NATIVE : F16_EMULATED) : plain(t);
  return { dtype, ...e };
}

/** Replace every {{NAME}} in `template` from `values`; a name without a value is an error. */
function fillTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`WGSL template: no value for {{${name}}}`);
    return String(v);
  });
}

/**
 * A complete shader: the prelude and math helpers that the filled template uses (./prelude), then
 * the template. A body that names the f16 type (native float16 buffers) gets `enable f16;`.
 */
export function buildShader(template: string, values: Readonly<Record<string, string | number>>, enables: readonly string[] = []): string {
  const body = fillTemplate(template, values);
  const all = namesF16(body) && !enables.includes("f16") ? ["f16", ...enables] : enables;
  const head = all.map((e) => `enable ${e};\n`).join("");
  return `${head}${linkPrelude(PRELUDE, body)}\n${body}`;
}

/**
 * A kernel's complete shader: as `buildShader`, with the WGSL naming its parameter slots
 * (`layout.wgsl()`, the `slot` constant its code reads through) between the shared prelude and
 * the kernel.
 */
export function kernelShader<F extends ParamFields>(
  layout: ParamLayout<F>,
  template: string,
  values: Readonly<Record<string, string | number>>,
  enables: readonly string[] = [],
): string {
  return buildShader(`${layout.wgsl()}\n${template}`, values, enables);
}

/** Storage binding declarations: inputs read-only at bindings 1…n, the output read-write after them. */
export function storageBindings(inputs: readonly { name: string; type: string }[], out: { name: string; type: string } | null): string {
  const lines = inputs.map((b, i) => `@group(0) @binding(${i + 1}) var<storage, read> ${b.name}: array<${b.type}>;`);
  if (out) lines.push(`@group(0) @binding(${inputs.length + 1}) var<storage, read_write> ${out.name}: array<${out.type}>;`);
  return lines.join("\n");
}

/** Workgroups for `groups` linear workgroups (x capped at 65535, the rest spread over y). */
export function spread(groups: number): [number, number, number] {
  if (groups <= 65535) return [Math.max(groups, 1), 1, 1];
  return [65535, Math.ceil(groups / 65535), 1];
}

/**
 * WGSL for the indices of row-major element `index` over `rank` dimensions of sizes `size(d)`
 * (expressions; `size(0)` is not needed): index d is `index / (the sizes after d) % size(d)`,
 * without the division for the last and the remainder for the first.
 */
export function splitIndex(index: string, rank: number, size: (d: number) => string): string[] {
  return [...Array(rank).keys()].map((d) => {
    const after = [...Array(rank - d - 1).keys()].map((j) => size(d + 1 + j));
    const quotient = after.length ? `(${index} / (${after.join(" * ")}))` : index;
    return d === 0 ? quotient : `(${quotient} % ${size(d)})`;
  });
}

/**
 * Highest coalesced rank of an index space that copy, gather and scatterAdd split in straight-line
 * code ({@link unrolledOffsets}); past it they take `stridedOffset`'s loop.
 */
export const UNROLLED_RANK = 4;

/**
 * WGSL splitting element index `i` into its indices over the first `rank` dims of dims block
 * `dims` (each size a constant slot), and an offset expression for any view block over that index
 * space (`view`, e.g. `slot.src`). `stridedOffset`'s loop reads its slots by a variable index: on
 * SwiftShader that walk was about 4× the straight-line code on attention's head permutes, and an
 * embedding's gather took 2.5 ms through it, 0.8 ms here (docs/WEBGPU_TUNING.md).
 */
export function unrolledOffsets(rank: number, dims = "slot.dims"): { lines: string[]; offset: (view: string) => string } {
  const sizes = [...Array(rank).keys()].slice(1).map((d) => `  let n${d} = PU(${dims}.sizes[${d}]);`);
  const indices = splitIndex("i", rank, (d) => `n${d}`).map((index, d) => `  let i${d} = i32(${index});`);
  return {
    lines: [...sizes, ...indices],
    offset: (view) => [`P(${view}.offset)`, ...indices.map((_, d) => `i${d} * P(${view}.strides[${d}])`)].join(" + "),
  };
}

/**
 * The offset of element `i` of a rank-`rank` view as Σ_d (i / P_d)·E_d, P_d the product of the
 * sizes after d and E_d = stride_d − size_{d+1}·stride_{d+1} (E_last = stride_last): index d is
 * i / P_d − size_d·(i / P_{d−1}), so the remainders fold into the strides: one division for each
 * dim but the last, and no remainder. i32 arithmetic wraps, and the sum is the offset.
 * A CPU adapter has no vector integer division: each lane divides on its own, so this halves the
 * divisions of an index split into quotients and remainders (docs/WEBGPU_TUNING.md).
 * Returns the per-thread WGSL (sizes, folded strides) and the terms to add to the view's offset.
 */
function foldedOffset(name: string, view: string, dims: string, rank: number): { pre: string; terms: string } {
  const lines: string[] = [];
  for (let d = 1; d < rank; d++) lines.push(`let ${name}N${d} = PU(${dims}.sizes[${d}]);`);
  for (let d = 0; d < rank; d++) lines.push(`let ${name}S${d} = P(${view}.strides[${d}]);`);
  // P_d for d < rank − 1 (P_{rank−1} = 1: the last quotient is i itself).
  for (let d = rank - 2; d >= 0; d--) lines.push(`let ${name}P${d} = ${d === rank - 2 ? `${name}N${d + 1}` : `${name}P${d + 1} * ${name}N${d + 1}`};`);
  for (let d = 0; d < rank - 1; d++) lines.push(`let ${name}E${d} = ${name}S${d} - i32(${name}N${d + 1}) * ${name}S${d + 1};`);
  const terms = [...Array(rank).keys()].map((d) => (d === rank - 1 ? ` + i32(i) * ${name}S${d}` : ` + i32(i / ${name}P${d}) * ${name}E${d}`)).join("");
  return { pre: lines.map((l) => `\n  ${l}`).join(""), terms };
}

/**
 * How an elementwise shader reads operand `name` through view block `view` (a WGSL expression of
 * the kernel's `slot`, e.g. `slot.inputs[1]`) over the index space of dims block `dims`, by its
 * access kind: `pre` runs once per thread (reads the view's offset out of the parameter block),
 * `load` per element `i`. Contiguous and broadcast-scalar operands skip `stridedOffset`'s branch
 * and div/mod entirely; rank-2 and rank-3 views find their offset with one and two divisions
 * ({@link foldedOffset}), their sizes and strides read once per thread (see docs/WEBGPU_TUNING.md).
 */
export function elementLoad(name: string, view: string, dims: string, kind: ViewKind): { pre: string; load: string } {
  if (kind === "v") return { pre: "", load: `${name}[stridedOffset(${dims}.at, ${view}.at, i)]` };
  const pre = `  let ${name}Off = PU(${view}.offset);`;
  if (kind === "2" || kind === "3") {
    const rank = Number(kind);
    const { pre: foldPre, terms } = foldedOffset(name, view, dims, rank);
    return { pre: pre + foldPre, load: `${name}[u32(i32(${name}Off)${terms})]` };
  }
  if (kind === "c") return { pre, load: `${name}[${name}Off + i]` };
  // A broadcast scalar is read once per thread: a storage read in the loop was not hoisted by
  // SwiftShader, and each cost a gather per element (a scalar add took 2.4× a neg).
  return { pre: `${pre}\n  let ${name}One = ${name}[${name}Off];`, load: `${name}One` };
}

/**
 * How shaders/elementwise4.wgsl reads an operand, four neighbouring elements at a time: "c"
 * contiguous from a multiple of four (one vec4 load), "s" one broadcast element (read once per
 * thread), and over a rank-2 index space whose rows hold a multiple of four elements (so the four
 * share a row) "b" one element per row (a per-row statistic broadcast along it: one load for the
 * four) or "r" rows read as vec4s (a bias broadcast down the rows, a row-strided view: one vec4 load).
 */
export type Vec4Kind = "c" | "s" | "b" | "r";

/**
 * Each operand's `Vec4Kind` where an elementwise kernel can take four elements at a time, else
 * null: every operand and the output 4-byte, each operand of one of those kinds (`kinds`, and for
 * rank-2 views the coalesced `shape`, `strides` and `offsets`). The kernel stores the last count %
 * 4 elements as a whole vec4, into the output buffer's padding: so it needs a `count` that is a
 * multiple of four, or an output storage of exactly `count` elements (`outLength`; a storage never
 * shares its buffer, and its buffer is a whole multiple of 64 bytes). The choice, and the
 * pipeline, do not otherwise change with the shape.
 */
export function vec4Kinds(
  kinds: readonly ViewKind[],
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  bytes: readonly number[],
  outBytes: number,
  count: number,
  outLength: number,
): Vec4Kind[] | null {
  if (ELEMENTWISE_TUNING.vec4 === false || (count % 4 !== 0 && outLength !== count) || outBytes !== 4) return null;
  const rows = shape.length === 2 && shape[1]! % 4 === 0 && ELEMENTWISE_TUNING.vec4Rows !== false;
  const out: Vec4Kind[] = [];
  for (const [i, k] of kinds.entries()) {
    if (bytes[i] !== 4) return null;
    const [s0 = 0, s1 = 0] = strides[i] ?? [];
    if (k === "s") out.push("s");
    else if (k === "c" && offsets[i]! % 4 === 0) out.push("c");
    else if (k === "2" && rows && s1 === 0) out.push("b");
    else if (k === "2" && rows && s1 === 1 && offsets[i]! % 4 === 0 && s0 % 4 === 0) out.push("r");
    else return null;
  }
  return out;
}

/** One operand's part of elementwise4.wgsl: `pre` once per thread, `load` per four elements, its argument for each lane. */
export interface Vec4Access {
  pre: string;
  load: string;
  lane: (l: string) => string;
}

/**
 * elementwise4.wgsl's operand placeholders (PRE, LOADS, ARGS_X … ARGS_W) from each operand's
 * access, in argument order; when an operand is "b" or "r" (`kinds`), the row and column of the
 * first of the four elements come first, from dims block `dims`.
 */
export function vec4Operands(accesses: readonly Vec4Access[], kinds: readonly Vec4Kind[], dims: string): Record<string, string> {
  const rows = kinds.some((k) => k === "b" || k === "r");
  const args = (l: string) => accesses.map((a) => a.lane(l)).join(", ");
  return {
    PRE: [...(rows ? [`  let rowLen = PU(${dims}.sizes[1]);`] : []), ...accesses.map((a) => a.pre)].join("\n"),
    LOADS: [...(rows ? ["    let row4 = (4u * i) / rowLen;", "    let col4 = 4u * i - row4 * rowLen;"] : []), ...accesses.map((a) => a.load)].join("\n"),
    ARGS_X: args("x"),
    ARGS_Y: args("y"),
    ARGS_Z: args("z"),
    ARGS_W: args("w"),
  };
}

/**
 * What elementwise4.wgsl takes for operand `name` of `kind` (see `Vec4Kind`) given as argument
 * `arg` (see `vec4Operands`, which puts the row and column "b" and "r" read before the loads).
 */
export function elementLoad4(name: string, view: string, kind: Vec4Kind, arg: string): Vec4Access {
  if (kind === "s") return { pre: `  let ${arg}One = ${name}[PU(${view}.offset)];`, load: "", lane: () => `${arg}One` };
  if (kind === "c")
    return { pre: `  let ${name}Off4 = PU(${view}.offset) / 4u;`, load: `    let ${arg}4 = ${name}[${name}Off4 + i];`, lane: (l) => `${arg}4.${l}` };
  const pre = `  let ${name}Off = P(${view}.offset);\n  let ${name}S0 = P(${view}.strides[0]);`;
  const at = `${name}Off + i32(row4) * ${name}S0`;
  if (kind === "b") return { pre, load: `    let ${arg}B = ${name}[u32(${at})];`, lane: () => `${arg}B` };
  return { pre, load: `    let ${arg}4 = ${name}[u32(${at} + i32(col4)) / 4u];`, lane: (l) => `${arg}4.${l}` };
}

/** Whether an operand of `kind` binds as an array of vec4s in elementwise4.wgsl. */
export function vec4Binding(kind: Vec4Kind): boolean {
  return kind === "c" || kind === "r";
}

/**
 * Test/measurement overrides: `elementwiseGroups`' cap on a CPU adapter, vec4 kernels off, and
 * rank-2 operands off them (`vec4Kinds`).
 */
export const ELEMENTWISE_TUNING: { cpuGroups?: number; vec4?: boolean; vec4Rows?: boolean } = {};

/**
 * Workgroups (of 64 threads) for a grid-stride elementwise kernel over `n` elements: on a CPU
 * adapter a few per core (each workgroup costs there: docs/WEBGPU_TUNING.md); on a GPU about four
 * elements per thread.
 */
export function elementwiseGroups(cpuAdapter: boolean, n: number): [number, number, number] {
  const want = Math.ceil(n / 256);
  return [Math.max(1, Math.min(want, cpuAdapter ? (ELEMENTWISE_TUNING.cpuGroups ?? 64) : 65535)), 1, 1];
}

/** A storage binding of a generated kernel, for `halfAccesses`. */
export interface HalfBinding {
  name: string;
  elem: GpuElement;
  /** Declared as array<vec4<…>> (loads and stores move four elements). */
  vec4?: boolean;
}

/**
 * Give a kernel generated for f32 buffers its float16 bindings (matmul's variants, multi-output
 * fused kernels: many generated accesses, one rule): each float16 binding's declaration takes the
 * buffer's element type (f16 where native), every read `name[…]` is widened (`load`) and every
 * store `name[…] = v;` narrowed or rounded (`save`). Bindings of other dtypes are left alone, and
 * a kernel without float16 comes back unchanged.
 */
export function halfAccesses(source: string, bindings: readonly HalfBinding[]): string {
  let s = source;
  for (const b of bindings) {
    if (b.elem.dtype !== "float16") continue;
    if (b.elem.store === "f16") {
      const decl = new RegExp(`(var<storage, read(?:_write)?> ${b.name}: array<)(vec4<f32>|f32)>`);
      s = s.replace(decl, (_, head: string, t: string) => `${head}${t === "f32" ? "f16" : "vec4<f16>"}>`);
    }
    s = rewriteAccesses(
      s,
      b.name,
      (e) => (b.vec4 ? b.elem.load4(e) : b.elem.load(e)),
      (v) => (b.vec4 ? b.elem.save4(v) : b.elem.save(v)),
    );
  }
  // Directives lead the module: a shader that now names f16 needs the extension.
  return s !== source && namesF16(s) && !/^enable f16;/m.test(s) ? `enable f16;\n${s}` : s;
}

/** True when WGSL code (comments aside) uses the f16 type. */
function namesF16(src: string): boolean {
  return /\bf16\b/.test(src.replace(/\/\/.*$/gm, ""));
}

/** Rewrite every `name[…]` read with `load` and every `name[…] = v;` with `name[…] = save(v);`. */
function rewriteAccesses(src: string, name: string, load: (e: string) => string, save: (v: string) => string): string {
  const open = new RegExp(`\\b${name}\\[`, "g");
  let out = "",
    from = 0;
  for (let m = open.exec(src); m; m = open.exec(src)) {
    if (m.index < from) continue;
    let depth = 0,
      j = m.index + name.length;
    for (; j < src.length; j++) {
      if (src[j] === "[" || src[j] === "(") depth++;
      else if ((src[j] === "]" || src[j] === ")") && --depth === 0) break;
    }
    const access = src.slice(m.index, j + 1);
    const assign = /^\s*=(?!=)/.exec(src.slice(j + 1));
    out += src.slice(from, m.index);
    if (assign) {
      // The stored value runs to the statement's `;` (no `;` nests inside an expression).
      const start = j + 1 + assign[0].length;
      const end = src.indexOf(";", start);
      out += `${access} = ${save(rewriteAccesses(src.slice(start, end).trim(), name, load, save))}`;
      from = end;
    } else {
      out += load(access);
      from = j + 1;
    }
    open.lastIndex = from;
  }
  return out + src.slice(from);
}
