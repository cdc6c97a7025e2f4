/**
 * The CJK web font (Noto Sans SC, from `@fontsource/noto-sans-sc`) and which of its slices the
 * service worker precaches.
 *
 * The font's CSS splits it into ~100 woff2 slices, each an `@font-face` with a `unicode-range`;
 * a browser fetches a slice only when a character on the page falls in its range and no earlier
 * family in the font stack has that glyph. The family sits last in the app's stacks, so a system
 * with its own CJK fonts fetches nothing. For offline use without CJK fonts, the precache holds
 * the slices that cover every CJK character in the app's sources (UI catalogue, lessons,
 * exercises, tour, translated code comments, runner messages); the other slices (characters a
 * user types) are cached at run time when first used ({@link cjkFontRuntimeCaching}).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Plugin } from "vite";
import type { ManifestTransform, RuntimeCaching } from "workbox-build";

/** The stylesheet the app imports (src/app/main.ts): regular weight only; bold is synthesized. */
export const CJK_FONT_CSS = "@fontsource/noto-sans-sc/400.css";

/** The family name the font's CSS declares (and the app's font stacks name last). */
export const CJK_FONT_FAMILY = "Noto Sans SC";

/** One `@font-face` slice of the font: its woff2 file's base name and its unicode ranges. */
export interface FontSlice {
  /** e.g. `noto-sans-sc-4-400-normal` (Vite adds a content hash before `.woff2`). */
  readonly name: string;
  /** Inclusive code point ranges, `[first, last]`. */
  readonly ranges: readonly (readonly [number, number])[];
}

/** Reads the slices out of a fontsource stylesheet. */
export function parseFontSlices(css: string): FontSlice[] {
  const slices: FontSlice[] = [];
  for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
    const file = /url\(\.\/files\/([\w-]+)\.woff2\)/.exec(block);
    const range = /unicode-range:\s*([^;]+);/.exec(block);
    if (!file || !range) continue;
    const ranges = range[1].split(",").map((part): [number, number] => {
      const [first, last = first] = part.trim().replace(/^U\+/i, "").split("-");
      return [parseInt(first, 16), parseInt(last, 16)];
    });
    slices.push({ name: file[1], ranges });
  }
  return slices;
}

/** Whether a code point needs a CJK font: CJK punctuation, kana, ideographs, full-width forms. */
export function isCjk(codePoint: number): boolean {
  return (
    (codePoint >= 0x2e80 && codePoint <= 0x9fff) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xffef) ||
    (codePoint >= 0x20000 && codePoint <= 0x3134f)
  );
}

/** The CJK characters in `text`, added to `into`. */
export function addCjkCharacters(text: string, into: Set<string>): Set<string> {
  for (const ch of text) if (isCjk(ch.codePointAt(0) ?? 0)) into.add(ch);
  return into;
}

/** Every CJK character in the `.ts` and `.svelte` files under `dir` (recursively). */
export function cjkCharactersInSources(dir: string, into = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) cjkCharactersInSources(path, into);
    else if (/\.(ts|svelte)$/.test(entry.name)) addCjkCharacters(readFileSync(path, "utf8"), into);
  }
  return into;
}

/** The slices that cover `characters`, and the characters no slice covers (the font lacks them). */
export function slicesCovering(characters: Iterable<string>, slices: readonly FontSlice[]): { slices: FontSlice[]; uncovered: string[] } {
  const used = new Set<FontSlice>();
  const uncovered: string[] = [];
  for (const ch of characters) {
    const cp = ch.codePointAt(0) ?? 0;
    const slice = slices.find((s) => s.ranges.some(([first, last]) => cp >= first && cp <= last));
    if (slice) used.add(slice);
    else uncovered.push(ch);
  }
  return { slices: slices.filter((s) => used.has(s)), uncovered };
}

/** The font's slices, read from the installed package. */
export function loadFontSlices(): FontSlice[] {
  const require = createRequire(import.meta.url);
  return parseFontSlices(readFileSync(require.resolve(CJK_FONT_CSS), "utf8"));
}

/**
 * Characters the page asks the font for without showing them: Monaco measures a full-width "Ｗ"
 * to size wide characters, in its font stack, which ends with this font.
 */
export const MEASURED_CHARACTERS = "\uff37";

/** The slices the app's own text needs: those covering every CJK character under `sourceDir`. */
export function precachedSlices(sourceDir: string, slices = loadFontSlices()): FontSlice[] {
  return slicesCovering(addCjkCharacters(MEASURED_CHARACTERS, cjkCharactersInSources(sourceDir)), slices).slices;
}

/**
 * A built slice's URL → its slice name (`…/noto-sans-sc-4-400-normal-<hash>.woff2` →
 * `noto-sans-sc-4-400-normal`); the Latin, Cyrillic and Vietnamese slices are named, not numbered.
 */
const SLICE_URL = /(noto-sans-sc-[a-z0-9-]+?-\d{3}-normal)-[\w-]+\.woff2$/;

/**
 * A workbox manifest transform that keeps, of the font's slices, only `keep` in the precache
 * (the glob patterns pick up every emitted `.woff2`, ~3.7 MB for this font).
 */
export function cjkFontManifestTransform(keep: readonly FontSlice[]): ManifestTransform {
  const names = new Set(keep.map((s) => s.name));
  return async (entries) => ({
    manifest: entries.filter((entry) => {
      const slice = SLICE_URL.exec(entry.url);
      return !slice || names.has(slice[1]);
    }),
    warnings: [],
  });
}

/** Slices outside the precache (characters a user types) are cached the first time they are fetched. */
export const cjkFontRuntimeCaching: RuntimeCaching = {
  urlPattern: ({ url }) => SLICE_URL.test(url.pathname),
  handler: "CacheFirst",
  options: { cacheName: "webgrad-cjk-font", expiration: { maxEntries: 120 }, cacheableResponse: { statuses: [0, 200] } },
};

/**
 * The font's CSS without its `.woff` fallbacks: every browser the app supports takes woff2, and
 * the fallbacks would put ~3 MB of files no browser fetches into the build.
 */
export function woff2Only(css: string): string {
  return css.replace(/,\s*url\([^)]*\.woff\)\s*format\(['"]woff['"]\)/g, "");
}

/** Serves the font's stylesheet through {@link woff2Only}. */
export function cjkFontPlugin(): Plugin {
  return {
    name: "webgrad-cjk-font",
    enforce: "pre",
    transform(code, id) {
      return /@fontsource[/\\]noto-sans-sc[/\\][^?]*\.css(\?|$)/.test(id) ? { code: woff2Only(code), map: null } : undefined;
    },
  };
}
