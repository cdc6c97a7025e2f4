/**
 * Compute pipelines cached by shader key and created asynchronously (createComputePipelineAsync),
 * so compiling a shader never blocks an op: ops only queue work, and the batch that first needs a
 * pipeline waits for it. The WGSL of each key is kept for the Kernels panel.
 */
import { emit, hasListeners } from "../../events";

/** A kernel's shader: a key naming the op and dtypes, and its WGSL (built once per key). */
export interface ShaderSpec {
  /** Unique per distinct WGSL text, e.g. "binary:add:f32". */
  readonly key: string;
  /** Builds the WGSL (called once per key). */
  readonly source: () => string;
}

/** Pipelines by shader key. */
export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private readonly sources = new Map<string, string>();
  constructor(
    private readonly device: GPUDevice,
    /**
     * Compile with createComputePipelineAsync (browsers). Dawn in Node (the `webgpu` package)
     * crashes now and then when its compile threads race, so there it compiles synchronously.
     */
    private readonly asyncCompile = true,
  ) {}

  private async syncCompile(desc: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
    this.device.pushErrorScope("validation");
    const pipeline = this.device.createComputePipeline(desc);
    const err = await this.device.popErrorScope();
    if (err) throw new Error(err.message);
    return pipeline;
  }

  /** The pipeline for `spec`, compiling it on first use. */
  get(spec: ShaderSpec): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(spec.key);
    if (!p) {
      const code = spec.source();
      this.sources.set(spec.key, code);
      const t0 = performance.now();
      const module = this.device.createShaderModule({ code, label: spec.key });
      const desc: GPUComputePipelineDescriptor = { layout: "auto", compute: { module, entryPoint: "main" }, label: spec.key };
      p = (this.asyncCompile ? this.device.createComputePipelineAsync(desc) : this.syncCompile(desc)).then(
        (pipeline) => {
          if (hasListeners()) emit({ type: "kernel", phase: "pipeline", kernel: spec.key, wgsl: code, compileMs: performance.now() - t0 });
          return pipeline;
        },
        async (e: unknown) => {
          const info = await module.getCompilationInfo?.().catch(() => null);
          const msgs = info?.messages.map((m) => `  line ${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`).join("\n") ?? "";
          throw new Error(`WebGPU could not build the "${spec.key}" kernel: ${(e as Error).message}${msgs ? `\n${msgs}` : ""}`);
        },
      );
      this.pipelines.set(spec.key, p);
    }
    return p;
  }

  /** Start compiling kernels ahead of use (warm-up). */
  prepare(specs: readonly ShaderSpec[]): Promise<unknown> {
    return Promise.all(specs.map((s) => this.get(s)));
  }

  /** The WGSL of a compiled key (for the Kernels panel). */
  source(key: string): string | undefined {
    return this.sources.get(key);
  }

  /** Keys compiled so far. */
  keys(): string[] {
    return [...this.sources.keys()];
  }

  /** Number of pipelines created. */
  get size(): number {
    return this.pipelines.size;
  }
}
