// Counter-based random numbers: element i is Threefry-2x32 (20 rounds) of the 64-bit counter
// offset + i under the 64-bit key seed — the same bits as src/lib/tensor/threefry.ts.
{{BINDINGS}}

fn rotl(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }

fn threefry(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2<u32> {
  let rot = array<u32, 8>(13u, 15u, 26u, 6u, 17u, 29u, 16u, 24u);
  let ks = array<u32, 3>(k0, k1, k0 ^ k1 ^ 0x1bd11bdau);
  var x0 = c0 + ks[0];
  var x1 = c1 + ks[1];
  for (var block = 0u; block < 5u; block++) {
    for (var r = 0u; r < 4u; r++) {
      x0 = x0 + x1;
      x1 = rotl(x1, rot[(block % 2u) * 4u + r]);
      x1 = x1 ^ x0;
    }
    let s = block + 1u;
    x0 = x0 + ks[s % 3u];
    x1 = x1 + ks[(s + 1u) % 3u] + s;
  }
  return vec2<u32>(x0, x1);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(slot.count)) { return; }
  let lo = PU(slot.counterLo) + i;
  let hi = PU(slot.counterHi) + select(0u, 1u, lo < i);
  let w = threefry(PU(slot.keyLo), PU(slot.keyHi), lo, hi);
  let u0 = f32(w.x >> 8u) * (1.0 / 16777216.0);
{{DRAW}}
}
