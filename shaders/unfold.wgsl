// unfold (im2col): out [N, C·kh·kw, L], one thread per output element; taps outside the image
// read 0. The image's strides are slot.srcStrides[0…3] (n, c, h, w).
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(slot.count)) { return; }
  let kh = P(slot.kernelH); let kw = P(slot.kernelW);
  let L = PU(slot.cols);
  let rows = PU(slot.channels) * u32(kh * kw);
  let col = i32(i % L);
  let row = i32((i / L) % rows);
  let b = i32(i / (L * rows));
  let j = row % kw;
  let ki = (row / kw) % kh;
  let c = row / (kw * kh);
  let ow = P(slot.outW);
  let oy = col / ow;
  let ox = col % ow;
  let y = oy * P(slot.strideH) - P(slot.padH) + ki * P(slot.dilationH);
  let x = ox * P(slot.strideW) - P(slot.padW) + j * P(slot.dilationW);
  var v = T(0);
  if (y >= 0 && y < P(slot.height) && x >= 0 && x < P(slot.width)) {
    v = src[P(slot.srcOffset) + b * P(slot.srcStrides[0]) + c * P(slot.srcStrides[1]) + y * P(slot.srcStrides[2]) + x * P(slot.srcStrides[3])];
  }
  dst[i] = v;
}
