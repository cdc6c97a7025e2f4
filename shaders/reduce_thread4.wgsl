// reduce_thread.wgsl for rows contiguous in memory, four elements a load: every row starts at a
// multiple of four and holds a multiple of four, so `src` binds as vec4s and each thread folds
// vec4s s, s + splits, … of its row into vec4 accumulators, then folds their four lanes. One
// bounds-checked load per four elements is what a CPU adapter pays for (docs/WEBGPU_TUNING.md).
{{BINDINGS}}
fn combine(x: {{ACC}}, y: {{ACC}}) -> {{ACC}} { return {{COMBINE}}; }
fn combine4(x: vec4<{{ACC}}>, y: vec4<{{ACC}}>) -> vec4<{{ACC}}> { return {{COMBINE}}; }
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = groupId(wid, nwg) * 64u + lid;
  let splits = PU(slot.splits);
  let row = g / splits;
  if (row >= PU(slot.rows)) { return; }
  let len4 = PU(slot.len) / 4u;
  let base4 = u32(stridedOffset(slot.keptDims.at, slot.inKept.at, row)) / 4u;
  var a0 = vec4<{{ACC}}>({{INIT}});
  var a1 = a0;
  var j = g - row * splits;
  for (; j + splits < len4; j += 2u * splits) {
    a0 = combine4(a0, vec4<{{ACC}}>(src[base4 + j]));
    a1 = combine4(a1, vec4<{{ACC}}>(src[base4 + j + splits]));
  }
  if (j < len4) { a0 = combine4(a0, vec4<{{ACC}}>(src[base4 + j])); }
  let v = combine4(a0, a1);
  let acc = combine(combine(v.x, v.y), combine(v.z, v.w));
  dst[g] = {{OUT}};
}
