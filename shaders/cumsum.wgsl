// Running sum along one axis: one thread per row (rows are independent; a row is walked in order).
// Params as reduce.wgsl, plus 40…49 output view over kept dims and 50…59 over the axis.
{{BINDINGS}}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = groupId(wid, nwg) * 64u + lid;
  if (row >= PU(0u)) { return; }
  let len = PU(1u);
  let ib = stridedOffset(2u, 20u, row);
  let ob = stridedOffset(2u, 40u, row);
  var acc: {{T}} = {{T}}(0);
  for (var j = 0u; j < len; j++) {
    acc += {{T}}(src[ib + stridedOffset(11u, 30u, j)]);
    dst[ob + stridedOffset(11u, 50u, j)] = {{OUT}};
  }
}
