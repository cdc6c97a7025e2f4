// Scalar helpers for the elementwise expressions (webgrad's CPU backend is the reference).

fn log1pf(x: f32) -> f32 {
  // log(1+x) accurate near 0: log(u)·x/(u−1) cancels the rounding of u = 1 + x.
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn sigmoidf(x: f32) -> f32 {
  // Branch-free (a CPU adapter runs both sides of a divergent branch): e = exp(−|x|) never
  // overflows; 1/(1+e) for x ≥ 0, e/(1+e) below.
  let e = exp(-abs(x));
  let s = 1.0 / (1.0 + e);
  return select(e * s, s, x >= 0.0);
}
fn tanhf(x: f32) -> f32 { return tanh(clamp(x, -15.0, 15.0)); }
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
  if (b == 0.0) { return 1.0; }
  if (a == 0.0) { return select(0.0, posInf(), b < 0.0); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  // a < 0: defined for integer b only; the sign follows b's parity.
  if (floor(b) != b) { return nanF32(); }
  let odd = abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
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
  // float → int32 truncates; non-finite values become 0, as on the CPU.
  if (x != x || abs(x) > 3.4e38) { return 0; }
  return i32(clamp(trunc(x), -2147483648.0, 2147483520.0));
}
fn geluf(x: f32) -> f32 { return 0.5 * x * (1.0 + erff(x * 0.7071067811865476)); }
fn geluTanhf(x: f32) -> f32 { return 0.5 * x * (1.0 + tanhf(0.7978845608028654 * (x + 0.044715 * x * x * x))); }
