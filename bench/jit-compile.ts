/**
 * Trace + compile time of the MLP training step (784→256→10, batch 128, cross-entropy, SGD), the
 * case `npm run bench` times: `jit(step).lower(x, y)` traces forward, backward and the optimizer
 * step into one graph, verifies it and runs the pass pipeline. On the CPU backend, so no GPU
 * pipeline is created; what the Graph panel's event adds (text and JSON of every stage, fused
 * kernels' WGSL) is timed apart. Run: `node scripts/tools/bench-jit-compile.mjs`.
 */
import * as wg from "../src/lib/index";
import { optimize } from "../src/lib/graph/passes/pipeline";
import { findTensorTruthiness } from "../src/lib/graph/truthiness";
import { graphToJSON, graphToText } from "../src/lib/graph/printer";
import { fusedKernels } from "../src/lib/graph/kernels";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

/** Median milliseconds of each phase, after `warmup` untimed lowers. */
export function benchJitCompile(runs = 20, warmup = 3): Record<string, number | string> {
  wg.setDefaultBackend("cpu");
  wg.manualSeed(0);
  const model = wg.nn.sequential(wg.nn.linear(784, 256), wg.nn.relu(), wg.nn.linear(256, 10));
  const opt = wg.optim.sgd(model.parameters(), { lr: 0.01 });
  const x = wg.randn([128, 784]);
  const y = wg.tensor(
    Int32Array.from({ length: 128 }, (_, i) => (i * 7) % 10),
    { dtype: "int32" },
  );
  const step = (xb: wg.Tensor, yb: wg.Tensor) => {
    const loss = wg.nn.crossEntropy(model.forward(xb), yb);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  };
  const f = wg.jit(step, { name: "mlp_step" });
  for (let i = 0; i < warmup; i++) f.lower(x, y);
  const l = f.lower(x, y);
  const source = Function.prototype.toString.call(step);
  return {
    "traced nodes": l.graph.nodes.length,
    "optimized nodes": l.optimized.nodes.length,
    "lower (trace + verify + passes), ms": time(() => f.lower(x, y), runs),
    "of which the pass pipeline, ms": time(() => optimize(l.graph), runs),
    "of which the truthiness check (acorn parse), ms": time(() => findTensorTruthiness(source, (i) => i < 2), runs),
    "graph event (text + JSON of every stage + WGSL), ms": time(() => {
      for (const st of l.stages) {
        graphToText(st.graph);
        graphToJSON(st.graph);
      }
      fusedKernels(l.stages.map((st) => st.graph));
    }, runs),
    "first call (trace + compile + one step), ms": time(() => wg.jit(step)(x, y).dataSync(), Math.max(3, runs / 4)),
    "cached call (one step), ms": time(() => f(x, y).dataSync(), runs),
  };
}
