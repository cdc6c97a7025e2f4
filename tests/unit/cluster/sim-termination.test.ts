/**
 * The contended-link clock always terminates, whatever the topology, size and start time (it
 * spun forever when a stream's remainder fell below the float spacing of the clock's reading).
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";
import { mulberry32 } from "../../shared/fuzz/prng";

describe("the simulator terminates", () => {
  it("known cases: allToAll of 1 KiB per rank (direct) on the default 2 × 4 cluster; a 1 MiB double-binary-tree allReduce started at t = 1 s", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    const a0 = dist.simulate("allToAll", { devices: c.devices, bytes: 1024, algorithm: "direct", emit: false });
    const a1 = dist.simulate("allToAll", { devices: c.devices, bytes: 1024, algorithm: "direct", start: 1, emit: false });
    expect(a0.time).toBeGreaterThan(0);
    expect(Math.abs(a1.time - a0.time) / a0.time).toBeLessThan(1e-6);
    const d0 = dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 20, algorithm: "double-binary-tree", emit: false });
    const d1 = dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 20, algorithm: "double-binary-tree", start: 1, emit: false });
    expect(Math.abs(d1.time - d0.time) / d0.time).toBeLessThan(1e-6);
  });

  it("random topologies, collectives, sizes, chunks, port models and start times (seeded): every run ends, and a later start shifts the clock only", () => {
    const next = mulberry32(20261205);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const colls: dist.CollectiveName[] = ["allReduce", "reduceScatter", "allGather", "broadcast", "reduce", "gather", "scatter", "allToAll"];
    for (let trial = 0; trial < 300; trial++) {
      const multi = next() < 0.4;
      const per = multi ? pick([2, 3, 4]) : pick([2, 3, 4, 5, 6, 8, 9, 12]);
      const opts: dist.ClusterOptions = multi
        ? {
            nodes: pick([2, 3]),
            devicesPerNode: per,
            interTopology: pick(["switch", "fat-tree"] as const),
            interWiring: { leafSize: 2, oversubscription: pick([1, 2, 4]) },
          }
        : { devicesPerNode: per, topology: pick(["ring", "mesh2d", "torus2d", "switch", "fat-tree", "fully-connected"] as const) };
      const c = dist.cluster(opts);
      const p = c.devices.length;
      const coll = pick(colls);
      const algs = dist.algorithmsOf(coll).filter((a) => {
        const needs = dist.COLLECTIVES[coll].algorithms[a]!.needs;
        return needs === "any" || (needs === "pow2" && (p & (p - 1)) === 0) || (needs === "nodes" && multi);
      });
      const algorithm = pick(algs);
      const bytes = Math.round(p * 4 * 2 ** (next() * 20)); // 4p B … 4 MiB·p
      const chunks = pick([1, 1, 2, 4]);
      const ports = pick(["single", "multi"] as const);
      const start = pick([0, 1, 1e-3 + next(), 1e3 * next(), 3600]);
      const what = `trial ${trial}: ${coll}/${algorithm} of ${bytes} B, ${chunks} chunks, ${ports} ports, start ${start} s on ${JSON.stringify(opts)}`;
      const base = dist.simulate(coll, { devices: c.devices, bytes, algorithm, chunks, ports, emit: false });
      const late = dist.simulate(coll, { devices: c.devices, bytes, algorithm, chunks, ports, start, emit: false });
      expect(Number.isFinite(late.time), what).toBe(true);
      expect(late.time, what).toBeGreaterThan(0);
      // The clock's reading has ~16 digits: each event may round by the spacing at `start`.
      const slack = 1e-9 * base.time + late.timeline.length * 1e-12 * Math.max(start, 1);
      expect(Math.abs(late.time - base.time), what).toBeLessThanOrEqual(slack);
    }
  });

  it("a step that cannot progress is a clear error, not an endless loop", () => {
    // Two messages from d0 and d2 into d1 share d1's down-link of a switch in one step (multi-port: they overlap).
    const c = dist.cluster({ devicesPerNode: 3, topology: "switch" });
    const s = new dist.Schedule(3, 2, 8);
    s.add(0, 1, 0, 0, 1, false, 0);
    s.add(2, 1, 1, 1, 1, false, 0);
    const opts = { topology: c.topology, devices: [0, 1, 2], elemBytes: 4, gamma: [0, 0, 0], ports: "multi" as const };
    expect(dist.simulateSchedule(s, opts).time).toBeGreaterThan(0);
    // A start time that never comes: the clock says so instead of spinning (it looped on NaN bytes left).
    expect(() => dist.simulateSchedule(s, { ...opts, start: [Infinity, 0, 0] })).toThrow(/dist\.simulate.*made no progress/);
    // The collectives refuse such a start, and cluster() a link that moves no bytes, before the clock runs.
    expect(() => dist.simulate("allToAll", { devices: c.devices, bytes: 1024, start: NaN })).toThrow(/start must be a finite time/);
    expect(() => dist.simulate("allToAll", { devices: c.devices, bytes: 1024, start: [0, Infinity, 0] })).toThrow(/start must be a finite time/);
    expect(() => dist.cluster({ devicesPerNode: 2, intra: { name: "dead", bandwidth: 0, latency: 1e-6 } })).toThrow(
      /link "dead" needs a positive, finite bandwidth/,
    );
  });
});
