import { choice, dist, randn, slider } from "webgrad";

const GB = 1e9;
// The same n devices wired six ways (and, last, two nodes of n/2 joined by InfiniBand); n is the
// "devices" knob above the editor: watch which figures grow with n and which stay.
const n = choice("devices", [16, 64], 16);
const side = Math.sqrt(n);
const designs: [string, dist.ClusterOptions][] = [
  ["ring (PCIe)", { devicesPerNode: n, topology: "ring", intra: "PCIe" }],
  [`2D mesh (${side}×${side})`, { devicesPerNode: n, topology: "mesh2d", intra: "NVLink" }],
  [`2D torus (${side}×${side})`, { devicesPerNode: n, topology: "torus2d", intra: "NVLink" }],
  ["switch (NVSwitch)", { devicesPerNode: n, topology: "switch", intra: "NVLink" }],
  ["fat-tree 2:1", { devicesPerNode: n, topology: "fat-tree", intra: "NVLink", wiring: { leafSize: 4, oversubscription: 2 } }],
  ["fully connected", { devicesPerNode: n, topology: "fully-connected", intra: "NVLink" }],
  [`2 nodes × ${n / 2}, InfiniBand`, { nodes: 2, devicesPerNode: n / 2, intra: "NVLink", inter: "InfiniBand" }],
];

console.log("topology                  links  diameter  bisection GB/s  route d0 → d9");
for (const [name, opts] of designs) {
  const c = dist.cluster(opts);
  const cables = c.topology.links.length / 2; // every cable is full duplex: two directed links
  const route = c.route(0, 9);
  console.log(
    `${name.padEnd(25)} ${String(cables).padStart(5)}  ${String(c.topology.diameter()).padStart(8)}  ${(c.bisectionBandwidth() / GB).toFixed(0).padStart(14)}  ${route.name}`,
  );
}

// What the figures mean for a collective: allReduce 16 MiB on each design (the clock alone).
console.log("\nallReduce of 16 MiB (ring algorithm) on each design:");
for (const [name, opts] of designs) {
  const c = dist.cluster(opts);
  const r = dist.simulate("allReduce", { devices: c.devices, bytes: 16 * 2 ** 20, algorithm: "ring", emit: false });
  console.log(`${name.padEnd(25)} busbw ${(r.busbw / GB).toFixed(1).padStart(6)} GB/s`);
}

// The last design for the Cluster panel, with real data: every device contributes its shard.
// The "nodes" knob adds nodes of four GPUs: the InfiniBand hop is what the hierarchical algorithm saves.
const nodes = slider("nodes (Cluster panel)", 1, 8, 2);
const c = dist.cluster({ nodes, devicesPerNode: 4, intra: "NVLink", inter: "InfiniBand" });
const shards = c.devices.map((d, i) => randn([1 << 16], { device: d, seed: i }));
const r = dist.allReduce(shards, { algorithm: "hierarchical" });
console.log(`\n${c}: hierarchical allReduce of ${shards[0].nbytes} B per device, busbw ${(r.busbw / GB).toFixed(1)} GB/s`);
