import { describe, expect, it } from "vitest";
import { catalogue, lookup } from "../../../src/app/i18n/catalogue";
import { browserLocale, parseLocale } from "../../../src/app/i18n/locale";
import { format } from "../../../src/app/i18n/i18n.svelte";

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
