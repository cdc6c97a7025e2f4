/**
 * The current UI language and `t()`, the one way a component gets a string.
 *
 * The locale is reactive state: a component that calls `t()` in its template re-renders when the
 * learner switches language. It starts from a saved choice, else the browser's languages; share links
 * and Settings change it through `setLocale`.
 */
import { lookup, type MessageKey } from "./catalogue";
import { browserLocale, htmlLang, parseLocale, type Locale } from "./locale";

const STORAGE_KEY = "webgrad:locale";

function initialLocale(): Locale {
  try {
    const saved = parseLocale(globalThis.localStorage?.getItem(STORAGE_KEY));
    if (saved) return saved;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames): fall back to the browser's choice.
  }
  return browserLocale(globalThis.navigator?.languages);
}

const state = $state<{ locale: Locale }>({ locale: initialLocale() });
if (typeof document !== "undefined") document.documentElement.lang = htmlLang(state.locale);

/** The current UI language (reactive). */
export function locale(): Locale {
  return state.locale;
}

/** Switch the UI language; `persist` saves it as the learner's choice (a share link's language does not). */
export function setLocale(next: Locale, persist = true): void {
  state.locale = next;
  if (typeof document !== "undefined") document.documentElement.lang = htmlLang(next);
  if (!persist) return;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Not saved: the choice still holds for this visit.
  }
}

/** Replace `{name}` placeholders with `params[name]`. */
export function format(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `text` cut at its `{name}` placeholders that `values` fills: `code` parts are the filled ones (shown as code). */
export function splitPlaceholders(text: string, values: Record<string, string>): { value: string; code: boolean }[] {
  const parts: { value: string; code: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1]! in values)) continue;
    if (m.index > at) parts.push({ value: text.slice(at, m.index), code: false });
    parts.push({ value: values[m[1]!]!, code: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ value: text.slice(at), code: false });
  return parts;
}

/** The UI string for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const entry = lookup(key);
  if (!entry) throw new Error(`i18n: no message "${key}"`);
  return format(entry[state.locale], params);
}

/** Pick the current language's side of a bilingual value (lesson text, exercise prompts). */
export function pick<T>(value: { readonly en: T; readonly zh: T }): T {
  return value[state.locale];
}
