// Matmul with vec4 loads along contiguous dims, no workgroup memory: each thread computes a
// TM×4 block of C (TM vec4 accumulators, explicit fma), stepping K four at a time. A row holds
// four consecutive k's in one vec4 when A's k stride is 1; B gives four columns of a k-row (B's
// column stride 1) or four k's of a column (B's k stride 1, e.g. a transposed weight): either way
// the four B vectors b0…b3 (row k+q, columns c…c+3) feed acc_i += a_i.x·b0 + a_i.y·b1 + … .
// On a CPU adapter one vec4 load replaces four bounds-checked scalar loads. Needs K and N multiples
// of 4 and 16-byte aligned rows; rows past M read row M−1 (clamped) and are not stored.
// Parameters as matmul.wgsl.
{{BINDINGS}}

const TM: u32 = {{TM}}u;
const TN: u32 = {{TN}}u;

@compute @workgroup_size({{WX}}, {{WY}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
{{OPENING}}
  let row0 = (wid.y * {{WY}}u + lid3.y) * TM;
  let c = (wid.x * {{WX}}u + lid3.x) * TN;
  if (row0 >= M || c >= N) { return; }
{{A_ROWS}}
{{ACC_DECL}}
  for (var k = 0u; k < K; k += 4u) {
{{LOAD_B}}
{{INNER}}
  }
  let cBase = batch * M * N;
{{STORE}}
}
