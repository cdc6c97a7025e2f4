/**
 * Device acquisition: an adapter, a device with the optional features webgrad uses (subgroups,
 * timestamp-query, shader-f16) and the adapter's limits raised to what it allows, so large tensors
 * fit. Loss is watched: `lost` resolves with the reason.
 */

/** A device and what is known about it. */
export interface DeviceHandle {
  device: GPUDevice;
  adapter: { vendor: string; architecture: string; description: string };
  features: { subgroups: boolean; timestampQuery: boolean; shaderF16: boolean };
  /** A software adapter (SwiftShader, or one the browser marks as a fallback): kernels tune for a CPU. */
  cpuAdapter: boolean;
  /**
   * The GPU object the device came from, kept alive on purpose: in Node (the `webgpu` package) a
   * collected GPU instance tears down Dawn's threads under a live device, which crashes.
   */
  gpu: GPU;
  /** Resolves when the device is lost (destroyed or by the browser/driver), with the reason. */
  lost: Promise<string>;
}

const OPTIONAL_FEATURES: GPUFeatureName[] = ["subgroups" as GPUFeatureName, "timestamp-query", "shader-f16"];

/** Ask `gpu` (navigator.gpu, or the Node `webgpu` package's) for a device; throws with the reason. */
export async function acquireDevice(gpu: GPU | undefined): Promise<DeviceHandle> {
  if (!gpu) throw new Error("this environment has no navigator.gpu");
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("navigator.gpu.requestAdapter() returned no adapter");
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  });
  const info = adapter.info;
  return {
    gpu,
    device,
    adapter: { vendor: info?.vendor || "unknown vendor", architecture: info?.architecture || "unknown architecture", description: info?.description ?? "" },
    features: {
      subgroups: device.features.has("subgroups"),
      timestampQuery: device.features.has("timestamp-query"),
      shaderF16: device.features.has("shader-f16"),
    },
    cpuAdapter:
      /swiftshader|llvmpipe|lavapipe|warp/i.test(`${info?.vendor} ${info?.architecture} ${info?.description}`) ||
      (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true,
    lost: device.lost.then((i) => `${i.reason === "destroyed" ? "destroyed" : "lost"}${i.message ? `: ${i.message}` : ""}`),
  };
}
