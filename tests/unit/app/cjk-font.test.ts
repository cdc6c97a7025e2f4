import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { catalogue } from "../../../src/app/i18n/catalogue";
import {
  addCjkCharacters,
  CJK_FONT_CSS,
  cjkCharactersInSources,
  cjkFontManifestTransform,
  loadFontSlices,
  MEASURED_CHARACTERS,
  parseFontSlices,
  precachedSlices,
  slicesCovering,
  type FontSlice,
  woff2Only,
} from "../../../scripts/vite/cjk-font";

const SRC = fileURLToPath(new URL("../../../src", import.meta.url));

// What the app shows, read from the loaded modules (not from source text): the UI catalogue,
// the lessons (tour and translated code comments included) and the exercises.
const lessons = import.meta.glob<unknown>("../../../src/examples/*.lesson.ts", { import: "default", eager: true });
const exercises = import.meta.glob<unknown>("../../../src/examples/*.exercises.ts", { import: "default", eager: true });

/** Every string reachable from `value` (object values and keys, array items). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push(k); // translated comment maps are keyed by the English text, valued by the Chinese
      strings(v, out);
    }
  return out;
}

/** A slice's ranges as a membership test. */
const covers = (slices: readonly FontSlice[], ch: string): boolean => {
  const cp = ch.codePointAt(0)!;
  return slices.some((s) => s.ranges.some(([a, b]) => cp >= a && cp <= b));
};

describe("CJK web font", () => {
  const slices = loadFontSlices();
  const precached = precachedSlices(SRC, slices);

  it("reads the font's slices, each with its unicode ranges", () => {
    expect(slices.length).toBeGreaterThan(90);
    for (const s of slices) {
      expect(s.name).toMatch(/^noto-sans-sc-(\d+|latin|latin-ext|cyrillic|vietnamese)-400-normal$/);
      expect(s.ranges.length).toBeGreaterThan(0);
      for (const [a, b] of s.ranges) expect(b).toBeGreaterThanOrEqual(a);
    }
    expect(parseFontSlices("@font-face{src:url(./files/x-1-400-normal.woff2) format('woff2');unicode-range:U+4e00-4e0f,U+3002;}")).toEqual([
      {
        name: "x-1-400-normal",
        ranges: [
          [0x4e00, 0x4e0f],
          [0x3002, 0x3002],
        ],
      },
    ]);
  });

  it("precaches a slice for every CJK character the app shows, so no lesson string is tofu offline", () => {
    const shown = new Set<string>();
    for (const s of strings([catalogue, lessons, exercises])) addCjkCharacters(s, shown);
    expect(shown.size).toBeGreaterThan(500); // the course is taught in Chinese
    const missing = [...shown].filter((ch) => !covers(precached, ch));
    expect(missing.join("")).toBe("");
  });

  it("covers every CJK character in the sources (runner messages too), and the font has them all", () => {
    const inSources = cjkCharactersInSources(SRC);
    expect(slicesCovering(inSources, slices).uncovered.join("")).toBe("");
    expect([...inSources].filter((ch) => !covers(precached, ch)).join("")).toBe("");
    expect(covers(precached, MEASURED_CHARACTERS)).toBe(true); // Monaco measures it on every load
    // Far from the whole font: the point of slicing.
    expect(precached.length).toBeLessThan(slices.length / 2);
  });

  it("serves the font's CSS with woff2 sources only, every slice kept", () => {
    const css = readFileSync(createRequire(import.meta.url).resolve(CJK_FONT_CSS), "utf8");
    const slim = woff2Only(css);
    expect(slim).not.toMatch(/\.woff\)/);
    expect(slim.match(/\.woff2\) format\('woff2'\)/g)!.length).toBe(slices.length);
    expect(parseFontSlices(slim)).toEqual(slices);
  });

  it("drops the other slices from the precache and keeps every other file", async () => {
    const transform = cjkFontManifestTransform(precached);
    const kept = precached[0]!.name;
    const dropped = slices.find((s) => !precached.includes(s))!.name;
    const entries = [
      { url: `assets/${kept}-AbC_12-x.woff2`, revision: null, size: 10 },
      { url: `assets/${dropped}-Zz9.woff2`, revision: null, size: 10 },
      { url: "assets/noto-sans-sc-latin-ext-400-normal-Q1w.woff2", revision: null, size: 10 },
      { url: "assets/index-abc.js", revision: null, size: 10 },
      { url: "assets/codicon-xyz.ttf", revision: null, size: 10 },
    ];
    const result = await transform(entries);
    expect(result.manifest.map((e) => e.url)).toEqual([entries[0]!.url, entries[3]!.url, entries[4]!.url]);
  });
});
