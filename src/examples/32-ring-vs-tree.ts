// title: Ring vs tree allReduce
// part: Distributed cluster
// lesson: Distributed cluster — collective primitives: one allReduce, two algorithms, on 8 simulated GPUs
// look at: the Cluster panel: pick each collective, press Play or step through it; compare time and busbw
import { dist } from "webgrad";

// Two nodes of four GPUs: NVLink inside a node, InfiniBand between nodes.
const c = dist.cluster({ nodes: 2, devicesPerNode: 4, intra: "NVLink", inter: "InfiniBand" });
const shards = c.devices.map((d, i) => dist.randn([1 << 18], d, { seed: i })); // 1 MiB of float32 each

// Ring: every device sends to its neighbour, 2·(p − 1) steps, each moving 1/p of the data —
// bandwidth-optimal. Tree: reduce up a binary tree, then broadcast down — fewer hops (latency),
// but the links near the root carry everything.
for (const algorithm of ["ring", "tree"] as const) {
  const r = dist.allReduce(shards, { algorithm, chunks: 4 });
  console.log(`${algorithm}: time ${(r.time * 1e6).toFixed(1)} µs · algbw ${(r.algbw / 1e9).toFixed(1)} GB/s · busbw ${(r.busbw / 1e9).toFixed(1)} GB/s · ${r.timeline.length} transfers`);
}
