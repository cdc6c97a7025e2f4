// argmax / argmin on a CPU adapter: a thread walks a whole row in order (no workgroup memory, no
// barriers); ties keep the lowest index, as in argreduce.wgsl.
{{BINDINGS}}
{{BEATS}}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  var bv = {{T}}(0);
  var bi = 0u;
  for (var j = 0u; j < len; j++) {
    let v = {{T}}(src[base + {{IN_J}}]);
    if (j == 0u || beats(v, bv)) { bv = v; bi = j; }
  }
  dst[row] = i32(bi);
}
