/** The locales the app speaks, and how one is chosen without any state (browser languages, query). */

/** A supported UI language. */
export type Locale = "en" | "zh";

/** Every supported locale, in the order the Settings menu lists them. */
export const LOCALES: readonly Locale[] = ["en", "zh"];

/** `value` as a supported locale, or undefined (accepts BCP 47 tags: `zh-CN`, `zh-Hans`, `en-GB`). */
export function parseLocale(value: unknown): Locale | undefined {
  if (typeof value !== "string") return undefined;
  const tag = value.trim().toLowerCase();
  if (tag === "zh" || tag.startsWith("zh-")) return "zh";
  if (tag === "en" || tag.startsWith("en-")) return "en";
  return undefined;
}

/** The first supported locale among the browser's preferred languages; English when none is. */
export function browserLocale(languages: readonly string[] | undefined): Locale {
  for (const l of languages ?? []) {
    const parsed = parseLocale(l);
    if (parsed) return parsed;
  }
  return "en";
}

/** The `lang` attribute for a locale (`zh-Hans` tells screen readers and fonts it is Simplified Chinese). */
export function htmlLang(locale: Locale): string {
  return locale === "zh" ? "zh-Hans" : "en";
}
