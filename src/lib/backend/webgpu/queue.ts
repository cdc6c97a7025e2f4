/**
 * Encoder batching: ops append commands here; nothing reaches the GPU until a readback (or a
 * batch grown past a threshold) flushes. A flush waits for the pipelines it needs, writes every
 * dispatch's parameter block into one uniform buffer, records all dispatches into one command
 * encoder (consecutive dispatches share one compute pass) and submits once.
 */
import { emit, hasListeners } from "../../events";
import { PARAM_SLOTS } from "./params";
import type { PipelineCache, ShaderSpec } from "./pipelines";
import type { BufferPool, PoolStats } from "./pool";
import type { GpuStorage } from "./storage";

/** Bytes per parameter block (a multiple of minUniformBufferOffsetAlignment = 256). */
const PARAM_BYTES = PARAM_SLOTS * 4;
/** Commands queued before a flush starts on its own (bounds memory held by pending work). */
const AUTO_FLUSH_COMMANDS = 512;

interface DispatchCommand {
  kind: "dispatch";
  shader: ShaderSpec;
  /** Storages bound at bindings 1…n, in order. */
  bindings: GpuStorage[];
  params: Int32Array;
  workgroups: [number, number, number];
}
interface CopyCommand {
  kind: "copy";
  src: GpuStorage;
  srcOffset: number;
  dst: GPUBuffer;
  dstOffset: number;
  size: number;
}
type Command = DispatchCommand | CopyCommand;

/** One submitted use of `s` fewer; a release asked for meanwhile happens with the last. */
function settle(s: GpuStorage): void {
  if (--s.pendingUses === 0 && s.releaseAfterSubmit) s.release();
}

/** The command batch of one device. */
export class CommandQueue {
  private commands: Command[] = [];
  /** Dispatches queued since the device started (the bench counts with it: no listener needed). */
  dispatchCount = 0;
  private tail: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  /** Timestamp query resources, when the adapter has timestamp-query and someone listens. */
  private readonly timestamps: boolean;

  constructor(
    private readonly device: GPUDevice,
    private readonly pipelines: PipelineCache,
    private readonly uniforms: BufferPool,
    /** Storage-pool use, reported with each submit. */
    private readonly poolStats: () => PoolStats,
  ) {
    this.timestamps = device.features.has("timestamp-query");
  }

  /** Bind group layouts by pipeline: getBindGroupLayout makes a new object on every call (in Chromium, also a command to the GPU process). */
  private readonly layouts = new WeakMap<GPUComputePipeline, GPUBindGroupLayout>();

  private layoutOf(pipeline: GPUComputePipeline): GPUBindGroupLayout {
    let l = this.layouts.get(pipeline);
    if (!l) this.layouts.set(pipeline, (l = pipeline.getBindGroupLayout(0)));
    return l;
  }

  /** Queue a dispatch of `shader` over `workgroups`, binding `bindings` after the parameter block. */
  dispatch(shader: ShaderSpec, bindings: GpuStorage[], params: Int32Array, workgroups: [number, number, number]): void {
    for (const b of bindings) b.pendingUses++;
    this.dispatchCount++;
    this.commands.push({ kind: "dispatch", shader, bindings, params, workgroups });
    if (hasListeners()) emit({ type: "kernel", phase: "dispatch", kernel: shader.key, workgroups, bytes: bindings.reduce((a, b) => a + b.byteLength, 0) });
    this.maybeAutoFlush();
  }

  /** Queue a buffer-to-buffer copy (for readback into a staging buffer). */
  copy(src: GpuStorage, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    src.pendingUses++;
    this.commands.push({ kind: "copy", src, srcOffset, dst, dstOffset, size });
  }

  /** Number of commands waiting. */
  get pending(): number {
    return this.commands.length;
  }

  /** Submit everything queued; resolves once submitted (not completed). Rejects with the first error. */
  flush(): Promise<void> {
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      return Promise.reject(f);
    }
    const batch = this.commands;
    this.commands = [];
    const run = this.tail.then(() => (batch.length ? this.submit(batch) : undefined));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private maybeAutoFlush(): void {
    if (this.commands.length < AUTO_FLUSH_COMMANDS) return;
    this.flush().catch((e: Error) => (this.failure ??= e));
  }

  private async submit(batch: Command[]): Promise<void> {
    const device = this.device;
    const dispatches = batch.filter((c): c is DispatchCommand => c.kind === "dispatch");
    const pipelines = new Map<string, GPUComputePipeline>();
    await Promise.all(
      dispatches.map(async (d) => {
        if (!pipelines.has(d.shader.key)) pipelines.set(d.shader.key, await this.pipelines.get(d.shader));
      }),
    );
    const arena = dispatches.length ? this.uniforms.acquire(dispatches.length * PARAM_BYTES) : null;
    if (arena) {
      const all = new Int32Array(dispatches.length * PARAM_SLOTS);
      dispatches.forEach((d, i) => all.set(d.params, i * PARAM_SLOTS));
      device.queue.writeBuffer(arena, 0, all);
    }
    const listening = hasListeners();
    const timed = listening && this.timestamps && dispatches.length > 0;
    const querySet = timed ? device.createQuerySet({ type: "timestamp", count: 2 * dispatches.length }) : null;
    device.pushErrorScope("validation");
    const encoder = device.createCommandEncoder();
    let pass: GPUComputePassEncoder | null = null;
    let di = 0;
    for (const c of batch) {
      if (c.kind === "copy") {
        pass?.end();
        pass = null;
        encoder.copyBufferToBuffer(c.src.buffer, c.srcOffset, c.dst, c.dstOffset, c.size);
        continue;
      }
      // With timestamps each dispatch gets its own pass (timestamps are per pass).
      if (!pass || querySet) {
        pass?.end();
        pass = encoder.beginComputePass(
          querySet ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * di, endOfPassWriteIndex: 2 * di + 1 } } : undefined,
        );
      }
      const pipeline = pipelines.get(c.shader.key)!;
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: arena!, offset: di * PARAM_BYTES, size: PARAM_BYTES } }];
      c.bindings.forEach((s, j) => entries.push({ binding: j + 1, resource: { buffer: s.buffer } }));
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: this.layoutOf(pipeline), entries }));
      pass.dispatchWorkgroups(...c.workgroups);
      di++;
    }
    pass?.end();
    let resolveBuf: GPUBuffer | null = null,
      readBuf: GPUBuffer | null = null;
    if (querySet) {
      const bytes = 16 * dispatches.length;
      resolveBuf = device.createBuffer({ size: bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
      readBuf = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      encoder.resolveQuerySet(querySet, 0, 2 * dispatches.length, resolveBuf, 0);
      encoder.copyBufferToBuffer(resolveBuf, 0, readBuf, 0, bytes);
    }
    const t0 = performance.now();
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (arena) this.uniforms.release(arena);
    for (const c of batch) {
      if (c.kind === "copy") settle(c.src);
      else for (const b of c.bindings) settle(b);
    }
    if (error) throw new Error(`WebGPU rejected a batch of ${dispatches.length} dispatches (${[...pipelines.keys()].join(", ")}): ${error.message}`);
    if (listening) this.report(dispatches, t0, querySet, resolveBuf, readBuf);
  }

  /** Emit a submit event once the GPU finishes (does not hold up the caller). */
  private report(dispatches: DispatchCommand[], t0: number, querySet: GPUQuerySet | null, resolveBuf: GPUBuffer | null, readBuf: GPUBuffer | null): void {
    const kernelMs: Record<string, number> = {};
    const done = async (): Promise<{ total: number; timing: "gpu-timestamp" | "cpu" }> => {
      if (readBuf) {
        await readBuf.mapAsync(GPUMapMode.READ);
        const t = new BigUint64Array(readBuf.getMappedRange().slice(0));
        readBuf.destroy();
        resolveBuf!.destroy();
        querySet!.destroy();
        let total = 0;
        dispatches.forEach((d, i) => {
          const ms = Number(t[2 * i + 1] - t[2 * i]) / 1e6;
          kernelMs[d.shader.key] = (kernelMs[d.shader.key] ?? 0) + ms;
          total += ms;
        });
        return { total, timing: "gpu-timestamp" };
      }
      await this.device.queue.onSubmittedWorkDone();
      const total = performance.now() - t0;
      for (const d of dispatches) kernelMs[d.shader.key] = (kernelMs[d.shader.key] ?? 0) + total / dispatches.length;
      return { total, timing: "cpu" };
    };
    done()
      .then(({ total, timing }) => {
        const p = this.poolStats();
        emit({
          type: "kernel",
          phase: "submit",
          dispatches: dispatches.length,
          kernelMs,
          totalMs: total,
          timing,
          pool: { liveBytes: p.liveBytes, pooledBytes: p.pooledBytes, buffersCreated: p.created },
        });
      })
      .catch(() => undefined);
  }
}
