import { describe, expect, it } from "vitest";
import { data } from "webgrad";
import { decodeMnist } from "../../../src/lib/data/mnist";

describe("data.mnist (the bundled subset)", () => {
  it("loads 6 000 training and 1 000 test digits, 28×28 in [0, 1], every class balanced", async () => {
    const { train, test, rows, cols } = await data.mnist();
    expect([rows, cols]).toEqual([28, 28]);
    expect(train.x.shape).toEqual([6000, 784]);
    expect(train.y.shape).toEqual([6000]);
    expect(train.y.dtype).toBe("int32");
    expect(test.x.shape).toEqual([1000, 784]);
    const px = await test.x.data();
    let lo = Infinity,
      hi = -Infinity,
      ink = 0;
    for (const v of px) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      if (v > 0.5) ink++;
    }
    expect([lo, hi]).toEqual([0, 1]);
    // Digits are mostly background: 10–25 % of pixels are ink.
    expect(ink / px.length).toBeGreaterThan(0.08);
    expect(ink / px.length).toBeLessThan(0.3);
    const counts = (ys: ArrayLike<number>) => Array.from({ length: 10 }, (_, d) => Array.prototype.filter.call(ys, (y: number) => y === d).length);
    expect(counts(await train.y.data())).toEqual(Array(10).fill(600));
    expect(counts(await test.y.data())).toEqual(Array(10).fill(100));
    // Shuffled once: the first 100 training digits have (nearly) every class.
    expect(new Set(await train.y.narrow(0, 0, 100).data()).size).toBeGreaterThanOrEqual(9);
  });

  it("takes prefixes and the image layout for CNNs", async () => {
    const all = await data.mnist();
    const some = await data.mnist({ train: 50, test: 20, shape: "image" });
    expect(some.train.x.shape).toEqual([50, 1, 28, 28]);
    expect(some.test.y.shape).toEqual([20]);
    expect(await some.train.x.reshape([50, 784]).data()).toEqual(await all.train.x.narrow(0, 0, 50).data());
    expect(await some.test.y.data()).toEqual(await all.test.y.narrow(0, 0, 20).data());
  });

  it("says what is wrong with bad options and bad data", async () => {
    await expect(data.mnist({ train: 0 })).rejects.toThrow(/data\.mnist: train must be an integer in 1 … 6000, got 0/);
    await expect(data.mnist({ test: 1001 })).rejects.toThrow(/test must be an integer in 1 … 1000/);
    await expect(data.mnist({ shape: "nchw" as "image" })).rejects.toThrow(/shape must be "flat" or "image"/);
    expect(() => decodeMnist(new Uint8Array(40))).toThrow(/not a version-1 MNIST asset/);
    const bytes = new Uint8Array(21 + 10);
    bytes.set([0x57, 0x47, 0x4d, 0x4e, 1]);
    new DataView(bytes.buffer).setUint32(5, 1, true);
    expect(() => decodeMnist(bytes)).toThrow(/truncated/);
  });

  it("names the missing host setup when no asset URL was given", async () => {
    const { loadAsset } = await import("../../../src/lib/data/assets");
    await expect(loadAsset("nothing", "data.nothing")).rejects.toThrow(/data\.nothing: the bundled "nothing" data is not available here/);
  });
});
