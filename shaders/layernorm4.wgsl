// layerNorm's normalization over rows read four elements at a time: a thread per row (TPR = 1),
// each row contiguous in input and output, its length a multiple of four and its starts 16-byte
// aligned (rows.ts rowsByFour). On a CPU adapter one vec4 load or store replaces four
// bounds-checked scalar ones. Welford's update element by element in row order, then the row
// normalized: layernorm.wgsl's operations in its order with one thread per row, so the same bits.
// The opening (openings.ts ROW4_OPENING) gives the row's start in vec4s, i4 and o4, and n4.
// Parameters: the rows layout (kernels/rows.ts), with the output's views, and slot.eps.
{{BINDINGS}}

{{ROW_REDUCE}}

// One step of Welford's update: (count, mean, M2) with the value v.
fn welford(s: vec3<f32>, v: f32) -> vec3<f32> {
  let n = s.x + 1.0;
  let d = v - s.y;
  let mean = s.y + d / n;
  return vec3<f32>(n, mean, s.z + d * (v - mean));
}

@compute @workgroup_size({{WG}})
fn main({{ENTRY}}) {
{{OPENING}}
  var st = vec3<f32>(0.0);
  for (var j = 0u; j < n4; j++) {
    let v = src[i4 + j];
    st = welford(welford(welford(welford(st, v.x), v.y), v.z), v.w);
  }
  let mu = st.y;
  let rstd = inverseSqrt(st.z / f32(len) + PF(slot.eps));
  for (var j = 0u; j < n4; j++) { dst[o4 + j] = (src[i4 + j] - vec4<f32>(mu)) * rstd; }
}
