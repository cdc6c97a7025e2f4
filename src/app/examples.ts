/**
 * The Examples menu: every `src/examples/*.ts` file, read as text. Each file starts with a header
 * of `// key: value` lines (`title`, `part`, `lesson`, `look at`, `panel`), which the menu and the
 * lesson pane show. File names start with two digits whose first names the course part (0 basics,
 * 1 autodiff, 2 graphs, 3 cluster, 4 distributed algorithms, 5 parallelism, 6 training demos).
 * @module
 */

/** One example program. */
export interface Example {
  /** File name without extension, e.g. "hello". */
  id: string;
  title: string;
  /** The course part it belongs to (one of {@link coursePartNames}); the menu groups by it. */
  part: string;
  /** The lesson it belongs to and what it teaches. */
  lesson: string;
  /** What to look at after running it. */
  lookAt: string;
  /** The panel to open when it is loaded (`// panel: graph`), if any. */
  panel?: string;
  code: string;
}

const files = import.meta.glob<string>("../examples/*.ts", { query: "?raw", import: "default", eager: true });

/** Reads the `// key: value` header at the top of an example. */
export function parseExampleHeader(code: string): Record<string, string> {
  const header: Record<string, string> = {};
  for (const line of code.split("\n")) {
    const m = /^\/\/\s*([\w ]+?):\s*(.*)$/.exec(line.trim());
    if (!m) break;
    header[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  return header;
}

/** The course's parts, in the order the Examples menu lists them. */
export const coursePartNames = [
  "Basics",
  "Automatic differentiation",
  "Computation graphs",
  "Distributed cluster",
  "Distributed algorithms",
  "Parallelism",
  "Training demos",
] as const;

/** All examples, sorted by file name (prefix names with numbers to order them). */
export const examples: Example[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, code]) => {
    const id = path.replace(/^.*\//, "").replace(/\.ts$/, "");
    const h = parseExampleHeader(code);
    return { id, title: h.title ?? id, part: h.part ?? "Basics", lesson: h.lesson ?? "", lookAt: h["look at"] ?? "", panel: h.panel, code };
  });

/** The examples of one course part, as the Examples menu lists them. */
export interface ExampleGroup {
  part: string;
  /** The part's number in the course (0 Basics … 6 Training demos). */
  index: number;
  examples: Example[];
}

/**
 * Examples grouped by course part, keeping those that match `query`: every whitespace-separated
 * word must occur (case-insensitively) in the title, part, lesson or "look at" text. Parts with no
 * match are left out. Without a query, parts and examples are in course order; with one, examples
 * whose title holds every word come first (their parts first), so "ring" finds the ring example
 * before lessons that merely mention a ring, and Enter in the filter opens it.
 */
export function groupExamples(query = "", list: readonly Example[] = examples): ExampleGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (e: Example): boolean => {
    const text = `${e.title}\n${e.part}\n${e.lesson}\n${e.lookAt}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
  /** 0: a title match, 1: a match elsewhere (always 0 without a query). */
  const rank = (e: Example): number => (words.every((w) => e.title.toLowerCase().includes(w)) ? 0 : 1);
  const parts: readonly string[] = coursePartNames;
  const partOrder = (index: number): number => (index < 0 ? 99 : index);
  const groups = new Map<string, Example[]>();
  for (const e of list) if (matches(e)) groups.set(e.part, [...(groups.get(e.part) ?? []), e]);
  return [...groups]
    .map(([part, items]) => ({ part, index: parts.indexOf(part), examples: items.sort((a, b) => rank(a) - rank(b)) }))
    .sort((a, b) => rank(a.examples[0]!) - rank(b.examples[0]!) || partOrder(a.index) - partOrder(b.index));
}

/**
 * The example that `code` still is: the one whose `// title:` header it carries. Edits below the
 * header keep the lesson (the user is working through that example); removing the header, or
 * code that is not an example, gives undefined. Only the first lines are read (cheap per keystroke).
 */
export function exampleForCode(code: string, list: readonly Example[] = examples): Example | undefined {
  const title = parseExampleHeader(code.slice(0, 4000)).title;
  return title === undefined ? undefined : list.find((e) => e.title === title);
}

/** The examples before and after `example` in the course order (file-name order). */
export function neighbours(example: Example, list: readonly Example[] = examples): { previous?: Example; next?: Example } {
  const at = list.findIndex((e) => e.id === example.id);
  if (at < 0) return {};
  return { previous: list[at - 1], next: list[at + 1] };
}
