// Matmul for small M or N (matrix-vector and thin products), where a tile would be mostly empty:
// one thread per output element, walking K with four independent accumulators.
// Params as matmul.wgsl.
{{BINDINGS}}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = PU(0u);
  let N = PU(1u);
  let K = PU(2u);
  let idx = groupId(wid, nwg) * 64u + lid;
  if (idx >= M * N * PU(3u)) { return; }
  let batch = idx / (M * N);
  let r = (idx / N) % M;
  let c = idx % N;
  let aRow = stridedOffset(4u, 13u, batch) + i32(r) * P(33u);
  let bCol = stridedOffset(4u, 23u, batch) + i32(c) * P(36u);
  let sAk = P(34u);
  let sBk = P(35u);
  var s0 = T(0); var s1 = T(0); var s2 = T(0); var s3 = T(0);
  var k = 0u;
  for (; k + 4u <= K; k += 4u) {
    s0 = {{MAC0}};
    s1 = {{MAC1}};
    s2 = {{MAC2}};
    s3 = {{MAC3}};
  }
  for (; k < K; k++) { s0 = {{MAC0}}; }
  let acc = (s0 + s1) + (s2 + s3);
{{STORE}}
}
