/**
 * The WGSL function of one IR node inside a generated fused kernel, shared by the single-output
 * kernel (fused.ts) and the multi-output one (fused-multi.ts), so neither imports the other.
 * @module
 */
import type { DType } from "../../../tensor/dtype";
import type { IRInput, IRNode } from "../../../graph/ir";
import { wgslType } from "../codegen";
import { elementwiseExpression } from "./elementwise";
const LETTERS = ["a", "b", "c"];

/** A region's elementwise kernel: its WGSL, the cache key and the order its inputs bind in. */
export interface FusedShader {
  key: string;
  source: () => string;
}

/** A dtype in a pipeline key: its compute type, but f16 for float16 (same compute type as float32). */
const sigType = (d: DType, op: string): string => (d === "float16" ? "f16" : wgslType(d, op));

/**
 * WGSL for one node: a function of its operands (a, b, c) returning its output type; null when
 * codegen has none. A float16 result is rounded to a half, as the op alone would store it, so a
 * fused chain gives what the ops give one by one.
 */
export function nodeFunction(n: IRNode, fnName: string): { fn: string; sig: string } | null {
  const types = n.inputs.map((v) => wgslType(v.dtype, n.op));
  const outType = wgslType(n.output.dtype, n.op);
  const expr = elementwiseExpression(n.op, n.inputs, n.output);
  if (expr === null) return null;
  // The tables write T for the operand type (the template's alias); here each node has its own.
  const typed = expr.replace(/\bT\b/g, types[n.op === "where" ? 1 : 0]);
  const body = n.output.dtype === "float16" ? `f16r(${typed})` : typed;
  const params = types.map((t, i) => `${LETTERS[i]}: ${t}`).join(", ");
  return {
    fn: `fn ${fnName}(${params}) -> ${outType} { return ${body}; }`,
    sig: `${n.op}:${n.inputs.map((v) => sigType(v.dtype, n.op)).join(",")}>${sigType(n.output.dtype, n.op)}`,
  };
}

/** A literal input as WGSL: its value in code, in the pipeline key, and for a reader. */
export interface Literal {
  expr: string;
  key: string;
  note: string;
}

/**
 * A region input that is a literal (`IRInput.literal`: a float32 or int32 constant from a JS
 * number) as WGSL: `expr` its exact value in the compute type (a float by its bits), `key` the
 * same for the pipeline key, `note` the number for a reader of the kernel. Undefined for an input
 * the kernel binds.
 */
export function literalOf(inp: IRInput): Literal | undefined {
  const v = inp.literal;
  if (v === undefined) return undefined;
  if (inp.value.dtype === "float32") {
    const bits = new Uint32Array(new Float32Array([v]).buffer)[0].toString(16);
    return { expr: `bitcast<f32>(0x${bits}u)`, key: `=${bits}`, note: String(Math.fround(v)) };
  }
  if (inp.value.dtype === "int32") return { expr: v === -(2 ** 31) ? "i32(-2147483647 - 1)" : `i32(${v})`, key: `=${v}i`, note: String(v) };
  return undefined;
}

/**
 * True when `value` of `dtype` can be written into a kernel's code (`IRInput.literal`): any int32,
 * and a float32 that is finite, not zero and not subnormal. WGSL refuses ±∞ and NaN as constants;
 * a GPU may flush a subnormal to zero in code but not in a buffer; and a shader compiler may
 * assume finite math (WGSL allows it), so a 0 in code lets it fold `0 * x` to 0 where x is ∞ or
 * NaN (SwiftShader does: fuzz seed 921), while a 0 read from a buffer gives NaN as eager does.
 */
export function codeLiteral(value: number, dtype: DType): boolean {
  if (dtype === "int32") return Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
  if (dtype !== "float32") return false;
  const f = Math.fround(value);
  return Number.isFinite(f) && Math.abs(f) >= 2 ** -126;
}

/** The region inputs a kernel binds: every one but the literals (`literalOf`), in order. */
export function boundInputs(region: { inputs: readonly IRInput[] }): number[] {
  return region.inputs.flatMap((inp, k) => (literalOf(inp) ? [] : [k]));
}
