// Matmul without workgroup memory: each thread computes a TM×4 block of C from global memory,
// register blocking only (TM vec4 accumulators, explicit fma). On a CPU adapter barriers and
// workgroup tiles cost more than they save (docs/WEBGPU_TUNING.md).
// Rows past M read row M-1 (clamped, so no branch in the loop) and are not stored.
// Parameters as matmul.wgsl.
{{BINDINGS}}

const TM: u32 = {{TM}}u;

@compute @workgroup_size({{WX}}, {{WY}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
{{OPENING}}
  let row0 = (wid.y * {{WY}}u + lid3.y) * TM;
  let c = (wid.x * {{WX}}u + lid3.x) * 4u;
  if (row0 >= M || c >= N) { return; }
{{A_ROWS}}
  let c1 = min(c + 1u, N - 1u);
  let c2 = min(c + 2u, N - 1u);
  let c3 = min(c + 3u, N - 1u);
  let b0 = bBase + i32(c) * sBn;
  let b1 = bBase + i32(c1) * sBn;
  let b2 = bBase + i32(c2) * sBn;
  let b3 = bBase + i32(c3) * sBn;
{{ACC_DECL}}
  for (var k = 0u; k < K; k++) {
    let kb = i32(k) * sBk;
    let ka = i32(k) * sAk;
    let b = vec4<T>(B[b0 + kb], B[b1 + kb], B[b2 + kb], B[b3 + kb]);
{{INNER}}
  }
  let cBase = batch * M * N;
{{STORE}}
}
