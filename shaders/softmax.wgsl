// softmax / logSoftmax along one axis: a workgroup per row. Pass 1 is an online softmax (each
// thread keeps a running max m and sum s of exp(x − m), rescaling s when m grows), merged by a
// tree in workgroup memory; pass 2 writes the outputs. Params: rows layout (kernels/rows.ts).
{{BINDINGS}}

const WG: u32 = {{WG}}u;
var<workgroup> wm: array<f32, WG>;
var<workgroup> ws: array<f32, WG>;

@compute @workgroup_size({{WG}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = groupId(wid, nwg);
  if (row >= PU(0u)) { return; }
  let len = PU(1u);
  let ib = stridedOffset(2u, 20u, row);
  let ob = stridedOffset(2u, 40u, row);
  var m = negInf();
  var s = 0.0;
  for (var j = lid; j < len; j += WG) {
    let v = src[ib + {{IN_J}}];
    if (v > m) { s = s * exp(m - v) + 1.0; m = v; } else { s += exp(v - m); }
  }
  wm[lid] = m;
  ws[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid < k) {
      let m1 = wm[lid];
      let m2 = wm[lid + k];
      let mm = max(m1, m2);
      if (mm > negInf()) { ws[lid] = ws[lid] * exp(m1 - mm) + ws[lid + k] * exp(m2 - mm); }
      wm[lid] = mm;
    }
    workgroupBarrier();
  }
  var rowMax = wm[0];
  if (rowMax == negInf()) { rowMax = 0.0; }
  let rowSum = ws[0];
  let logSum = log(rowSum);
  for (var j = lid; j < len; j += WG) {
    let z = src[ib + {{IN_J}}] - rowMax;
    dst[ob + {{OUT_J}}] = {{OUT}};
  }
}
