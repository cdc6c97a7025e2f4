/**
 * "Copy as code": the Planner view's knobs written as a program that makes the same `dist.plan`
 * call with the public API and prints the figures the view shows, line for line
 * ({@link figureLines} formats both, so the unit test can run the program and compare).
 * @module
 */
import type { PlannerFigures, PlannerInputs } from "../../../schema/planner";
import { FROM_CODE, type PlannerKnobs } from "../../state/planner-knobs";

const GiB = 2 ** 30;
const gib = (b: number) => (b / GiB).toFixed(1);

/**
 * The figures as the generated program prints them (English, like every program's output): memory
 * per device by category, the step split, throughput.
 */
export function figureLines(f: PlannerFigures): string[] {
  const m = f.memory;
  return [
    `memory per GPU: ${gib(m.total)} GiB of ${gib(m.capacity)} GiB (parameters ${gib(m.parameters)}, gradients ${gib(m.gradients)}, optimizer ${gib(m.optimizer)}, activations ${gib(m.activations)}, buffers ${gib(m.buffers)})${m.fits ? "" : " — does not fit"}`,
    `step ${f.step.toFixed(3)} s = compute ${f.compute.toFixed(3)} + exposed communication ${f.exposedComm.toFixed(3)} + bubble ${f.bubble.toFixed(3)} + optimizer ${f.optimizer.toFixed(3)}`,
    `${Math.round(f.tokensPerSecond)} tokens/s, MFU ${(f.mfu * 100).toFixed(1)} %, ${(f.flopsPerDevice / 1e12).toFixed(1)} TFLOP/s per GPU`,
  ];
}

/** The same three lines as code over a `dist.plan` result `r` (kept beside {@link figureLines} so the two stay one). */
const PRINT = [
  "const GiB = 2 ** 30;",
  "const gib = (b: number) => (b / GiB).toFixed(1);",
  "const m = r.memory;",
  'console.log(`memory per GPU: ${gib(m.total)} GiB of ${gib(m.capacity)} GiB (parameters ${gib(m.parameters)}, gradients ${gib(m.gradients)}, optimizer ${gib(m.optimizer)}, activations ${gib(m.activations)}, buffers ${gib(m.buffers)})${m.fits ? "" : " — does not fit"}`);',
  "console.log(`step ${r.time.step.toFixed(3)} s = compute ${r.time.compute.toFixed(3)} + exposed communication ${r.time.exposedComm.toFixed(3)} + bubble ${r.time.bubble.toFixed(3)} + optimizer ${r.time.optimizer.toFixed(3)}`);",
  "console.log(`${Math.round(r.tokensPerSecond)} tokens/s, MFU ${(r.mfu * 100).toFixed(1)} %, ${(r.flopsPerDevice / 1e12).toFixed(1)} TFLOP/s per GPU`);",
];

const literal = (v: unknown) =>
  JSON.stringify(v, null, 1)
    .replace(/\n\s*/g, " ")
    .replace(/"(\w+)":/g, "$1:");

function clusterExpr(k: PlannerKnobs, inputs: PlannerInputs): string {
  const c = inputs.cluster;
  if (k.cluster === "dgx-a100") return `dist.dgxA100(${c.nodes})`;
  if (k.cluster === "dgx-h100") return `dist.dgxH100(${c.nodes})`;
  if (k.cluster === "tpu-torus") return `dist.tpuTorus(${c.nodes * c.devicesPerNode})`;
  return literal(c);
}

function modelExpr(k: PlannerKnobs, inputs: PlannerInputs, presetSeq: number | undefined): string {
  if (k.model === FROM_CODE || presetSeq === undefined) return literal(inputs.model);
  return presetSeq === inputs.model.seq ? JSON.stringify(k.model) : `{ ...dist.modelConfig(${JSON.stringify(k.model)}), seq: ${inputs.model.seq} }`;
}

/**
 * A runnable program for the knobs: `inputs` is what they stand for, `presetSeq` the preset's own
 * sequence length (undefined for the program's own model), `comment` the first line's words in the
 * UI language.
 */
export function plannerCode(k: PlannerKnobs, inputs: PlannerInputs, presetSeq: number | undefined, comment: string): string {
  const plan = { ...inputs.plan };
  return [
    `import { dist } from "webgrad";`,
    ``,
    `// ${comment}`,
    `const r = dist.plan(`,
    `  ${modelExpr(k, inputs, presetSeq)},`,
    `  ${clusterExpr(k, inputs)},`,
    `  ${literal(plan)},`,
    `);`,
    ...PRINT,
    ``,
  ].join("\n");
}
