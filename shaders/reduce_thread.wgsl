// Reductions on a CPU adapter: one thread per output row, no workgroup memory and no barriers
// (SwiftShader runs a workgroup's invocations as SIMD lanes; its barriers cost more than the
// arithmetic of a short row). Neighbouring threads take neighbouring rows, so a column sum (rows
// along the contiguous dim) reads neighbouring words across lanes. Params as reduce.wgsl.
{{BINDINGS}}

fn combine(x: {{ACC}}, y: {{ACC}}) -> {{ACC}} { return {{COMBINE}}; }

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = groupId(wid, nwg) * 64u + lid;
  if (row >= PU(0u)) { return; }
  let len = PU(1u);
  let base = stridedOffset(2u, 20u, row);
  let rs = P(32u);
  var acc: {{ACC}} = {{INIT}};
  for (var j = 0u; j < len; j++) {
    acc = combine(acc, {{ACC}}(src[base + {{IN_J}}]));
  }
  dst[row] = {{OUT}};
}
