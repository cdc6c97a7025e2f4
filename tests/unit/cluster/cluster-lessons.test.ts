/**
 * The figures of the distributed-cluster lessons (examples 35–38) against their closed forms:
 * parameter-server traffic and time beside ring allReduce, stale-gradient training, the
 * communication path's α and β per hop, process groups, and allReduce = reduceScatter + allGather
 * step by step.
 */
import { describe, expect, it } from "vitest";
import { dist, nn, optim, randn, tensor, type Tensor } from "webgrad";

const F32 = 4;

function psSetup(N: number, S: number, n: number) {
  const c = dist.cluster({ devicesPerNode: N + S, topology: "switch" });
  const workers = c.devices.slice(0, N),
    servers = c.devices.slice(N);
  // Integer-valued gradients: sums are exact in float32 in any order.
  const data = workers.map((_, r) => Float32Array.from({ length: n }, (_, i) => ((r * 5 + i * 3) % 13) - 6));
  const grads = data.map((d, r) => dist.place(tensor(d), workers[r]));
  return { c, workers, servers, data, grads };
}

/** Bytes on the link named `name` ("sw→d4"). */
const onLink = (c: dist.Cluster, load: Float64Array, name: string) => load[c.topology.links.findIndex((l) => l.name === name)];

describe("parameter server (example 35)", () => {
  it("pulls the exact sum to every worker, like allReduce", () => {
    for (const [N, S] of [
      [4, 1],
      [6, 2],
      [8, 3],
    ]) {
      const { grads, data, servers } = psSetup(N, S, 24);
      const sum = new Float32Array(24);
      for (const d of data) d.forEach((v, i) => (sum[i] += v));
      const r = dist.parameterServer(grads, { servers });
      expect(r.outputs).toHaveLength(N);
      for (const o of r.outputs) expect(Array.from(o.tensor.dataSync())).toEqual(Array.from(sum));
      expect(r.timeline.length).toBe(2 * N * S); // every worker pushes and pulls one block per server
    }
  });

  it("puts 2·N·n bytes on the server's link (N·n in, N·n out) and 2(N−1)/N·n on a ring allReduce's links", () => {
    const N = 8,
      n = 4096;
    const { c, grads, servers } = psSetup(N, 1, n);
    const ps = dist.parameterServer(grads, { servers });
    const load = dist.linkTraffic(ps);
    const bytes = n * F32;
    const server = servers[0].name;
    expect(onLink(c, load, `sw→${server}`)).toBe(N * bytes);
    expect(onLink(c, load, `${server}→sw`)).toBe(N * bytes);
    expect(onLink(c, load, `sw→${server}`) + onLink(c, load, `${server}→sw`)).toBe(2 * N * bytes);
    // each worker's own link: n up, n down
    expect(onLink(c, load, "d0→sw")).toBe(bytes);
    expect(onLink(c, load, "sw→d0")).toBe(bytes);
    // the hotspot is the server's link
    expect(Math.max(...load)).toBe(N * bytes);
    const ring = dist.allReduce(grads, { algorithm: "ring" });
    const ringLoad = dist.linkTraffic(ring);
    expect(Math.max(...ringLoad)).toBe(((2 * (N - 1)) / N) * bytes);
    expect(onLink(c, ringLoad, `sw→${server}`)).toBe(0);
  });

  it("sharding over S servers divides the hotspot by S", () => {
    const N = 6,
      S = 3,
      n = 6 * 64;
    const { c, grads, servers } = psSetup(N, S, n);
    const load = dist.linkTraffic(dist.parameterServer(grads, { servers }));
    for (const s of servers) expect(onLink(c, load, `sw→${s.name}`)).toBe((N * n * F32) / S);
  });

  it("takes T ≈ 2N(α + n/(S·B)) on a switch, against the ring's 2(N−1)α + 2(N−1)/N · n/B", () => {
    const N = 8,
      n = 1 << 14;
    for (const S of [1, 2, 4]) {
      const { c, grads, servers } = psSetup(N, S, n);
      const { latency: a, bandwidth: B } = c.intra;
      const ps = dist.parameterServer(grads, { servers });
      // Push and pull each take N steps of one block per server link (plus the servers' adds, γ).
      const closed = 2 * N * (a + (n * F32) / S / B);
      expect(ps.time).toBeGreaterThanOrEqual(closed * (1 - 1e-9));
      expect(ps.time / closed).toBeLessThan(1.02);
      expect(ps.pushTime).toBeLessThan(ps.time);
      if (S === 1) {
        const ring = dist.allReduce(grads, { algorithm: "ring" });
        const ringClosed = 2 * (N - 1) * a + ((2 * (N - 1)) / N) * ((n * F32) / B);
        expect(ring.time / ringClosed).toBeGreaterThan(0.99);
        expect(ring.time / ringClosed).toBeLessThan(1.02);
        expect(ps.time).toBeGreaterThan(ring.time);
      }
    }
  });

  it("refuses a server that is also a worker, and more servers than workers", () => {
    const { grads, workers, servers } = psSetup(2, 1, 8);
    expect(() => dist.parameterServer(grads, { servers: workers[0] })).toThrow(/appears twice/);
    expect(() => dist.parameterServer(grads.slice(0, 1), { servers: [servers[0], workers[1]] })).toThrow(/at most one server per worker/);
  });
});

describe("synchronous vs asynchronous parameter-server training (example 36)", () => {
  const make = () => nn.sequential(nn.linear(4, 8, { seed: 1 }), nn.tanh(), nn.linear(8, 1, { seed: 2 }));
  const x = randn([16, 4], { seed: 3 }),
    y = randn([16, 1], { seed: 4 });
  const loss = (o: Tensor, t: Tensor) => nn.mse(o, t);
  const train = (k: number, steps: number, lr: number) => {
    const c = dist.cluster({ devicesPerNode: 5, topology: "switch" });
    const ps = new dist.ParameterServer(make, c.devices.slice(0, 4), { servers: c.devices[4], optimizer: (p) => optim.sgd(p, { lr }), staleness: k });
    const out: { loss: number; version: number; time: number; computeTime: number; commTime: number; model: number }[] = [];
    for (let i = 0; i < steps; i++) {
      const r = ps.step(x, y, loss);
      out.push({ ...r, model: loss(ps.model.forward(x), y).itemSync() });
    }
    return out;
  };

  it("with staleness 0 trains exactly like SGD on one device on the whole batch", () => {
    const ref = make();
    const opt = optim.sgd(ref.parameters(), { lr: 0.2 });
    const run = train(0, 5, 0.2);
    for (let i = 0; i < 5; i++) {
      opt.zeroGrad();
      const l = loss(ref.forward(x), y);
      l.backward();
      opt.step();
      expect(run[i].loss).toBeCloseTo(l.itemSync(), 5);
      expect(run[i].version).toBe(i);
    }
  });

  it("with staleness k applies gradients of the parameters of step t − k, and trains worse as k grows", () => {
    const steps = 30,
      lr = 0.3;
    const runs = [0, 1, 4].map((k) => train(k, steps, lr));
    expect(runs[2].slice(0, 8).map((r) => r.version)).toEqual([0, 0, 0, 0, 0, 1, 2, 3]);
    // The first k steps all compute on the initial parameters: the same loss.
    for (let i = 0; i <= 4; i++) expect(runs[2][i].loss).toBeCloseTo(runs[2][0].loss, 6);
    const final = runs.map((r) => r[steps - 1].model);
    expect(final[0]).toBeLessThan(final[1]);
    expect(final[1]).toBeLessThan(final[2]);
  });

  it("asynchronous steps hide communication behind compute: max(compute, comm) instead of the sum", () => {
    const [sync] = train(0, 1, 0.1),
      [async] = train(2, 1, 0.1);
    expect(sync.time).toBeCloseTo(sync.computeTime + sync.commTime, 15);
    expect(async.time).toBeCloseTo(Math.max(async.computeTime, async.commTime), 15);
    expect(async.time).toBeLessThan(sync.time);
  });
});

describe("the communication path (example 37)", () => {
  it("gives each hop the topology's α and β, and a GPUDirect path takes exactly dist.send's time", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4, intra: "NVLink", inter: "InfiniBand" });
    const ib = dist.LINK_PRESETS.InfiniBand,
      nv = dist.LINK_PRESETS.NVLink,
      pcie = dist.LINK_PRESETS.PCIe;
    const across = dist.commPath(c, 0, 5);
    expect(String(across)).toBe("d0 ─InfiniBand─▶ sw ─InfiniBand─▶ d5");
    // Through a switch each hop carries α/2, so device → switch → device costs the spec's α.
    expect(across.hops.map((h) => [h.latency, h.bandwidth])).toEqual([
      [ib.latency / 2, ib.bandwidth],
      [ib.latency / 2, ib.bandwidth],
    ]);
    expect(across.latency).toBe(ib.latency);
    const n = 1 << 20;
    const x = randn([n / F32], { device: c.devices[0], seed: 1 });
    expect(across.time(n)).toBeCloseTo(dist.send(x, c.devices[5]).time, 15);
    expect(across.time(n)).toBeCloseTo(ib.latency + n / ib.bandwidth, 15);
    const inside = dist.commPath(c, 0, 1);
    expect(inside.hops).toHaveLength(1);
    expect(inside.hops[0]).toMatchObject({ medium: "NVLink", latency: nv.latency, bandwidth: nv.bandwidth });
    expect(inside.time(n)).toBeCloseTo(dist.send(x, c.devices[1]).time, 15);
    // Without GPUDirect RDMA: two store-and-forward copies through host memory over PCIe.
    const staged = dist.commPath(c, 0, 5, { gpuDirect: false });
    expect(String(staged)).toBe("d0 ─PCIe─▶ host0 ─InfiniBand─▶ sw ─InfiniBand─▶ host1 ─PCIe─▶ d5");
    expect(staged.time(n) - across.time(n)).toBeCloseTo(2 * (pcie.latency + n / pcie.bandwidth), 15);
  });
});

describe("process groups (example 37)", () => {
  it("run a collective on a subset of the ranks only, with their backend's algorithm", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    const xs = c.devices.map((d, r) => dist.place(tensor([r, 1]), d));
    const node1 = dist.newGroup(c, [4, 5, 6, 7]);
    const r = node1.allReduce(xs.slice(4));
    expect(r.algorithm).toBe("ring");
    expect(r.devices.map((d) => d.id)).toEqual([4, 5, 6, 7]);
    for (const o of r.outputs) expect(Array.from(o.tensor.dataSync())).toEqual([22, 4]);
    expect(node1.rankOf(c.devices[6])).toBe(2);
    expect(node1.rankOf(c.devices[0])).toBe(-1);
    const mpi = dist.newGroup(c, [0, 4], { backend: "mpi" });
    expect(mpi.allReduce([xs[0], xs[4]]).algorithm).toBe("rabenseifner");
    expect(dist.newGroup(c, [0, 1, 4], { backend: "mpi" }).algorithmFor("allReduce")).toBe("ring");
    expect(() => node1.allReduce(xs.slice(0, 4))).toThrow(/must be on the group's rank 0, device d4/);
  });
});

describe("allReduce = reduceScatter + allGather (example 38)", () => {
  it("is bit-exact on random data, and its time is the sum of the two (within 10⁻⁵ where a fused ring starts gathering blocks that are final early)", () => {
    for (const [nodes, per] of [
      [1, 4],
      [2, 4],
      [1, 7],
    ]) {
      const c = dist.cluster({ nodes, devicesPerNode: per });
      const p = c.devices.length;
      const xs = c.devices.map((d, i) => randn([p * 50], { device: d, seed: i }));
      const ar = dist.allReduce(xs, { algorithm: "ring" });
      const rs = dist.reduceScatter(xs, { algorithm: "ring" });
      const ag = dist.allGather(rs.outputs, { algorithm: "ring" });
      for (let r = 0; r < p; r++) expect(ag.outputs[r].tensor.dataSync()).toEqual(ar.outputs[r].tensor.dataSync());
      if (nodes === 1) expect(ar.time).toBeCloseTo(rs.time + ag.time, 15);
      // Across nodes the ranks finish the reduce-scatter at slightly different times; the fused
      // allReduce sends each final block on at once, the separate allGather waits for its start.
      expect(ar.time).toBeLessThanOrEqual((rs.time + ag.time) * (1 + 1e-12));
      expect(ar.time / (rs.time + ag.time)).toBeGreaterThan(1 - 1e-5);
    }
  });

  it("traces the ring's 2(p − 1) steps: rank r sends block (r − s) mod p, adding in the first p − 1", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const p = 4;
    const xs = c.devices.map((d, r) => dist.place(tensor([10 * r, 10 * r + 1, 10 * r + 2, 10 * r + 3]), d));
    const r = dist.allReduce(xs, { algorithm: "ring", trace: true });
    expect(r.blockCount).toBe(p);
    expect(r.steps).toHaveLength(2 * (p - 1));
    r.steps!.forEach((st, s) => {
      for (const send of st.sends) {
        expect(send.dst).toBe((send.src + 1) % p);
        const block = s < p - 1 ? (((send.src - s - 1) % p) + p) % p : (((send.src - (s - (p - 1))) % p) + p) % p;
        expect(send.block).toBe(block);
        expect(send.reduce).toBe(s < p - 1);
      }
    });
    // After the reduce-scatter half, rank r holds the full sum of block r.
    const afterRS = r.steps![p - 2].buffers;
    for (let rank = 0; rank < p; rank++) expect(afterRS[rank][rank]).toBe(60 + 4 * rank);
    expect(r.steps![2 * p - 3].buffers.every((b) => b.join() === "60,64,68,72")).toBe(true);
    // Untraced runs carry no steps.
    expect(dist.allReduce(xs).steps).toBeUndefined();
  });
});
