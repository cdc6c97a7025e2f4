// gather along an axis: out[i] = x[base(i) + index[i]·axisStride], one thread per output. slot.x
// is x's view with the axis stride zeroed (base(i): xAt); slot.axisStride and slot.axisSize are
// x's stride and size along the axis; the opening gives indexAt and xAt over the (coalesced) index
// space. An index outside 0 … size − 1 (negative ones too, as in PyTorch) is clamped and reported
// in `flags` (see index-check.ts); the CPU backend throws.
{{BINDINGS}}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  var j = k;
  if (k < 0 || k >= size) {
    reportIndex(k, size);
    j = clamp(k, 0, max(size - 1, 0));
  }
  dst[i] = src[xAt + j * P(slot.axisStride)];
}
