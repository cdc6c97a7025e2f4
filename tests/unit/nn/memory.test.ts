import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import vm from "node:vm";
import { nn, optim, data, manualSeed, memoryStats, setCpuMemoryTracking } from "webgrad";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Collect garbage and let FinalizationRegistry callbacks run (they run in later macrotasks). */
async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 0));
  }
  return memoryStats().liveBytes;
}

describe("memory", () => {
  it("a 1000-step training loop keeps live tensor bytes flat", async () => {
    setCpuMemoryTracking("all");
    try {
      manualSeed(0);
      const { x, y } = data.moons({ n: 128, noise: 0.1, seed: 0 });
      const model = nn.sequential(nn.linear(2, 32), nn.relu(), nn.dropout(0.1), nn.linear(32, 32), nn.gelu(), nn.linear(32, 2));
      const opt = optim.adamw(model.parameters(), { lr: 1e-2 });
      const sched = optim.warmupCosine(opt, { warmupSteps: 50, totalSteps: 1000 });
      const loader = data.batches({ x, y }, 32, { shuffle: true, seed: 0 });
      const samples: [number, number][] = [];
      let step = 0;
      while (step < 1000) {
        for (const b of loader) {
          const loss = nn.crossEntropy(model.forward(b.x), b.y, { labelSmoothing: 0.05 });
          opt.zeroGrad();
          loss.backward();
          opt.step();
          sched.step();
          step++;
          if (step === 100 || step === 500 || step === 1000) samples.push([step, await settle()]);
          if (step === 1000) break;
        }
      }
      const at = Object.fromEntries(samples);
      console.log(`live CPU bytes: step 100 ${at[100]}, step 500 ${at[500]}, step 1000 ${at[1000]}; storages ${memoryStats().liveStorages}`);
      expect(Math.abs(at[1000] - at[100])).toBeLessThanOrEqual(4096);
      expect(Math.abs(at[500] - at[100])).toBeLessThanOrEqual(4096);
    } finally {
      setCpuMemoryTracking("large");
    }
  });
});
