// Tiled matmul C[b] = A[b] · B[b]: a workgroup computes a BM×BN tile of C; each thread a TM×TN
// block held in registers (register blocking). A and B tiles go through workgroup memory BK at a
// time; edges load zeros. A and B are strided views (transposed inputs need no copy; batch dims
// broadcast with stride 0). Params: 0 M, 1 N, 2 K, 3 batches, 4…12 batch dims, 13…22 A batch view,
// 23…32 B batch view, 33 A row stride, 34 A col stride, 35 B row stride, 36 B col stride.
{{BINDINGS}}

const BM: u32 = {{BM}}u;
const BN: u32 = {{BN}}u;
const BK: u32 = {{BK}}u;
const TM: u32 = {{TM}}u;
const TN: u32 = {{TN}}u;
const WX: u32 = BN / TN;
const WY: u32 = BM / TM;
const THREADS: u32 = WX * WY;

var<workgroup> As: array<array<T, BM>, BK>;
var<workgroup> Bs: array<array<T, BN>, BK>;

@compute @workgroup_size({{WX}}, {{WY}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = PU(0u);
  let N = PU(1u);
  let K = PU(2u);
  let batch = wid.z;
  let aBase = stridedOffset(4u, 13u, batch);
  let bBase = stridedOffset(4u, 23u, batch);
  let sAm = P(33u);
  let sAk = P(34u);
  let sBk = P(35u);
  let sBn = P(36u);
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  let tx = lid3.x;
  let ty = lid3.y;

  var acc: array<array<T, TN>, TM>;
  for (var i = 0u; i < TM; i++) { for (var j = 0u; j < TN; j++) { acc[i][j] = T(0); } }
  var a: array<T, TM>;
  var b: array<T, TN>;

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
    for (var e = lid; e < BK * BN; e += THREADS) {
      let kk = e / BN;
      let c = e % BN;
      let gk = k0 + kk;
      let gc = col0 + c;
      var v = T(0);
      if (gk < K && gc < N) { v = B[bBase + i32(gk) * sBk + i32(gc) * sBn]; }
      Bs[kk][c] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      for (var i = 0u; i < TM; i++) { a[i] = As[kk][ty * TM + i]; }
      for (var j = 0u; j < TN; j++) { b[j] = Bs[kk][tx * TN + j]; }
      for (var i = 0u; i < TM; i++) {
        for (var j = 0u; j < TN; j++) { acc[i][j] = {{MAC}}; }
      }
    }
    workgroupBarrier();
  }

  let cBase = batch * M * N;
  for (var i = 0u; i < TM; i++) {
    let r = row0 + ty * TM + i;
    if (r >= M) { break; }
    for (var j = 0u; j < TN; j++) {
      let c = col0 + tx * TN + j;
      if (c < N) { C[cBase + r * N + c] = {{EPILOGUE}}; }
    }
  }
}
