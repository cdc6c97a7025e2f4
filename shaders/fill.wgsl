// Fill the first slot.count elements with one value (slot.value, as the element type's bits).
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(slot.count)) { return; }
  dst[i] = {{VALUE}};
}
