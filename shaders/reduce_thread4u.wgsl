// reduce_thread4.wgsl for contiguous rows of 4-byte elements that do not start, or end, on a
// multiple of four (a row of 257, rows at 257·r): `src` binds as vec4s; the vec4s wholly inside the
// row stream as in reduce_thread4.wgsl (each split a run, eight loads a step), and split 0 adds the
// row's partial first and last vec4 with the lanes outside the row replaced by the identity. The
// caller takes this kernel for rows of at least 16 elements, so those two vec4s are distinct and
// the full run between them is not empty (docs/WEBGPU_TUNING.md).
{{BINDINGS}}
fn combine(x: {{ACC}}, y: {{ACC}}) -> {{ACC}} { return {{COMBINE}}; }
fn combine4(x: vec4<{{ACC}}>, y: vec4<{{ACC}}>) -> vec4<{{ACC}}> { return {{COMBINE4}}; }
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = groupId(wid, nwg) * 64u + lid;
  let splits = PU(slot.splits);
  let row = g / splits;
  if (row >= PU(slot.rows)) { return; }
  let base = u32(stridedOffset(slot.keptDims.at, slot.inKept.at, row));
  let end = base + PU(slot.len);
  // Whole vec4s of the row: [lo4, hi4).
  let lo4 = (base + 3u) / 4u;
  let hi4 = end / 4u;
  let run = (hi4 - lo4 + splits - 1u) / splits;
  let s = g - row * splits;
  var j = lo4 + s * run;
  let stop = min(j + run, hi4);
  let identity = vec4<{{ACC}}>({{INIT}});
  var a0 = identity;
  var a1 = a0;
  var a2 = a0;
  var a3 = a0;
  for (; j + 7u < stop; j += 8u) {
    a0 = combine4(a0, combine4(vec4<{{ACC}}>(src[j]), vec4<{{ACC}}>(src[j + 4u])));
    a1 = combine4(a1, combine4(vec4<{{ACC}}>(src[j + 1u]), vec4<{{ACC}}>(src[j + 5u])));
    a2 = combine4(a2, combine4(vec4<{{ACC}}>(src[j + 2u]), vec4<{{ACC}}>(src[j + 6u])));
    a3 = combine4(a3, combine4(vec4<{{ACC}}>(src[j + 3u]), vec4<{{ACC}}>(src[j + 7u])));
  }
  for (; j < stop; j++) { a0 = combine4(a0, vec4<{{ACC}}>(src[j])); }
  if (s == 0u) {
    let lane = vec4<u32>(0u, 1u, 2u, 3u);
    let head = base % 4u;
    if (head != 0u) { a1 = combine4(a1, select(identity, vec4<{{ACC}}>(src[base / 4u]), lane >= vec4<u32>(head))); }
    let tail = end % 4u;
    if (tail != 0u) { a2 = combine4(a2, select(identity, vec4<{{ACC}}>(src[hi4]), lane < vec4<u32>(tail))); }
  }
  let v = combine4(combine4(a0, a1), combine4(a2, a3));
  let acc = combine(combine(v.x, v.y), combine(v.z, v.w));
  dst[g] = {{OUT}};
}
