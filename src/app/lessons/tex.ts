/**
 * The lazy door to KaTeX: the first formula on screen loads it (a separate chunk with its CSS and
 * fonts, precached by the service worker like the rest of the app); later ones render at once.
 * @module
 */

/** Renders TeX to HTML (display style or inline). */
export type TexRenderer = (tex: string, display: boolean) => string;

let loaded: TexRenderer | undefined;
let loading: Promise<TexRenderer> | undefined;

/** The renderer if KaTeX has loaded already (so a re-render does not flash the TeX source). */
export function texRendererIfLoaded(): TexRenderer | undefined {
  return loaded;
}

/** Loads KaTeX once and resolves to its renderer. */
export function loadTexRenderer(): Promise<TexRenderer> {
  loading ??= import("./katex").then((m) => (loaded = m.renderTex));
  return loading;
}
