// gather along an axis: out[i] = x[base(i) + index[i]·axisStride], one thread per output.
// Params: 0 count, 1…9 index dims, 10…19 x view with the axis stride zeroed, 20…29 index view,
// 30 axis stride of x, 31 axis size. An index outside 0 … size − 1 (negative ones too, as in
// PyTorch) is clamped and reported in `flags` (see index-check.ts); the CPU backend throws.
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(0u)) { return; }
  let size = P(31u);
  var k = idx[stridedOffset(1u, 20u, i)];
  if (k < 0 || k >= size) {
    reportIndex(k, size);
    k = clamp(k, 0, max(size - 1, 0));
  }
  dst[i] = src[stridedOffset(1u, 10u, i) + k * P(30u)];
}
