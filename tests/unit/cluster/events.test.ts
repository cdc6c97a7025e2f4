import { describe, expect, it } from "vitest";
import { dist, nn, onEvent, optim, randn, tensor, type WebgradEvent } from "webgrad";

describe("comm events and Chrome trace export", () => {
  it("dist.simulate with emit: false runs the clock without a panel event", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const seen: string[] = [];
    const off = onEvent((e) => e.type === "comm" && e.phase === "collective" && seen.push(e.collective));
    const quiet = dist.simulate("allGather", { devices: c.devices, bytes: 2 ** 20, emit: false });
    const loud = dist.simulate("allGather", { devices: c.devices, bytes: 2 ** 20 });
    off();
    expect(seen).toEqual(["allGather"]);
    expect(quiet.time).toBe(loud.time);
  });
  it("cluster, collective and run events carry what the Cluster panel needs", () => {
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    const c = dist.cluster({ nodes: 2, devicesPerNode: 2 });
    const xs = c.devices.map((d, i) => dist.place(tensor([i, i + 1]), d));
    dist.allReduce(xs, { algorithm: "hierarchical" });
    const ddp = new dist.DataParallel(() => nn.linear(3, 2, { seed: 1 }), c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), bucketBytes: 8 });
    ddp.step(randn([8, 3], { seed: 1 }), randn([8, 2], { seed: 2 }), (o, t) => nn.mse(o, t));
    off();
    const comm = events.filter((e) => e.type === "comm");
    const cl = comm.find((e) => e.type === "comm" && e.phase === "cluster");
    expect(cl && cl.type === "comm" && cl.phase === "cluster" && cl.devices.length).toBe(4);
    const coll = comm.find((e) => e.type === "comm" && e.phase === "collective");
    if (!coll || coll.type !== "comm" || coll.phase !== "collective") throw new Error("no collective event");
    expect(coll.algorithm).toBe("hierarchical");
    expect(coll.devices).toEqual([0, 1, 2, 3]);
    expect(coll.transfers.t0.length).toBeGreaterThan(0);
    expect(coll.transfers.t1[0]).toBeGreaterThan(coll.transfers.t0[0]);
    expect(coll.routes[coll.transfers.link[0]]).toMatch(/^d\d→/);
    const run = comm.find((e) => e.type === "comm" && e.phase === "run");
    if (!run || run.type !== "comm" || run.phase !== "run") throw new Error("no run event");
    expect(run.strategy).toBe("ddp");
    expect(run.activities.some((a) => a.kind === "comm")).toBe(true);
    // 8 parameters in fp16 (the default mixed-precision accounting).
    expect(run.memory[0].parameters).toBe(8 * 2);
    // Every event names its cluster.
    expect([cl, coll, run].map((e) => (e as { cluster: number }).cluster)).toEqual([c.id, c.id, c.id]);
  });
  it("each cluster has its own id, and its collectives and runs name it", () => {
    const ids: number[] = [];
    const off = onEvent((e) => {
      if (e.type === "comm") ids.push(e.cluster);
    });
    const a = dist.cluster({ devicesPerNode: 2 }),
      b = dist.cluster({ devicesPerNode: 2 });
    dist.allReduce(b.devices.map((d) => dist.place(tensor([1, 2]), d)));
    dist.allReduce(a.devices.map((d) => dist.place(tensor([1, 2]), d)));
    off();
    expect(b.id).toBe(a.id + 1);
    expect(ids).toEqual([a.id, b.id, b.id, a.id]);
  });
  it("a hybrid 3D step is one run (its microbatches are not runs of their own), with activations on every device", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    const E = 4;
    const blocks = (tp: number) =>
      Array.from({ length: 4 }, (_, i) => ({
        ln: dist.replicatedLayerNorm(nn.layerNorm(E)),
        inner: dist.ParallelMLP.fromLinears(nn.linear(E, 8, { seed: 40 + i }), nn.linear(8, E, { seed: 50 + i }), tp),
        residual: true,
      }));
    const h = new dist.Hybrid3D(blocks, c.devices, { dp: 2, pp: 2, tp: 2, microbatches: 4, optimizer: (ps) => optim.sgd(ps, { lr: 0.05 }) });
    const runs: Extract<WebgradEvent, { type: "comm"; phase: "run" }>[] = [];
    const off = onEvent((e) => {
      if (e.type === "comm" && e.phase === "run") runs.push(e);
    });
    const r = h.step(randn([16, E], { seed: 1 }), randn([16, E], { seed: 2 }), (o, t) => nn.mse(o, t));
    off();
    expect(runs.map((e) => e.strategy)).toEqual(["hybrid3d"]);
    expect(runs[0].devices).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(runs[0].activities.some((a) => a.label.startsWith("stage 1 F"))).toBe(true);
    expect(runs[0].memory.map((m) => m.activations)).toEqual(r.activationBytes);
    expect(r.activationBytes.every((b) => b > 0)).toBe(true);
    // 1F1B: stage 0 holds up to pp = 2 microbatches in flight, stage 1 one; both stages save alike per microbatch except the loss.
    const mesh = h.mesh;
    expect(r.activationBytes[mesh.devices.indexOf(h.device(0, 0, 0))]).toBeGreaterThan(r.activationBytes[mesh.devices.indexOf(h.device(0, 1, 0))]);
  });
  it("tensor parallel counts each device's activations: its shards' saved tensors plus the replicated norms and residuals", () => {
    const c = dist.cluster({ devicesPerNode: 2 });
    const E = 4;
    const fc1 = nn.linear(E, 8, { seed: 1 }),
      fc2 = nn.linear(8, E, { seed: 2 });
    const tp = new dist.TensorParallel([{ inner: dist.ParallelMLP.fromLinears(fc1, fc2, 2, (x) => x.tanh()) }], c.devices, {
      optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }),
      memory: { precision: "fp32" },
    });
    const r = tp.step(randn([3, E], { seed: 1 }), randn([3, E], { seed: 2 }), (o, t) => nn.mse(o, t));
    // Device r: its copy of the input 3×4 (fc1's matmul), tanh's output 3×4 (fc2's input, one storage);
    // replicated: the loss's squared difference 3×4 and the mean's two scalars. fp32: 4 bytes each.
    expect(r.activationBytes).toEqual([(12 + 12 + 12 + 2) * 4, (12 + 12 + 12 + 2) * 4]);
  });
  it("Chrome Trace Event JSON: complete events in µs, one process per device, no overlap on a track", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const r = dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 20, algorithm: "direct", ports: "multi" });
    const trace = JSON.parse(JSON.stringify(dist.toChromeTrace(r.timeline))) as dist.ChromeTrace;
    expect(trace.displayTimeUnit).toBe("ns");
    const xs = trace.traceEvents.filter((e) => e.ph === "X");
    expect(xs.length).toBe(r.timeline.length);
    for (const e of xs) {
      expect(typeof e.ts).toBe("number");
      expect(e.dur!).toBeGreaterThan(0);
      expect(e.pid).toBeGreaterThanOrEqual(0);
      expect(e.args).toHaveProperty("bytes");
    }
    expect(xs[0].ts! + xs[0].dur!).toBeCloseTo(r.timeline.get(0).t1 * 1e6, 6);
    const meta = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "process_name");
    expect(meta.map((m) => m.args!.name)).toEqual(["device d0", "device d1", "device d2", "device d3"]);
    // Perfetto needs slices on one track to nest: ours never overlap.
    const tracks = new Map<string, [number, number][]>();
    for (const e of xs) tracks.set(`${e.pid}/${e.tid}`, [...(tracks.get(`${e.pid}/${e.tid}`) ?? []), [e.ts!, e.ts! + e.dur!]]);
    for (const iv of tracks.values()) {
      iv.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < iv.length; i++) expect(iv[i][0]).toBeGreaterThanOrEqual(iv[i - 1][1] - 1e-9);
    }
    const p = dist.simulatePipeline("1f1b", { p: 4, m: 8, forward: () => 1e-3, backward: () => 2e-3 });
    const pt = dist.toChromeTrace(p.timeline);
    expect(pt.traceEvents.filter((e) => e.ph === "X" && e.cat === "compute").length).toBe(4 * 16);
  });
});
