// Strided copy: element i of the index space (slot.dims) goes from the source view (slot.src)
// to the destination view (slot.dst). Materializes views, writes concat/pad pieces, copyInto.
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(slot.count)) { return; }
  dst[stridedOffset(slot.dims.at, slot.dst.at, i)] = src[stridedOffset(slot.dims.at, slot.src.at, i)];
}
