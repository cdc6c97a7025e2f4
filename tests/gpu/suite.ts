/**
 * The CPU ≡ WebGPU suite, shared by the Node runner (Dawn) and the headless-Chromium page:
 * coverage (every op with a CPU kernel has a WebGPU kernel and generated cases) and every case.
 */
import "../../src/lib/index";
import { CPU_KERNELS, CpuBackend } from "../../src/lib/backend/cpu/cpu";
import { GPU_KERNELS } from "../../src/lib/backend/webgpu/kernels";
import { allOps } from "../../src/lib/ops/registry";
import { implOf } from "../../src/lib/ops/names";
import { casesFor, isHalfCase, PENDING_GPU_OPS } from "./cases";
import { compareAll, type CaseResult } from "./compare";
import { runInfraChecks } from "./infra";
import { runFusionChecks } from "./fusion";
import { runLazyChecks } from "./lazy";
import { runControlChecks } from "./control";
import { runFuzzChecks } from "./fuzz";
import { runGeometryChecks } from "./geometry";
import type { WebGpuBackend } from "../../src/lib/backend/webgpu/webgpu";

/** What a suite run found. */
export interface SuiteReport {
  results: CaseResult[];
  /** Ops with a CPU kernel and no WebGPU kernel (and not listed as pending). */
  missingKernels: string[];
  /** Ops with kernels on both but no generated cases. */
  uncovered: string[];
  pending: Record<string, string>;
  seconds: number;
}

/** How a suite run goes. */
export interface SuiteOptions {
  /** Run the ops' cases concurrently (Chromium compiles pipelines off the main thread). */
  concurrent?: boolean;
  /**
   * Only the float16 cases, checked for building their kernels and not for values: on Dawn's null
   * device (every feature, shader-f16 included, and no execution) this validates the native-f16
   * WGSL that no adapter here can run.
   */
  halfCompileOnly?: boolean;
  /**
   * Run the geometry pass (./geometry): the kernel families whose geometry differs per adapter
   * again under the geometry this adapter does not choose (the real-GPU path on SwiftShader).
   * Default true; false when the whole suite already runs under a forced geometry.
   */
  geometryPass?: boolean;
  /** The parts of the suite to run (default: all); a runner may split them over several devices. */
  parts?: readonly SuitePart[];
}

/**
 * The suite's parts: every op's generated cases, the fusion checks, the geometry pass, the
 * fuzzed programs and the backend checks (whose last one destroys the device).
 */
export const SUITE_PARTS = ["ops", "fusion", "geometry", "fuzz", "infra"] as const;
/** One part of the suite (see {@link SUITE_PARTS}). */
export type SuitePart = (typeof SUITE_PARTS)[number];

/** Run the suite against `gpu` (optionally only the ops named in `only`; `geometry` names the geometry pass). */
export async function runSuite(
  gpu: WebGpuBackend,
  only?: readonly string[],
  log: (line: string) => void = () => undefined,
  options: SuiteOptions = {},
): Promise<SuiteReport> {
  const t0 = performance.now();
  const cpu = new CpuBackend();
  const hasCpu = (op: string) => implOf(CPU_KERNELS, op) !== undefined,
    hasGpu = (op: string) => implOf(GPU_KERNELS, op) !== undefined;
  const missingKernels = Object.keys(CPU_KERNELS).filter((op) => hasCpu(op) && !hasGpu(op) && !(op in PENDING_GPU_OPS));
  const ops = allOps().filter((op) => hasCpu(op.name) && hasGpu(op.name) && !(op.name in PENDING_GPU_OPS));
  const uncovered = ops.filter((op) => casesFor(op).length === 0).map((op) => op.name);
  const runOp = async (op: (typeof ops)[number]): Promise<CaseResult[]> => {
    const t = performance.now();
    const cases = casesFor(op).filter((c) => !options.halfCompileOnly || isHalfCase(c));
    const rs = (await compareAll(cpu, gpu, cases)).map((r) => (options.halfCompileOnly && !r.message?.startsWith("threw") ? { ...r, ok: true } : r));
    const bad = rs.filter((r) => !r.ok);
    log(`${bad.length ? "✘" : "✔"} ${op.name.padEnd(14)} ${rs.length - bad.length}/${rs.length} cases  ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const r of bad) log(`    ${r.label}: ${r.message}`);
    return rs;
  };
  const part = (p: SuitePart) => !options.parts || options.parts.includes(p);
  /** A part that `only` names by `name` (or everything, with no `only`). */
  const wanted = (p: SuitePart, name: string) => part(p) && (!only || only.includes(name));
  const selected = part("ops") ? ops.filter((op) => !only || only.includes(op.name)) : [];
  // Concurrently, every op's first pipeline compiles at once (Chromium compiles off the main
  // thread; SwiftShader takes a second or two per pipeline, so sequential runs add up).
  const results = options.concurrent ? (await Promise.all(selected.map(runOp))).flat() : [];
  if (!options.concurrent) for (const op of selected) results.push(...(await runOp(op)));
  if (options.halfCompileOnly) {
    if (wanted("fusion", "fused")) results.push(...(await runFusionChecks(log, { halfCompileOnly: true })));
    return { results, missingKernels, uncovered, pending: PENDING_GPU_OPS, seconds: (performance.now() - t0) / 1000 };
  }
  if (wanted("fusion", "fused")) results.push(...(await runFusionChecks(log)));
  if (wanted("fusion", "lazy")) results.push(...(await runLazyChecks(log)));
  if (wanted("fusion", "control")) results.push(...(await runControlChecks(log)));
  if (part("geometry") && options.geometryPass !== false) results.push(...(await runGeometryChecks(cpu, gpu, only, log)));
  // Before the infra checks: their last one destroys the device.
  if (wanted("fuzz", "fuzz")) results.push(...(await runFuzzChecks(log)));
  if (wanted("infra", "infra")) results.push(...(await runInfraChecks(log)));
  return { results, missingKernels, uncovered, pending: PENDING_GPU_OPS, seconds: (performance.now() - t0) / 1000 };
}

/** True when the report has no failures and full coverage. */
export function suitePassed(r: SuiteReport): boolean {
  return r.missingKernels.length === 0 && r.uncovered.length === 0 && r.results.every((x) => x.ok);
}
