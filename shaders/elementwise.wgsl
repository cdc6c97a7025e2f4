// Elementwise kernels: each thread computes 4 output elements, 64 apart (a workgroup of 64 covers
// 256 consecutive elements, so neighbouring threads still touch neighbouring words); fewer,
// longer threads pay SwiftShader's per-invocation cost less often. Each input is a contiguous run,
// one broadcast element, or a strided view (broadcast dims have stride 0; negative strides are
// fine), fixed per pipeline. Params: 0 = element count, 1…9 = output dims, 10 + 10·k = view of input k.
{{BINDINGS}}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = groupId(wid, nwg) * 256u + lid;
  let n = PU(0u);
{{PRE}}
  for (var k = 0u; k < 4u; k++) {
    let i = base + k * 64u;
    if (i >= n) { return; }
{{LOADS}}
    out[i] = {{EXPR}};
  }
}
