/**
 * The other kernel geometry. Kernels pick their geometry per adapter (docs/WEBGPU_TUNING.md): on a
 * software adapter such as SwiftShader — every CI machine — the suite's main pass runs the
 * CPU-adapter path, so this pass forces the real-GPU path (`WebGpuBackend.setGeometry("gpu")`: a
 * workgroup per row merged by subgroup shuffles or a workgroup tree, tree reductions, 16×8-thread
 * vec4 matmul, uncapped elementwise grids) and compares it with the CPU backend; on a real GPU it
 * forces the CPU-adapter path instead. It runs only the families whose geometry differs, with the
 * suite's own float32 cases (float16 and the rest change no geometry) plus a few sizes past the
 * CPU path's caps, and checks from the dispatched kernel keys that the forced path really ran and
 * which row merge it used. Row kernels run twice when the adapter has subgroups: with shuffles, and
 * with them turned off (`ROW_TUNING.subgroups`), the fallback an adapter without them takes.
 */
import type { Backend } from "../../src/lib/backend/backend";
import type { KernelGeometry, WebGpuBackend } from "../../src/lib/backend/webgpu/webgpu";
import { ROW_TUNING } from "../../src/lib/backend/webgpu/kernels/rows";
import { onEvent } from "../../src/lib/events";
import { getOp } from "../../src/lib/ops/registry";
import { casesFor, isHalfCase, type InputSpec, type OpCase } from "./cases";
import { compareAll, type CaseResult } from "./compare";

/** Reductions whose GPU path is a workgroup-per-row tree (cumsum has one geometry). */
const REDUCTIONS = ["sum", "max", "min", "prod"];
/** argmax/argmin: a workgroup-per-row tree on a GPU, a thread per row on a CPU adapter (key ending ":t1"). */
const ARG_REDUCTIONS = ["argmax", "argmin"];
/** Row kernels (kernels/rows.ts `rowGeometry`): a thread per row on a CPU adapter once there are ≥ 64 rows. */
const ROW_OPS = ["softmax", "logSoftmax", "layerNorm", "crossEntropy", "crossEntropyGrad"];
/** One op per row-kernel template (logSoftmax shares softmax's): the workgroup-tree merge runs over these. */
const ROW_TEMPLATES = ["softmax", "layerNorm", "crossEntropy", "crossEntropyGrad"];
/** Elementwise ops whose grids the pass sizes past a CPU adapter's cap of 64 workgroups. */
const ELEMENTWISE = ["add", "mul", "where"];
/** Every op whose geometry differs between the two paths: the pass runs these. */
const GEOMETRY_OPS = [...REDUCTIONS, ...ARG_REDUCTIONS, ...ROW_OPS, "matmul", ...ELEMENTWISE];

const f = (shape: number[], view: InputSpec["view"] = "plain"): InputSpec => ({ shape, dtype: "float32", values: "normal", view });

/** Sizes past the CPU path's caps, where the two geometries dispatch different grids. */
function extraCases(op: string): OpCase[] {
  if (op === "add" || op === "mul")
    // 90 300 elements: 89 vec4 workgroups (CPU cap 64); a reversed view takes the scalar kernel (353).
    return [
      { op, inputs: [f([300, 301]), f([300, 301])], attrs: {} },
      { op, inputs: [f([300, 301], "flip"), f([300, 301])], attrs: {} },
    ];
  if (op === "where") return [{ op, inputs: [{ shape: [300, 301], dtype: "bool", values: "bool" }, f([300, 301], "T"), f([300, 301])], attrs: {} }];
  // (More rows than one dispatch dimension holds, 65 535, would test a workgroup per row spread over
  // y, but SwiftShader takes ~50 s for the 70 000 barrier-tree workgroups: left out.)
  return [];
}

/** Whether vec4 matmul could take the case (K and N multiples of four): only there do geometries differ. */
function vec4Candidate(c: OpCase): boolean {
  const [a, b] = c.inputs;
  const k = a.shape[a.shape.length - 1],
    n = b.shape[b.shape.length - 1];
  return a.dtype === "float32" && k % 4 === 0 && n % 4 === 0 && k > 0;
}

/**
 * A row-kernel case cut to `rows` rows (every input's leading dimension that matches the first's):
 * the GPU path runs a barrier tree per row, which SwiftShader runs slowly, and 72 rows of 257 take
 * the same geometry as 300 (≥ 64 rows, rows longer than a workgroup).
 */
function fewerRows(c: OpCase, rows: number): OpCase {
  const n = c.inputs[0].shape[0];
  return { ...c, inputs: c.inputs.map((s) => (s.shape.length && s.shape[0] === n ? { ...s, shape: [rows, ...s.shape.slice(1)] } : s)) };
}

const elements = (c: OpCase): number => Math.max(...c.inputs.map((s) => s.shape.reduce((a, d) => a * d, 1)));

/** The cases of the pass for `op`: its float32 cases (vec4 candidates for matmul, row cases cut to 72 rows past 20 000 elements) and the extra sizes. */
function geometryCases(op: string): OpCase[] {
  if (ELEMENTWISE.includes(op)) return extraCases(op);
  const own = casesFor(getOp(op)).filter((c) => !isHalfCase(c));
  if (op === "matmul") return own.filter(vec4Candidate);
  if (ROW_OPS.includes(op)) return own.map((c) => (elements(c) > 20_000 ? fewerRows(c, 72) : c));
  return [...own, ...extraCases(op)];
}

/** Dispatched kernel keys while `fn` runs. */
async function keysDuring<T>(fn: () => Promise<T>): Promise<{ value: T; keys: Set<string> }> {
  const keys = new Set<string>();
  const off = onEvent((e) => {
    if (e.type === "kernel" && e.phase === "dispatch") keys.add(e.kernel);
  });
  try {
    return { value: await fn(), keys };
  } finally {
    off();
  }
}

/**
 * Run `ops`' geometry cases (only those of at most `maxElements` input elements, when given);
 * results labelled with `tag`.
 */
async function pass(
  cpu: Backend,
  gpu: Backend,
  ops: string[],
  tag: string,
  log: (line: string) => void,
  maxElements = Infinity,
): Promise<{ results: CaseResult[]; keys: Set<string> }> {
  const results: CaseResult[] = [];
  const keys = new Set<string>();
  for (const op of ops) {
    const t = performance.now();
    const cases = geometryCases(op).filter((c) => elements(c) <= maxElements);
    const run = await keysDuring(() => compareAll(cpu, gpu, cases));
    run.keys.forEach((k) => keys.add(k));
    const rs = run.value.map((r) => ({ ...r, label: `[${tag}] ${r.label}` }));
    const bad = rs.filter((r) => !r.ok);
    log(`${bad.length ? "✘" : "✔"} [${tag}] ${op.padEnd(14)} ${rs.length - bad.length}/${rs.length} cases  ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const r of bad) log(`    ${r.label}: ${r.message}`);
    results.push(...rs);
  }
  return { results, keys };
}

/** A result that fails when `seen` is false: the forced path did not run what it claims. */
function ran(label: string, seen: boolean, what: string): CaseResult {
  return { op: "geometry", label, ok: seen, message: seen ? undefined : `no ${what} kernel was dispatched` };
}

/**
 * The geometry pass: every case again under the geometry the adapter does not choose by itself
 * (the real-GPU path on a software adapter), and the kernels it dispatched checked. Restores the
 * backend's geometry afterwards.
 */
export async function runGeometryChecks(
  cpu: Backend,
  gpu: WebGpuBackend,
  only: readonly string[] | undefined,
  log: (line: string) => void,
): Promise<CaseResult[]> {
  const before: KernelGeometry = gpu.geometry;
  const target: KernelGeometry = gpu.handle.cpuAdapter ? "gpu" : "cpu";
  const pick = (ops: string[]) => ops.filter((op) => !only || only.includes(op) || only.includes("geometry"));
  if (pick(GEOMETRY_OPS).length === 0) return [];
  const t0 = performance.now();
  const results: CaseResult[] = [];
  try {
    gpu.setGeometry(target);
    log(`[geometry] forcing the ${target === "gpu" ? "real-GPU" : "CPU-adapter"} kernel geometry on ${gpu.detail}`);
    const all = await pass(cpu, gpu, pick(GEOMETRY_OPS), `${target} geometry`, log);
    results.push(...all.results);
    const keys = [...all.keys];
    if (target === "gpu") {
      const subgroups = gpu.features.subgroups && ROW_TUNING.subgroups !== false;
      // Row keys end in t<threads per row>, "sg" where subgroup shuffles merge a row.
      const rowVariants = [
        ...new Set(keys.map((k) => /:t(\d+)(sg)?$/.exec(k)).flatMap((m) => (m ? [`${m[1]} threads/row${m[2] ? " + subgroups" : ""}`] : []))),
      ];
      log(
        `[geometry] row merge: ${subgroups ? "subgroup shuffles (the adapter has subgroups)" : "workgroup tree (no subgroups on this adapter)"}; row variants run: ${rowVariants.join(", ") || "none"}`,
      );
      if (pick(REDUCTIONS).length)
        results.push(
          ran(
            "gpu geometry: reductions ran as a workgroup-per-row tree",
            keys.some((k) => k.startsWith("reduce:")),
            "tree reduction",
          ),
        );
      if (pick(ARG_REDUCTIONS).length)
        results.push(
          ran(
            "gpu geometry: argmax/argmin ran as a workgroup-per-row tree",
            keys.some((k) => k.startsWith("arg:")) && !keys.some((k) => k.startsWith("arg:") && k.endsWith(":t1")),
            "tree-only arg reduction",
          ),
        );
      if (pick(ROW_OPS).length) {
        results.push(
          ran(
            "gpu geometry: row kernels ran a workgroup per row",
            keys.some((k) => /:t64(sg)?$/.test(k)),
            "64-threads-per-row",
          ),
        );
        if (subgroups)
          results.push(
            ran(
              "gpu geometry: rows merged by subgroup shuffles",
              keys.some((k) => /:t64sg$/.test(k)),
              "subgroup row",
            ),
          );
      }
      if (pick(["matmul"]).length)
        results.push(
          ran(
            "gpu geometry: vec4 matmul ran 16×8 threads of 8×4",
            keys.some((k) => k.startsWith("matmul-v48x4w16x8")),
            "GPU-geometry vec4 matmul",
          ),
        );
      // The fallback of an adapter without subgroups: the same rows merged by the workgroup tree.
      if (subgroups && pick(ROW_TEMPLATES).length) {
        ROW_TUNING.subgroups = false;
        try {
          // The merge is the same code at any size: the small cases suffice.
          const tree = await pass(cpu, gpu, pick(ROW_TEMPLATES), "gpu geometry, no subgroups", log, 10_000);
          results.push(...tree.results);
          results.push(
            ran(
              "gpu geometry without subgroups: rows merged by the workgroup tree",
              [...tree.keys].some((k) => /:t64$/.test(k)),
              "workgroup-tree row",
            ),
          );
        } finally {
          ROW_TUNING.subgroups = undefined;
        }
      }
    }
  } finally {
    gpu.setGeometry(before);
  }
  log(`[geometry] ${results.length} checks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return results;
}
