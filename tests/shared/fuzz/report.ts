/** A failing program printed for a human: seed, modes, the TypeScript repro, and both outcomes. */
import type { Mismatch } from "./check";
import { MODES, type Outcome } from "./modes";
import type { Program } from "./program";
import { argLines, captureLines, functionLines, inputsOf } from "./source";

function outcomeText(o: Outcome): string {
  if ("error" in o) return `threw ${o.error}`;
  const fmt = (d: number[] | null) =>
    d === null
      ? "null"
      : `[${d
          .slice(0, 8)
          .map((v) => (Object.is(v, -0) ? "-0" : Number.isInteger(v) ? String(v) : v.toPrecision(6)))
          .join(", ")}${d.length > 8 ? ", …" : ""}]`;
  return o.values.map((v) => `${v.label}: ${v.dtype}[${v.shape}] ${fmt(v.data)}`).join("\n    ");
}

export function programText(p: Program, m: Mismatch): string {
  const a0 = argLines(p, 0, true),
    a1 = argLines(p, 1, true);
  const twice = m.pair[1] === "jit×2";
  const argnums = JSON.stringify(inputsOf(p).map((_, i) => i));
  return [
    `import { tensor, nn, noGrad, cond, whileLoop, scan, where, jit, grad, type Tensor } from "webgrad";`,
    ...captureLines(p),
    ...functionLines(p, true),
    ...a0.lines,
    ...(twice ? a1.lines : []),
    `${MODES[m.pair[0]].print(a0.call, a1.call, argnums)};  // ${m.pair[0]}`,
    `${MODES[m.pair[1]].print(a0.call, a1.call, argnums)};  // ${m.pair[1]}`,
  ].join("\n");
}

export function failureText(p: Program, m: Mismatch, title: string): string {
  return [
    `── ${title} ── seed ${p.seed}: ${m.pair[0]} vs ${m.pair[1]}: ${m.detail}`,
    programText(p, m),
    `  ${m.pair[0]}:\n    ${outcomeText(m.outcomes[0])}`,
    `  ${m.pair[1]}:\n    ${outcomeText(m.outcomes[1])}`,
    `  replay: FUZZ_SEED=${p.seed} npx vitest run tests/unit/fuzz`,
  ].join("\n");
}
