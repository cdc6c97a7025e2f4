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
    expect(run.memory[0].parameters).toBe(8 * 4);
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
