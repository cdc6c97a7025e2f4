/**
 * The shape of a lesson: the text that sits beside an example, in both languages.
 *
 * A lesson lives beside its example: `src/examples/NN-name.ts` (the code, no prose header) and
 * `src/examples/NN-name.lesson.ts` (`export default defineLesson({ … })`). The first digit of `NN`
 * names the course part. Exercises live in `NN-name.exercises.ts` (see the exercises module).
 */

/** A text in both UI languages. */
export type Bilingual = { readonly en: string; readonly zh: string };

/** A formula the example computes, and the line of code that computes it. */
export interface LessonFormula {
  /** TeX source, rendered with KaTeX (display style). */
  readonly tex: string;
  /** An exact substring of the one code line that computes it; the lesson pane links to that line. */
  readonly line: string;
  /** A short caption (optional). */
  readonly label?: Bilingual;
}

/**
 * An interactive figure drawn at the top of a lesson (`components/lesson/LessonFigure.svelte`):
 * the layers of a framework, each opening its panel (example 01); the timeline of framework eras,
 * each loading and running its snippet (example 04).
 */
export type LessonFigureId = "framework-layers" | "framework-timeline";

/** Everything the lesson pane and the Examples menu show about one example. */
export interface LessonText {
  /** The title in the Examples menu and the lesson pane. */
  readonly title: Bilingual;
  /** What the lesson teaches: paragraphs separated by blank lines, `code`, **bold**, and TeX as $inline$ or $$display$$. */
  readonly body: Bilingual;
  /** What to look at after running it. */
  readonly lookAt: Bilingual;
  /** The panel to open when the example is loaded (a panel id: "tape", "graph", "kernels", "cluster", "plots", "console"). */
  readonly panel?: string;
  /** Formulas the code computes, each tied to its line. */
  readonly formulas?: readonly LessonFormula[];
  /** An interactive figure to draw above the text (optional). */
  readonly figure?: LessonFigureId;
  /** Chinese for the example's code comments: the English comment text (after `// `) → its Chinese. */
  readonly comments?: Readonly<Record<string, string>>;
}

/** Declare a lesson (an identity function that gives the object its type where it is written). */
export function defineLesson(lesson: LessonText): LessonText {
  return lesson;
}
