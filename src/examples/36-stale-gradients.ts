import { dist, nn, optim, plot, randn, slider, steps, type Tensor } from "webgrad";

// Two workers and one parameter server on one node of slow simulated GPUs (1 GFLOP/s, so that a
// step's compute and its push and pull take about as long). A small regression model, the same
// data and learning rate for every run: only the staleness k changes.
const gpu = { name: "slow GPU", peakFlops: { float32: 1e9 }, memoryBandwidth: 50e9, memoryCapacity: 2 ** 30 };
const c = dist.cluster({ devicesPerNode: 3, topology: "switch", device: gpu });
const workers = c.devices.slice(0, 2);
const server = c.devices[2];
const make = () => nn.sequential(nn.linear(8, 16, { seed: 1 }), nn.tanh(), nn.linear(16, 1, { seed: 2 }));
const teacher = nn.linear(8, 1, { seed: 7 }); // the targets come from a fixed linear teacher
const x = randn([32, 8], { seed: 3 });
const y = teacher.forward(x).detach();
const loss = (o: Tensor, t: Tensor) => nn.mse(o, t);

// The knobs above the editor: how many steps behind the server a worker may compute, and the
// learning rate. Staleness hurts more the larger the step each stale gradient takes.
const k = slider("staleness k", 1, 16, 4);
const lr = slider("learning rate", 0.05, 0.5, 0.2, { step: 0.05 });
for (const staleness of [...new Set([0, 1, k])]) {
  const ps = new dist.ParameterServer(make, workers, { servers: server, optimizer: (p) => optim.sgd(p, { lr }), staleness });
  let last = { loss: 0, version: 0, compute: 0, comm: 0, time: 0 };
  for (let i = 0; i < steps(40); i++) {
    const r = ps.step(x, y, loss);
    // The server's model on the whole batch: what training has reached so far.
    last = { loss: loss(ps.model.forward(x), y).itemSync(), version: r.version, compute: r.computeTime, comm: r.commTime, time: r.time };
    plot("log10 loss of the server's model", i, Math.log10(last.loss), { series: `k = ${staleness}` });
  }
  console.log(
    `staleness ${String(staleness).padStart(2)}: final loss ${last.loss.toExponential(2)}, the last gradient used version ${last.version}; step ${(last.time * 1e6).toFixed(1)} µs (compute ${(last.compute * 1e6).toFixed(1)}, push + pull ${(last.comm * 1e6).toFixed(1)})`,
  );
}
