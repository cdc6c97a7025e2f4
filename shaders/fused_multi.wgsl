// A multi-output fused kernel (horizontal fusion): independent members — elementwise groups and
// short reductions — each over its own grid-stride loop. Member m owns indices [end(m-1), end(m))
// of the concatenated index space (thread t takes the indices ≡ t mod the grid's width, so short
// members land on different threads) and writes out<m>; each has its own function below. One loop
// per member, not one loop with a branch per element: a loop runs only while one of its lanes
// has work (docs/WEBGPU_TUNING.md).
// Parameters: slot.total indices, slot.ends[m] the end of member m's, then a rank ≤ 2 view per
// elementwise read (slot.reads) and per reduced input (slot.sums).
{{BINDINGS}}

{{SEGMENTS}}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let width = nwg.x * nwg.y * 64u;
{{PRE}}
  let t = groupId(wid, nwg) * 64u + lid;
{{DISPATCH}}
}
