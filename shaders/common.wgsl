// Shared by every webgrad kernel: the parameter block and strided indexing.
// Parameters travel in one uniform block of 128 i32 (floats bitcast), so a kernel's pipeline
// depends only on its op and dtypes, never on shapes (docs/WEBGPU_TUNING.md: seconds per pipeline
// on a CPU adapter). Each kernel names its slots through `slot`, generated from its layout.
struct Params { v: array<vec4<i32>, 32> }
@group(0) @binding(0) var<uniform> params: Params;

fn P(i: u32) -> i32 { return params.v[i >> 2u][i & 3u]; }
fn PU(i: u32) -> u32 { return u32(params.v[i >> 2u][i & 3u]); }
fn PF(i: u32) -> f32 { return bitcast<f32>(params.v[i >> 2u][i & 3u]); }

// Where the parts of a dims block [rank, size0 … size7] and of a view block [offset, contiguous,
// stride0 … stride7] sit; `at` is the block's first slot. Each kernel's `slot` (generated from its
// TypeScript parameter layout, just before the kernel) holds these for its blocks.
struct DimsSlots { at: u32, rank: u32, sizes: array<u32, 8> }
struct ViewSlots { at: u32, offset: u32, contiguous: u32, strides: array<u32, 8> }

// A dims block at `dims` is [rank, shape0 … shape7]; a view block at `view` is
// [offset, contiguous, stride0 … stride7]. Returns the element offset of row-major index `idx`
// (idx < the dims' product: the outermost index is what the divisions leave, with no division of
// its own; one division per dim, the remainder from it). Low-rank index spaces do better still in
// straight-line code (codegen.ts unrolledOffsets): this loop reads its slots by a variable index.
fn stridedOffset(dims: u32, view: u32, idx: u32) -> i32 {
  if (P(view + 1u) == 1) { return P(view) + i32(idx); }
  var rem = idx;
  var off = P(view);
  for (var d = P(dims) - 1; d > 0; d--) {
    let n = PU(dims + 1u + u32(d));
    let q = rem / n;
    off += i32(rem - q * n) * P(view + 2u + u32(d));
    rem = q;
  }
  return off + i32(rem) * P(view + 2u);
}

// The linear workgroup id of a dispatch spread over x and y (x is capped at 65535).
fn groupId(wid: vec3<u32>, nwg: vec3<u32>) -> u32 { return wid.y * nwg.x + wid.x; }

// Non-finite constants, built at run time (a constant expression may not be inf or NaN).
fn posInf() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn negInf() -> f32 { var bits = 0xff800000u; return bitcast<f32>(bits); }
fn nanF32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
// NaN and ±∞ tested on the bits: WGSL lets a compiler assume finite floats, and SwiftShader folds
// `x != x` to false and `NaN != y` to false (an ordered compare).
fn isNanF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isInfF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn isNan4(x: vec4<f32>) -> vec4<bool> { return (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u); }
fn signBitF(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }

// float16 where the adapter has no shader-f16: the buffer holds f32 values, and every store rounds
// to the nearest half, ties to even (bit for bit the CPU's f16round): ≥ 65520 in magnitude is
// ±inf, below 2⁻¹⁴ the halves are subnormal (multiples of 2⁻²⁴). Integer ops, so no fast-math
// folding and no reliance on pack2x16float (whose rounding and overflow WGSL leaves open).
fn f16r(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let a = b & 0x7fffffffu;
  let sign = b & 0x80000000u;
  if (a >= 0x7f800000u) { return x; }
  if (a >= 0x477ff000u) { return bitcast<f32>(sign | 0x7f800000u); }
  if (a < 0x38800000u) {
    let r = round(bitcast<f32>(a) * 16777216.0) * (1.0 / 16777216.0);
    return bitcast<f32>(sign | bitcast<u32>(r));
  }
  return bitcast<f32>(sign | ((a + 0x0fffu + ((a >> 13u) & 1u)) & 0xffffe000u));
}
fn f16r4(v: vec4<f32>) -> vec4<f32> { return vec4<f32>(f16r(v.x), f16r(v.y), f16r(v.z), f16r(v.w)); }
