import { choice, dist, randn } from "webgrad";

// Two nodes of four GPUs: NVLink inside a node, a network between nodes (the "network" knob).
const network = choice("network", ["InfiniBand", "RoCE", "Ethernet"], "InfiniBand");
const c = dist.cluster({ nodes: 2, devicesPerNode: 4, intra: "NVLink", inter: network });
const n = 2 ** 18; // a 256 KiB message

// Draw a path from one GPU's memory to another's: every hop with its link, α, B and what the
// communication stack does on it. The route is the topology's; the figures are the link presets'.
function draw(title: string, path: dist.CommPath): void {
  console.log(`\n${title}`);
  console.log(`  [${path.hops[0].from} HBM]`);
  for (const h of path.hops) {
    const hop = `${h.medium} · α ${(h.latency * 1e6).toFixed(2)} µs · B ${(h.bandwidth / 1e9).toFixed(1)} GB/s · ${h.layer}${h.staged ? " (store and forward)" : ""}`;
    console.log(`     │  ${hop}`);
    console.log(`     ▼`);
    console.log(`  [${h.to}${h.to.startsWith("d") ? " HBM" : ""}]`);
  }
  console.log(`  T(${n / 1024} KiB) = ${(path.time(n) * 1e6).toFixed(1)} µs   (Σα = ${(path.latency * 1e6).toFixed(2)} µs)`);
}
draw("inside node 0: d0 → d1", dist.commPath(c, 0, 1));
draw("across nodes with GPUDirect RDMA: d0 → d5", dist.commPath(c, 0, 5));
draw("across nodes without GPUDirect (staged through host memory): d0 → d5", dist.commPath(c, 0, 5, { gpuDirect: false }));

// The same message for real: the clock of dist.send is the GPUDirect path's time (Σα + n / min B).
const x = randn([n / 4], { device: c.devices[0], seed: 1 });
const sent = dist.send(x, c.devices[5]);
console.log(`\ndist.send d0 → d5: ${(sent.time * 1e6).toFixed(1)} µs over ${sent.timeline.routes[0]}`);

// Process groups, as torch.distributed.new_group makes them: collectives among a subset of ranks.
// A group inside each node (tensor parallelism's kind) rides NVLink; a group of the same local
// rank across nodes (data parallelism's kind) crosses the network. The backend picks the algorithm.
const groups = [
  dist.newGroup(c, [0, 1, 2, 3]),
  dist.newGroup(c, [4, 5, 6, 7]),
  dist.newGroup(c, [0, 4]),
  dist.newGroup(c, [0, 1, 2, 3], { backend: "mpi" }),
  dist.newGroup(c, [0, 1, 2, 3, 4, 5, 6, 7]),
];
const grads = c.devices.map((d, i) => randn([n / 4], { device: d, seed: 10 + i }));
console.log(`\n${"group".padEnd(52)} ${"algorithm".padEnd(13)} allReduce of ${n / 1024} KiB (µs)`);
for (const g of groups) {
  const r = g.allReduce(g.ranks.map((rank) => grads[rank]));
  console.log(`${String(g).padEnd(52)} ${r.algorithm.padEnd(13)} ${(r.time * 1e6).toFixed(1).padStart(10)}`);
}
