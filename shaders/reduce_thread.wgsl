// Reductions on a CPU adapter: threads fold whole rows, no workgroup memory and no barriers (see
// docs/WEBGPU_TUNING.md). A row is shared by `splits` threads (consecutive threads: consecutive
// splits), thread s folding elements s, s + splits, … so neighbouring lanes read neighbouring
// words (reduce_thread4.wgsl gives each split a run instead); each writes its partial to
// dst[row · splits + s], and a second dispatch of this kernel (splits = 1) folds the partials.
// With one split per row, neighbouring threads take neighbouring rows, so a column sum reads
// neighbouring words across lanes. Four accumulators break the chain of dependent combines.
// Parameters: the rows layout and `splits` (kernels/layouts.ts).
{{BINDINGS}}
fn combine(x: {{ACC}}, y: {{ACC}}) -> {{ACC}} { return {{COMBINE}}; }
fn at(base: i32, rs: i32, j: u32) -> {{ACC}} { return {{ACC}}(src[base + {{IN_J}}]); }
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = groupId(wid, nwg) * 64u + lid;
  let splits = PU(slot.splits);
  let row = g / splits;
  if (row >= PU(slot.rows)) { return; }
  let len = PU(slot.len);
  let base = stridedOffset(slot.keptDims.at, slot.inKept.at, row);
  let rs = P(slot.inReduced.strides[0]);
  var a0: {{ACC}} = {{INIT}};
  var a1: {{ACC}} = {{INIT}};
  var a2: {{ACC}} = {{INIT}};
  var a3: {{ACC}} = {{INIT}};
  var j = g - row * splits;
  let step4 = 4u * splits;
  for (; j + 3u * splits < len; j += step4) {
    a0 = combine(a0, at(base, rs, j));
    a1 = combine(a1, at(base, rs, j + splits));
    a2 = combine(a2, at(base, rs, j + 2u * splits));
    a3 = combine(a3, at(base, rs, j + 3u * splits));
  }
  for (; j < len; j += splits) { a0 = combine(a0, at(base, rs, j)); }
  let acc = combine(combine(a0, a1), combine(a2, a3));
  dst[g] = {{OUT}};
}
