// A multi-output fused kernel (horizontal fusion): independent members — elementwise groups and
// short reductions — over one grid-stride loop through their concatenated index spaces. Member m
// owns indices [end(m-1), end(m)) and writes out<m>; each has its own function below.
// Params: 0 = total element count, 1 … = each member's end, then four words per member input
// (offset, row stride, column stride, columns — or for a reduction: offset, output stride,
// reduced stride, reduced length).
{{BINDINGS}}

{{SEGMENTS}}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = PU(0u);
  let width = nwg.x * nwg.y * 64u;
{{PRE}}
  for (var i = groupId(wid, nwg) * 64u + lid; i < n; i += width) {
{{DISPATCH}}
  }
}
