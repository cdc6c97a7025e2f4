// Running sum along one axis: one thread per row (rows are independent; a row is walked in order).
// Parameters: the rows layout (kernels/rows.ts), with the output's views.
{{BINDINGS}}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  let ob = stridedOffset(slot.keptDims.at, slot.outKept.at, row);
  var acc: {{T}} = {{T}}(0);
  for (var j = 0u; j < len; j++) {
    acc += {{T}}(src[base + stridedOffset(slot.reducedDims.at, slot.inReduced.at, j)]);
    dst[ob + stridedOffset(slot.reducedDims.at, slot.outReduced.at, j)] = {{OUT}};
  }
}
