/**
 * The WGSL of a graph's fused kernels, for the Graph panel: each `fused` node's region is handed
 * to WebGPU's own `fused` kernel with a context that records what it would dispatch instead of
 * running it, so the text is exactly what codegen emits (for contiguous inputs), wherever the
 * graph runs. Nothing here touches a GPU.
 */
import type { OutSpec, StridedView } from "../backend/backend";
import { gpuElement } from "../backend/webgpu/codegen";
import type { KernelContext } from "../backend/webgpu/kernel";
import type { GpuStorage } from "../backend/webgpu/storage";
import { FUSED_KERNELS } from "../backend/webgpu/kernels/fused";
import { getDefaultBackend } from "../backend/registry";
import { contiguousStrides } from "../tensor/shape";
import type { IRGraph, IRNode } from "./ir";
import type { FusedKernels } from "../../schema/events";

/** The device traits kernels specialise on: the WebGPU backend's when it is the default, else none. */
function deviceFeatures(): KernelContext["features"] {
  const b = getDefaultBackend() as unknown as { features?: KernelContext["features"] };
  const none = { subgroups: false, shaderF16: false, cpuAdapter: false, nativeF16: false };
  return b.features ?? none;
}

/** What one fused node dispatches on WebGPU: [key, WGSL] per pipeline. */
export function fusedNodeKernels(n: IRNode, features = deviceFeatures()): { key: string; wgsl: string }[] {
  const shaders: { key: string; wgsl: string }[] = [];
  const fake = (dtype: string, length: number) => ({ dtype, length }) as unknown as GpuStorage;
  const ctx: KernelContext = {
    alloc: (dtype, length) => fake(dtype, length),
    elem: (dtype, op) => gpuElement(dtype, features.nativeF16, op),
    dispatch: (shader) => void shaders.push({ key: shader.key, wgsl: shader.source() }),
    features,
  };
  const inputs: StridedView[] = n.inputs.map((v) => ({
    storage: fake(v.dtype, 0),
    shape: v.shape,
    strides: contiguousStrides(v.shape),
    offset: 0,
    dtype: v.dtype,
  }));
  const out: OutSpec = { shape: n.output.shape, dtype: n.output.dtype };
  FUSED_KERNELS.fused(ctx, inputs, { kind: n.attrs.kind, region: n.regions![0] }, out);
  return shaders;
}

/** The WGSL of every fused node in these graphs (and in their control-flow regions). */
export function fusedKernels(graphs: readonly IRGraph[]): FusedKernels {
  const result: FusedKernels = { byNode: {}, sources: {}, notes: {} };
  const features = deviceFeatures();
  const visit = (g: IRGraph) => {
    for (const n of g.nodes) {
      if (n.op === "fused" && n.regions && !(n.id in result.byNode) && !(n.id in result.notes)) {
        try {
          const shaders = fusedNodeKernels(n, features);
          result.byNode[n.id] = shaders.map((s) => s.key);
          for (const s of shaders) result.sources[s.key] ??= s.wgsl;
        } catch (e) {
          result.notes[n.id] = e instanceof Error ? e.message : String(e);
        }
      } else if (n.regions && n.op !== "fused") n.regions.forEach(visit);
    }
  };
  graphs.forEach(visit);
  return result;
}
