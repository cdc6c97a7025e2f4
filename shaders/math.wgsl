// Scalar helpers for the elementwise expressions (webgrad's CPU backend is the reference).
// WGSL leaves a builtin's result open outside its domain and for NaN or ±∞ (a compiler may assume
// finite math): SwiftShader gives log(−2.5) = log(2.5), log(NaN) = 89.1, exp(NaN) = ∞ and
// max(NaN, 0) = 0. The helpers pin those cases to the CPU's IEEE answers with bit tests
// (common.wgsl's isNanF), which no compiler folds.

fn expf(x: f32) -> f32 { return select(exp(x), x, isNanF(x)); }
fn logf(x: f32) -> f32 {
  return select(select(log(x), negInf(), x == 0.0), nanF32(), isNanF(x) || x < 0.0);
}
fn log1pf(x: f32) -> f32 {
  if (isNanF(x) || x < -1.0) { return nanF32(); }
  if (x == -1.0) { return negInf(); }
  if (isInfF(x)) { return x; }
  // log(1+x) accurate near 0: log(u)·x/(u−1) cancels the rounding of u = 1 + x.
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn sigmoidf(x: f32) -> f32 {
  // Branch-free (a CPU adapter runs both sides of a divergent branch): e = exp(−|x|) never
  // overflows; 1/(1+e) for x ≥ 0, e/(1+e) below.
  let e = expf(-abs(x));
  let s = 1.0 / (1.0 + e);
  return select(e * s, s, x >= 0.0);
}
// sin and cos within 1.1e-7 of Math.sin at any x (SwiftShader's builtins are off by 2·10⁻⁵ at
// x = 2.5, and by more past 2π; WGSL only asks for 2⁻¹¹ inside [−π, π]): x = j·π/2 + r with
// |r| ≤ π/4 (Cody–Waite below 2¹³, π/2 in three parts that j multiplies exactly; Payne–Hanek
// above), then Cephes' single-precision polynomials for sin r and cos r, the quadrant j mod 4
// picking which and its sign.
fn sinPoly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
}
fn cosPoly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}
// a · b as 64 bits (lo, hi), from 16-bit halves: WGSL has no 64-bit integers.
fn mulWide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}
// |x| ≥ 2¹³ as j·π/2 + r (Payne–Hanek): |x| = m·2^(e−23) with a 24-bit m, and x·2/π mod 4 needs
// only the 64 bits of 2/π from bit e − 24 on (earlier ones give multiples of 4). Returns (r, j mod 4).
fn reduceLarge(ax: f32) -> vec2<f32> {
  // 2/π in 32-bit words after a zero word (bits −31 … 0), so the window's start never goes below it.
  var bits = array<u32, 8>(0u, 0xA2F9836Eu, 0x4E441529u, 0xFC2757D1u, 0xF534DDC0u, 0xDB629599u, 0x3C439041u, 0xFE5163ABu);
  let b = bitcast<u32>(ax);
  let e = i32(b >> 23u) - 127;
  let m = (b & 0x7fffffu) | 0x800000u;
  let at = u32(e + 7); // the window's first bit, counted from the zero word's first
  let w = at >> 5u;
  let sh = at & 31u;
  let back = (32u - sh) & 31u;
  let hi = select((bits[w] << sh) | (bits[w + 1u] >> back), bits[w], sh == 0u);
  let lo = select((bits[w + 1u] << sh) | (bits[w + 2u] >> back), bits[w + 1u], sh == 0u);
  // m · window = x·2/π · 2⁶² (mod 4 · 2⁶²): bits 62–63 are j mod 4, bits 30–61 the fraction.
  let pl = mulWide(m, lo);
  let ph = mulWide(m, hi);
  let p1 = pl.y + ph.x;
  let frac = (pl.x >> 30u) | (p1 << 2u);
  // A fraction past ½ is the next quadrant less its complement (frac read as signed).
  let j = ((p1 >> 30u) + (frac >> 31u)) & 3u;
  return vec2<f32>(f32(bitcast<i32>(frac)) * 3.6572952e-10, f32(j)); // π/2 · 2⁻³²
}
// sin(x) when `shift` is 0, cos(x) when it is 1 (cos x = sin(x + π/2): one quadrant on).
fn sinQuadrant(x: f32, shift: u32) -> f32 {
  if (isNanF(x) || isInfF(x)) { return nanF32(); }
  var r: f32;
  var jq: u32;
  if (abs(x) < 8192.0) {
    let j = round(x * 0.6366197723675814);
    r = ((x - j * 1.5703125) - j * 4.837512969970703125e-4) - j * 7.54978995489188216e-8;
    jq = u32(i32(j) & 3);
  } else {
    // Reduced for |x|; −x is (−j)·π/2 − r.
    let big = reduceLarge(abs(x));
    r = select(big.x, -big.x, x < 0.0);
    jq = select(u32(big.y), (4u - u32(big.y)) & 3u, x < 0.0);
  }
  let q = (jq + shift) & 3u;
  let v = select(sinPoly(r), cosPoly(r), (q & 1u) == 1u);
  return select(v, -v, q >= 2u);
}
fn sinf(x: f32) -> f32 { return sinQuadrant(x, 0u); }
fn cosf(x: f32) -> f32 { return sinQuadrant(x, 1u); }
fn tanhf(x: f32) -> f32 { return select(tanh(clamp(x, -15.0, 15.0)), x, isNanF(x)); }
fn signf(x: f32) -> f32 { return select(sign(x), x, isNanF(x)); }
// maximum and minimum propagate NaN, as the CPU (and PyTorch) do.
fn maxf(a: f32, b: f32) -> f32 { return select(max(a, b), nanF32(), isNanF(a) || isNanF(b)); }
fn minf(a: f32, b: f32) -> f32 { return select(min(a, b), nanF32(), isNanF(a) || isNanF(b)); }
fn atan2f(y: f32, x: f32) -> f32 {
  if (isNanF(y) || isNanF(x)) { return nanF32(); }
  // y = ±0: ±0 toward +x (x > 0 or x = +0), ±π toward −x, the sign following y's.
  if (y == 0.0) {
    let pi = select(3.141592653589793, -3.141592653589793, signBitF(y));
    return select(pi, y, x > 0.0 || (x == 0.0 && !signBitF(x)));
  }
  return atan2(y, x);
}
fn erff(x: f32) -> f32 {
  // Abramowitz & Stegun 7.1.26 is too coarse near 0; use the series there.
  let z = abs(x);
  if (z < 0.5) {
    let z2 = z * z;
    let s = z * (1.1283791671 + z2 * (-0.3761263890 + z2 * (0.1128379167 + z2 * (-0.0268661706 + z2 * 0.0052239776))));
    return select(s, -s, x < 0.0);
  }
  let t = 1.0 / (1.0 + 0.3275911 * z);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-z * z);
  return select(y, -y, x < 0.0);
}
fn powf(a: f32, b: f32) -> f32 {
  // Math.pow's cases: x⁰ = 1 (NaN too), NaN otherwise spreads, (±1)^±∞ = NaN; a negative base
  // needs an integer exponent, odd ones keeping the sign; ±0 and ±∞ bases give 0 or ∞ by the
  // exponent's sign. A positive finite base is the common case.
  if (b == 0.0) { return 1.0; }
  if (isNanF(a) || isNanF(b) || (abs(a) == 1.0 && isInfF(b))) { return nanF32(); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0 && !isInfF(a)) { return r; }
  let odd = !isInfF(b) && floor(b) == b && abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
  if (a == 0.0 || isInfF(a)) {
    let edge = select(0.0, posInf(), (a == 0.0) == (b < 0.0));
    return select(edge, -edge, signBitF(a) && odd);
  }
  if (!isInfF(b) && floor(b) != b) { return nanF32(); }
  return select(r, -r, odd);
}
fn powi(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) == 1); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = b;
  while (e > 0) {
    if ((e & 1) == 1) { r = r * base; }
    base = base * base;
    e = e >> 1;
  }
  return r;
}
fn f2i(x: f32) -> i32 {
  // float → int32 truncates toward zero and saturates at int32's range (±∞ too); NaN is 0 (Rust's
  // `as`, and the CPU's). 2³¹ − 1 is no f32, so the top is a case of its own.
  if (isNanF(x)) { return 0; }
  if (x >= 2147483648.0) { return 2147483647; }
  if (x <= -2147483648.0) { return i32(-2147483647 - 1); }
  return i32(trunc(x));
}
fn geluf(x: f32) -> f32 { return 0.5 * x * (1.0 + erff(x * 0.7071067811865476)); }
fn geluTanhf(x: f32) -> f32 { return 0.5 * x * (1.0 + tanhf(0.7978845608028654 * (x + 0.044715 * x * x * x))); }
