/**
 * The course's exercises, read from every `src/examples/NN-name.exercises.ts` (data only: their code
 * is text that runs in the runner's worker, never here), and what the app asks of them: an example's
 * exercises, the editor text an exercise opens with, and which exercise an editor text belongs to.
 * @module
 */
import type { Exercise, ImplementExercise } from "./exercise";

/** The exercises of one example. */
export interface ExerciseSet {
  /** The example's file name without extension, e.g. "13-dual-numbers". */
  exampleId: string;
  exercises: readonly Exercise[];
}

const modules = import.meta.glob<readonly Exercise[]>("../../examples/*.exercises.ts", { import: "default", eager: true });

/** Every example's exercises, in course order. */
export const exerciseSets: readonly ExerciseSet[] = Object.entries(modules)
  .map(([path, exercises]) => ({ exampleId: path.replace(/^.*\//, "").replace(/\.exercises\.ts$/, ""), exercises }))
  .sort((a, b) => a.exampleId.localeCompare(b.exampleId));

/** An exercise's key across the course: `exampleId/exerciseId` (progress and saved code use it). */
export function exerciseKey(exampleId: string, exercise: Pick<Exercise, "id">): string {
  return `${exampleId}/${exercise.id}`;
}

/** The exercises of one example (none: an empty list). */
export function exercisesOf(exampleId: string, sets: readonly ExerciseSet[] = exerciseSets): readonly Exercise[] {
  return sets.find((s) => s.exampleId === exampleId)?.exercises ?? [];
}

/** The header line that marks editor text as an exercise's (it keeps the lesson and the exercise pane in view). */
export function exerciseHeader(key: string): string {
  return `// exercise: ${key}`;
}

/** The exercise key an editor text carries in its first line, if any. */
export function exerciseKeyOfCode(code: string): string | undefined {
  const first = code.slice(0, 300).split("\n", 1)[0] ?? "";
  return /^\/\/\s*exercise:\s*(\S+)\s*$/.exec(first)?.[1];
}

/** The text an implement exercise opens with in the editor: its header, then the starter. */
export function starterCode(exampleId: string, exercise: ImplementExercise): string {
  return `${exerciseHeader(exerciseKey(exampleId, exercise))}\n${exercise.starter}`;
}

/** The solution as editor text (with the header, so it stays tied to its exercise). */
export function solutionCode(exampleId: string, exercise: ImplementExercise): string {
  return `${exerciseHeader(exerciseKey(exampleId, exercise))}\n${exercise.solution}`;
}

/** Total and solved exercises of each course part, by the part's number (the first digit of the example id). */
export function progressByPart(solved: ReadonlySet<string>, sets: readonly ExerciseSet[] = exerciseSets): Map<number, { solved: number; total: number }> {
  const out = new Map<number, { solved: number; total: number }>();
  for (const set of sets) {
    const part = Number(set.exampleId[0]);
    const entry = out.get(part) ?? { solved: 0, total: 0 };
    for (const e of set.exercises) {
      entry.total++;
      if (solved.has(exerciseKey(set.exampleId, e))) entry.solved++;
    }
    out.set(part, entry);
  }
  return out;
}
