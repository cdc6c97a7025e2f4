/** Entry of the headless-Chromium GPU test page: exposes `runGpuSuite` for Playwright to call. */
import { initWebGPU, webgpuBackend } from "../../src/lib/backend/webgpu/init";
import { runSuite, type SuiteReport } from "./suite";

declare global {
  interface Window {
    /** Run the CPU ≡ WebGPU suite in this page (or say why WebGPU is unavailable). */
    runGpuSuite(only?: string[]): Promise<SuiteReport | { error: string }>;
  }
}

window.runGpuSuite = async (only) => {
  const init = await initWebGPU({ makeDefault: false });
  if (!init.ok) return { error: init.reason };
  console.log(`[gpu:chromium] ${init.reason}`);
  return runSuite(webgpuBackend()!, only, (l) => console.log(l), { concurrent: true });
};
