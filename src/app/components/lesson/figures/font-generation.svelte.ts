/**
 * A counter that moves each time the document finishes loading web fonts. The CJK font arrives in
 * slices as their characters first appear, and Chromium does not lay SVG `<text>` out again when a
 * slice lands after the text was drawn: a label stays an empty box. A figure that draws text in SVG
 * re-creates it under `{#key fontGeneration()}`.
 * @module
 */
let generation = $state(0);
let listening = false;

/** The number of finished font loads so far (reactive); starts listening on first use. */
export function fontGeneration(): number {
  if (!listening && typeof document !== "undefined" && "fonts" in document) {
    listening = true;
    document.fonts.addEventListener("loadingdone", () => generation++);
  }
  return generation;
}
