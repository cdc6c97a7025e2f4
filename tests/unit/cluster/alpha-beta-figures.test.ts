/**
 * The figures example 31 (the α–β model) prints, against Hockney's closed forms: for each link the
 * half-bandwidth size n½ = α·B, and at 1 KiB, 1 MiB and 1 GiB the achieved bandwidth
 * n / (α + n/B) as a share of B, with the regime (latency-bound below n½, bandwidth-bound above).
 * α and B are the cluster presets' own link figures, read from the library.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { dist, setDefaultBackend } from "webgrad";

afterAll(() => setDefaultBackend("cpu"));

describe("example 31 prints the α–β model's figures", () => {
  it("n½ = α·B per link, and n / (α + n/B) at three sizes", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      const id = "31-communication-alpha-beta"; // a fresh module instance: the query makes a new module id
      await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?figures`);
    } finally {
      log.mockRestore();
    }
    const specs = {
      NVLink: dist.cluster({ devicesPerNode: 2, intra: "NVLink" }).intra,
      PCIe: dist.cluster({ devicesPerNode: 2, intra: "PCIe" }).intra,
      InfiniBand: dist.cluster({ nodes: 2, devicesPerNode: 1, inter: "InfiniBand" }).inter,
    };
    for (const [link, { latency: alpha, bandwidth: B }] of Object.entries(specs)) {
      const at = lines.findIndex((l) => l.startsWith(`${link}: `));
      expect(at, link).toBeGreaterThanOrEqual(0);
      const head = lines[at]!;
      expect(head).toContain(`α = ${(alpha * 1e6).toFixed(1)} µs, B = ${(B / 1e9).toFixed(1)} GB/s`);
      expect(head).toContain(`β = 1/B = ${((1e12 * 1024) / B).toFixed(0)} ps per KiB`);
      expect(head).toContain(`n½ = α·B = ${((alpha * B) / 1024).toFixed(0)} KiB`);
      [10, 20, 30].forEach((k, i) => {
        const n = 2 ** k;
        const achieved = n / (alpha + n / B);
        const row = lines[at + 1 + i]!;
        expect(row, `${link} 2^${k}`).toContain(`${(achieved / 1e9).toFixed(2)} GB/s achieved (${((100 * achieved) / B).toFixed(1)} % of B)`);
        expect(row).toContain(n < alpha * B ? "latency-bound" : "bandwidth-bound");
      });
    }
  });
});
