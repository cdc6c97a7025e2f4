import { describe, expect, it } from "vitest";
import { data } from "webgrad";

const sets = {
  xor: (s: number) => data.xor({ n: 64, noise: 0.1, seed: s }),
  circles: (s: number) => data.circles({ n: 64, noise: 0.1, seed: s }),
  moons: (s: number) => data.moons({ n: 64, noise: 0.1, seed: s }),
  spirals: (s: number) => data.spirals({ n: 64, classes: 4, seed: s }),
  sine: (s: number) => data.sine({ n: 64, noise: 0.1, seed: s }),
};

describe("datasets", () => {
  for (const [name, make] of Object.entries(sets)) {
    it(`${name}: seeded, deterministic, well-shaped`, () => {
      const a = make(7),
        b = make(7),
        c = make(8);
      expect(a.x.tolistSync()).toEqual(b.x.tolistSync());
      expect(a.y.tolistSync()).toEqual(b.y.tolistSync());
      expect(a.x.tolistSync()).not.toEqual(c.x.tolistSync());
      expect(a.x.shape).toEqual([64, name === "sine" ? 1 : 2]);
      expect(a.x.dtype).toBe("float32");
      if (name === "sine") {
        expect(a.y.shape).toEqual([64, 1]);
        expect(a.y.dtype).toBe("float32");
      } else {
        expect(a.y.shape).toEqual([64]);
        expect(a.y.dtype).toBe("int32");
      }
    });
  }
  it("labels and geometry", () => {
    const sp = data.spirals({ n: 90, classes: 3 });
    expect(Array.from(sp.y.dataSync()).filter((v) => v === 2).length).toBe(30);
    const ci = data.circles({ n: 100, factor: 0.3 });
    const r = ci.x.square().sum(1).sqrt().dataSync(),
      y = ci.y.dataSync();
    for (let i = 0; i < 100; i++) expect(r[i]).toBeCloseTo(y[i] === 1 ? 0.3 : 1, 5);
    const xo = data.xor({ n: 100 });
    const xs = xo.x.dataSync(),
      ys = xo.y.dataSync();
    for (let i = 0; i < 100; i++) expect(ys[i]).toBe(xs[2 * i] * xs[2 * i + 1] < 0 ? 1 : 0);
    const sn = data.sine({ n: 50 });
    const sx = sn.x.dataSync(),
      sy = sn.y.dataSync();
    for (let i = 0; i < 50; i++) expect(sy[i]).toBeCloseTo(Math.sin(sx[i]), 6);
    expect(data.moons({ n: 10 }).y.tolistSync()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });
});

describe("batches", () => {
  const ds = { x: data.sine({ n: 10 }).x, y: data.sine({ n: 10 }).y };
  it("in order, with the last batch smaller unless dropLast", () => {
    const sizes = [...data.batches(ds, 4)].map((b) => b.x.shape[0]);
    expect(sizes).toEqual([4, 4, 2]);
    expect([...data.batches(ds, 4, { dropLast: true })].map((b) => b.y.shape[0])).toEqual([4, 4]);
    expect(data.batches(ds, 4).length).toBe(3);
    const first = [...data.batches(ds, 3)][0];
    expect(first.x.tolistSync()).toEqual(ds.x.narrow(0, 0, 3).tolistSync());
  });
  it("shuffled: a permutation each epoch, seeded, x and y kept together", () => {
    const loader = data.batches(ds, 3, { shuffle: true, seed: 5 });
    const epoch = () =>
      [...loader].flatMap((b) => {
        const xs = b.x.dataSync(),
          ys = b.y.dataSync();
        xs.forEach((v, i) => expect(ys[i]).toBeCloseTo(Math.sin(v), 6));
        return Array.from(xs);
      });
    const e1 = epoch(),
      e2 = epoch();
    const sorted = Array.from(ds.x.dataSync()).sort();
    expect([...e1].sort()).toEqual(sorted);
    expect([...e2].sort()).toEqual(sorted);
    expect(e1).not.toEqual(e2);
    const again = data.batches(ds, 3, { shuffle: true, seed: 5 });
    expect([...again].flatMap((b) => Array.from(b.x.dataSync()))).toEqual(e1);
  });
  it("rejects mismatched first dimensions", () => {
    expect(() => data.batches({ x: ds.x, y: ds.y.narrow(0, 0, 5) }, 2)).toThrow(/same first dimension/);
  });
});
