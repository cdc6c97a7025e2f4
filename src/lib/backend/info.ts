/** What the playground's status bar shows: the backend in use and, for WebGPU, the adapter. */
import { getDefaultBackend } from "./registry";
import type { MemoryStats } from "./backend";
import type { WebGpuBackend } from "./webgpu/webgpu";
import { webgpuUnavailableReason } from "./webgpu/init";

/** The backend in use, in words. */
export interface BackendInfo {
  /** "cpu" or "webgpu". */
  name: string;
  /** e.g. "CPU — WebGPU unavailable: this browser has no navigator.gpu". */
  detail: string;
  /** The WebGPU adapter, when one was found (vendor, architecture, description). */
  adapter?: { vendor: string; architecture: string; description: string };
}

/** Probe for a WebGPU adapter: its info, or why there is none. */
async function probeWebGPU(): Promise<{ adapter?: BackendInfo["adapter"]; reason?: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) return { reason: "this environment has no navigator.gpu" };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { reason: "navigator.gpu.requestAdapter() returned no adapter" };
    const i = adapter.info;
    return { adapter: { vendor: i?.vendor || "unknown vendor", architecture: i?.architecture || "unknown architecture", description: i?.description ?? "" } };
  } catch (e) {
    return { reason: `requestAdapter failed: ${(e as Error).message}` };
  }
}

/** The backend new tensors go to, described for people (async: it probes WebGPU). */
export async function backendInfo(): Promise<BackendInfo> {
  const b = getDefaultBackend();
  if (b.name === "webgpu") return { name: b.name, detail: b.detail, adapter: (b as WebGpuBackend).handle.adapter };
  if (b.name !== "cpu") return { name: b.name, detail: b.detail };
  const failed = webgpuUnavailableReason();
  if (failed !== null) return { name: "cpu", detail: `CPU — WebGPU unavailable: ${failed}` };
  const probe = await probeWebGPU();
  if (probe.adapter) {
    const a = probe.adapter;
    return { name: "cpu", detail: `CPU — WebGPU adapter found (${a.vendor} ${a.architecture}); call initWebGPU() to use it`, adapter: a };
  }
  return { name: "cpu", detail: `CPU — WebGPU unavailable: ${probe.reason}` };
}

/** Memory held by tensors on the default backend (bytes live, and pooled for reuse). */
export function memoryStats(): MemoryStats {
  return getDefaultBackend().memory();
}
