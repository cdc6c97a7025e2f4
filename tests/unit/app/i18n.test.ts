import { describe, expect, it } from "vitest";
import { catalogue, lookup } from "../../../src/app/i18n/catalogue";
import { browserLocale, parseLocale } from "../../../src/app/i18n/locale";
import { format, locale, setLocale, splitPlaceholders, t } from "../../../src/app/i18n/i18n.svelte";
import { describeImage } from "../../../src/app/panels/plots/raster";
import type { ImageEvent } from "../../../src/schema/events";

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe("i18n catalogue", () => {
  const entries = Object.entries(catalogue).flatMap(([area, messages]) => Object.entries(messages).map(([name, m]) => [`${area}.${name}`, m] as const));

  it("has every key in both languages, non-empty", () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [key, m] of entries) {
      expect(m.en.trim(), `${key} (en)`).not.toBe("");
      expect(m.zh.trim(), `${key} (zh)`).not.toBe("");
    }
  });

  it("uses the same {placeholders} in both languages", () => {
    for (const [key, m] of entries) expect(placeholders(m.zh), key).toEqual(placeholders(m.en));
  });

  it("looks keys up by area.name and rejects others", () => {
    expect(lookup("common.language")?.zh).toBe("语言");
    expect(lookup("common.nope")).toBeUndefined();
    expect(lookup("nodot")).toBeUndefined();
  });
});

describe("locale choice", () => {
  it("parses BCP 47 tags", () => {
    expect(parseLocale("zh-CN")).toBe("zh");
    expect(parseLocale("zh-Hans-CN")).toBe("zh");
    expect(parseLocale("en-GB")).toBe("en");
    expect(parseLocale("fr")).toBeUndefined();
    expect(parseLocale(3)).toBeUndefined();
  });
  it("follows the browser's first supported language", () => {
    expect(browserLocale(["fr-FR", "zh-TW", "en"])).toBe("zh");
    expect(browserLocale(["de"])).toBe("en");
    expect(browserLocale(undefined)).toBe("en");
  });
  it("fills placeholders and leaves unknown ones", () => {
    expect(format("step {n} of {total}", { n: 2, total: 5 })).toBe("step 2 of 5");
    expect(format("{a} {b}", { a: 1 })).toBe("1 {b}");
  });
});

describe("t() and the current locale", () => {
  it("answers in the chosen language, and a derived label follows a switch", () => {
    const before = locale();
    const picture = { kind: "image", name: "heat", width: 3, height: 2, count: 1, colormap: "viridis", range: [0, 1] } as unknown as ImageEvent;
    try {
      setLocale("zh", false);
      expect(t("toolbar.run")).toBe("运行");
      expect(t("examples.countMany", { count: 12 })).toBe("12 个示例");
      expect(describeImage(picture)).toBe("图像 heat：2 × 3 像素，viridis 色图，范围 0 到 1");
      setLocale("en", false);
      expect(t("toolbar.run")).toBe("Run");
      expect(describeImage(picture)).toBe("Image heat: 2 by 3 pixels, viridis colour map from 0 to 1");
    } finally {
      setLocale(before, false);
    }
  });

  it("cuts a sentence at the placeholders that hold code, wherever the language puts them", () => {
    expect(splitPlaceholders("Output of {code} appears here.", { code: "console.log" })).toEqual([
      { value: "Output of ", code: false },
      { value: "console.log", code: true },
      { value: " appears here.", code: false },
    ]);
    expect(splitPlaceholders("{code} 的输出{other}", { code: "x" })).toEqual([
      { value: "x", code: true },
      { value: " 的输出{other}", code: false },
    ]);
  });
});
