/**
 * Preset tables: accelerators (peak FLOP/s by dtype, memory bandwidth and capacity) and links
 * (bandwidth and latency α). Numbers are the vendors' dense peak figures, rounded; they are
 * teaching defaults, not benchmarks.
 * @module
 */

/**
 * Element types the cost model knows (simulated mixed precision uses float16/bfloat16).
 * @example dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 20, dtype: "bfloat16" })
 */
export type SimDType = "float64" | "float32" | "tf32" | "bfloat16" | "float16" | "int8" | "int32" | "bool";

/**
 * What a simulated accelerator can do.
 * @example dist.cluster({ device: { name: "mine", peakFlops: { float32: 50e12 }, memoryBandwidth: 1e12, memoryCapacity: 16 * 2 ** 30 } })
 */
export interface DeviceSpec {
  /** Shown in panels. */
  name: string;
  /** Peak FLOP/s per dtype (dense). Missing dtypes fall back to float32. */
  peakFlops: Partial<Record<SimDType, number>> & { float32: number };
  /** Memory bandwidth in bytes/s (the roofline's slope). */
  memoryBandwidth: number;
  /** Memory capacity in bytes (allocations past it fail). */
  memoryCapacity: number;
}

/**
 * Bandwidth and latency of one link kind.
 * @example dist.cluster({ intra: { name: "slow", bandwidth: 10e9, latency: 10e-6 } })
 */
export interface LinkSpec {
  name: string;
  /** Bytes/s in each direction (links are full duplex). */
  bandwidth: number;
  /** Latency α in seconds: the fixed cost of one message, device to device. */
  latency: number;
}

const T = 1e12,
  GB = 1e9,
  GiB = 2 ** 30;

/**
 * Device presets: A100-like (SXM 80 GB) and H100-like (SXM), plus a small "toy" device whose
 * memory fills up quickly (for lessons on the memory wall).
 * @example dist.DEVICE_PRESETS.H100.peakFlops.bfloat16   // 989e12
 */
export const DEVICE_PRESETS = {
  A100: {
    name: "A100",
    peakFlops: { float64: 19.5 * T, float32: 19.5 * T, tf32: 156 * T, bfloat16: 312 * T, float16: 312 * T, int8: 624 * T },
    memoryBandwidth: 2039 * GB,
    memoryCapacity: 80 * GiB,
  },
  H100: {
    name: "H100",
    peakFlops: { float64: 67 * T, float32: 67 * T, tf32: 495 * T, bfloat16: 989 * T, float16: 989 * T, int8: 1979 * T },
    memoryBandwidth: 3350 * GB,
    memoryCapacity: 80 * GiB,
  },
  toy: {
    name: "toy",
    peakFlops: { float32: 1 * T, float16: 4 * T, bfloat16: 4 * T },
    memoryBandwidth: 100 * GB,
    memoryCapacity: 64 * 2 ** 20,
  },
} satisfies Record<string, DeviceSpec>;

/**
 * Link presets: per-direction bandwidth and latency α. NVLink as on A100 (NVLink 3, 300 GB/s per
 * direction through NVSwitch), PCIe 4.0 x16, InfiniBand HDR (200 Gb/s) and NDR (400 Gb/s), RoCE
 * 100 GbE, and Ethernet 10 GbE.
 * @example dist.LINK_PRESETS.InfiniBand.latency   // 5e-6 s
 */
export const LINK_PRESETS = {
  NVLink: { name: "NVLink", bandwidth: 300 * GB, latency: 2e-6 },
  NVLink4: { name: "NVLink4", bandwidth: 450 * GB, latency: 2e-6 },
  PCIe: { name: "PCIe", bandwidth: 32 * GB, latency: 5e-6 },
  InfiniBand: { name: "InfiniBand", bandwidth: 25 * GB, latency: 5e-6 },
  InfiniBandNDR: { name: "InfiniBandNDR", bandwidth: 50 * GB, latency: 5e-6 },
  RoCE: { name: "RoCE", bandwidth: 12.5 * GB, latency: 8e-6 },
  Ethernet: { name: "Ethernet", bandwidth: 1.25 * GB, latency: 30e-6 },
} satisfies Record<string, LinkSpec>;

/**
 * Names of the device presets.
 * @example dist.cluster({ device: "H100" })
 */
export type DevicePresetName = keyof typeof DEVICE_PRESETS;
/**
 * Names of the link presets.
 * @example dist.cluster({ intra: "PCIe", inter: "RoCE" })
 */
export type LinkPresetName = keyof typeof LINK_PRESETS;

/** A preset name or a custom spec → a spec. */
export function deviceSpec(d: DevicePresetName | DeviceSpec): DeviceSpec {
  if (typeof d !== "string") return d;
  const s = (DEVICE_PRESETS as Record<string, DeviceSpec>)[d];
  if (!s) throw new RangeError(`dist.cluster: unknown device preset "${d}" (known: ${Object.keys(DEVICE_PRESETS).join(", ")}; or pass a DeviceSpec)`);
  return s;
}

/** A preset name or a custom spec → a spec. */
export function linkSpec(l: LinkPresetName | LinkSpec): LinkSpec {
  if (typeof l !== "string") {
    // A link that moves no bytes (or takes forever to start) would stall the clock.
    if (!(l.bandwidth > 0 && l.bandwidth < Infinity))
      throw new RangeError(`dist.cluster: link "${l.name}" needs a positive, finite bandwidth (bytes/s), got ${l.bandwidth}`);
    if (!(l.latency >= 0 && l.latency < Infinity))
      throw new RangeError(`dist.cluster: link "${l.name}" needs a latency ≥ 0 and finite (seconds), got ${l.latency}`);
    return l;
  }
  const s = (LINK_PRESETS as Record<string, LinkSpec>)[l];
  if (!s) throw new RangeError(`dist.cluster: unknown link preset "${l}" (known: ${Object.keys(LINK_PRESETS).join(", ")}; or pass a LinkSpec)`);
  return s;
}

/**
 * Bytes per element of each simulated dtype.
 * @example dist.SIM_ITEM_SIZE.bfloat16   // 2
 */
export const SIM_ITEM_SIZE: Record<SimDType, number> = { float64: 8, float32: 4, tf32: 4, bfloat16: 2, float16: 2, int8: 1, int32: 4, bool: 1 };
