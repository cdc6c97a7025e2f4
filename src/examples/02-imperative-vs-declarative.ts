import { jit, setMode, getMode, manualSeed, nn, optim, randn, plot, slider, type Tensor } from "webgrad";

const x = randn([64, 4], { seed: 1 });
const y = x.sum(1, true).mul(0.5).sin(); // a smooth target the MLP can learn
// Drag "training steps": a short run favours eager (no compile); a long one lets the graph's
// one-off trace and compile pay for itself through cheaper steps.
const steps = slider("training steps", 2, 200, 30);
const initial = getMode(); // this example switches modes itself, then restores the toolbar's choice

const results: Record<string, { first: number; rest: number; loss: number }> = {};
for (const mode of ["eager", "graph"] as const) {
  setMode(mode); // what the toolbar's Eager/Graph toggle does
  manualSeed(0); // same initial weights for both runs
  const model = nn.sequential(nn.linear(4, 32), nn.tanh(), nn.linear(32, 1));
  const opt = optim.sgd(model.parameters(), { lr: 0.3 });
  // The same Python-like step in both cases: only the mode differs.
  const step = jit(
    (x: Tensor, y: Tensor) => {
      const loss = nn.mse(model.forward(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss;
    },
    { name: `step (${mode})` },
  );

  let t0 = performance.now();
  let loss = await step(x, y).item(); // graph mode: trace + optimize + run
  const first = performance.now() - t0;
  plot("loss", 0, loss, { series: mode });
  t0 = performance.now();
  for (let i = 1; i < steps; i++) {
    loss = await step(x, y).item(); // graph mode: replay the cached graph
    plot("loss", i, loss, { series: mode });
  }
  results[mode] = { first, rest: (performance.now() - t0) / (steps - 1), loss };
  plot("step time (ms)", mode === "eager" ? 0 : 1, results[mode].rest, { series: "per step after the first" });
}
setMode(initial);

for (const [mode, r] of Object.entries(results)) {
  console.log(`${mode}: first call ${r.first.toFixed(1)} ms, then ${r.rest.toFixed(2)} ms per step`);
}
for (const [mode, r] of Object.entries(results)) console.log(`${mode}: final loss ${r.loss.toFixed(6)}`);
// total = first + (steps − 1)·rest: the graph wins once its saving per step has repaid its first call
const total = (r: { first: number; rest: number }) => r.first + (steps - 1) * r.rest;
const { eager, graph } = results;
for (const [mode, r] of Object.entries(results)) console.log(`${mode}: ${steps} steps take ${total(r).toFixed(1)} ms in all`);
const saving = eager.rest - graph.rest;
console.log(
  saving > 0
    ? `break-even: the graph's extra first-call time is repaid after ${Math.ceil((graph.first - eager.first) / saving)} steps`
    : "break-even: no per-step saving measured on this backend, so the graph's first call is never repaid here (time)",
);
console.log("Eager shows each op as it runs; Graph traced once (open the Graph panel) and replays.");
