/**
 * The course's registry: one example per `src/examples/NN-name.ts` (the code, read as text) and its
 * lesson beside it in `NN-name.lesson.ts` (title, text with formulas, what to look at, comment
 * translations: `src/app/lessons/types.ts`). The first digit of `NN` names the course part
 * (0 basics, 1 autodiff, 2 graphs, 3 cluster, 4 distributed algorithms, 5 parallelism, 6 training demos).
 *
 * An example not yet given a lesson file still works from its old `// key: value` header (the same
 * English text on both language sides); `tests/unit/app/examples.test.ts` fails for it.
 * Exercises live in `NN-name.exercises.ts` beside them (`src/app/lessons/exercises.ts`).
 * @module
 */
import type { Bilingual, LessonText } from "./lessons/types";
import { stripComments, translateComments } from "./lessons/comments";
import type { Locale } from "./i18n/locale";

/** One example program and its lesson. */
export interface Example {
  /** File name without extension, e.g. "00-hello". */
  id: string;
  /** The course part it belongs to: the file name's first digit (an index into {@link courseParts}). */
  partIndex: number;
  /** The lesson: bilingual title, text, what to look at, formulas and comment translations. */
  text: LessonText;
  /** Whether the lesson comes from a lesson file (false: from the code's old header). */
  hasLessonFile: boolean;
  /** English title (notices, logs and tests that need one fixed language). */
  title: string;
  /** English name of its course part (one of {@link coursePartNames}). */
  part: string;
  /** English lesson text. */
  lesson: string;
  /** English "look at" line. */
  lookAt: string;
  /** The panel to open when it is loaded, if any. */
  panel?: string;
  /** The code as written, English comments. {@link exampleCode} gives it in a UI language. */
  code: string;
}

// Only the example programs, not the lessons or exercises beside them.
const files = import.meta.glob<string>(["../examples/*.ts", "!../examples/*.lesson.ts", "!../examples/*.exercises.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const lessonFiles = import.meta.glob<LessonText>("../examples/*.lesson.ts", { import: "default", eager: true });

/** Reads the `// key: value` header at the top of an example that has no lesson file yet. */
export function parseExampleHeader(code: string): Record<string, string> {
  const header: Record<string, string> = {};
  for (const line of code.split("\n")) {
    const m = /^\/\/\s*([\w ]+?):\s*(.*)$/.exec(line.trim());
    if (!m) break;
    header[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  return header;
}

/** The course's parts, in both languages, in course order (index = a file name's first digit). */
export const courseParts: readonly Bilingual[] = [
  { en: "Basics", zh: "框架基础" },
  { en: "Automatic differentiation", zh: "自动微分" },
  { en: "Computation graphs", zh: "计算图" },
  { en: "Distributed cluster", zh: "分布式集群" },
  { en: "Distributed algorithms", zh: "分布式算法" },
  { en: "Parallelism", zh: "分布式并行" },
  { en: "Training demos", zh: "训练示例" },
];

/** The course's parts in English, in the order the Examples menu lists them. */
export const coursePartNames: readonly string[] = courseParts.map((p) => p.en);

const same = (text: string): Bilingual => ({ en: text, zh: text });

/** The lesson an example without a lesson file declares in its header (English on both sides). */
function lessonFromHeader(id: string, code: string): LessonText {
  const h = parseExampleHeader(code);
  return { title: same(h.title ?? id), body: same(h.lesson ?? ""), lookAt: same(h["look at"] ?? ""), panel: h.panel };
}

/** Lesson markup as plain text: `code`, **bold** and $TeX$ delimiters dropped, whitespace folded. */
export function plainText(markup: string): string {
  return markup
    .replace(/\$\$?([^$]+)\$\$?/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** All examples, sorted by file name (prefix names with numbers to order them). */
export const examples: Example[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, code]) => {
    const id = path.replace(/^.*\//, "").replace(/\.ts$/, "");
    const fromFile = lessonFiles[path.replace(/\.ts$/, ".lesson.ts")];
    const text = fromFile ?? lessonFromHeader(id, code);
    const digit = Number(id[0]);
    const partIndex = Number.isInteger(digit) && digit < courseParts.length ? digit : 0;
    return {
      id,
      partIndex,
      text,
      hasLessonFile: fromFile !== undefined,
      title: text.title.en,
      part: courseParts[partIndex]!.en,
      lesson: plainText(text.body.en),
      lookAt: plainText(text.lookAt.en),
      panel: text.panel,
      code,
    };
  });

const translated = new WeakMap<Example, string>();

/** The example's code with its comments in `locale` (English as written; Chinese from the lesson's translations). */
export function exampleCode(example: Example, locale: Locale): string {
  if (locale === "en" || !example.text.comments) return example.code;
  let code = translated.get(example);
  if (code === undefined) translated.set(example, (code = translateComments(example.code, example.text.comments)));
  return code;
}

/**
 * What an example's code in the editor becomes when the UI language changes to `next`: the same
 * example with its comments in `next` if `code` is that example unedited (in any language), else
 * undefined (the learner's edits are never rewritten).
 */
export function codeForLocale(example: Example, code: string, next: Locale): string | undefined {
  const wanted = exampleCode(example, next);
  if (code === wanted) return undefined;
  return code === example.code || code === exampleCode(example, "zh") ? wanted : undefined;
}

/** The examples of one course part, as the Examples menu lists them. */
export interface ExampleGroup {
  /** The part's English name (a stable key). */
  part: string;
  /** The part's number in the course (0 Basics … 6 Training demos). */
  index: number;
  examples: Example[];
}

/**
 * Examples grouped by course part, keeping those that match `query`: every whitespace-separated
 * word must occur (case-insensitively) in the title, part, lesson or "look at" text, in either language. Parts with no
 * match are left out. Without a query, parts and examples are in course order; with one, examples
 * whose title holds every word come first (their parts first), so "ring" finds the ring example
 * before lessons that merely mention a ring, and Enter in the filter opens it.
 */
export function groupExamples(query = "", list: readonly Example[] = examples): ExampleGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (e: Example): boolean => {
    const { title, body, lookAt } = e.text;
    const part = courseParts[e.partIndex]!;
    const text = [title, part, body, lookAt]
      .flatMap((b) => [b.en, b.zh])
      .join("\n")
      .toLowerCase();
    return words.every((w) => text.includes(w));
  };
  /** 0: a title match (in either language), 1: a match elsewhere (always 0 without a query). */
  const rank = (e: Example): number => {
    const title = `${e.text.title.en}\n${e.text.title.zh}`.toLowerCase();
    return words.every((w) => title.includes(w)) ? 0 : 1;
  };
  const groups = new Map<number, Example[]>();
  for (const e of list) if (matches(e)) groups.set(e.partIndex, [...(groups.get(e.partIndex) ?? []), e]);
  return [...groups]
    .map(([index, items]) => ({ part: coursePartNames[index]!, index, examples: items.sort((a, b) => rank(a) - rank(b)) }))
    .sort((a, b) => rank(a.examples[0]!) - rank(b.examples[0]!) || a.index - b.index);
}

/** The lines that make a program what it is: trimmed, comments gone, longer than a brace or two. */
function keyLines(code: string): string[] {
  return stripComments(code)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 8);
}

const exampleKeyLines = new WeakMap<Example, readonly string[]>();

/** The share of `example`'s key lines that `code` still has (0 … 1), in either language. */
export function resemblance(example: Example, have: ReadonlySet<string>): number {
  let lines = exampleKeyLines.get(example);
  if (!lines) exampleKeyLines.set(example, (lines = [...new Set(keyLines(example.code))]));
  if (lines.length === 0) return 0;
  return lines.filter((l) => have.has(l)).length / lines.length;
}

/** How much of an example code must still have to keep its lesson. */
const KEEP_LESSON = 0.4;

/**
 * The example the editor's code belongs to: the one the learner loaded (`loadedId`) while the code
 * still has at least 40 % of its lines (edits keep the lesson; code of one's own drops it), else the
 * example the code resembles most, by the same measure (a share link of an example, edited or not).
 * Comments do not count, so either language matches. Code that is no example gives undefined.
 * An exercise's code (first line `// exercise: NN-name/id`) belongs to its example's lesson, and so
 * does a snippet a lesson's figure loads (first line `// snippet: NN-name/what`).
 */
export function exampleForCode(code: string, loadedId?: string | null, list: readonly Example[] = examples): Example | undefined {
  const exercise = /^\/\/\s*(?:exercise|snippet):\s*([\w-]+)\//.exec(code.slice(0, 200));
  const ofExercise = exercise ? list.find((e) => e.id === exercise[1]) : undefined;
  if (ofExercise) return ofExercise;
  const have = new Set(keyLines(code));
  const loaded = loadedId ? list.find((e) => e.id === loadedId) : undefined;
  if (loaded && resemblance(loaded, have) >= KEEP_LESSON) return loaded;
  let best: Example | undefined;
  let bestScore = KEEP_LESSON;
  for (const e of list) {
    const score = resemblance(e, have);
    if (score >= bestScore && (best === undefined || score > bestScore)) [best, bestScore] = [e, score];
  }
  return best;
}

/** The examples before and after `example` in the course order (file-name order). */
export function neighbours(example: Example, list: readonly Example[] = examples): { previous?: Example; next?: Example } {
  const at = list.findIndex((e) => e.id === example.id);
  if (at < 0) return {};
  return { previous: list[at - 1], next: list[at + 1] };
}
