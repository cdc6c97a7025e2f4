import { arange, dist, type Tensor } from "webgrad";

const c = dist.cluster({ devicesPerNode: 4, intra: "NVLink" });
const [d0] = c.devices;
// Rank r holds [10r, 10r + 1, 10r + 2, 10r + 3].
const shards = c.devices.map((d, r) => arange(10 * r, 10 * r + 4, 1, { device: d, dtype: "float32" }));
const show = (ts: { device: dist.SimDevice; tensor: Tensor }[]) => ts.map((t) => `${t.device.name} [${Array.from(t.tensor.dataSync()).join(", ")}]`).join("  ");
console.log(`inputs:        ${show(shards)}`);

const results: [string, dist.CollectiveOutput][] = [
  ["broadcast", dist.broadcast(shards[0], c.devices)],
  ["scatter", dist.scatter(shards[0], c.devices)],
  ["gather", dist.gather(shards, { root: d0 })],
  ["reduce", dist.reduce(shards, { root: d0 })],
  ["allGather", dist.allGather(shards)],
  ["allReduce", dist.allReduce(shards)],
  ["reduceScatter", dist.reduceScatter(shards)],
  ["allToAll", dist.allToAll(shards)],
];
for (const [name, r] of results) console.log(`${`${name} (${r.algorithm})`.padEnd(24)} → ${show(r.outputs)}`);

// The same primitives on 64 MiB (the clock alone: no data moved), default algorithms.
const GB = 1e9;
console.log("\ncollective      algorithm        time (µs)  algbw GB/s  busbw GB/s");
for (const [name] of results) {
  const r = dist.simulate(name as dist.CollectiveName, { devices: c.devices, bytes: 64 * 2 ** 20, emit: false });
  console.log(
    `${name.padEnd(15)} ${r.algorithm.padEnd(16)} ${(r.time * 1e6).toFixed(0).padStart(9)}  ${(r.algbw / GB).toFixed(1).padStart(10)}  ${(r.busbw / GB).toFixed(1).padStart(10)}`,
  );
}
console.log("busbw stays near the NVLink bandwidth (300 GB/s) for the bandwidth-optimal algorithms");
