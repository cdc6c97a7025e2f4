// crossEntropy (forward) and crossEntropyGrad of logits z [N, C] at int32 targets [N]: TPR threads
// share a row, RPW rows per workgroup (rows.ts). Per row: the max m and s = Σ exp(z − m) (each
// thread over its share, merged across the row's threads with the online-softmax rule), then
//   forward: loss = log s + m − z[target] (0 on ignored rows);
//   grad:    dz = w · (exp(z − m) / s − [j = target]), w = g (÷ valid count for the mean), 0 on ignored rows.
// Rows [B0, B1) of this workgroup, RPW at a time: one block per workgroup, or every row in one
// workgroup ("single" mode, for small problems), which then also sums the losses and counts the
// valid rows itself (mean and sum in the same kernel).
// Parameters: the rows layout of z (kernels/rows.ts), slot.ignoreIndex, the targets' offset and
// stride, and the incoming gradient's (grad).
{{BINDINGS}}

{{MERGE}}
{{ROW_REDUCE}}

// Sum over the whole workgroup (loss total and valid count in single mode, the count for the grad's mean).
var<workgroup> gsum: array<vec2<f32>, WG>;
fn groupSum(v: vec2<f32>, lid: u32) -> vec2<f32> {
  workgroupBarrier();
  gsum[lid] = v;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid < k) { gsum[lid] = gsum[lid] + gsum[lid + k]; }
    workgroupBarrier();
  }
  return gsum[0];
}

fn targetOf(row: u32) -> i32 { return tgt[P(slot.targetOffset) + i32(row) * P(slot.targetStride)]; }

@compute @workgroup_size({{WG}})
fn main({{ENTRY}}) {
{{OPENING}}
  let ignore = P(slot.ignoreIndex);
  let b0 = {{B0}};
  let b1 = {{B1}};
{{PROLOGUE}}
  for (var base = b0; base < b1; base += RPW) {
    let row = base + lid / TPR;
    let live = row < rows;
    let r = min(row, rows - 1u);
    let zb = stridedOffset(slot.keptDims.at, slot.inKept.at, r);
    let y = targetOf(r);
    let valid = live && y != ignore;
    var m = negInf();
    if (valid) {
      for (var j = t; j < len; j += TPR) { m = maxf(m, f32(z[zb + {{IN_J}}])); }
    }
    let mt = select(m, 0.0, m == negInf());
    var s = 0.0;
    if (valid) {
      for (var j = t; j < len; j += TPR) { s += expf(f32(z[zb + {{IN_J}}]) - mt); }
    }
    let tot = rowReduce(vec4<f32>(m, s, 0.0, 0.0), lid, {{SG}});
    let rowMax = select(tot.x, 0.0, tot.x == negInf());
    let rowSum = tot.y;
    // A NaN, or a row of −∞, gives NaN (the CPU's −∞ − (−∞)).
    let nanRow = isNanF(tot.x) || tot.x == negInf();
{{ROW_BODY}}
  }
{{EPILOGUE}}
}
