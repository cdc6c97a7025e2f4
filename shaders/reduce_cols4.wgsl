// Reductions on a CPU adapter over one strided axis whose output rows are neighbouring words of
// the input (a column sum, a middle axis): each thread folds four neighbouring rows at once, one
// vec4 load per step down the reduced axis, and stores the four results as one vec4. The rows
// start at multiples of four, and the reduced stride is a positive multiple of four
// (kernels/reduce.ts checks). With `splits` > 1 (few outputs), thread g takes run g / (rows / 4)
// of the reduced axis for outputs 4·(g % (rows / 4)) …, and writes a [splits, rows] partial that a
// second dispatch folds over its first axis. Parameters: the rows layout and `splits`.
{{BINDINGS}}
fn combine4(x: vec4<{{ACC}}>, y: vec4<{{ACC}}>) -> vec4<{{ACC}}> { return {{COMBINE4}}; }
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = groupId(wid, nwg) * 64u + lid;
  let groups = PU(slot.rows) / 4u;
  let splits = PU(slot.splits);
  if (g >= groups * splits) { return; }
  let s = g / groups;
  let run = (PU(slot.len) + splits - 1u) / splits;
  let first = s * run;
  let len = min(first + run, PU(slot.len)) - min(first, PU(slot.len));
  let rs4 = PU(slot.inReduced.strides[0]) / 4u;
  var at = u32(stridedOffset(slot.keptDims.at, slot.inKept.at, (g - s * groups) * 4u)) / 4u + first * rs4;
  var a0 = vec4<{{ACC}}>({{INIT}});
  var a1 = a0;
  var a2 = a0;
  var a3 = a0;
  var j = 0u;
  for (; j + 3u < len; j += 4u) {
    a0 = combine4(a0, vec4<{{ACC}}>(src[at]));
    a1 = combine4(a1, vec4<{{ACC}}>(src[at + rs4]));
    a2 = combine4(a2, vec4<{{ACC}}>(src[at + 2u * rs4]));
    a3 = combine4(a3, vec4<{{ACC}}>(src[at + 3u * rs4]));
    at += 4u * rs4;
  }
  for (; j < len; j++) {
    a0 = combine4(a0, vec4<{{ACC}}>(src[at]));
    at += rs4;
  }
  let acc = combine4(combine4(a0, a1), combine4(a2, a3));
  dst[g] = {{OUT}};
}
