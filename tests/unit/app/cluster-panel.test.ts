import { describe, expect, it, vi } from "vitest";
import { onEvent, type WebgradEvent } from "webgrad";
import {
  bucketActivities,
  bucketTransfers,
  formatTime,
  hitTest,
  idleFraction,
  niceTicks,
  startAfter,
  visibleStart,
  KIND_COMM,
  KIND_COMPUTE,
} from "../../../src/app/panels/cluster/timeline";
import { alongPath, layoutTopology, linkClass, parseRoute } from "../../../src/app/panels/cluster/topology";
import { collectiveTrace, runTrace } from "../../../src/app/panels/cluster/trace";
import { collectivePath, playheadApplies, scheduleSteps, stepAt, stepUse } from "../../../src/app/panels/cluster/player";
import { ClusterStore, MAX_CLUSTERS, MAX_COLLECTIVES, type ClusterEvent } from "../../../src/app/state/cluster.svelte";

describe("Cluster panel: timeline bucketing", () => {
  const acts = [
    { device: 1, kind: "compute" as const, t0: 2, t1: 3, label: "F1" },
    { device: 0, kind: "compute" as const, t0: 0, t1: 10, label: "long" },
    { device: 0, kind: "comm" as const, t0: 1, t1: 2, label: "ar" },
    { device: 0, kind: "compute" as const, t0: 5, t1: 6, label: "F2" },
    { device: 7, kind: "compute" as const, t0: 0, t1: 1, label: "not listed" },
  ];
  it("buckets by device in the given order, sorted by start, with the running max end", () => {
    const d = bucketActivities([0, 1], acts);
    expect(d.tracks.map((t) => [t.device, t.n])).toEqual([
      [0, 3],
      [1, 1],
    ]);
    expect(Array.from(d.tracks[0].t0)).toEqual([0, 1, 5]);
    expect(Array.from(d.tracks[0].maxEnd)).toEqual([10, 10, 10]);
    expect(Array.from(d.tracks[0].kind)).toEqual([KIND_COMPUTE, KIND_COMM, KIND_COMPUTE]);
    expect(Array.from(d.tracks[0].ref)).toEqual([1, 2, 3]);
    expect([d.start, d.end, d.lanes]).toEqual([0, 10, "split"]);
    expect(
      bucketActivities(
        [1],
        acts.filter((a) => a.kind !== "comm"),
      ).lanes,
    ).toBe("single");
  });
  it("finds the visible range exactly even when a long interval covers later ones", () => {
    const tr = bucketActivities([0], acts).tracks[0];
    // [7, 8]: only "long" (index 0) overlaps; the search must not skip it.
    expect(visibleStart(tr, 7)).toBe(0);
    expect(startAfter(tr, 8)).toBe(3);
    expect(hitTest(tr, 5.5, 0)).toBe(2); // F2 is on top of "long"
    expect(hitTest(tr, 7, 0)).toBe(0);
    expect(hitTest(tr, 1.5, 0, (k) => k === KIND_COMM)).toBe(1);
    expect(hitTest(tr, 11, 0)).toBe(-1);
  });
  it("buckets 100 000 transfers by sender without losing any", () => {
    const n = 100_000,
      p = 64;
    const t0 = new Float64Array(n),
      t1 = new Float64Array(n),
      src = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      src[i] = (i * 7) % p;
      t0[i] = (n - i) * 1e-6;
      t1[i] = t0[i] + 2e-6;
    }
    const d = bucketTransfers(
      Array.from({ length: p }, (_, i) => i),
      { t0, t1, src },
    );
    expect(d.tracks.reduce((s, t) => s + t.n, 0)).toBe(n);
    for (const t of d.tracks) for (let k = 1; k < t.n; k++) expect(t.t0[k]).toBeGreaterThanOrEqual(t.t0[k - 1]);
    expect(d.lanes).toBe("single");
  });
  it("idle fraction counts the union of busy intervals, not idle ones", () => {
    const d = bucketActivities(
      [0],
      [
        { device: 0, kind: "compute", t0: 0, t1: 2 },
        { device: 0, kind: "comm", t0: 1, t1: 3 },
        { device: 0, kind: "idle", t0: 3, t1: 4 },
      ],
    );
    expect(idleFraction(d.tracks[0], 0, 4)).toBeCloseTo(0.25, 12);
  });
  it("ticks at 1/2/5 steps and formats simulated time in its unit", () => {
    const { step, ticks } = niceTicks(0, 1e-3, 5);
    expect(step).toBeCloseTo(2e-4, 15);
    expect(ticks.length).toBe(6);
    ticks.forEach((t, i) => expect(t).toBeCloseTo(i * 2e-4, 15));
    expect(formatTime(2.5e-3)).toBe("2.50 ms");
    expect(formatTime(4e-4, 2e-4)).toBe("0.4 ms");
    expect(formatTime(4e-4, 2e-5)).toBe("400 µs");
    expect(formatTime(1.5e-6, 5e-7)).toBe("1.5 µs");
    expect(formatTime(2)).toBe("2.00 s");
  });
});

describe("Cluster panel: topology layout", () => {
  const topo = {
    devices: Array.from({ length: 8 }, (_, i) => ({ id: i, node: i >> 2, name: `d${i}`, spec: "A100", memoryCapacity: 80 * 2 ** 30 })),
    links: [
      ...[0, 1, 2, 3].flatMap((a) => [0, 1, 2, 3].filter((b) => b !== a).map((b) => ({ from: a, to: b, kind: "NVLink", bandwidth: 300e9, latency: 2e-6 }))),
      ...Array.from({ length: 8 }, (_, i) => [
        { from: i, to: 8, kind: "InfiniBand", bandwidth: 25e9, latency: 5e-6 },
        { from: 8, to: i, kind: "InfiniBand", bandwidth: 25e9, latency: 5e-6 },
      ]).flat(),
    ],
    switches: ["sw"],
  };
  it("groups devices by node, puts a shared switch below, merges both directions of a link", () => {
    const l = layoutTopology(topo);
    expect(l.nodes.length).toBe(2);
    const [n0, n1] = l.nodes;
    for (let i = 0; i < 4; i++) {
      const v = l.vertices[i];
      expect(v.x).toBeGreaterThan(n0.x);
      expect(v.x).toBeLessThan(n0.x + n0.w);
    }
    expect(l.vertices[5].x).toBeGreaterThan(n1.x);
    expect(l.vertices[8]).toMatchObject({ kind: "switch", node: -1 });
    expect(l.vertices[8].y).toBeGreaterThan(n0.y + n0.h);
    expect(l.links.length).toBe(6 + 8);
    expect(l.links.every((k) => k.directions === 2)).toBe(true);
    expect(l.kinds).toEqual(["NVLink", "InfiniBand"]);
    expect(linkClass("NVLink4")).toBe("nvlink");
    expect(linkClass("InfiniBandNDR")).toBe("ib");
  });
  it("parses route names into vertex paths and walks along them", () => {
    expect(parseRoute("d3→sw→d6", 8, ["sw"])).toEqual([3, 8, 6]);
    expect(parseRoute("d3→nope", 8, ["sw"])).toBeNull();
    expect(
      alongPath(
        [
          { x: 0, y: 0 },
          { x: 10, y: 0 },
          { x: 10, y: 10 },
        ],
        0.75,
      ),
    ).toEqual({ x: 10, y: 5 });
  });
});

describe("Cluster panel: Chrome trace export", () => {
  it("formats runs and collectives as complete events in µs with non-overlapping threads", () => {
    const run = runTrace({
      strategy: "pipeline:1f1b",
      devices: [0, 1],
      activities: [
        { device: 0, kind: "compute", t0: 0, t1: 1e-3, label: "F0" },
        { device: 0, kind: "compute", t0: 5e-4, t1: 2e-3, label: "F1" },
        { device: 1, kind: "comm", t0: 1e-3, t1: 2e-3, label: "send" },
      ],
    });
    const xs = run.traceEvents.filter((e) => e.ph === "X");
    expect(xs.map((e) => [e.pid, e.tid, e.ts, e.dur])).toEqual([
      [0, 0, 0, 1000],
      [0, 1, 500, 1500],
      [1, 1000, 1000, 1000],
    ]);
    expect(JSON.parse(JSON.stringify(run)).traceEvents.length).toBe(run.traceEvents.length);
    const coll = collectiveTrace({
      collective: "allReduce",
      algorithm: "ring",
      devices: [0, 1],
      routes: ["d0→d1"],
      transfers: {
        t0: Float64Array.of(0),
        t1: Float64Array.of(1e-6),
        src: Int32Array.of(0),
        dst: Int32Array.of(1),
        link: Int32Array.of(0),
        bytes: Float64Array.of(64),
        chunk: Int32Array.of(0),
        step: Int32Array.of(0),
      },
    });
    expect(coll.traceEvents.find((e) => e.ph === "X")).toMatchObject({ name: "→d1", pid: 0, tid: 1000, ts: 0, dur: 1, args: { link: "d0→d1", bytes: 64 } });
  });
});

describe("Cluster panel: the store scopes collectives and runs to their cluster", () => {
  const topo = (cluster: number, n: number): ClusterEvent => ({
    type: "comm",
    phase: "cluster",
    cluster,
    devices: Array.from({ length: n }, (_, i) => ({ id: i, node: 0, name: `d${i}`, spec: "A100", memoryCapacity: cluster * 1000 })),
    links: [],
    switches: [],
  });
  const coll = (cluster: number): ClusterEvent => ({
    type: "comm",
    phase: "collective",
    cluster,
    collective: "allReduce",
    algorithm: "ring",
    devices: [0, 1],
    bytes: 8,
    time: 1,
    algbw: 8,
    busbw: 8,
    routes: [],
    transfers: {
      t0: new Float64Array(0),
      t1: new Float64Array(0),
      src: new Int32Array(0),
      dst: new Int32Array(0),
      link: new Int32Array(0),
      bytes: new Float64Array(0),
      chunk: new Int32Array(0),
      step: new Int32Array(0),
    },
  });
  const run = (cluster: number, strategy: string): ClusterEvent => ({
    type: "comm",
    phase: "run",
    cluster,
    strategy,
    devices: [0],
    time: 1,
    activities: [],
    memory: [],
    summary: {},
  });
  it("a new cluster keeps the earlier one's collectives and runs with their own topology", () => {
    const s = new ClusterStore();
    s.addAll([topo(1, 4), coll(1), run(1, "ddp"), run(1, "ddp")]);
    s.addAll([topo(2, 2), coll(2), run(2, "ddp")]);
    expect(s.topology?.cluster).toBe(2);
    expect(s.collectives.map((c) => c.cluster)).toEqual([1, 2]);
    // The newest run of each strategy per cluster: ddp on cluster 1 and ddp on cluster 2.
    expect(s.runs.map((r) => `${r.strategy}@${r.cluster}`)).toEqual(["ddp@1", "ddp@2"]);
    expect(s.topologyOf(s.collectives[0].cluster)?.devices.length).toBe(4);
    expect(s.capacityOf(1).get(0)).toBe(1000);
    expect([s.clusterCount, s.runCount, s.collectiveCount]).toEqual([2, 3, 2]);
    // A busy later cluster does not push out the earlier one's collectives: the cap is per cluster.
    s.addAll(Array.from({ length: MAX_COLLECTIVES + 5 }, () => coll(2)));
    expect(s.collectives.filter((c) => c.cluster === 2).length).toBe(MAX_COLLECTIVES);
    expect(s.collectives.filter((c) => c.cluster === 1).length).toBe(1);
    expect(s.collectives.at(-1)!.seq).toBeGreaterThan(s.collectives[0].seq);
  });
  it("forgets the collectives and runs of clusters it no longer keeps", () => {
    const s = new ClusterStore();
    s.addAll([topo(1, 2), coll(1), run(1, "zero1")]);
    s.addAll(Array.from({ length: MAX_CLUSTERS }, (_, i) => [topo(i + 2, 2), run(i + 2, "zero1")]).flat());
    expect(s.clusters.length).toBe(MAX_CLUSTERS);
    expect(s.topologyOf(1)).toBeNull();
    expect(s.collectives).toEqual([]);
    expect(s.runs.every((r) => r.cluster !== 1)).toBe(true);
    s.clear();
    expect([s.topology, s.clusters.length, s.runs.length, s.clusterCount]).toEqual([null, 0, 0, 0]);
  });
});

describe("Cluster examples", () => {
  for (const name of ["32-ring-vs-tree", "53-pipeline-bubbles", "40-zero-memory", "54-hybrid-3d"]) {
    it(`${name} runs and emits what the Cluster panel draws`, async () => {
      const events: WebgradEvent[] = [];
      const off = onEvent((e) => events.push(e));
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        await import(`../../../src/examples/${name}.ts`);
      } finally {
        off();
        log.mockRestore();
      }
      const comm = events.filter((e) => e.type === "comm");
      expect(comm.some((e) => e.type === "comm" && e.phase === "cluster")).toBe(true);
      expect(comm.some((e) => e.type === "comm" && (e.phase === "collective" || e.phase === "run"))).toBe(true);
      // Every collective and run names a cluster the program built (its topology arrived first).
      const built = new Set(comm.filter((e) => e.type === "comm" && e.phase === "cluster").map((e) => e.type === "comm" && e.cluster));
      expect(comm.every((e) => e.type === "comm" && built.has(e.cluster))).toBe(true);
      // One run event per strategy step: a hybrid step's microbatches are not runs of their own.
      if (name === "54-hybrid-3d")
        expect(new Set(comm.map((e) => e.type === "comm" && e.phase === "run" && e.strategy).filter(Boolean))).toEqual(new Set(["hybrid3d"]));
    });
  }
});

describe("Cluster panel: the collective player", () => {
  // A two-level tree on 4 devices, pipelined: step 1 starts before step 0's slow hop ends.
  const cols = {
    t0: new Float64Array([0, 0, 2, 10, 12]),
    t1: new Float64Array([8, 2, 4, 14, 16]),
    src: new Int32Array([3, 1, 2, 0, 0]),
    dst: new Int32Array([1, 0, 0, 1, 2]),
    chunk: new Int32Array([0, 0, 1, 0, 1]),
    step: new Int32Array([0, 1, 1, 2, 2]),
    link: new Int32Array([0, 1, 2, 3, 4]),
    bytes: new Float64Array([8, 8, 8, 8, 8]),
  };
  // Routes: d3→d1, d1→d0, d2→sw→d0 (vertex 4 is a switch), d0→d1, d0→sw→d2.
  const paths = [
    [3, 1],
    [1, 0],
    [2, 4, 0],
    [0, 1],
    [0, 4, 2],
  ];
  it("puts each step mid-flight, never earlier than the step before (pipelined steps overlap)", () => {
    const steps = scheduleSteps(cols);
    expect(steps.map((s) => s.step)).toEqual([0, 1, 2]);
    // Step 0's only hop is mid-flight at 4; step 1's earliest midpoint (1) is earlier: it follows step 0 instead.
    expect(steps[0].at).toBe(4);
    expect(steps[1].at).toBeGreaterThan(4);
    expect(steps[1].at).toBeLessThan(4.01);
    expect(steps[2].at).toBe(12);
    expect([0, 4, 5, 12, 20].map((t) => stepAt(steps, t))).toEqual([0, 0, 1, 2, 2]);
  });
  it("lists a step's directed hops along the routes, with their chunks, and the devices that send or receive", () => {
    const use = stepUse(cols, paths, 1);
    expect(use.hops.map((h) => [h.key, h.chunks])).toEqual([
      ["1>0", [0]],
      ["2>4", [1]],
      ["4>0", [1]],
    ]);
    expect([...use.devices].sort()).toEqual([0, 1, 2]);
    expect(use.sends).toEqual([
      [1, 0, 0],
      [2, 0, 1],
    ]);
    expect(stepUse(cols, paths, undefined).hops).toEqual([]);
    // The path of the whole collective: every link any step uses, undirected.
    expect(collectivePath(cols, paths).sort()).toEqual(["0-1", "0-4", "1-3", "2-4"]);
  });
  it("puts the playhead on the collective's own timeline, or on the run it was part of", () => {
    const coll = { seq: 5, cluster: 0 };
    const runs = [
      { seq: 3, cluster: 0 },
      { seq: 8, cluster: 0 },
      { seq: 9, cluster: 1 },
    ];
    expect(playheadApplies({ coll }, coll, runs)).toBe(true);
    expect(playheadApplies({ coll: { seq: 4, cluster: 0 } }, coll, runs)).toBe(false);
    expect(playheadApplies({ run: runs[1] }, coll, runs)).toBe(true); // collective 5 came between runs 3 and 8
    expect(playheadApplies({ run: runs[0] }, coll, runs)).toBe(false); // run 3 ended before it
    expect(playheadApplies({ run: runs[2] }, coll, runs)).toBe(false); // another cluster
    expect(playheadApplies(null, coll, runs)).toBe(false);
  });
});
