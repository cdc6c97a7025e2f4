// Elementwise kernels: one thread per output element; each input is a strided view
// (broadcast dims have stride 0; negative strides are fine). Params: 0 = element count,
// 1…9 = output dims, 10 + 10·k = view of input k.
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(0u)) { return; }
{{LOADS}}
  out[i] = {{EXPR}};
}
