// Reductions on a CPU adapter: one thread per output row, no workgroup memory and no barriers
// (see docs/WEBGPU_TUNING.md). Neighbouring threads take neighbouring rows, so a column sum (rows
// along the contiguous dim) reads neighbouring words across lanes. Parameters as reduce.wgsl.
{{BINDINGS}}
fn combine(x: {{ACC}}, y: {{ACC}}) -> {{ACC}} { return {{COMBINE}}; }
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  let rs = P(slot.inReduced.strides[0]);
  var acc: {{ACC}} = {{INIT}};
  for (var j = 0u; j < len; j++) {
    acc = combine(acc, {{ACC}}(src[base + {{IN_J}}]));
  }
  dst[row] = {{OUT}};
}
