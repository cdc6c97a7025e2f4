/**
 * Turning the WebGPU backend on: `initWebGPU()` finds a device, registers the backend and makes it
 * the default, or leaves the CPU backend in place and says why. Called again after the device was
 * lost, it starts on a fresh device.
 */
import { emit } from "../../events";
import { getDefaultBackend, registerBackend, setDefaultBackend } from "../registry";
import { acquireDevice } from "./device";
import { WebGpuBackend, type KernelGeometry } from "./webgpu";

/** The outcome of `initWebGPU`. */
export interface WebGpuInitResult {
  ok: boolean;
  /** The adapter in words when ok; why WebGPU is not in use otherwise. */
  reason: string;
}

let current: WebGpuBackend | null = null;
let unavailable: string | null = null;

/** Options for `initWebGPU`. */
export interface WebGpuInitOptions {
  /** The GPU to use (the Node `webgpu` package's `create([])`); defaults to navigator.gpu. */
  gpu?: GPU;
  /** Make WebGPU the backend new tensors go to (default true). */
  makeDefault?: boolean;
  /** Compile pipelines synchronously (Dawn in Node, whose async compiles race now and then). */
  syncPipelines?: boolean;
  /** How float16 is held: "native" f16 (needs shader-f16) or "emulated"; default native where the adapter allows. */
  float16?: "native" | "emulated";
  /**
   * Report out-of-range indices found by GPU kernels at the next read-back (default true). Off only
   * for a device that runs no kernel (Dawn's null device, which builds shaders): its flags read back
   * as whatever memory held.
   */
  checkIndices?: boolean;
  /**
   * Kernel geometry (default "auto": what the adapter is). "gpu" forces the real-GPU path (a
   * workgroup per row, subgroup reductions, tiled matmul) on a software adapter such as SwiftShader,
   * to test or measure it there; "cpu" forces the CPU-adapter path. Applies to a running backend too.
   */
  geometry?: KernelGeometry;
}

/** Start the WebGPU backend (once; again only after device loss). Never throws: see `ok` and `reason`. */
export async function initWebGPU(options: WebGpuInitOptions = {}): Promise<WebGpuInitResult> {
  if (current && current.lostReason === null) {
    if (options.makeDefault !== false) setDefaultBackend("webgpu");
    if (options.geometry) current.setGeometry(options.geometry);
    return { ok: true, reason: current.detail };
  }
  try {
    const gpu = options.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    const handle = await acquireDevice(gpu);
    current = new WebGpuBackend(handle, !options.syncPipelines, options.float16, options.checkIndices ?? true, options.geometry);
    unavailable = null;
    registerBackend(current);
    if (options.makeDefault !== false) setDefaultBackend("webgpu");
    emit({ type: "backend", name: "webgpu", detail: current.detail });
    return { ok: true, reason: current.detail };
  } catch (e) {
    unavailable = (e as Error).message;
    if (getDefaultBackend().name === "webgpu") setDefaultBackend("cpu");
    return { ok: false, reason: unavailable };
  }
}

/** The active WebGPU backend, or null when none was started (or it was lost). */
export function webgpuBackend(): WebGpuBackend | null {
  return current && current.lostReason === null ? current : null;
}

/** Why WebGPU is not in use, when `initWebGPU` failed (null otherwise or before any attempt). */
export function webgpuUnavailableReason(): string | null {
  return unavailable;
}
