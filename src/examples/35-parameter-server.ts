import { choice, dist, plot, randn, slider } from "webgrad";

const MiB = 2 ** 20;
// N workers and S parameter servers on one NVSwitch node ("switch" wiring: one NVLink port per
// device). The knobs above the editor set N and S; the ring allReduce runs on the same N workers.
const N = slider("workers", 2, 16, 8);
const S = choice("servers", [1, 2, 4], 1);
const c = dist.cluster({ devicesPerNode: N + S, topology: "switch", intra: "NVLink" });
const workers = c.devices.slice(0, N);
const servers = c.devices.slice(N, N + S);
const grads = workers.map((d, i) => randn([MiB / 16], { device: d, seed: i })); // 256 KiB of float32 gradient per worker
const bytes = grads[0].nbytes;

// Parameter server: each worker pushes its gradient (1/S of it to each server), the servers add
// them up, and every worker pulls the sum back. allReduce: no server, the workers pass parts of
// the gradient around a ring. Both end with the same sum on every worker.
const ps = dist.parameterServer(grads, { servers });
const ring = dist.allReduce(grads, { algorithm: "ring" });
const diff = ps.outputs[0].tensor.sub(ring.outputs[0].tensor).abs().max().itemSync();
console.log(`${N} workers, ${S} server(s), ${bytes / 1024} KiB of gradient each; the two sums differ by at most ${diff.toExponential(1)} (float32 rounding)`);

// Where the bytes went: every link's traffic, the busiest one named.
console.log("\narchitecture       time (µs)  closed form (µs)  busiest link  MiB on it  per direction / n");
const { latency: a, bandwidth: B } = c.intra;
const psClosed = 2 * N * (a + bytes / (S * B));
const ringClosed = 2 * (N - 1) * a + ((2 * (N - 1)) / N) * (bytes / B);
for (const [name, r, closed] of [
  ["parameter server", ps, psClosed],
  ["ring allReduce", ring, ringClosed],
] as const) {
  const load = dist.linkTraffic(r);
  const hot = load.indexOf(Math.max(...load));
  console.log(
    `${name.padEnd(18)} ${(r.time * 1e6).toFixed(1).padStart(9)}  ${(closed * 1e6).toFixed(1).padStart(16)}  ${c.topology.links[hot].name.padEnd(12)}  ${(load[hot] / MiB).toFixed(2).padStart(9)}  ${(load[hot] / bytes).toFixed(2).padStart(17)}`,
  );
}
const serverLink = dist.linkTraffic(ps).reduce((s, b, i) => s + (c.topology.links[i].name.includes(servers[0].name) ? b : 0), 0);
console.log(`server ${servers[0].name}'s cable carried ${serverLink / MiB} MiB = 2·N·n/S (in and out): every worker's bytes cross it`);

// Scaling, on the clock alone (no data) for 64 MiB of gradient: the server's link carries N·n/S
// each way, so its time grows with N; the ring's per-link traffic 2(N − 1)/N·n stays below 2n.
for (const w of [2, 4, 8, 16, 32]) {
  const cw = dist.cluster({ devicesPerNode: w + 4, topology: "switch", intra: "NVLink" });
  const ws = cw.devices.slice(0, w);
  for (const s of [1, 2]) {
    const r = dist.simulateParameterServer({ workers: ws, servers: cw.devices.slice(w, w + s), bytes: 64 * MiB, emit: false });
    plot("time (ms) vs workers, 64 MiB each", w, r.time * 1e3, { series: `parameter server, ${s} server(s)` });
  }
  plot("time (ms) vs workers, 64 MiB each", w, dist.simulate("allReduce", { devices: ws, bytes: 64 * MiB, algorithm: "ring", emit: false }).time * 1e3, {
    series: "ring allReduce",
  });
}
