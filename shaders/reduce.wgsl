// Reductions: one workgroup per output row; each thread folds a strided share of the row, then a
// tree reduction in workgroup memory. Parameters: the rows layout (kernels/rows.ts).
{{BINDINGS}}
const WG: u32 = {{WG}}u;
var<workgroup> partial: array<{{ACC}}, WG>;
fn combine(x: {{ACC}}, y: {{ACC}}) -> {{ACC}} { return {{COMBINE}}; }
@compute @workgroup_size({{WG}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  var acc: {{ACC}} = {{INIT}};
  for (var j = lid; j < len; j += WG) {
    acc = combine(acc, {{ACC}}(src[base + {{IN_J}}]));
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = combine(partial[lid], partial[lid + s]); }
    workgroupBarrier();
  }
  if (lid == 0u) { let acc = partial[0]; dst[row] = {{OUT}}; }
}
