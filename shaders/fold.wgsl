// fold (col2im), as a gather so no atomics are needed: one thread per output pixel (n, c, y, x)
// sums every column entry whose window tap lands on it. Params: 0 count, 1 C, 2 H, 3 W, 4 kh,
// 5 kw, 6/7 stride, 8/9 padding, 10/11 dilation, 12 ow, 13 L, 14 cols offset, 15…17 cols strides.
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(0u)) { return; }
  let H = P(2u); let W = P(3u);
  let kh = P(4u); let kw = P(5u);
  let sh = P(6u); let sw = P(7u);
  let ow = P(12u);
  let oh = P(13u) / max(ow, 1);
  let x = i32(i % u32(W));
  let y = i32((i / u32(W)) % u32(H));
  let c = i32((i / u32(W * H)) % PU(1u));
  let b = i32(i / (u32(W * H) * PU(1u)));
  var acc = T(0);
  for (var ki = 0; ki < kh; ki++) {
    let ty = y + P(8u) - ki * P(10u);
    if (ty < 0 || ty % sh != 0 || ty / sh >= oh) { continue; }
    for (var j = 0; j < kw; j++) {
      let tx = x + P(9u) - j * P(11u);
      if (tx < 0 || tx % sw != 0 || tx / sw >= ow) { continue; }
      let row = (c * kh + ki) * kw + j;
      let col = (ty / sh) * ow + tx / sw;
      acc += T(src[P(14u) + b * P(15u) + row * P(16u) + col * P(17u)]);
    }
  }
  dst[i] = {{OUT}};
}
