/**
 * Scale: the planner re-costs the largest preset (a 1T-parameter model on 3072 A100s) within the
 * 50 ms a slider allows, and 16 384 devices within 100 ms (issue #17, points 7 and 8). The figures are
 * printed (fastest and median of several runs); the assertions use the fastest run, the cost without
 * preemption, which holds on a shared, loaded machine where a median need not.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

/** Fastest and median milliseconds of `runs` calls. */
function timed(f: () => void, runs = 9): { min: number; median: number; text: string } {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(runs / 2)];
  return { min: ms[0], median, text: `${ms[0].toFixed(2)} ms fastest, ${median.toFixed(2)} ms median` };
}

describe("the planner at scale", () => {
  it("re-costs megatron-1t on 3072 A100s (tp 8, pp 64, 512 microbatches) in under 50 ms", () => {
    const model = dist.resolveModel(dist.MODEL_PRESETS["megatron-1t"]);
    const cluster = dist.dgxA100(384);
    const p: dist.Plan = { tp: 8, pp: 64, dp: 6, microbatch: 1, globalBatch: 3072, recompute: "full" };
    dist.plan(model, cluster, p);
    const ms = timed(() => dist.plan(model, cluster, p));
    const inter = timed(() => dist.plan(model, cluster, { ...p, pp: 32, dp: 12, interleave: 4, recompute: "selective", sequenceParallel: true }));
    console.log(`megatron-1t on 3072 devices: re-cost ${ms.text} (1F1B, 64 × 512 microbatch ops); ${inter.text} (interleaved v = 4, 32 × 256 × 4)`);
    expect(ms.min).toBeLessThan(50);
    expect(inter.min).toBeLessThan(50);
  });

  it("costs 16 384 devices in under 100 ms (closed-form collectives: no per-device work)", () => {
    const cluster = dist.dgxH100(2048);
    const p: dist.Plan = { tp: 8, pp: 16, dp: 128, microbatch: 1, globalBatch: 2048, recompute: "selective", sequenceParallel: true, zero: 1, interleave: 2 };
    const model = dist.resolveModel(dist.MODEL_PRESETS["gpt3-175b"]);
    const ms = timed(() => dist.plan(model, cluster, p));
    const ring = timed(() => dist.collectiveTime(cluster, "allReduce", { size: 16384, perNode: 8 }, 2 ** 30, 2));
    const r = dist.plan(model, cluster, p);
    console.log(
      `gpt3-175b on 16 384 H100s: plan ${ms.text} (step ${r.time.step.toFixed(2)} s, MFU ${(r.mfu * 100).toFixed(1)} %); 1 GiB allReduce over 16 384 devices in closed form: ${ring.text}`,
    );
    expect(r.plan.devices).toBe(16384);
    expect(ms.min).toBeLessThan(100);
    expect(ring.min).toBeLessThan(100);
  });
});
