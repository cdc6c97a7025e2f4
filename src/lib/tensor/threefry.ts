/**
 * Threefry-2x32 (20 rounds), the counter-based generator JAX uses. It needs only 32-bit add,
 * rotate and xor, so the WGSL kernel computes the same bits as this reference.
 */

const ROT = [13, 15, 26, 6, 17, 29, 16, 24];

/** Threefry-2x32 of counter (c0, c1) under key (k0, k1); writes the two output words into `out`. */
function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array): void {
  const k2 = (k0 ^ k1 ^ 0x1bd11bda) >>> 0;
  const ks = [k0 >>> 0, k1 >>> 0, k2];
  let x0 = (c0 + ks[0]) >>> 0;
  let x1 = (c1 + ks[1]) >>> 0;
  for (let block = 0; block < 5; block++) {
    for (let r = 0; r < 4; r++) {
      const rot = ROT[(block % 2) * 4 + r];
      x0 = (x0 + x1) >>> 0;
      x1 = ((x1 << rot) | (x1 >>> (32 - rot))) >>> 0;
      x1 = (x1 ^ x0) >>> 0;
    }
    const s = block + 1;
    x0 = (x0 + ks[s % 3]) >>> 0;
    x1 = (x1 + ks[(s + 1) % 3] + s) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
}

/** What a random op draws. */
export type RandomDist = "uniform" | "normal";

/**
 * Element i of a random tensor: Threefry of counter (offset + i) under the key from `seed`.
 * uniform: [0, 1) from the top 24 bits; normal: Box–Muller on both words.
 */
export function randomElement(seed: number, offset: number, i: number, dist: RandomDist, scratch: Uint32Array): number {
  const c = offset + i;
  threefry2x32(seed >>> 0, Math.floor(seed / 4294967296) >>> 0, c >>> 0, Math.floor(c / 4294967296) >>> 0, scratch);
  const u0 = (scratch[0] >>> 8) * (1 / 16777216);
  if (dist === "uniform") return u0;
  const u1 = ((scratch[0] >>> 8) + 1) * (1 / 16777216); // (0, 1]: log is finite
  const u2 = (scratch[1] >>> 8) * (1 / 16777216);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
