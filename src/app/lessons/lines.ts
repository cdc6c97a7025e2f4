/** Where a lesson's formula is computed: the line of the code that holds its `line` substring. */

/** Every 1-based line of `code` that contains `fragment` (a lesson's own code has exactly one). */
export function linesWith(code: string, fragment: string): number[] {
  const out: number[] = [];
  code.split("\n").forEach((text, i) => text.includes(fragment) && out.push(i + 1));
  return out;
}

/** The first 1-based line of `code` that contains `fragment`, or null once the learner's edits removed it. */
export function lineOf(code: string, fragment: string): number | null {
  return linesWith(code, fragment)[0] ?? null;
}
