/**
 * Code the Kernels panel quotes in its sentences (the same in every language: placeholders of
 * `kernels.emptyHow`, shown as code).
 * @module
 */
export const SNIPPETS = {
  init: "await initWebGPU();",
  module: '"webgrad"',
  setBackend: 'setDefaultBackend("webgpu")',
  cpu: '"cpu"',
} as const;
