/**
 * The operator-sharding search (lesson 52): the dynamic program picks what brute force picks on
 * random chains, the ring costs are Thakur et al.'s closed forms, the textbook answers come out
 * (Megatron's column → row for a wide MLP on few tokens, data parallelism for many tokens), and the
 * chosen layout runs on real sharded tensors with the collectives the cost model priced.
 */
import { describe, expect, it } from "vitest";
import { dist, randn } from "webgrad";
import { mulberry32 } from "../../shared/fuzz/prng";

const A100_NVLINK: dist.ShardingCostModel = { devices: 4, peakFlops: 312e12, bandwidth: 300e9, latency: 2e-6 };
const mlp = (tokens: number, d: number, h: number): dist.MatmulOp[] => [
  { name: "fc1", rows: tokens, inner: d, cols: h },
  { name: "fc2", rows: tokens, inner: h, cols: d },
];

describe("dist.searchShardings", () => {
  it("agrees with brute force on 200 random chains, cost models and ends", () => {
    const rand = mulberry32(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const layouts: dist.ActivationLayout[] = ["rows", "cols", "replicated"];
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 4);
      const widths = Array.from({ length: n + 1 }, () => pick([2, 3, 4, 8, 64, 1024, 4096, 12288]));
      const rows = pick([4, 6, 512, 8192, 65536]);
      const ops = widths.slice(0, n).map((w, i) => ({ name: `op${i}`, rows, inner: w, cols: widths[i + 1] }));
      const m: dist.ShardingCostModel = {
        devices: pick([1, 2, 4, 8]),
        peakFlops: pick([1e12, 312e12]),
        bandwidth: pick([25e9, 300e9]),
        latency: pick([0, 2e-6, 1e-4]),
        training: rand() < 0.7,
      };
      const ends = { input: pick(layouts), output: pick(layouts) };
      let brute: dist.ShardingPlan[];
      try {
        brute = dist.enumerateShardings(ops, m, ends);
      } catch {
        continue;
      }
      if (brute.length === 0) {
        expect(() => dist.searchShardings(ops, m, ends)).toThrow();
        continue;
      }
      const s = dist.searchShardings(ops, m, ends);
      expect(s.best.cost).toBeCloseTo(brute[0].cost, 12);
      expect(s.evaluated).toBeLessThanOrEqual(4 + 16 * (n - 1));
      // The table's cheapest entry for the last op is the best cost before the final redistribution.
      expect(Math.min(...Object.values(s.table[n - 1].cost))).toBeLessThanOrEqual(s.best.cost + 1e-15);
    }
  });

  it("prices redistributions with the ring forms: (D − 1)(α + V/(Dβ)), allReduce twice, allToAll V/D", () => {
    const m = { ...A100_NVLINK, itemBytes: 2 };
    const n = 8192 * 4096,
      V = 2 * n,
      D = 4,
      ring = (D - 1) * (2e-6 + V / (D * 300e9));
    expect(dist.redistributionCost("partial", "replicated", n, m)).toMatchObject({ collective: "allReduce", seconds: 2 * ring });
    expect(dist.redistributionCost("partial", "rows", n, m)).toMatchObject({ collective: "reduceScatter", seconds: ring });
    expect(dist.redistributionCost("cols", "replicated", n, m)).toMatchObject({ collective: "allGather", seconds: ring });
    expect(dist.redistributionCost("rows", "cols", n, m).seconds).toBeCloseTo((D - 1) * (2e-6 + V / (D * D * 300e9)), 15);
    expect(dist.redistributionCost("replicated", "cols", n, m)).toMatchObject({ collective: "slice", seconds: 0 });
    expect(() => dist.redistributionCost("rows", "partial", n, m)).toThrow(/partial/);
  });

  it("picks Megatron's column → row for a GPT-3-wide MLP on 2 048 tokens, data parallelism on 131 072", () => {
    const few = dist.searchShardings(mlp(2048, 12288, 4 * 12288), A100_NVLINK, { input: "replicated", output: "replicated" });
    expect(few.best.shardings).toEqual(["column", "row"]);
    // Column then row: no redistribution in between, one allReduce of the output forward, one of the input gradient… none here: the input needs no gradient.
    expect(few.best.steps.map((s) => s.forward.collective)).toEqual(["none", "none"]);
    expect(few.best.final.forward.collective).toBe("allReduce");
    const many = dist.searchShardings(mlp(131072, 1024, 4096), A100_NVLINK);
    expect(many.best.shardings).toEqual(["data", "data"]);
    // Data parallelism's only communication: the two weights' gradient allReduces.
    const sync = (w: number) => 2 * 3 * (2e-6 + (2 * w) / (4 * 300e9));
    expect(many.best.communication).toBeCloseTo(2 * sync(1024 * 4096), 12);
  });

  it("runs the chosen layout on real sharded tensors with the collectives it priced, and gets the one-device result", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const mesh = dist.deviceMesh(c.devices, { d: 4 });
    const ops = mlp(16, 8, 32);
    for (const shardings of [
      ["column", "row"],
      ["data", "data"],
      ["row", "column"],
      ["replicated", "data"],
      ["column", "column"],
    ] as dist.OpSharding[][]) {
      const plan = dist.costShardings(ops, shardings, A100_NVLINK);
      const x = randn([16, 8], { seed: 1 }),
        W = [randn([8, 32], { seed: 2 }), randn([32, 8], { seed: 3 })];
      const opName = (r: { steps: dist.RedistributionStep[] }) => r.steps.map((q) => q.op).join("+") || "none";
      const [s0, s1] = shardings.map((s) => dist.shardingSpecs(s, "d"));
      // The batch arrives split by rows; each op's input is redistributed to what its sharding needs.
      const e0 = dist.redistribute(dist.shard(x, mesh, dist.layoutSpec("rows", "d")), s0.input);
      const y0 = dist.shardedMatmul(e0.tensor, dist.shard(W[0], mesh, s0.weight)).tensor;
      const e1 = dist.redistribute(y0, s1.input);
      const h = new dist.ShardedTensor(
        mesh,
        e1.tensor.spec,
        [],
        e1.tensor.shape,
        e1.tensor.locals.map((t) => t.tanh()),
      );
      const y1 = dist.shardedMatmul(h, dist.shard(W[1], mesh, s1.weight)).tensor;
      const out = dist.redistribute(y1, dist.layoutSpec("rows", "d"));
      expect([opName(e0), opName(e1), opName(out)]).toEqual([...plan.steps.map((s) => s.forward.collective), plan.final.forward.collective]);
      const want = x.matmul(W[0]).tanh().matmul(W[1]);
      expect(out.tensor.full().sub(want).abs().max().itemSync()).toBeLessThan(1e-4);
    }
  });

  it("refuses chains that do not chain and shardings that do not divide", () => {
    expect(() =>
      dist.searchShardings(
        [
          { name: "a", rows: 4, inner: 3, cols: 5 },
          { name: "b", rows: 4, inner: 6, cols: 2 },
        ],
        A100_NVLINK,
      ),
    ).toThrow(/takes 6 columns/);
    expect(() => dist.costShardings(mlp(6, 8, 8), ["data", "data"], A100_NVLINK)).toThrow(/cannot be cut "data"/);
  });
});

describe("lesson 52's search: a 4096-wide MLP on 4 A100s over NVLink, batch split by rows", () => {
  const a100: dist.ShardingCostModel = { devices: 4, peakFlops: 312e12, bandwidth: 300e9, latency: 2e-6 };
  const ops = (T: number) => mlp(T, 4096, 16384);
  it("at 4 096 tokens: column → row, 2 × 1.3215 ms of compute + allGather, reduceScatter forward and allGather backward of the activations", () => {
    const s = dist.searchShardings(ops(4096), a100);
    expect(s.best.shardings).toEqual(["column", "row"]);
    expect(s.best.compute).toBeCloseTo((2 * 3 * 2 * 4096 * 4096 * 16384) / 4 / 312e12, 12);
    const ring = 3 * (2e-6 + (4096 * 4096 * 2) / (4 * 300e9));
    expect(s.best.communication).toBeCloseTo(3 * ring, 12);
    expect(s.best.cost * 1e3).toBeCloseTo(2.913, 3);
    expect(dist.enumerateShardings(ops(4096), a100)).toHaveLength(16);
  });
  it("the choice flips to data → data between 16 384 and 65 536 tokens, where the activations outgrow the weights", () => {
    expect([1024, 4096, 16384].map((T) => dist.searchShardings(ops(T), a100).best.shardings.join(" → "))).toEqual(Array(3).fill("column → row"));
    expect([65536, 262144].map((T) => dist.searchShardings(ops(T), a100).best.shardings.join(" → "))).toEqual(Array(2).fill("data → data"));
    // Column → row moves 3 activations of T·4096 values; data → data all-reduces 2 weights of 4096·16384 (twice the ring): equal at T ≈ 4/3·16384.
    const cross = (4 / 3) * 16384;
    const cr = (T: number) => dist.costShardings(ops(T), ["column", "row"], a100).communication;
    const dd = (T: number) => dist.costShardings(ops(T), ["data", "data"], a100).communication;
    expect(cross).toBeGreaterThan(20480);
    expect(cross).toBeLessThan(23552);
    expect(cr(20480)).toBeLessThan(dd(20480));
    expect(cr(23552)).toBeGreaterThan(dd(23552));
  });
});
