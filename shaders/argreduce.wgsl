// argmax / argmin: like reduce.wgsl, carrying (value, index) pairs; ties keep the lowest index.
// `beats(v, w)`: v is strictly better than w (a NaN beats any number, as on the CPU).
{{BINDINGS}}
{{BEATS}}
const WG: u32 = {{WG}}u;
var<workgroup> bestV: array<{{T}}, WG>;
var<workgroup> bestI: array<u32, WG>;
fn better(v: {{T}}, i: u32, w: {{T}}, k: u32) -> bool { return beats(v, w) || (!beats(w, v) && i < k); }
@compute @workgroup_size({{WG}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
{{OPENING}}
  var bv = {{T}}(src[base + stridedOffset(slot.reducedDims.at, slot.inReduced.at, 0u)]);
  var bi = 0xffffffffu;
  for (var j = lid; j < len; j += WG) {
    let v = {{T}}(src[base + stridedOffset(slot.reducedDims.at, slot.inReduced.at, j)]);
    if (bi == 0xffffffffu || beats(v, bv)) { bv = v; bi = j; }
  }
  bestV[lid] = bv;
  bestI[lid] = bi;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let k = bestI[lid + s];
      if (k != 0xffffffffu && (bestI[lid] == 0xffffffffu || better(bestV[lid + s], k, bestV[lid], bestI[lid]))) {
        bestV[lid] = bestV[lid + s];
        bestI[lid] = k;
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) { dst[row] = i32(bestI[0]); }
}
