// Tiled matmul C[b] = A[b] · B[b]: a workgroup computes a BM×BN tile of C; each thread a TM×4
// block held in registers (TM vec4 accumulators: register blocking, explicit fma). A and B tiles
// pass through workgroup memory BK at a time (B as vec4 rows: vectorized reads); edges load zeros.
// A and B are strided views: transposed inputs need no copy; batch dims broadcast with stride 0.
// Parameters: MATMUL_PARAMS (kernels/layouts.ts): M, N, K, the batch index space and A's and B's
// views over it, their row and column strides, and the epilogue inputs' views.
{{BINDINGS}}

const BM: u32 = {{BM}}u;
const BN: u32 = {{BN}}u;
const BK: u32 = {{BK}}u;
const TM: u32 = {{TM}}u;
const WX: u32 = BN / 4u;
const THREADS: u32 = WX * (BM / TM);

var<workgroup> As: array<array<T, BM>, BK>;
var<workgroup> Bs: array<array<vec4<T>, WX>, BK>;

@compute @workgroup_size({{WX}}, {{WY}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  let tx = lid3.x;
  let ty = lid3.y;
{{ACC_DECL}}
  for (var k0 = 0u; k0 < K; k0 += BK) {
    // Cooperative tile loads: THREADS threads cover BM×BK of A and BK×BN of B.
    for (var e = lid; e < BM * BK; e += THREADS) {
      let r = e / BK;
      let kk = e % BK;
      let gr = row0 + r;
      let gk = k0 + kk;
      var v = T(0);
      if (gr < M && gk < K) { v = A[aBase + i32(gr) * sAm + i32(gk) * sAk]; }
      As[kk][r] = v;
    }
    for (var e = lid; e < BK * WX; e += THREADS) {
      let kk = e / WX;
      let c4 = e % WX;
      let gk = k0 + kk;
      let gc = col0 + c4 * 4u;
      var v = vec4<T>(T(0));
      if (gk < K) {
        let base = bBase + i32(gk) * sBk + i32(gc) * sBn;
        if (gc + 3u < N) {
          v = vec4<T>(B[base], B[base + sBn], B[base + 2 * sBn], B[base + 3 * sBn]);
        } else {
          if (gc < N) { v.x = B[base]; }
          if (gc + 1u < N) { v.y = B[base + sBn]; }
          if (gc + 2u < N) { v.z = B[base + 2 * sBn]; }
        }
      }
      Bs[kk][c4] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let b = Bs[kk][tx];
{{INNER}}
    }
    workgroupBarrier();
  }

  let cBase = batch * M * N;
  let c = col0 + tx * 4u;
{{STORE}}
}
