/**
 * The shape of an exercise: what a learner answers or writes after reading a lesson, and how it is
 * checked. Exercises live beside their example in `src/examples/NN-name.exercises.ts`
 * (`export default defineExercises([ … ])`), as data only: code is carried as text (a TypeScript
 * starter and solution, a JavaScript check module) and runs only in the runner's worker, never on
 * the page. `tests/unit/app/exercises.test.ts` runs every check against its solution (it must pass)
 * and its starter (it must fail).
 */
import type { Bilingual } from "./types";

/**
 * Answer a question before running the example, then run it to see. Either choices (one of them
 * right) or a number (right within `tolerance`).
 */
export interface PredictExercise {
  readonly kind: "predict";
  /** Unique within its example (kebab-case). */
  readonly id: string;
  /** The question; may hold `code`. */
  readonly prompt: Bilingual;
  /** Choices, when the answer is one of them. */
  readonly choices?: readonly Bilingual[];
  /** The index in `choices` of the right one, or the right number. */
  readonly answer: number;
  /** How far a numeric answer may be from `answer` and still count (absolute). */
  readonly tolerance?: number;
  /** Why, shown once answered. */
  readonly explanation: Bilingual;
}

/**
 * Write code: a small self-contained TypeScript program using `webgrad` that exports what the
 * check calls. The check is an ES module in JavaScript whose default export is
 * `async (learner, t, webgrad) => { … }`: `learner` is the namespace of the learner's module,
 * `t` the check API of `src/runner/exercise-check.ts` (cases and comparisons), `webgrad` the library.
 */
export interface ImplementExercise {
  readonly kind: "implement";
  readonly id: string;
  readonly prompt: Bilingual;
  /** The code the learner starts from (it must not pass the check). */
  readonly starter: string;
  /** A right answer (it must pass the check). */
  readonly solution: string;
  /** The check module's JavaScript source (see above). */
  readonly check: string;
  /** Hints, shown one at a time. */
  readonly hints: readonly Bilingual[];
}

/** One exercise. */
export type Exercise = PredictExercise | ImplementExercise;

/** Declare an example's exercises (an identity function that types the list where it is written). */
export function defineExercises(exercises: readonly Exercise[]): readonly Exercise[] {
  return exercises;
}
