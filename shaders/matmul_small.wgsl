// Matmul for small M or N (matrix-vector and thin products), where a tile would be mostly empty:
// one thread per output element, walking K with four independent accumulators.
// Parameters as matmul.wgsl.
{{BINDINGS}}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{SIZES}}
  let idx = groupId(wid, nwg) * 64u + lid;
  if (idx >= M * N * PU(slot.batches)) { return; }
  let batch = idx / (M * N);
  let r = (idx / N) % M;
  let c = idx % N;
{{BATCH_BASES}}
  let aRow = aBase + i32(r) * P(slot.aRowStride);
  let bCol = bBase + i32(c) * P(slot.bColStride);
  let sAk = P(slot.aColStride);
  let sBk = P(slot.bRowStride);
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
