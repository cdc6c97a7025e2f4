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
