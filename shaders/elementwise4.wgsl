// elementwise.wgsl four elements at a time: every operand is contiguous from a multiple of four
// (bound as vec4s) or one broadcast element. One bounds-checked vec4 load per operand and one
// store per four elements, where the scalar kernel paid a load per element (docs/WEBGPU_TUNING.md);
// the arithmetic stays per element, in `elem`. The last count % 4 elements go as a whole vec4 too:
// the lanes past the count read and write only the output buffer's padding (pooled buffers are
// whole multiples of 64 bytes, and the kernel is chosen only where the output storage ends at the
// count: codegen.ts elementwiseVec4). A lane-by-lane tail cost a third of the pipeline's build on
// SwiftShader (docs/WEBGPU_TUNING.md). Parameters as elementwise.wgsl.
{{BINDINGS}}

fn elem({{PARAMS}}) -> {{OUT_T}} {
{{BODY}}
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = PU(slot.count);
  let n4 = (n + 3u) / 4u;
  let width = nwg.x * nwg.y * 64u;
  let first = groupId(wid, nwg) * 64u + lid;
{{PRE}}
  for (var i = first; i < n4; i += width) {
{{LOADS}}
    out[i] = vec4<{{OUT_T}}>(elem({{ARGS_X}}), elem({{ARGS_Y}}), elem({{ARGS_Z}}), elem({{ARGS_W}}));
  }
}
