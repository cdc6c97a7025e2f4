// layerNorm's normalization over the trailing dims, (x − mean) / √(var + eps): TPR threads share a
// row, RPW rows per workgroup (rows.ts). Each thread runs Welford's update over its share of the
// row (count n, mean, M2 = Σ (x − mean)², stable in one pass); the row's threads merge their
// states with Chan's rule; then each writes its share normalized. Parameters: the rows layout
// (kernels/rows.ts), with the output's views, and slot.eps.
{{BINDINGS}}

fn merge(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  let n = a.x + b.x;
  if (n == 0.0) { return a; }
  let d = b.y - a.y;
  let f = b.x / n;
  return vec4<f32>(n, a.y + d * f, a.z + b.z + d * d * a.x * f, 0.0);
}
{{ROW_REDUCE}}

@compute @workgroup_size({{WG}})
fn main({{ENTRY}}) {
{{OPENING}}
  var n = 0.0;
  var mean = 0.0;
  var m2 = 0.0;
  if (live) {
    for (var j = t; j < len; j += TPR) {
      let v = f32(src[ib + {{IN_J}}]);
      n += 1.0;
      let d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    }
  }
  let st = rowReduce(vec4<f32>(n, mean, m2, 0.0), lid, {{SG}});
  if (!live) { return; }
  let mu = st.y;
  let rstd = inverseSqrt(st.z / f32(len) + PF(slot.eps));
  for (var j = t; j < len; j += TPR) { let y = (f32(src[ib + {{IN_J}}]) - mu) * rstd; dst[ob + {{OUT_J}}] = {{SAVE_Y}}; }
}
