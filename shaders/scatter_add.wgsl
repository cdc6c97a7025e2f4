// scatterAdd along an axis: out (already a copy of x) gets src[i] added at base(i) +
// index[i]·axisStride, with atomics since indices may repeat. f32 adds are a
// compare-exchange loop on the bits (WGSL has no float atomics). Parameters as gather.wgsl (slot.x
// is the output's view), plus slot.src, the source's view over the index shape.
{{BINDINGS}}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  // Outside 0 … size − 1: reported in `flags` (see index-check.ts) and not added anywhere.
  if (k < 0 || k >= size) {
    reportIndex(k, size);
    return;
  }
  let at = xAt + k * P(slot.axisStride);
  let v = src[srcAt];
{{ADD}}
}
