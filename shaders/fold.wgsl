// fold (col2im), as a gather so no atomics are needed: one thread per output pixel (n, c, y, x)
// sums every column entry whose window tap lands on it. The columns' strides are
// slot.srcStrides[0…2] (n, row, column).
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(slot.count)) { return; }
  let H = P(slot.height); let W = P(slot.width);
  let kh = P(slot.kernelH); let kw = P(slot.kernelW);
  let sh = P(slot.strideH); let sw = P(slot.strideW);
  let ow = P(slot.outW);
  let oh = P(slot.cols) / max(ow, 1);
  let x = i32(i % u32(W));
  let y = i32((i / u32(W)) % u32(H));
  let c = i32((i / u32(W * H)) % PU(slot.channels));
  let b = i32(i / (u32(W * H) * PU(slot.channels)));
  var acc = T(0);
  for (var ki = 0; ki < kh; ki++) {
    let ty = y + P(slot.padH) - ki * P(slot.dilationH);
    if (ty < 0 || ty % sh != 0 || ty / sh >= oh) { continue; }
    for (var j = 0; j < kw; j++) {
      let tx = x + P(slot.padW) - j * P(slot.dilationW);
      if (tx < 0 || tx % sw != 0 || tx / sw >= ow) { continue; }
      let row = (c * kh + ki) * kw + j;
      let col = (ty / sh) * ow + tx / sw;
      acc += T(src[P(slot.srcOffset) + b * P(slot.srcStrides[0]) + row * P(slot.srcStrides[1]) + col * P(slot.srcStrides[2])]);
    }
  }
  dst[i] = {{OUT}};
}
