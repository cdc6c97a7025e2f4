// scatterAdd along an axis: out (already a copy of x) gets src[i] added at base(i) +
// index[i]·axisStride, with atomics since indices may repeat. f32 adds are a
// compare-exchange loop on the bits (WGSL has no float atomics). Params as gather.wgsl, plus
// 32…41 src view over the index shape.
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(0u)) { return; }
  let size = P(31u);
  let k = idx[stridedOffset(1u, 20u, i)];
  // Outside 0 … size − 1: reported in `flags` (see index-check.ts) and not added anywhere.
  if (k < 0 || k >= size) {
    reportIndex(k, size);
    return;
  }
  let at = stridedOffset(1u, 10u, i) + k * P(30u);
  let v = src[stridedOffset(1u, 32u, i)];
{{ADD}}
}
