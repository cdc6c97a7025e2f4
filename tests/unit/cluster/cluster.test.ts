import { describe, expect, it } from "vitest";
import { dist, randn, tensor } from "webgrad";

describe("cluster model", () => {
  it("presets, nodes, ids and links", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4, device: "H100", intra: "NVLink", inter: "InfiniBand" });
    expect(c.devices.map((d) => d.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(c.devices[5].node).toBe(1);
    expect(c.devices[5].local).toBe(1);
    expect(c.devices[0].spec.peakFlops.bfloat16).toBe(989e12);
    // 4·3 NVLink directed links per node ×2, 8 NIC links ×2 directions
    expect(c.topology.links.filter((l) => l.kind === "NVLink").length).toBe(24);
    expect(c.topology.links.filter((l) => l.kind === "InfiniBand").length).toBe(16);
    expect(() => dist.cluster({ device: "TPU9" as never })).toThrow(/unknown device preset "TPU9"/);
    expect(() => dist.cluster({ nodes: 0 })).toThrow(/nodes must be a positive integer/);
  });
  it("roofline compute time from the op table's cost()", () => {
    const a100 = dist.DEVICE_PRESETS.A100;
    const t = dist.opTime(a100, "matmul", [
      { shape: [1024, 1024], dtype: "float32" },
      { shape: [1024, 1024], dtype: "float32" },
    ]);
    expect(t).toBeCloseTo((2 * 1024 ** 3) / 19.5e12, 15); // compute-bound
    const e = dist.opTime(a100, "add", [
      { shape: [1 << 20], dtype: "float32" },
      { shape: [1 << 20], dtype: "float32" },
    ]);
    expect(e).toBeCloseTo((3 * 4 * (1 << 20)) / 2039e9, 15); // memory-bound
    expect(dist.roofline(a100, { flops: 312e12, bytes: 0 }, "bfloat16")).toBeCloseTo(1, 12);
  });
  it("placement: memory accounting, .to(), and ops on the wrong device", () => {
    const c = dist.cluster({ devicesPerNode: 2 });
    const [d0, d1] = c.devices;
    const x = dist.place(randn([256]), d0);
    expect(d0.memory.activations).toBe(1024);
    const y = x.to(d1, "parameters");
    expect(d1.memory.parameters).toBe(1024);
    x.free();
    expect(d0.memory.activations).toBe(0);
    const w = dist.place(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      d1,
    );
    const z = dist.run(d1, (a, b) => a.matmul(b), w, w);
    expect(z.tensor.tolistSync()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(z.device).toBe(d1);
    expect(() => dist.run(d0, (a) => a.neg(), w)).toThrow(/is on device d1 but this op runs on d0/);
    expect(() => dist.run(d0, (a) => a.neg(), x)).toThrow(/was freed/);
    void y;
  });
});

describe("topology figures", () => {
  const GB = 1e9;
  it("diameter: most links a device-to-device route crosses", () => {
    expect(dist.cluster({ devicesPerNode: 8, topology: "ring" }).topology.diameter()).toBe(4);
    expect(dist.cluster({ devicesPerNode: 8 }).topology.diameter()).toBe(1);
    expect(dist.cluster({ devicesPerNode: 16, topology: "torus2d" }).topology.diameter()).toBe(4); // 2 + 2 on a 4×4 torus
    expect(dist.cluster({ devicesPerNode: 16, topology: "mesh2d" }).topology.diameter()).toBe(6);
    expect(dist.cluster({ devicesPerNode: 8, topology: "switch" }).topology.diameter()).toBe(2);
    expect(dist.cluster({ devicesPerNode: 16, topology: "fat-tree" }).topology.diameter()).toBe(4);
  });
  it("latency grows with the hops: no multi-hop path is cheaper than a one-switch path (α/2 per switch hop)", () => {
    const nv = dist.LINK_PRESETS.NVLink.latency;
    const sw = dist.cluster({ devicesPerNode: 16, topology: "switch" });
    const ft = dist.cluster({ devicesPerNode: 16, topology: "fat-tree", wiring: { leafSize: 4, oversubscription: 2 } });
    expect(sw.route(0, 9).latency).toBeCloseTo(nv, 15);
    // Within a leaf: device → leaf → device, the same α as NVSwitch (it was α/2); across leaves four hops, 2α.
    expect(ft.route(0, 1).latency).toBeCloseTo(nv, 15);
    expect(ft.route(0, 9).latency).toBeCloseTo(2 * nv, 15);
    // One link kind per cluster: a route with more hops never has less latency, and none has less than the spec's α.
    for (const opts of [
      { devicesPerNode: 16, topology: "fat-tree" as const, wiring: { leafSize: 4 } },
      { devicesPerNode: 12, topology: "fat-tree" as const, wiring: { leafSize: 3, oversubscription: 3 } },
      { devicesPerNode: 8, topology: "switch" as const },
      { devicesPerNode: 9, topology: "torus2d" as const },
      { devicesPerNode: 8, topology: "ring" as const },
    ]) {
      const c = dist.cluster(opts);
      const routes = c.devices.flatMap((a) => c.devices.filter((b) => b !== a).map((b) => c.route(a, b)));
      for (const r of routes) {
        expect(r.latency).toBeGreaterThanOrEqual(nv * (1 - 1e-12));
        for (const q of routes) if (q.links.length > r.links.length) expect(q.latency).toBeGreaterThanOrEqual(r.latency * (1 - 1e-12));
      }
    }
    // So a 2:1 oversubscribed fat-tree is no faster than a full NVSwitch for a ring allReduce (it was 178.7 against 167.3 GB/s busbw).
    const ring = (c: dist.Cluster) => dist.simulate("allReduce", { devices: c.devices, bytes: 16 * 2 ** 20, algorithm: "ring", emit: false }).busbw;
    expect(ring(ft)).toBeLessThan(ring(sw));
  });
  it("bisection bandwidth is the max flow between the halves (textbook values)", () => {
    const nv = 300 * GB;
    expect(dist.cluster({ devicesPerNode: 8, topology: "ring" }).bisectionBandwidth()).toBeCloseTo(2 * nv, -3);
    expect(dist.cluster({ devicesPerNode: 8 }).bisectionBandwidth()).toBeCloseTo(16 * nv, -3); // (n/2)² links
    expect(dist.cluster({ devicesPerNode: 16, topology: "torus2d" }).bisectionBandwidth()).toBeCloseTo(8 * nv, -3); // 2·4 links
    expect(dist.cluster({ devicesPerNode: 16, topology: "mesh2d" }).bisectionBandwidth()).toBeCloseTo(4 * nv, -3);
    expect(dist.cluster({ devicesPerNode: 8, topology: "switch" }).bisectionBandwidth()).toBeCloseTo(4 * nv, -3);
    // Fat-tree with 2:1 oversubscription: each leaf's uplink carries half its devices' bandwidth.
    expect(dist.cluster({ devicesPerNode: 16, topology: "fat-tree", wiring: { leafSize: 4, oversubscription: 2 } }).bisectionBandwidth()).toBeCloseTo(
      4 * nv,
      -3,
    );
    // Two nodes: the halves are the nodes, joined by one InfiniBand NIC per device.
    expect(dist.cluster({ nodes: 2, devicesPerNode: 4 }).bisectionBandwidth()).toBeCloseTo(4 * 25 * GB, -3);
    const c = dist.cluster({ devicesPerNode: 4 });
    expect(() => c.topology.cutBandwidth([0, 1], [1, 2])).toThrow(/must not overlap/);
    expect(() => c.topology.cutBandwidth([0], [9])).toThrow(/9 is not a device/);
  });
});

describe("graphWork", () => {
  it("sums the op table's cost over a traced graph (matmul 2·M·N·K, Transformer block ≈ 24·B·T·d² + 4·B·T²·d)", async () => {
    const { jit, nn } = await import("webgrad");
    const a = randn([8, 16]),
      b = randn([16, 4]);
    const g = jit((x: typeof a, y: typeof a) => x.matmul(y)).lower(a, b).graph;
    expect(dist.graphWork(g).flops).toBe(2 * 8 * 4 * 16);
    expect(dist.graphWork(g).byOp).toEqual({ matmul: 2 * 8 * 4 * 16 });
    const [B, T, d] = [2, 16, 32];
    const block = nn.transformerBlock(d, 4, { seed: 1 });
    const x = randn([B, T, d]);
    const w = dist.graphWork(jit((t: typeof x) => block.forward(t)).lower(x).graph);
    const matmuls = w.byOp.matmul;
    expect(matmuls).toBe(24 * B * T * d * d + 4 * B * T * T * d); // projections, MLP, QKᵀ and A·V
    expect(w.flops).toBeGreaterThan(matmuls);
  });
});
