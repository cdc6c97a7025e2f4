/**
 * TeX → HTML with KaTeX, and KaTeX's stylesheet (its fonts become files of the build, so formulas
 * render offline). Loaded on demand through `tex.ts`, so KaTeX stays out of the first-load chunk.
 * @module
 */
import katex from "katex";
import "katex/dist/katex.min.css";

/** Renders `tex` to HTML (MathML alongside for screen readers); a TeX error shows the source in red instead of throwing. */
export function renderTex(tex: string, display: boolean): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: "htmlAndMathml", strict: "ignore" });
}
