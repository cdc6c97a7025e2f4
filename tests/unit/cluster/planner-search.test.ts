/**
 * The search over plans (the "automatic parallelism" lesson at full size) and the one-step timeline.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

describe("dist.searchPlans", () => {
  it("GPT-3 175B on 1024 A100s: the fastest plan that fits, ranked candidates, and a reason for every rejection", () => {
    const cluster = dist.dgxA100(128);
    const t0 = performance.now();
    const s = dist.searchPlans("gpt3-175b", cluster, { globalBatch: 1536 });
    const ms = performance.now() - t0;
    console.log(
      `searched ${s.counts.considered} plans in ${ms.toFixed(0)} ms: ${s.counts.fits} fit, ${s.counts.outOfMemory} out of memory, ${s.counts.invalid} invalid\n` +
        s.ranked
          .slice(0, 5)
          .map(
            (r) =>
              `tp ${r.plan.tp} pp ${r.plan.pp} dp ${r.plan.dp} b ${r.plan.microbatch} ZeRO-${r.plan.zero} ${r.plan.recompute} v ${r.plan.interleave}: ${r.result.time.step.toFixed(2)} s, MFU ${(r.result.mfu * 100).toFixed(1)} %, ${(r.result.memory.total / 2 ** 30).toFixed(1)} GiB, ${r.limiter}`,
          )
          .join("\n"),
    );
    expect(s.best).not.toBeNull();
    // Ranked fastest first; every one fits and re-costs to the same time with dist.plan.
    for (let i = 1; i < s.ranked.length; i++) expect(s.ranked[i].result.time.step).toBeGreaterThanOrEqual(s.ranked[i - 1].result.time.step);
    for (const r of s.ranked.slice(0, 5)) {
      expect(r.result.memory.fits).toBe(true);
      expect(dist.plan("gpt3-175b", cluster, r.plan).time.step).toBe(r.result.time.step);
      expect(r.limiter).toMatch(/^(pipeline bubble|exposed communication|recomputation|optimizer step) \d+\.\d % of the step$/);
    }
    expect(s.best!.slowdown).toBe(1);
    // 175B parameters need 2.8 TB of mixed-precision Adam state: tensor parallelism alone (21.9B per device) does not fit.
    const unsharded = s.rejected.find((r) => r.plan.tp === 8 && r.plan.pp === 1 && r.plan.zero === 0);
    expect(unsharded?.kind).toBe("out of memory");
    expect(unsharded!.reason).toMatch(/needs \d+\.\d GiB of 80 GiB \(\d+\.\d GiB over: parameters/);
    // Out-of-memory rejections really do not fit; invalid ones are refused by dist.plan with the same rule.
    for (const r of s.rejected.filter((x) => x.kind === "out of memory").slice(0, 20)) {
      const full = dist.plan("gpt3-175b", cluster, r.plan);
      expect(full.memory.fits).toBe(false);
      expect(full.memory.overflow).toBeCloseTo(r.overflow!, 0);
    }
    for (const r of s.rejected.filter((x) => x.kind === "invalid" && !x.reason.startsWith("ZeRO")).slice(0, 20))
      expect(() => dist.plan("gpt3-175b", cluster, r.plan)).toThrow(r.reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    expect(s.counts.considered).toBe(s.counts.fits + s.counts.outOfMemory + s.counts.invalid);
  });

  it("Mixtral 8x7B on 64 H100s searches expert parallelism too", () => {
    const s = dist.searchPlans("mixtral-8x7b", dist.dgxH100(8), { globalBatch: 256, microbatch: [1, 2], recompute: ["selective", "full"] });
    expect(s.best).not.toBeNull();
    expect(s.ranked.some((r) => (r.plan.ep ?? 1) > 1)).toBe(true);
    expect(s.rejected.some((r) => /experts cannot be split|must divide dp/.test(r.reason))).toBe(true);
  });
});

describe("dist.planTimeline", () => {
  it("one step per pipeline stage, exportable as Chrome trace JSON for Perfetto", () => {
    const r = dist.plan("gpt3-13b", dist.dgxA100(8), {
      tp: 4,
      pp: 4,
      dp: 4,
      microbatch: 1,
      globalBatch: 64,
      interleave: 2,
      recompute: "selective",
      sequenceParallel: true,
    });
    const tl = dist.planTimeline(r);
    expect(tl.devices).toEqual([0, 16, 32, 48]);
    expect(tl.time).toBeCloseTo(r.time.step, 9);
    // Every stage's compute and collectives add up to its busy time in the pipeline plus the optimizer.
    for (const d of tl.devices) {
      const busy = tl.activities
        .filter((a) => a.device === d && a.label !== "optimizer step" && !a.label.startsWith("data-parallel"))
        .reduce((s, a) => s + a.t1 - a.t0, 0);
      expect(busy).toBeLessThanOrEqual(r.time.pipeline + 1e-9);
    }
    expect(tl.activities.filter((a) => a.device === 0 && a.kind === "compute" && a.label.startsWith("F")).length).toBe(16 * 2);
    const trace = dist.toChromeTrace(tl);
    expect(trace.traceEvents.some((e) => e.ph === "X" && e.name === "F0.0")).toBe(true);
    expect(JSON.parse(JSON.stringify(trace)).traceEvents.length).toBe(trace.traceEvents.length);
    // planTrace: the same events, with each stage's memory bars in the metadata.
    const withMemory = dist.planTrace(r);
    expect(withMemory.traceEvents.length).toBe(trace.traceEvents.length);
    expect(withMemory.metadata?.memory).toEqual(
      r.memoryByStage.map((m, d) => ({
        device: d * 16,
        memory: { parameters: m.parameters, gradients: m.gradients, optimizer: m.optimizer, activations: m.activations, buffers: m.buffers },
      })),
    );
  });
});
