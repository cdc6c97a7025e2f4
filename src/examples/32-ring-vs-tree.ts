import { choice, dist, randn } from "webgrad";

// Two nodes of four GPUs: NVLink inside a node, InfiniBand between nodes.
const c = dist.cluster({ nodes: 2, devicesPerNode: 4, intra: "NVLink", inter: "InfiniBand" });
// The message size is the "KiB per device" knob above the editor: small messages favour the tree.
const kib = choice("KiB per device", [16, 256, 1024, 4096], 1024);
const shards = c.devices.map((d, i) => randn([kib * 256], { device: d, seed: i })); // kib KiB of float32 on each device

// Ring: every device sends to its neighbour, 2·(p − 1) steps, each moving 1/p of the data —
// bandwidth-optimal. Tree: reduce up a binary tree, then broadcast down — fewer hops (latency),
// but the links near the root carry everything.
const sums: number[][] = [];
for (const algorithm of ["ring", "tree"] as const) {
  const r = dist.allReduce(shards, { algorithm, chunks: 4 });
  sums.push(Array.from(r.outputs[5].tensor.dataSync().slice(0, 3), (v) => Number(v.toFixed(4))));
  console.log(
    `${algorithm}: time ${(r.time * 1e6).toFixed(1)} µs · algbw ${(r.algbw / 1e9).toFixed(1)} GB/s · busbw ${(r.busbw / 1e9).toFixed(1)} GB/s · ${r.timeline.length} transfers`,
  );
}
console.log(`the same sums either way (d5's first three): ring ${sums[0].join(", ")} · tree ${sums[1].join(", ")}`);
