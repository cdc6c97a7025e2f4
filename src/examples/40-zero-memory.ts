// title: ZeRO memory per device
// part: Distributed algorithms
// lesson: Distributed algorithms — the memory wall: ZeRO shards optimizer state, gradients, then parameters
// look at: the Cluster panel's memory bars for each stage (pick a run in the Timeline menu)
import { dist, nn, randn } from "webgrad";

const make = () => nn.sequential(nn.linear(64, 256, { seed: 1 }), nn.relu(), nn.linear(256, 64, { seed: 2 }));

// Stage 1 shards the Adam state, stage 2 also the gradients, stage 3 also the parameters.
for (const stage of [1, 2, 3] as const) {
  const c = dist.cluster({ devicesPerNode: 4 }); // a fresh cluster: memory accounting starts at zero
  // Made after the cluster, so on its host (CPU) backend; seeded, so every stage sees the same batch.
  const x = randn([16, 64], { seed: 3 }), y = randn([16, 64], { seed: 4 });
  const z = new dist.ZeRO(make, c.devices, { stage, lr: 1e-3 });
  z.step(x, y, (o, t) => nn.mse(o, t));
  const m = c.devices[0].memory;
  console.log(`ZeRO-${stage} d0: parameters ${m.parameters} B · gradients ${m.gradients} B · optimizer ${m.optimizer} B`);
}
