/**
 * GPU memory stays flat: an MLP trains 1000 steps on WebGPU (eager, then jit) with no manual
 * dispose. After a forced GC, live bytes (what reachable tensors hold: the leak signal, PyTorch's
 * "allocated") are the same at steps 100, 500 and 1000. Pooled bytes are a cache (PyTorch's
 * "reserved"): buffers come back only when V8 collects their tensors, and V8 does not see GPU
 * bytes, so how much garbage the pool holds depends on GC timing; it is logged, and must stay
 * within the pool's cap. Needs forced GC (Node: v8 --expose-gc), so only the Node runner calls it.
 */
import type { CaseResult } from "./compare";
import { getDefaultBackend, setDefaultBackend } from "../../src/lib/backend/registry";
import { memoryStats } from "../../src/lib/backend/info";
import { manualSeed, randn, randint } from "../../src/lib/ops/creation";
import { jit } from "../../src/lib/graph/jit";
import * as nn from "../../src/lib/nn";
import * as optim from "../../src/lib/optim";
import { trainingStep } from "./training-step";

/** Bytes the samples may differ by (a size class of the smallest buffers, for rounding noise). */
const TOLERANCE = 4096;
/** The tensor pool's cap (BufferPool's default maxPooledBytes). */
const POOL_CAP = 512 * 1024 * 1024;

async function trainAndSample(compiled: boolean, gc: () => void, steps: number): Promise<[number, number, number][]> {
  manualSeed(0);
  // A small MLP: 1000 steps of the bench's 784-256-10 take minutes on SwiftShader; the leak
  // paths (activations, grads, optimizer updates, readbacks) are the same.
  const model = nn.sequential(nn.linear(32, 64), nn.relu(), nn.linear(64, 10));
  const opt = optim.sgd(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const x = randn([16, 32]),
    y = randint(0, 10, [16]).cast("int32");
  const step = trainingStep(model, opt, nn.crossEntropy);
  const run = compiled ? jit(step, { name: "memory_step" }) : step;
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 0));
    }
    const m = memoryStats();
    return [m.liveBytes, m.pooledBytes] as const;
  };
  const samples: [number, number, number][] = [];
  for (let s = 1; s <= steps; s++) {
    const loss = run(x, y);
    // A readback now and then, as a training loop that logs would do (and to flush the queue).
    if (s % 50 === 0) await loss.item();
    if (s === 100 || s === 500 || s === steps) samples.push([s, ...(await settle())]);
  }
  return samples;
}

/** Run the flat-memory checks; `gc` forces a collection. */
export async function runMemoryChecks(gc: () => void, log: (l: string) => void, steps = 1000): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  const prev = getDefaultBackend().name;
  setDefaultBackend("webgpu");
  try {
    for (const compiled of [false, true]) {
      const label = `memory: an MLP trains ${steps} steps (${compiled ? "jit" : "eager"}) with flat GPU memory, no dispose`;
      try {
        const samples = await trainAndSample(compiled, gc, steps);
        const text = samples.map(([s, live, pooled]) => `step ${s}: live ${live} B, pooled ${pooled} B`).join("; ");
        const [, live0] = samples[0];
        const bad = samples.find(([, live, pooled]) => Math.abs(live - live0) > TOLERANCE || pooled > POOL_CAP);
        if (bad) throw new Error(`memory grew: ${text}`);
        out.push({ op: "memory", label, ok: true });
        log(`✔ ${label} (${text})`);
      } catch (e) {
        out.push({ op: "memory", label, ok: false, message: (e as Error).message });
        log(`✘ ${label}: ${(e as Error).message}`);
      }
    }
  } finally {
    setDefaultBackend(prev);
  }
  return out;
}
