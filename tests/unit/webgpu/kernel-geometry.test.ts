import { describe, expect, it } from "vitest";
import { parseKernelGeometry } from "../../../src/lib/backend/webgpu/webgpu";

describe("parseKernelGeometry (WEBGRAD_GPU_GEOMETRY, the bench's ?geometry=)", () => {
  it("reads unset and empty as the adapter's own geometry", () => {
    expect(parseKernelGeometry(undefined)).toBe("auto");
    expect(parseKernelGeometry(null)).toBe("auto");
    expect(parseKernelGeometry("")).toBe("auto");
  });
  it("takes auto, gpu and cpu", () => {
    for (const g of ["auto", "gpu", "cpu"] as const) expect(parseKernelGeometry(g)).toBe(g);
  });
  it("rejects anything else, naming the setting", () => {
    expect(() => parseKernelGeometry("GPU", "WEBGRAD_GPU_GEOMETRY")).toThrow(/WEBGRAD_GPU_GEOMETRY is "GPU": use gpu, cpu or auto/);
  });
});
