import { dist, plot, randn } from "webgrad";

const links = ["NVLink", "PCIe", "InfiniBand"] as const;
const GB = 1e9;

for (const link of links) {
  // Two devices joined by one link of this kind (two nodes, one device each, for InfiniBand).
  const c = link === "InfiniBand" ? dist.cluster({ nodes: 2, devicesPerNode: 1, inter: link }) : dist.cluster({ devicesPerNode: 2, intra: link });
  const spec = link === "InfiniBand" ? c.inter : c.intra;
  const nHalf = spec.latency * spec.bandwidth;
  console.log(
    `${link}: α = ${(spec.latency * 1e6).toFixed(1)} µs, B = ${(spec.bandwidth / GB).toFixed(1)} GB/s (β = 1/B = ${((1e12 * 1024) / spec.bandwidth).toFixed(0)} ps per KiB), half bandwidth at n½ = α·B = ${(nHalf / 1024).toFixed(0)} KiB`,
  );
  for (let k = 4; k <= 30; k += 2) {
    const bytes = 2 ** k;
    // The simulator's clock for one send of this size (no data moved, no panel event).
    const r = dist.simulate("send", { devices: c.devices, bytes, emit: false });
    plot("achieved bandwidth (GB/s) vs log2(bytes)", k, r.algbw / GB, { series: link });
    plot("time per message (µs, log10) vs log2(bytes)", k, Math.log10(r.time * 1e6), { series: link });
    if (k === 10 || k === 20 || k === 30) {
      const regime = bytes < nHalf ? "latency-bound" : "bandwidth-bound";
      console.log(
        `  ${["1 KiB", "1 MiB", "1 GiB"][k / 10 - 1].padStart(5)}: ${(r.algbw / GB).toFixed(2).padStart(7)} GB/s achieved (${((100 * r.algbw) / spec.bandwidth).toFixed(1)} % of B), ${regime}`,
      );
    }
  }
}

// Real data on one cluster (two nodes of two GPUs): 4 MiB from d0 over NVLink to d1, and over
// InfiniBand to d2 in the other node. The Cluster panel shows both transfers on the topology.
const c = dist.cluster({ nodes: 2, devicesPerNode: 2, intra: "NVLink", inter: "InfiniBand" });
const x = randn([1 << 20], { device: c.devices[0], seed: 1 });
for (const to of [c.devices[1], c.devices[2]]) {
  const r = dist.send(x, to);
  const diff = r.outputs[0].tensor.sub(x.tensor).abs().max().itemSync();
  console.log(
    `4 MiB d0 → ${to.name} via ${r.timeline.routes[0]}: ${(r.time * 1e6).toFixed(1)} µs, ${(r.algbw / GB).toFixed(1)} GB/s; the copy differs from the original by ${diff}`,
  );
}
