/**
 * The small markup of lesson text (`LessonText.body`): paragraphs separated by blank lines, `code`,
 * **bold**, inline TeX as `$…$` and display TeX as `$$…$$` (on its own or inside a paragraph).
 * Parsed into plain data here; the lesson pane renders it (TeX through KaTeX), so no lesson text is
 * ever put into the page as HTML.
 * @module
 */

/** A run of inline content. */
export type Inline =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "code"; readonly text: string }
  | { readonly kind: "bold"; readonly text: string }
  | { readonly kind: "math"; readonly tex: string };

/** A block: a paragraph of inline runs, or a displayed formula. */
export type Block = { readonly kind: "paragraph"; readonly inlines: readonly Inline[] } | { readonly kind: "math"; readonly tex: string };

/** Splits lesson text into blocks. */
export function parseLessonText(source: string): Block[] {
  const blocks: Block[] = [];
  for (const para of source.split(/\n\s*\n/)) {
    // Display math splits a paragraph: text before, the formula, text after.
    const parts = para.split(/\$\$([\s\S]+?)\$\$/);
    parts.forEach((part, i) => {
      if (i % 2 === 1) blocks.push({ kind: "math", tex: part.trim() });
      else {
        const text = part.replace(/\s*\n\s*/g, " ").trim();
        if (text) blocks.push({ kind: "paragraph", inlines: parseInline(text) });
      }
    });
  }
  return blocks;
}

/** Splits one paragraph into text, `code`, **bold** and $math$ runs (code first: `$` inside code is literal). */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\$([^$]+)\$/g;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) out.push({ kind: "text", text: text.slice(at, m.index) });
    if (m[1] !== undefined) out.push({ kind: "code", text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: "bold", text: m[2] });
    else out.push({ kind: "math", tex: m[3]! });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ kind: "text", text: text.slice(at) });
  return out;
}

/** Every TeX source in a lesson text (for checking that each one renders). */
export function texSources(source: string): string[] {
  return parseLessonText(source).flatMap((b) => (b.kind === "math" ? [b.tex] : b.inlines.flatMap((i) => (i.kind === "math" ? [i.tex] : []))));
}
