// softmax along rows read four elements at a time: a thread per row (TPR = 1), each row contiguous
// in input and output, its length a multiple of four and its starts 16-byte aligned (nn.ts
// checks). On a CPU adapter one vec4 load or store replaces four bounds-checked scalar ones. The
// same passes and order of operations as softmax.wgsl with one thread per row, so the same bits:
// the max, then Σ exp(x − max) with exp(x − max) parked in dst, then dst rescaled by 1 / Σ. A NaN
// in a row, or a row of −∞, makes the whole row NaN, as on the CPU.
// The opening (openings.ts ROW4_OPENING) gives the row's start in vec4s, i4 and o4, and n4.
// Parameters: the rows layout (kernels/rows.ts), with the output's views.
{{BINDINGS}}

{{ROW_REDUCE}}

@compute @workgroup_size({{WG}})
fn main({{ENTRY}}) {
{{OPENING}}
  var m = negInf();
  for (var j = 0u; j < n4; j++) {
    let v = src[i4 + j];
    m = maxf(maxf(maxf(maxf(m, v.x), v.y), v.z), v.w);
  }
  // A row of −∞ adds nothing (s = 0) and must not make NaNs.
  let mt = select(m, 0.0, m == negInf());
  var s = 0.0;
  for (var j = 0u; j < n4; j++) {
    let v = src[i4 + j];
    let e = vec4<f32>(expf(v.x - mt), expf(v.y - mt), expf(v.z - mt), expf(v.w - mt));
    dst[o4 + j] = e;
    s += e.x;
    s += e.y;
    s += e.z;
    s += e.w;
  }
  let nanRow = isNanF(m) || m == negInf();
  let scale = select(1.0 / s, nanF32(), nanRow);
  for (var j = 0u; j < n4; j++) { dst[o4 + j] = dst[o4 + j] * scale; }
}
