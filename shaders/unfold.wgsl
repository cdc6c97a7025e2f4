// unfold (im2col): out [N, C·kh·kw, L], one thread per output element; taps outside the image
// read 0. Params: 0 count, 1 C, 2 H, 3 W, 4 kh, 5 kw, 6/7 stride, 8/9 padding, 10/11 dilation,
// 12 ow, 13 L, 14 x offset, 15…18 x strides (n, c, h, w).
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(0u)) { return; }
  let kh = P(4u); let kw = P(5u);
  let L = PU(13u);
  let rows = PU(1u) * u32(kh * kw);
  let col = i32(i % L);
  let row = i32((i / L) % rows);
  let b = i32(i / (L * rows));
  let j = row % kw;
  let ki = (row / kw) % kh;
  let c = row / (kw * kh);
  let ow = P(12u);
  let oy = col / ow;
  let ox = col % ow;
  let y = oy * P(6u) - P(8u) + ki * P(10u);
  let x = ox * P(7u) - P(9u) + j * P(11u);
  var v = T(0);
  if (y >= 0 && y < P(2u) && x >= 0 && x < P(3u)) {
    v = src[P(14u) + b * P(15u) + c * P(16u) + y * P(17u) + x * P(18u)];
  }
  dst[i] = v;
}
