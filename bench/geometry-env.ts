/** The kernel geometry the Node benches run (docs/WEBGPU_TUNING.md), from WEBGRAD_GPU_GEOMETRY. */
import { parseKernelGeometry, type KernelGeometry } from "../src/lib/backend/webgpu/webgpu";

/** WEBGRAD_GPU_GEOMETRY=gpu forces the real-GPU kernel geometry on SwiftShader (cpu: the CPU-adapter one); unset: the adapter's. */
export function geometryFromEnv(): KernelGeometry {
  const g = parseKernelGeometry(process.env.WEBGRAD_GPU_GEOMETRY, "WEBGRAD_GPU_GEOMETRY");
  if (g !== "auto") console.log(`[bench] kernel geometry forced: ${g}`);
  return g;
}
