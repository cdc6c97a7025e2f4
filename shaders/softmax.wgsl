// softmax / logSoftmax along one axis; TPR threads share a row, RPW rows per workgroup (rows.ts).
// Pass 1: each thread's max m over its share of the row. Pass 2: s = Σ exp(x − m) over the same
// share (softmax also writes exp(x − m) to dst). The row's threads then merge their (m, s) pairs
// with the online-softmax rule (rescale s by exp(m − max) when the max grows), and pass 3 writes
// the output: softmax rescales what pass 2 wrote, so each element costs one exp. A NaN in a row
// makes the whole row NaN, and so does a row of −∞ (0/0), as on the CPU: `nanRow` says so.
// Parameters: the rows layout (kernels/rows.ts), with the output's views.
{{BINDINGS}}

{{MERGE}}
{{ROW_REDUCE}}

@compute @workgroup_size({{WG}})
fn main({{ENTRY}}) {
{{OPENING}}
  var m = negInf();
  if (live) {
    for (var j = t; j < len; j += TPR) { m = maxf(m, f32(src[ib + {{IN_J}}])); }
  }
  // A share that is empty or all −inf adds nothing (s = 0) and must not make NaNs.
  let mt = select(m, 0.0, m == negInf());
  var s = 0.0;
  if (live) {
    for (var j = t; j < len; j += TPR) {
      let e = expf(f32(src[ib + {{IN_J}}]) - mt);
{{STORE_E}}
      s += e;
    }
  }
  let total = rowReduce(vec4<f32>(m, s, 0.0, 0.0), lid, {{SG}});
  if (!live) { return; }
  let rowMax = select(total.x, 0.0, total.x == negInf());
  let rowSum = total.y;
  let nanRow = isNanF(total.x) || total.x == negInf();
{{WRITE}}
}
