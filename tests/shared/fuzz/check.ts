/** Running one program in every mode pair it needs and collecting the mismatches. */
import { lowestFloat, outcomeDifference } from "./compare";
import { pairsFor, runMode, type ModeName, type Outcome } from "./modes";
import { infer, type Program } from "./program";
import { factorySource } from "./source";

/**
 * Outcomes by program source and mode: classifying and minimizing re-run the reference modes of
 * the same program often. Bounded, and cleared between programs by `forget`.
 */
const outcomes = new Map<string, Promise<Outcome>>();
export const forget = (): void => outcomes.clear();

export interface Mismatch {
  pair: readonly [ModeName, ModeName];
  detail: string;
  outcomes: [Outcome, Outcome];
}

/** Every mismatch of `p` (only the given pairs when `only` is set). */
export async function check(p: Program, only?: readonly (readonly [ModeName, ModeName])[]): Promise<Mismatch[]> {
  const src = factorySource(p);
  const run = (m: ModeName) => {
    const key = `${m}\n${src}`;
    let o = outcomes.get(key);
    if (!o) {
      if (outcomes.size > 2000) outcomes.clear();
      outcomes.set(key, (o = runMode(p, m)));
    }
    return o;
  };
  const floor = lowestFloat([...infer(p).vars.values()].map((v) => v.dtype));
  const out: Mismatch[] = [];
  for (const pair of only ?? pairsFor(p)) {
    const a = await run(pair[0]),
      b = await run(pair[1]);
    const detail = outcomeDifference(a, b, floor);
    if (detail !== undefined) out.push({ pair, detail, outcomes: [a, b] });
  }
  return out;
}
