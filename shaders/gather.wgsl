// gather along an axis: out[i] = x[base(i) + wrap(index[i])·axisStride], one thread per output.
// Params: 0 count, 1…9 index dims, 10…19 x view with the axis stride zeroed, 20…29 index view,
// 30 axis stride of x, 31 axis size. Out-of-range indices clamp (the CPU backend throws).
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(0u)) { return; }
  let size = P(31u);
  var k = idx[stridedOffset(1u, 20u, i)];
  if (k < 0) { k += size; }
  k = clamp(k, 0, size - 1);
  dst[i] = src[stridedOffset(1u, 10u, i) + k * P(30u)];
}
