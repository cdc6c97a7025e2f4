// Elementwise kernels: a grid-stride loop. The dispatch is capped (elementwiseGroups), each thread
// steps through the index space by the whole grid's width, so neighbouring threads still touch
// neighbouring words; few workgroups pay a CPU adapter's per-workgroup cost only a few hundred
// times (docs/WEBGPU_TUNING.md). Each input is a contiguous
// run, one broadcast element, or a strided view (broadcast dims have stride 0; negative strides
// are fine), fixed per pipeline. Parameters: slot.count elements over the output's slot.dims, and
// slot.inputs[k], the view of input k.
{{BINDINGS}}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = PU(slot.count);
  let width = nwg.x * nwg.y * 64u;
{{PRE}}
  for (var i = groupId(wid, nwg) * 64u + lid; i < n; i += width) {
{{LOADS}}
    out[i] = {{EXPR}};
  }
}
