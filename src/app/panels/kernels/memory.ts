/**
 * Figures of the Kernels panel's GPU memory series: what the chart's last point and its peak say,
 * in words, so a run with a single submit (one point, no line) still reads at a glance.
 * @module
 */
import type { MemorySeries } from "../../state/kernels.svelte";

/** Bytes in use and pooled after the last submit, and the most in use after any. */
export interface MemoryFigures {
  submits: number;
  live: number;
  pooled: number;
  peakLive: number;
}

/** The figures of `m`, or null before the first submit. */
export function memoryFigures(m: MemorySeries): MemoryFigures | null {
  const n = m.submit.length;
  if (n === 0) return null;
  let peakLive = 0;
  for (const b of m.liveBytes) if (b > peakLive) peakLive = b;
  return { submits: n, live: m.liveBytes[n - 1], pooled: m.pooledBytes[n - 1], peakLive };
}
