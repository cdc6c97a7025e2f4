/**
 * Times each synchronous compute-pipeline build on `target` (a GPUDevice, or GPUDevice.prototype
 * for every device made later) and records it: the pipeline's label (its shader key) and the ms.
 * The pipeline event's compileMs also waits on an error scope; this is the build alone.
 */
export function recordPipelineBuilds(target: Pick<GPUDevice, "createComputePipeline">): [key: string, ms: number][] {
  const builds: [string, number][] = [];
  const create = target.createComputePipeline;
  target.createComputePipeline = function (this: GPUDevice, desc: GPUComputePipelineDescriptor) {
    const t = performance.now();
    try {
      return create.call(this, desc);
    } finally {
      builds.push([desc.label ?? "(unlabelled)", performance.now() - t]);
    }
  };
  return builds;
}
