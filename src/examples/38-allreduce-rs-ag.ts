import { dist, randn, slider, tensor } from "webgrad";

// p GPUs on one NVLink node (the "devices" knob). Rank r holds p values, one per chunk:
// chunk j of rank r is 10r + j, so every sum can be read by eye.
const p = slider("devices", 2, 8, 4);
const c = dist.cluster({ devicesPerNode: p, intra: "NVLink" });
const xs = c.devices.map((d, r) => dist.place(tensor(Array.from({ length: p }, (_, j) => 10 * r + j)), d));

// A ring allReduce, traced: after every step, each rank's buffer and the chunks that moved.
const traced = dist.allReduce(xs, { algorithm: "ring", trace: true });
const cell = (v: number, mark = " ") => `${String(v).padStart(4)}${mark}`;
const show = (buffers: number[][], marks?: string[][]) =>
  buffers.forEach((b, r) => console.log(`  ${c.devices[r].name} │${b.map((v, j) => cell(v, marks?.[r][j])).join("")}`));
console.log(`start: rank r holds chunks ${Array.from({ length: p }, (_, j) => j).join(", ")}`);
show(xs.map((x) => Array.from(x.tensor.dataSync())));
for (const st of traced.steps!) {
  const phase = st.step < p - 1 ? "reduce-scatter" : "allGather";
  // Mark each rank's chunk that was just written (+ added by the reduce-scatter, = copied by the allGather).
  const marks = st.buffers.map(() => new Array<string>(p).fill(" "));
  for (const s of st.sends) marks[s.dst][s.block] = s.reduce ? "+" : "=";
  console.log(`step ${st.step} (${phase}): sends ${st.sends.map((s) => `${s.src}→${s.dst}:${s.block}`).join(" ")}`);
  show(st.buffers, marks);
}

// The same result as two collectives: reduceScatter leaves rank r the sum of chunk r, allGather
// brings every rank all the sums. Bit for bit the allReduce's result, and its time is the sum.
const rs = dist.reduceScatter(xs, { algorithm: "ring" });
const ag = dist.allGather(rs.outputs, { algorithm: "ring" });
console.log(`\nreduceScatter → ${rs.outputs.map((o) => `${o.device.name} [${Array.from(o.tensor.dataSync()).join(", ")}]`).join("  ")}`);
console.log(`allGather     → ${ag.outputs[0].device.name} [${Array.from(ag.outputs[0].tensor.dataSync()).join(", ")}] (every rank)`);

// On p · 64 KiB of random float32 per rank: the two halves against the whole, bit for bit and in time.
const big = c.devices.map((d, r) => randn([p * 2 ** 14], { device: d, seed: r }));
const ar = dist.allReduce(big, { algorithm: "ring" });
const half1 = dist.reduceScatter(big, { algorithm: "ring" });
const half2 = dist.allGather(half1.outputs, { algorithm: "ring" });
const same = ar.outputs.every((o, r) => {
  const [a, b] = [o.tensor.dataSync(), half2.outputs[r].tensor.dataSync()];
  return a.every((v, i) => v === b[i]);
});
console.log(
  `\n${big[0].nbytes / 1024} KiB per rank: reduceScatter ${(half1.time * 1e6).toFixed(1)} µs + allGather ${(half2.time * 1e6).toFixed(1)} µs = ${((half1.time + half2.time) * 1e6).toFixed(1)} µs; allReduce ${(ar.time * 1e6).toFixed(1)} µs; identical bits: ${same}`,
);
