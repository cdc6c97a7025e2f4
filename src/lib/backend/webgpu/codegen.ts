/**
 * WGSL templating: kernels live in shaders/*.wgsl with {{PLACEHOLDERS}}; this fills them and
 * prepends the shared prelude (parameter block, strided indexing, math helpers).
 */
import { WebgradError } from "../../errors";
import type { DType } from "../../tensor/dtype";
import type { ViewKind } from "./layout";
import commonWgsl from "../../../../shaders/common.wgsl?raw";
import mathWgsl from "../../../../shaders/math.wgsl?raw";

/** The WGSL element type of a dtype on the GPU (bool is stored as u32). */
export type WgslType = "f32" | "i32" | "u32";

const WGSL_TYPES: Partial<Record<DType, WgslType>> = { float32: "f32", int32: "i32", bool: "u32" };

/** The WGSL type of `dtype`, or a clear error for float64. */
export function wgslType(dtype: DType, op = "webgpu"): WgslType {
  const t = WGSL_TYPES[dtype];
  if (!t) throw new WebgradError(op, `${dtype} lives on the CPU backend: WebGPU has no 64-bit floats (cast to float32, or move the tensor with .to("cpu"))`);
  return t;
}

/** Replace every {{NAME}} in `template` from `values`; a name without a value is an error. */
export function fillTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`WGSL template: no value for {{${name}}}`);
    return String(v);
  });
}

/** A complete shader: prelude, math helpers, then the filled template. */
export function buildShader(template: string, values: Readonly<Record<string, string | number>>, enables: readonly string[] = []): string {
  const head = enables.map((e) => `enable ${e};\n`).join("");
  return `${head}${commonWgsl}\n${mathWgsl}\n${fillTemplate(template, values)}`;
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
 * How an elementwise shader reads operand `name` whose view block sits at param slot `slot`, by its
 * access kind: `pre` runs once per thread (reads the view's offset out of the parameter block),
 * `load` per element `i`. Contiguous and broadcast-scalar operands skip `stridedOffset`'s branch
 * and div/mod entirely, rank-2 views take one div and one mod: on SwiftShader the generic walk
 * (a loop reading shapes and strides out of the parameter block) cost several times the arithmetic.
 */
export function elementLoad(name: string, slot: number, kind: ViewKind): { pre: string; load: string } {
  if (kind === "v") return { pre: "", load: `${name}[stridedOffset(1u, ${slot}u, i)]` };
  const pre = `  let ${name}Off = PU(${slot}u);`;
  if (kind === "2") {
    // Dims block at 1: [rank, rows, cols, …]; the view's strides follow its offset and flag.
    const pre2 = `${pre}\n  let ${name}S0 = P(${slot + 2}u);\n  let ${name}S1 = P(${slot + 3}u);\n  let ${name}Cols = PU(3u);`;
    return { pre: pre2, load: `${name}[u32(i32(${name}Off) + i32(i / ${name}Cols) * ${name}S0 + i32(i % ${name}Cols) * ${name}S1)]` };
  }
  return { pre, load: kind === "c" ? `${name}[${name}Off + i]` : `${name}[${name}Off]` };
}

/** Test/measurement override of `elementwiseGroups`' cap on a CPU adapter. */
export const ELEMENTWISE_TUNING: { cpuGroups?: number } = {};

/**
 * Workgroups (of 64 threads) for a grid-stride elementwise kernel over `n` elements: on a CPU
 * adapter a few per core (SwiftShader pays tens of microseconds per workgroup, so 4096 of them
 * for 1M elements cost more than the arithmetic); on a GPU about four elements per thread.
 */
export function elementwiseGroups(cpuAdapter: boolean, n: number): [number, number, number] {
  const want = Math.ceil(n / 256);
  return [Math.max(1, Math.min(want, cpuAdapter ? (ELEMENTWISE_TUNING.cpuGroups ?? 64) : 65535)), 1, 1];
}
