// reduce_thread.wgsl for rows contiguous in memory, four elements a load: every row starts at a
// multiple of four and holds a multiple of four, so `src` binds as vec4s. A row's split s folds
// the s-th run of its vec4s (each lane streams through its own run), eight vec4 loads a step into
// four vec4 accumulators, then folds their lanes: one bounds-checked load per four elements and
// few loop steps are what a CPU adapter pays for (docs/WEBGPU_TUNING.md: 4M floats summed went
// from ~22 to ~14 CPU-ms with eight loads a step rather than two).
{{BINDINGS}}
fn combine(x: {{ACC}}, y: {{ACC}}) -> {{ACC}} { return {{COMBINE}}; }
fn combine4(x: vec4<{{ACC}}>, y: vec4<{{ACC}}>) -> vec4<{{ACC}}> { return {{COMBINE4}}; }
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = groupId(wid, nwg) * 64u + lid;
  let splits = PU(slot.splits);
  let row = g / splits;
  if (row >= PU(slot.rows)) { return; }
  let len4 = PU(slot.len) / 4u;
  let base4 = u32(stridedOffset(slot.keptDims.at, slot.inKept.at, row)) / 4u;
  // Split s folds the s-th run of ceil(len4 / splits) vec4s: each lane streams through its own run.
  let run = (len4 + splits - 1u) / splits;
  var j = (g - row * splits) * run;
  let end = min(j + run, len4);
  var a0 = vec4<{{ACC}}>({{INIT}});
  var a1 = a0;
  var a2 = a0;
  var a3 = a0;
  for (; j + 7u < end; j += 8u) {
    let at = base4 + j;
    a0 = combine4(a0, combine4(vec4<{{ACC}}>(src[at]), vec4<{{ACC}}>(src[at + 4u])));
    a1 = combine4(a1, combine4(vec4<{{ACC}}>(src[at + 1u]), vec4<{{ACC}}>(src[at + 5u])));
    a2 = combine4(a2, combine4(vec4<{{ACC}}>(src[at + 2u]), vec4<{{ACC}}>(src[at + 6u])));
    a3 = combine4(a3, combine4(vec4<{{ACC}}>(src[at + 3u]), vec4<{{ACC}}>(src[at + 7u])));
  }
  for (; j < end; j++) { a0 = combine4(a0, vec4<{{ACC}}>(src[base4 + j])); }
  let v = combine4(combine4(a0, a1), combine4(a2, a3));
  let acc = combine(combine(v.x, v.y), combine(v.z, v.w));
  dst[g] = {{OUT}};
}
