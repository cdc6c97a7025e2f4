import { describe, expect, it } from "vitest";
import { dist, tensor } from "webgrad";

type Alg = dist.AlgorithmName;
const P = [1, 2, 3, 4, 5, 7, 8, 12, 16, 31, 32, 64];
const pow2 = (p: number) => (p & (p - 1)) === 0;

function setup(p: number, m: number, opts: dist.ClusterOptions = {}) {
  const c = dist.cluster({ devicesPerNode: p, ...opts });
  // Integer-valued data: sums are exact in float32 whatever the order, so results must be equal.
  const data = Array.from({ length: p }, (_, r) => Float32Array.from({ length: m }, (_, i) => ((r * 7 + i * 3) % 11) - 5));
  const shards = data.map((d, r) => dist.place(tensor(d), c.devices[r]));
  return { c, data, shards };
}
const runs = (p: number, a: dist.AlgorithmName, needs: string) => needs !== "pow2" || pow2(p);
const needs = (coll: dist.CollectiveName, a: Alg) => dist.COLLECTIVES[coll].algorithms[a]!.needs;

describe("collectives move real data: exact results for p = 1…64", () => {
  for (const coll of ["allReduce", "reduceScatter", "allGather", "broadcast", "reduce", "gather", "scatter", "allToAll"] as const) {
    for (const alg of dist.algorithmsOf(coll).filter((a) => a !== "hierarchical")) {
      it(`${coll} / ${alg}`, () => {
        for (const p of P) {
          if (!runs(p, alg, needs(coll, alg))) continue;
          for (const chunks of p <= 8 ? [1, 3] : [1]) {
            const m = p * 6;
            const { data, shards, c } = setup(p, m);
            const sum = new Float32Array(m);
            for (const d of data) d.forEach((v, i) => (sum[i] += v));
            const root = p > 2 ? 2 : 0;
            const o = { algorithm: alg, chunks };
            if (coll === "allReduce") {
              const r = dist.allReduce(shards, o);
              for (const t of r.outputs) expect(Array.from(t.tensor.dataSync())).toEqual(Array.from(sum));
            } else if (coll === "reduceScatter") {
              const r = dist.reduceScatter(shards, o);
              r.outputs.forEach((t, i) => expect(Array.from(t.tensor.dataSync())).toEqual(Array.from(sum.slice(i * 6, i * 6 + 6))));
            } else if (coll === "allGather") {
              const r = dist.allGather(shards, o);
              const all = data.flatMap((d) => Array.from(d));
              for (const t of r.outputs) expect(Array.from(t.tensor.dataSync())).toEqual(all);
            } else if (coll === "broadcast") {
              const r = dist.broadcast(shards[root], c.devices, o);
              for (const t of r.outputs) expect(Array.from(t.tensor.dataSync())).toEqual(Array.from(data[root]));
            } else if (coll === "reduce") {
              const r = dist.reduce(shards, { ...o, root });
              expect(r.outputs[0].device).toBe(c.devices[root]);
              expect(Array.from(r.outputs[0].tensor.dataSync())).toEqual(Array.from(sum));
            } else if (coll === "gather") {
              const r = dist.gather(shards, { ...o, root });
              expect(r.outputs[0].device).toBe(c.devices[root]);
              expect(Array.from(r.outputs[0].tensor.dataSync())).toEqual(data.flatMap((d) => Array.from(d)));
            } else if (coll === "scatter") {
              const r = dist.scatter(shards[root], c.devices, o);
              r.outputs.forEach((t, i) => expect(Array.from(t.tensor.dataSync())).toEqual(Array.from(data[root].slice(i * 6, i * 6 + 6))));
            } else {
              const r = dist.allToAll(shards, o);
              r.outputs.forEach((t, j) => expect(Array.from(t.tensor.dataSync())).toEqual(data.flatMap((d) => Array.from(d.slice(j * 6, j * 6 + 6)))));
            }
          }
        }
      });
    }
  }
  it("hierarchical allReduce / allGather / reduceScatter on multi-node clusters", () => {
    for (const [nodes, per] of [
      [2, 2],
      [3, 4],
      [4, 3],
      [2, 8],
      [8, 8],
    ]) {
      const p = nodes * per,
        m = p * 2;
      const { data, shards } = setup(per, m, { nodes });
      // setup() made a cluster of `per` devices per node × nodes: p shards needed
      const c = dist.cluster({ nodes, devicesPerNode: per });
      const all = Array.from({ length: p }, (_, r) => Float32Array.from({ length: m }, (_, i) => ((r * 5 + i) % 9) - 4));
      const xs = all.map((d, r) => dist.place(tensor(d), c.devices[r]));
      const sum = new Float32Array(m);
      for (const d of all) d.forEach((v, i) => (sum[i] += v));
      for (const t of dist.allReduce(xs, { algorithm: "hierarchical" }).outputs) expect(Array.from(t.tensor.dataSync())).toEqual(Array.from(sum));
      dist
        .reduceScatter(xs, { algorithm: "hierarchical" })
        .outputs.forEach((t, i) => expect(Array.from(t.tensor.dataSync())).toEqual(Array.from(sum.slice(i * 2, i * 2 + 2))));
      for (const t of dist.allGather(xs, { algorithm: "hierarchical", chunks: 2 }).outputs)
        expect(Array.from(t.tensor.dataSync())).toEqual(all.flatMap((d) => Array.from(d)));
      void data;
      void shards;
    }
  });
  it("broadcast by scatter + allGather (van de Geijn): bit-exact for sizes that do not split evenly, any root", () => {
    for (const p of [2, 3, 5, 8, 13]) {
      const c = dist.cluster({ devicesPerNode: p });
      for (const m of [1, p - 1, p + 1, 3 * p + 2]) {
        if (m < 1) continue;
        for (const root of [0, p - 1]) {
          // Non-integer values: a broadcast copies, so every rank must hold the root's bits exactly.
          const x = Float32Array.from({ length: m }, (_, i) => Math.sin(i + 0.25 * root) * 1e3 + 1 / 3);
          const r = dist.broadcast(dist.place(tensor(x), c.devices[root]), c.devices, { algorithm: "scatter-allgather", chunks: m >= 2 * p ? 2 : 1 });
          expect(r.outputs.map((o) => o.device.id)).toEqual(c.devices.map((d) => d.id));
          for (const o of r.outputs) expect(o.tensor.dataSync()).toEqual(x);
        }
      }
    }
  });
  it("send / recv over a multi-hop route", () => {
    const c = dist.cluster({ devicesPerNode: 6, topology: "ring" });
    const x = dist.place(tensor([1, 2, 3, 4]), c.devices[0]);
    const r = dist.send(x, c.devices[3], { chunks: 2 });
    expect(r.outputs[0].device.name).toBe("d3");
    expect(Array.from(r.outputs[0].tensor.dataSync())).toEqual([1, 2, 3, 4]);
    expect(r.timeline.get(0).link.split("→").length).toBe(4);
  });
});

describe("simulated times equal the closed forms (p a power of two, no contention)", () => {
  const cases: [dist.CollectiveName, Alg, number?][] = [
    ["allReduce", "ring"],
    ["allReduce", "recursive-doubling"],
    ["allReduce", "rabenseifner"],
    ["allReduce", "binomial"],
    ["allReduce", "direct"],
    ["reduceScatter", "ring"],
    ["reduceScatter", "recursive-halving"],
    ["reduceScatter", "direct"],
    ["allGather", "ring"],
    ["allGather", "recursive-doubling"],
    ["allGather", "direct"],
    ["broadcast", "binomial"],
    ["broadcast", "ring", 1],
    ["broadcast", "ring", 4],
    ["broadcast", "direct"],
    ["broadcast", "scatter-allgather"],
    ["reduce", "binomial"],
    ["reduce", "rabenseifner"],
    ["reduce", "ring"],
    ["reduce", "direct"],
    ["gather", "binomial"],
    ["gather", "direct"],
    ["scatter", "binomial"],
    ["scatter", "direct"],
    ["allToAll", "pairwise"],
    ["allToAll", "direct"],
  ];
  for (const [coll, alg, chunks] of cases) {
    it(`${coll} / ${alg}${chunks ? ` (${chunks} chunks)` : ""}`, () => {
      for (const p of [2, 4, 8, 16, 32, 64]) {
        const c = dist.cluster({ devicesPerNode: p, device: "A100", intra: "NVLink" });
        const n = 4 * p * 64 * 1024; // bytes
        const r = dist.simulate(coll, { devices: c.devices, bytes: n, algorithm: alg, chunks });
        const link = dist.LINK_PRESETS.NVLink;
        const expected = dist.CLOSED_FORMS[`${coll}:${alg}`]({
          p,
          n,
          alpha: link.latency,
          beta: 1 / link.bandwidth,
          gamma: dist.reduceSecondsPerByte(c.devices[0].spec, 4),
          chunks,
        });
        expect(Math.abs(r.time - expected) / expected).toBeLessThan(1e-9);
      }
    });
  }
  it("scatter + allGather broadcast beats the binomial tree for large messages (2(p − 1)/p·n·β against log₂ p·n·β)", () => {
    const c = dist.cluster({ devicesPerNode: 16, device: "A100", intra: "NVLink" });
    const big = 2 ** 26,
      small = 64;
    const t = (alg: Alg, n: number) => dist.simulate("broadcast", { devices: c.devices, bytes: n, algorithm: alg }).time;
    expect(t("scatter-allgather", big)).toBeLessThan(t("binomial", big) / 1.9);
    // Small messages: log₂ p + p − 1 latencies against log₂ p.
    expect(t("scatter-allgather", small)).toBeGreaterThan(t("binomial", small) * 4);
  });
  it("send with chunks", () => {
    const c = dist.cluster({ devicesPerNode: 2 });
    const r = dist.simulate("send", { devices: c.devices, bytes: 2 ** 20, chunks: 8 });
    const link = dist.LINK_PRESETS.NVLink;
    expect(r.time).toBeCloseTo(dist.CLOSED_FORMS["send:direct"]({ p: 2, n: 2 ** 20, alpha: link.latency, beta: 1 / link.bandwidth, gamma: 0, chunks: 8 }), 15);
  });
  it("pipelined binary-tree broadcast and direct algorithms, multi-port", () => {
    for (const p of [2, 4, 8, 16, 32]) {
      for (const chunks of [1, 4, 16]) {
        const c = dist.cluster({ devicesPerNode: p });
        const link = dist.LINK_PRESETS.NVLink;
        const ab = { p, n: 2 ** 22, alpha: link.latency, beta: 1 / link.bandwidth, gamma: 0, chunks };
        for (const [coll, alg] of [
          ["broadcast", "tree"],
          ["broadcast", "direct"],
          ["allGather", "direct"],
          ["allToAll", "direct"],
        ] as const) {
          const r = dist.simulate(coll, { devices: c.devices, bytes: ab.n, algorithm: alg, chunks: alg === "tree" ? chunks : 1, ports: "multi" });
          const e = dist.MULTI_PORT_CLOSED_FORMS[`${coll}:${alg}`](alg === "tree" ? ab : { ...ab, chunks: 1 });
          expect(Math.abs(r.time - e) / e).toBeLessThan(1e-9);
        }
      }
    }
  });
  it("hierarchical allReduce and allGather: intra α–β inside, inter α–β across", () => {
    for (const [nodes, per] of [
      [2, 2],
      [2, 4],
      [4, 8],
      [8, 4],
    ]) {
      const c = dist.cluster({ nodes, devicesPerNode: per, intra: "NVLink", inter: "InfiniBand" });
      const p = nodes * per,
        n = 4 * p * 4096;
      const a = dist.LINK_PRESETS.NVLink,
        b = dist.LINK_PRESETS.InfiniBand;
      const ab = {
        p,
        n,
        alpha: a.latency,
        beta: 1 / a.bandwidth,
        gamma: dist.reduceSecondsPerByte(c.devices[0].spec, 4),
        k: per,
        alpha2: b.latency,
        beta2: 1 / b.bandwidth,
      };
      for (const coll of ["allReduce", "allGather"] as const) {
        const r = dist.simulate(coll, { devices: c.devices, bytes: n, algorithm: "hierarchical" });
        const e = dist.CLOSED_FORMS[`${coll}:hierarchical`](ab);
        expect(Math.abs(r.time - e) / e).toBeLessThan(1e-9);
      }
    }
  });
  it("algbw and busbw follow nccl-tests", () => {
    const c = dist.cluster({ devicesPerNode: 8 });
    const r = dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 24 });
    expect(r.algbw).toBeCloseTo(2 ** 24 / r.time, 0);
    expect(r.busbw / r.algbw).toBeCloseTo((2 * 7) / 8, 12);
    const g = dist.simulate("allGather", { devices: c.devices, bytes: 2 ** 24 });
    expect(g.busbw / g.algbw).toBeCloseTo(7 / 8, 12);
    // busbw of a large ring allReduce = bandwidth / (1 + γ/(2β)) + latency terms: the additions
    // (γ, from the device's memory bandwidth) are on the critical path in this model.
    const link = dist.LINK_PRESETS.NVLink,
      gamma = dist.reduceSecondsPerByte(c.devices[0].spec, 4);
    const big = dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 30 });
    expect(big.busbw / (link.bandwidth / (1 + (gamma * link.bandwidth) / 2))).toBeGreaterThan(0.99);
  });
});

describe("contention and topology", () => {
  it("transfers sharing a link split its bandwidth (switch uplinks)", () => {
    // Two nodes, 4 devices each, one shared 'fat-tree' spine with oversubscription 4: the spine link
    // carries all 4 rails at once, so the inter-node phase is ~4× slower than on a full switch.
    const full = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    const thin = dist.cluster({ nodes: 2, devicesPerNode: 4, interTopology: "fat-tree", interWiring: { leafSize: 4, oversubscription: 4 } });
    const a = dist.simulate("allGather", { devices: full.devices, bytes: 2 ** 26, algorithm: "hierarchical" });
    const b = dist.simulate("allGather", { devices: thin.devices, bytes: 2 ** 26, algorithm: "hierarchical" });
    expect(b.time).toBeGreaterThan(a.time * 2);
    // A ring on a ring topology has no contention; a ring over a 2×4 mesh in the wrong order does.
    const ring = dist.cluster({ devicesPerNode: 8, topology: "ring" });
    const r1 = dist.simulate("allReduce", { devices: ring.devices, bytes: 2 ** 24 });
    const order = [0, 2, 4, 6, 1, 3, 5, 7].map((i) => ring.devices[i]);
    const r2 = dist.simulate("allReduce", { devices: order, bytes: 2 ** 24 });
    expect(r2.time).toBeGreaterThan(r1.time * 1.5);
  });
  it("fair sharing: two equal flows over one link each get half", () => {
    const c = dist.cluster({ devicesPerNode: 3, topology: "switch", intra: { name: "L", bandwidth: 1e9, latency: 0 } });
    // allToAll direct with 3 ranks, multi-port: every uplink carries two flows at once.
    const r = dist.simulate("allToAll", { devices: c.devices, bytes: 3e6, algorithm: "direct", ports: "multi" });
    // each message 1 MB, two messages share each uplink of 1 GB/s → 2 ms
    expect(r.time).toBeCloseTo(2e-3, 9);
  });
  it("routes: ring, mesh, torus, switch, fat-tree, multi-node", () => {
    expect(dist.cluster({ devicesPerNode: 6, topology: "ring" }).route(0, 3).links.length).toBe(3);
    expect(dist.cluster({ devicesPerNode: 9, topology: "mesh2d" }).route(0, 8).links.length).toBe(4);
    expect(dist.cluster({ devicesPerNode: 9, topology: "torus2d" }).route(0, 8).links.length).toBe(2);
    expect(dist.cluster({ devicesPerNode: 8, topology: "switch" }).route(0, 5).name).toBe("d0→sw→d5");
    expect(dist.cluster({ devicesPerNode: 8, topology: "fat-tree" }).route(0, 5).links.length).toBe(4);
    const mn = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    expect(mn.route(0, 1).name).toBe("d0→d1");
    expect(mn.route(0, 5).name).toBe("d0→sw→d5");
    expect(mn.route(0, 5).latency).toBeCloseTo(dist.LINK_PRESETS.InfiniBand.latency, 15);
  });
  it("a 1024-device ring allReduce of 1 MiB simulates every transfer (its wall time is printed for the notes)", () => {
    const c = dist.cluster({ nodes: 128, devicesPerNode: 8 });
    const t = performance.now();
    const r = dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 20, algorithm: "ring" });
    const ms = performance.now() - t;
    // Target ≤ 1 s; a timing is a figure for the notes, not an assertion (the machine may be busy).
    console.log(`ring allReduce, 1 MiB, 1024 devices: ${r.timeline.length} transfers, simulated ${(r.time * 1e3).toFixed(3)} ms, wall ${ms.toFixed(0)} ms`);
    expect(r.timeline.length).toBe(2 * 1023 * 1024);
  });
});

describe("bad input is a clear error", () => {
  it("mismatched shapes, wrong device counts, wrong devices, memory", () => {
    const c = dist.cluster({ devicesPerNode: 3 });
    const xs = [dist.place(tensor([1, 2]), c.devices[0]), dist.place(tensor([1, 2, 3]), c.devices[1])];
    expect(() => dist.allReduce(xs)).toThrow(/shard 0 on d0 is \[2\], shard 1 on d1 is \[3\]/);
    const ys = c.devices.map((d) => dist.place(tensor([1, 2, 3]), d));
    expect(() => dist.allReduce(ys, { algorithm: "recursive-doubling" })).toThrow(/power-of-two device count, got 3/);
    expect(() => dist.allReduce([ys[0], ys[0]])).toThrow(/appears twice/);
    expect(() => dist.allReduce(ys, { algorithm: "tree-of-life" as never })).toThrow(/has no "tree-of-life" algorithm/);
    expect(() => dist.reduceScatter(ys.slice(0, 2))).toThrow(/divisible by 2/);
    expect(() => dist.onDevice(ys[0], c.devices[1], "matmul")).toThrow(/on device d0 but this op runs on d1/);
    expect(() => dist.allReduce(ys, { algorithm: "hierarchical" })).not.toThrow();
    const mn = dist.cluster({ nodes: 2, devicesPerNode: 2 });
    const zs = [0, 2, 1, 3].map((i) => dist.place(tensor([1]), mn.devices[i]));
    expect(() => dist.allReduce(zs, { algorithm: "hierarchical" })).toThrow(/ordered node by node/);
    const toy = dist.cluster({ devicesPerNode: 1, device: "toy" });
    expect(() => toy.devices[0].allocate(2 ** 27, "activations", "x")).toThrow(
      /device d0 \(toy, 64.00 MiB\) is out of memory: allocating 128.00 MiB of activations for x/,
    );
  });
});
