// Strided copy: element i of the index space (dims at 1…9) goes from the source view (10…19)
// to the destination view (20…29). Materializes views, writes concat/pad pieces, copyInto.
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(0u)) { return; }
  dst[stridedOffset(1u, 20u, i)] = src[stridedOffset(1u, 10u, i)];
}
