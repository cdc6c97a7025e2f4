/**
 * The WebGPU backend: tensors live in pooled GPU buffers; `exec` queues a kernel dispatch and
 * returns the output storage at once; `read` flushes the queue (one command encoder, one submit)
 * and maps a staging buffer. Every op of the table has a kernel in ./kernels.
 */
import { WebgradError } from "../../errors";
import { emit } from "../../events";
import { allocArray, type DType, type TypedArray } from "../../tensor/dtype";
import { fromFloat16Words, roundToFloat16, toFloat16Words } from "../../tensor/float16";
import { contiguousStrides, shapeSize } from "../../tensor/shape";
import type { Backend, MemoryStats, OutSpec, Storage, StridedView } from "../backend";
import { gpuElement, wgslType, type GpuElement } from "./codegen";
import type { DeviceHandle } from "./device";
import { gpuStorage, type GpuFeatures, type GpuKernel } from "./kernel";
import { GPU_KERNELS } from "./kernels";
import { implOf } from "../../op-table";
import { materialize, stridedCopy } from "./kernels/movement";
import { isRowMajor } from "./layout";
import { PipelineCache, type ShaderSpec } from "./pipelines";
import { BufferPool, type PoolStats } from "./pool";
import { CommandQueue } from "./queue";
import { GpuStorage } from "./storage";
import { INDEX_FLAG_BYTES, indexFlagError } from "./index-check";
import { lazyResult, realize, settleBindings, writeLazyInto, writtenBindings, type LazyContext } from "./lazy";
import { fmtBytes, getMaxTensorBytes, outOfMemory, overLimit } from "../../tensor/validate";

/**
 * Which kernel geometries the backend picks (docs/WEBGPU_TUNING.md): "auto" follows the adapter
 * (CPU-style on a software adapter such as SwiftShader, GPU-style elsewhere); "gpu" forces the
 * real-GPU path (a workgroup per row, subgroup or workgroup-tree merges, tiled matmul, uncapped
 * grids) on any adapter, so it is tested where no GPU is; "cpu" forces the CPU-adapter path.
 */
export type KernelGeometry = "auto" | "gpu" | "cpu";

/**
 * A geometry named by a setting (WEBGRAD_GPU_GEOMETRY in Node, `?geometry=` on the bench page):
 * unset or empty is "auto"; anything but auto, gpu or cpu is an error, never a silent default.
 */
export function parseKernelGeometry(value: string | null | undefined, setting = "kernel geometry"): KernelGeometry {
  if (value === undefined || value === null || value === "") return "auto";
  if (value === "auto" || value === "gpu" || value === "cpu") return value;
  throw new Error(`${setting} is "${value}": use gpu, cpu or auto`);
}

/** Runs ops as WGSL kernels on one GPU device. */
export class WebGpuBackend implements Backend, LazyContext {
  readonly name = "webgpu";
  readonly dtypes: readonly DType[] = ["float16", "float32", "int32", "bool"];
  readonly detail: string;
  readonly device: GPUDevice;
  features: GpuFeatures;
  /** Set once the device is lost: every later call throws this. */
  lostReason: string | null = null;
  readonly pipelines: PipelineCache;
  private readonly pool: BufferPool;
  private readonly staging: BufferPool;
  private readonly queue: CommandQueue;
  private readonly maxBinding: number;
  private readonly elements = new Map<DType, GpuElement>();
  /** Tiered kernels (see tierUp): work done toward each fast form's key, and whether it is built. */
  private readonly tiers = new Map<string, { work: number; started: boolean; built: boolean }>();
  readonly indexFlags: GpuStorage;
  /** Above 0 while a lazy chain is computed (./lazy.ts). */
  realizing = 0;
  /**
   * Eager elementwise ops wait and run as one kernel per chain when their values are needed
   * (./lazy.ts); false: every op dispatches at once (tests and tools compare the two).
   */
  lazyFusion = true;

  constructor(
    readonly handle: DeviceHandle,
    /** Compile pipelines asynchronously (false for Dawn in Node: see PipelineCache). */
    asyncPipelines = true,
    /** Hold float16 as f16 ("native", needs shader-f16) or as rounded f32 ("emulated"); default: native where the adapter allows. */
    float16?: "native" | "emulated",
    /** Turn the index-flags block into an IndexError at read-back (false on a device that runs nothing). */
    private readonly checkIndices = true,
    /** Kernel geometry: follow the adapter, or force the GPU or CPU-adapter path (see `setGeometry`). */
    geometry: KernelGeometry = "auto",
  ) {
    this.device = handle.device;
    const a = handle.adapter;
    if (float16 === "native" && !handle.features.shaderF16) throw new Error('float16 "native" needs an adapter with shader-f16');
    const nativeF16 = float16 ? float16 === "native" : handle.features.shaderF16;
    // The status bar shows this: say whether float16 tensors really take half the memory here.
    this.detail = `WebGPU — ${a.vendor} ${a.architecture}${a.description ? ` (${a.description})` : ""} · f16: ${nativeF16 ? "native" : "emulated"}`;
    this.features = { subgroups: handle.features.subgroups, shaderF16: handle.features.shaderF16, cpuAdapter: handle.cpuAdapter, nativeF16 };
    this.setGeometry(geometry);
    this.pipelines = new PipelineCache(this.device, asyncPipelines);
    this.pool = new BufferPool(this.device, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, "webgrad tensor");
    this.staging = new BufferPool(this.device, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, "webgrad readback", 64 * 1024 * 1024);
    const uniforms = new BufferPool(this.device, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, "webgrad params", 16 * 1024 * 1024);
    this.queue = new CommandQueue(this.device, this.pipelines, uniforms, () => this.pool.snapshot());
    // Outside the pool (its counts are the tensors'); created zeroed, and lives as long as the backend.
    const flags = this.device.createBuffer({
      size: INDEX_FLAG_BYTES,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: "webgrad index flags",
    });
    this.indexFlags = new GpuStorage(this, "int32", INDEX_FLAG_BYTES / 4, flags, this.pool);
    this.maxBinding = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    handle.lost.then((reason) => {
      this.lostReason = reason;
      emit({ type: "backend", name: "webgpu", detail: `WebGPU device ${reason}; the next run starts a fresh device` });
    });
  }

  /** The geometry asked for (`setGeometry`); `features.cpuAdapter` says which path kernels take. */
  get geometry(): KernelGeometry {
    return this.geometryChoice;
  }
  private geometryChoice: KernelGeometry = "auto";

  /**
   * Choose the kernel geometry from now on (docs/WEBGPU_TUNING.md): "gpu" runs the real-GPU path
   * on any adapter (the CPU ≡ WebGPU suite and the bench force it on SwiftShader), "cpu" the
   * CPU-adapter path, "auto" what the adapter is. Pipelines of both paths have keys of their own,
   * so switching between dispatches is safe; queued dispatches keep the geometry they were built with.
   */
  setGeometry(geometry: KernelGeometry): void {
    this.geometryChoice = geometry;
    const cpuAdapter = geometry === "auto" ? this.handle.cpuAdapter : geometry === "cpu";
    this.features = { ...this.features, cpuAdapter };
  }

  // ------------------------------------------------------------------ KernelContext

  alloc(dtype: DType, length: number, op: string, shape: readonly number[]): GpuStorage {
    this.checkAlive(op);
    const e = this.elem(dtype, op);
    // Bindings and copies move whole 4-byte words: an odd count of halves rounds up.
    const bytes = Math.ceil((length * e.bytes) / 4) * 4;
    if (bytes > getMaxTensorBytes()) throw overLimit(op, shape, dtype, bytes);
    if (bytes > this.maxBinding) {
      throw outOfMemory(
        op,
        shape,
        dtype,
        bytes,
        `more than this GPU allows in one buffer (${fmtBytes(this.maxBinding)}); use a smaller batch or move it to the CPU`,
      );
    }
    return new GpuStorage(this, dtype, length, this.pool.acquire(Math.max(bytes, 4)), this.pool, e.bytes);
  }

  elem(dtype: DType, op: string): GpuElement {
    let e = this.elements.get(dtype);
    if (!e) this.elements.set(dtype, (e = gpuElement(dtype, this.features.nativeF16, op)));
    return e;
  }

  tierUp(fast: ShaderSpec, work: number, threshold: number): boolean {
    if (threshold <= 0) return true; // no tiering: the fast form at once, its first dispatch waiting for the build
    let tier = this.tiers.get(fast.key);
    if (!tier) this.tiers.set(fast.key, (tier = { work: 0, started: false, built: false }));
    if (tier.built) return true;
    tier.work += work;
    if (!tier.started && tier.work >= threshold) {
      const t = tier;
      t.started = true;
      // Built beside the work; a build that fails leaves the quick form in use (it runs correctly).
      this.pipelines.get(fast).then(
        () => void (t.built = true),
        () => undefined,
      );
    }
    return false;
  }

  dispatch(shader: ShaderSpec, bindings: GpuStorage[], params: Int32Array, workgroups: [number, number, number]): void {
    // Lazy values this kernel reads are computed first, and so are those still reading what it writes.
    if (this.realizing === 0) settleBindings(this, bindings, writtenBindings(shader.key, shader.source));
    this.queue.dispatch(shader, bindings, params, workgroups);
  }

  // ------------------------------------------------------------------ Backend

  fromArray(data: TypedArray, dtype: DType): Storage {
    const s = this.alloc(dtype, data.length, "tensor", [data.length]);
    const words = this.hostWords(data, dtype);
    if (words.byteLength > 0) this.device.queue.writeBuffer(s.buffer, 0, words.buffer, words.byteOffset, words.byteLength);
    // A lazy chain writes a host scalar into its kernel's code instead of binding it (`x.mul(1.5)`).
    if (data.length === 1) s.hostValue = Number(data[0]);
    return s;
  }

  exec(op: string, inputs: readonly StridedView[], attrs: Readonly<Record<string, unknown>>, out: OutSpec): Storage {
    this.checkAlive(op);
    const k = implOf<GpuKernel>(GPU_KERNELS, op);
    if (!k) throw new WebgradError(op, "the WebGPU backend has no kernel for this op");
    for (const v of inputs) wgslType(v.dtype, op);
    wgslType(out.dtype, op);
    return (this.lazyFusion && lazyResult(this, op, inputs, attrs, out)) || k(this, inputs, attrs as Record<string, unknown>, out);
  }

  copyInto(dst: StridedView, src: StridedView): void {
    this.checkAlive("copy_");
    if (this.lazyFusion && this.realizing === 0 && writeLazyInto(this, dst, src)) return;
    let s = src;
    // A buffer cannot be read and written by one dispatch: stage an overlapping source first.
    if (src.storage === dst.storage || src.dtype !== dst.dtype) {
      const staged =
        src.dtype === dst.dtype
          ? materialize(this, "copy_", src)
          : (this.exec("cast", [src], { dtype: dst.dtype }, { shape: src.shape, dtype: dst.dtype }) as GpuStorage);
      s = { storage: staged, shape: src.shape, strides: contiguousStrides(src.shape), offset: 0, dtype: dst.dtype };
    }
    stridedCopy(this, "copy_", s, { storage: gpuStorage(dst), strides: dst.strides, offset: dst.offset });
  }

  async read(view: StridedView): Promise<TypedArray> {
    this.checkAlive("read");
    // The caller's stack, taken before the first await: an index error found in this read-back
    // carries it, so the runner points at the user's line that read the values.
    const callSite = new Error();
    const n = shapeSize(view.shape);
    if (n === 0) return allocArray(view.dtype, 0);
    let src = gpuStorage(view),
      offset = view.offset;
    realize(this, src);
    const item = src.itemBytes;
    // A buffer copy starts on a 4-byte boundary: an odd offset into f16 halves is copied out first.
    if (!isRowMajor(view.shape, view.strides) || (offset * item) % 4 !== 0) {
      src = materialize(this, "read", view);
      offset = 0;
    }
    const bytes = Math.ceil((n * item) / 4) * 4;
    // The index-error flags ride along (getMappedRange wants a multiple of 8 as offset).
    const flagsAt = Math.ceil(bytes / 8) * 8;
    const staging = this.staging.acquire(flagsAt + INDEX_FLAG_BYTES);
    this.queue.copy(src, offset * item, staging, 0, bytes);
    this.queue.copy(this.indexFlags, 0, staging, flagsAt, INDEX_FLAG_BYTES);
    try {
      await this.queue.flush();
      await staging.mapAsync(GPUMapMode.READ, 0, flagsAt + INDEX_FLAG_BYTES);
    } catch (e) {
      this.staging.release(staging);
      if (this.lostReason) this.checkAlive("read");
      throw e;
    }
    const raw = staging.getMappedRange(0, bytes).slice(0);
    const flags = new Int32Array(staging.getMappedRange(flagsAt, INDEX_FLAG_BYTES).slice(0));
    staging.unmap();
    this.staging.release(staging);
    const indexError = this.checkIndices ? indexFlagError(flags) : null;
    if (indexError !== null) {
      // Reported once: later reads see only new reports.
      this.device.queue.writeBuffer(this.indexFlags.buffer, 0, new Int32Array(INDEX_FLAG_BYTES / 4));
      const frames = callSite.stack?.split("\n").slice(1).join("\n");
      if (frames) indexError.stack = `${indexError.name}: ${indexError.message}\n${frames}`;
      throw indexError;
    }
    if (view.dtype === "float16") return item === 2 ? fromFloat16Words(new Uint16Array(raw), n) : new Float32Array(raw);
    if (view.dtype === "float32") return new Float32Array(raw);
    if (view.dtype === "int32") return new Int32Array(raw);
    return Uint8Array.from(new Uint32Array(raw), (v) => (v ? 1 : 0));
  }

  supports(op: string): boolean {
    return implOf<GpuKernel>(GPU_KERNELS, op) !== undefined;
  }

  memory(): MemoryStats {
    const p = this.pool.snapshot();
    return { liveBytes: p.liveBytes, liveStorages: p.liveBuffers, pooledBytes: p.pooledBytes };
  }

  /** Dispatches queued since the device started (counted whether or not anyone listens to events). */
  get dispatchCount(): number {
    return this.queue.dispatchCount;
  }

  /** Buffer-pool counts (buffers created, live, pooled). */
  poolStats(): PoolStats {
    return this.pool.snapshot();
  }

  /** Submit queued work now (reads do this themselves); resolves when the GPU has finished it. */
  async flush(): Promise<void> {
    await this.queue.flush();
    await this.device.queue.onSubmittedWorkDone();
  }

  /** Release pooled buffers and the device. */
  destroy(): void {
    this.pool.clear();
    this.staging.clear();
    this.device.destroy();
  }

  /** Host data as the words a buffer of `dtype` holds (float16: f16 words, or f32 rounded to halves). */
  private hostWords(data: TypedArray, dtype: DType): ArrayBufferView {
    if (dtype === "float16") {
      if (!this.features.nativeF16) return roundToFloat16(Float32Array.from(data as ArrayLike<number>));
      return toFloat16Words(data as ArrayLike<number>, data.length + (data.length % 2)); // whole words
    }
    if (dtype === "float32") return toTyped(Float32Array, data);
    if (dtype === "int32") return toTyped(Int32Array, data);
    return Uint32Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  }

  private checkAlive(op: string): void {
    if (this.lostReason !== null) throw new WebgradError(op, `the WebGPU device was ${this.lostReason}; run again to start on a fresh device`);
  }
}

function toTyped<T extends Float32Array | Int32Array>(Ctor: { new (n: number): T; from(a: ArrayLike<number>): T }, data: TypedArray): T {
  return data instanceof Ctor ? data : (Ctor.from(data as ArrayLike<number>) as T);
}
