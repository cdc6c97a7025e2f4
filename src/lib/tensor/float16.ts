/**
 * IEEE half precision (binary16) on the host. float16 tensors hold their values in a Float32Array
 * whose every element is a representable half: each op computes in f32/f64 and rounds its result
 * here (round to nearest, ties to even, overflow to ±Infinity) — what a GPU with f16 storage and
 * f32 arithmetic does, and bit-for-bit what the WebGPU kernels' `f16r` does where f16 is emulated.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The largest finite float16 (65504). */
export const FLOAT16_MAX = 65504;
/** The smallest positive float16 (2⁻²⁴ ≈ 6.0e-8, subnormal). */
export const FLOAT16_MIN_SUBNORMAL = 2 ** -24;

/**
 * Round `x` to the nearest float16 (ties to even), as a number: the f32 value first (as a GPU's
 * f32 result would be), then its 13 low mantissa bits; ≥ 65520 in magnitude becomes ±Infinity.
 * @example f16round(0.1)   // 0.0999755859375
 */
export function f16round(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const a = b & 0x7fffffff;
  if (a >= 0x7f800000) return f32[0]; // ±Infinity, NaN
  if (a >= 0x477ff000) return b >>> 31 ? -Infinity : Infinity; // ≥ 65520
  if (a < 0x38800000) {
    // Subnormal halves are multiples of 2⁻²⁴: round |x|·2²⁴ to an integer, ties to even.
    const v = f32[0] * 16777216;
    const r = roundHalfEven(Math.abs(v)) / 16777216;
    return v < 0 || (v === 0 && b >>> 31) ? -r : r;
  }
  u32[0] = ((a + 0x0fff + ((a >>> 13) & 1)) & 0xffffe000) | (b & 0x80000000);
  return f32[0];
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v),
    d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

/** Round every element of `a` to float16 in place (see `f16round`); returns `a`. */
export function roundToFloat16<T extends { length: number; [i: number]: number }>(a: T): T {
  for (let i = 0; i < a.length; i++) a[i] = f16round(a[i]);
  return a;
}

/** The binary16 bit pattern of `x` (rounded to nearest, ties to even). */
export function float16Bits(x: number): number {
  const h = f16round(x);
  f32[0] = h;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const a = b & 0x7fffffff;
  if (a > 0x7f800000) return sign | 0x7e00; // NaN
  if (a === 0x7f800000) return sign | 0x7c00;
  if (a < 0x38800000) return sign | Math.round(Math.abs(h) * 16777216); // subnormal or zero: exact
  return sign | (((a >>> 23) - 112) << 10) | ((a >>> 13) & 0x3ff);
}

/** The number a binary16 bit pattern stands for. */
export function float16FromBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f,
    m = h & 0x3ff;
  if (e === 0) return sign * m * FLOAT16_MIN_SUBNORMAL;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** Encode numbers as binary16 words (for f16 GPU buffers and ONNX FLOAT16 initializers). */
export function toFloat16Words(values: ArrayLike<number>, length = values.length): Uint16Array {
  const out = new Uint16Array(length);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]);
  return out;
}

/** Decode binary16 words into a Float32Array (every half is exactly an f32). */
export function fromFloat16Words(words: Uint16Array, length = words.length): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = float16FromBits(words[i]);
  return out;
}
