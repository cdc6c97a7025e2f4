/** Entry of the headless-Chromium GPU test page: exposes `runGpuSuite` for Playwright to call. */
import { initWebGPU, webgpuBackend } from "../../src/lib/backend/webgpu/init";
import { runSuite, type SuitePart, type SuiteReport } from "./suite";
import type { KernelGeometry } from "../../src/lib/backend/webgpu/webgpu";

declare global {
  interface Window {
    /**
     * Run the CPU ≡ WebGPU suite in this page (or say why WebGPU is unavailable); `geometry` forces
     * a kernel geometry for the whole run (default "auto": the adapter's, plus the geometry pass);
     * `parts` runs only those parts of the suite (default: all).
     */
    runGpuSuite(only?: string[], geometry?: KernelGeometry, parts?: SuitePart[]): Promise<SuiteReport | { error: string }>;
  }
}

window.runGpuSuite = async (only, geometry = "auto", parts) => {
  const init = await initWebGPU({ makeDefault: false, geometry });
  if (!init.ok) return { error: init.reason };
  console.log(`[gpu:chromium] ${init.reason}${geometry === "auto" ? "" : ` · kernel geometry forced: ${geometry}`}`);
  return runSuite(webgpuBackend()!, only, (l) => console.log(l), { concurrent: true, geometryPass: geometry === "auto", parts });
};
