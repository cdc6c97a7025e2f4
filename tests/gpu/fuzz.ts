/**
 * The fuzz slice on WebGPU: programs from the CPU fuzzer (float64 left out) run in every mode pair
 * on the WebGPU backend, plus eager on the CPU ≡ eager on WebGPU, values and gradients. A pair
 * that also fails on the CPU for that program is counted under the CPU's known families
 * (tests/unit/fuzz), never as a pass, and so is one whose family (classified here) is in
 * KNOWN_FAMILIES; any other is a WebGPU failure. Run alone with
 * `node scripts/test/test-gpu.mjs --ops fuzz` (Chromium) or `--node --ops fuzz` (Dawn).
 */
import type { CaseResult } from "./compare";
import { getDefaultBackend, setDefaultBackend } from "../../src/lib/backend/registry";
import { check, forget, type Mismatch } from "../shared/fuzz/check";
import { knownFamily } from "../shared/fuzz/classify";
import { KNOWN_FAMILIES } from "../shared/fuzz/known";
import { lowestFloat, outcomeDifference } from "../shared/fuzz/compare";
import { generate } from "../shared/fuzz/generate";
import { runMode } from "../shared/fuzz/modes";
import { infer } from "../shared/fuzz/program";
import { inputsOf } from "../shared/fuzz/source";
import { failureText, programText } from "../shared/fuzz/report";
import { minimize } from "../shared/fuzz/minimize";
import type { Program } from "../shared/fuzz/program";

/**
 * Refusals WebGPU makes by design where the CPU may not: control flow there runs both branches
 * (every guarded step) without reading its predicate, so a backward either branch would refuse
 * for a saved tensor changed in place is refused, and a result requires grad (and refuses an
 * in-place write with grad on) when either branch's does (cond's documentation).
 */
const WEBGPU_BOTH_BRANCHES_REFUSAL = /saved for backward,? was changed in place afterwards|in-place ops are not recorded on the tape/;

/**
 * Eager on the CPU against eager on WebGPU, values and then (with inputs) gradients: the
 * difference, or undefined when they agree. The modes on WebGPU are compared with each other
 * apart; this catches what all of them would get wrong alike.
 */
async function backendDifference(p: Program): Promise<string | undefined> {
  const floor = lowestFloat([...infer(p).vars.values()].map((v) => v.dtype));
  const controlFlow = p.stmts.some((st) => st.k === "cond" || st.k === "while");
  for (const mode of ["eager×2", ...(inputsOf(p).length > 0 ? (["grad"] as const) : [])] as const) {
    forget();
    setDefaultBackend("cpu");
    const cpu = await runMode(p, mode);
    forget();
    setDefaultBackend("webgpu");
    const gpu = await runMode(p, mode);
    if (controlFlow && !("error" in cpu) && "error" in gpu && WEBGPU_BOTH_BRANCHES_REFUSAL.test(gpu.error)) continue;
    const d = outcomeDifference(cpu, gpu, floor);
    if (d !== undefined) return mode === "grad" ? `grad: ${d}` : d;
  }
  return undefined;
}

/** A CPU ≡ WebGPU failure, minimized, with its program printed as for a mode pair (eager on each backend). */
async function backendFailureText(p: Program, difference: string): Promise<string> {
  const small = await minimize(p, async (q) => (await backendDifference(q)) !== undefined, 150);
  const detail = (await backendDifference(small)) ?? difference;
  const m = { pair: ["eager×2", "eager×2"] as const, detail, outcomes: [{ values: [] }, { values: [] }] as Mismatch["outcomes"] };
  return `eager cpu vs eager webgpu: ${difference}\n── minimized (${small.stmts.length} of ${p.stmts.length} statements): ${detail}\n${programText(small, m)}`;
}

/** Seeds of the slice: the CPU test's first ones, so a failure here replays there too. */
export async function runFuzzChecks(log: (l: string) => void, count = 100, start = 1): Promise<CaseResult[]> {
  const prev = getDefaultBackend().name;
  const out: CaseResult[] = [];
  let passed = 0,
    knownOnly = 0;
  const t0 = performance.now();
  try {
    for (let seed = start; seed < start + count; seed++) {
      const p = generate(seed, { float64: false });
      forget();
      setDefaultBackend("cpu");
      const cpuFails = new Set((await check(p)).map((m) => m.pair.join()));
      forget();
      setDefaultBackend("webgpu");
      const gpu = await check(p);
      // Not failing on the CPU: still known when its family is (eager control flow on WebGPU runs
      // both branches, so eager's in-place checks can fire here only).
      const fresh: Mismatch[] = [];
      for (const m of gpu) {
        if (cpuFails.has(m.pair.join())) continue;
        const fam = await knownFamily(p, m);
        if (fam === null || !KNOWN_FAMILIES.has(fam)) fresh.push(m);
      }
      const backends = await backendDifference(p);
      const label = `fuzz seed ${seed}`;
      if (fresh.length === 0 && backends === undefined) {
        if (gpu.length === 0) passed++;
        else knownOnly++;
        continue;
      }
      const message = [...fresh.map((m) => failureText(p, m, "WebGPU only")), ...(backends ? [await backendFailureText(p, backends)] : [])].join("\n");
      out.push({ op: "fuzz", label, ok: false, message });
      log(`✘ ${label}: ${message}`);
    }
  } finally {
    setDefaultBackend(prev);
  }
  const summary = `fuzz on WebGPU: ${count} programs in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${passed} passed, ${knownOnly} failed only as on the CPU (known families, not passes), ${out.length} failed on WebGPU only`;
  log(`${out.length ? "✘" : "✔"} ${summary}`);
  out.push({ op: "fuzz", label: summary, ok: out.length === 0 });
  return out;
}
