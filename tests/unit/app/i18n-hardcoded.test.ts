/**
 * No UI string is written into a component: every word the learner reads comes from the message
 * catalogue (`src/app/i18n/`), so it exists in English and 简体中文. This scans the markup of every
 * `src/app/**\/*.svelte` file (and the tour's steps) with Svelte's own parser and reports, by
 * file:line, text nodes with words in them, prose in `aria-label`/`title`/`placeholder`/`alt`/`label`
 * attributes, and string literals that read as language in markup expressions and scripts.
 * Symbols, glyphs (▶ ✕ ∂ …), code identifiers and keys are not language and pass.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import { parse } from "svelte/compiler";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const appDir = join(root, "src/app");

/**
 * Files whose strings their owners convert in a later pass; nothing else may be listed. Each entry
 * must still have findings (a converted file leaves the list), so the list only shrinks.
 */
const NOT_YET_CONVERTED: readonly string[] = [];
const notYetConverted = (file: string): string | undefined =>
  NOT_YET_CONVERTED.find((entry) => (entry.endsWith("/") ? file.startsWith(entry) : file === entry));

/** Attributes whose value the learner reads (or hears from a screen reader). `label` is Menu's prop. */
const PROSE_ATTRIBUTES = new Set(["aria-label", "aria-description", "aria-roledescription", "aria-valuetext", "title", "placeholder", "alt", "label"]);
/** Attributes that hold no language even when they hold words (key names, ids, code). */
const CODE_ATTRIBUTES = new Set(["aria-keyshortcuts", "class", "id", "lang", "role", "type", "href", "target", "rel", "data-tour", "data-testid"]);
/** Words in markup that are not language: the product's name, a unit, the font-size buttons. */
const NOT_LANGUAGE = /\bwebgrad\b|(?<!\p{L})px\b|A[−+]/gu;

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
/** Text with a letter or a CJK character left once names and units are taken out. */
const hasWords = (text: string): boolean => {
  const rest = text.replace(NOT_LANGUAGE, "");
  return /\p{L}{2,}/u.test(rest) || CJK.test(rest);
};
/** A string literal in a script that reads as a sentence: CJK, or a word followed by a lowercase word. */
const isProse = (text: string): boolean => CJK.test(text) || /\p{L}{2,}[ \u00a0]+\p{Ll}/u.test(text);
/** In markup a single capitalised word is a label too ("Done", "Next"); a key ("tour.next") is not. */
const isMarkupProse = (text: string): boolean => isProse(text) || /^[\s(]*\p{Lu}\p{Ll}+\b/u.test(text);

interface Finding {
  file: string;
  line: number;
  text: string;
}

type Node = { type?: string; start?: number; [key: string]: unknown };

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** The string literals (and template literal pieces) in an ESTree subtree, with their offsets. */
function stringsIn(node: unknown, out: { text: string; start: number }[] = []): { text: string; start: number }[] {
  if (!node || typeof node !== "object") return out;
  if (Array.isArray(node)) {
    for (const child of node) stringsIn(child, out);
    return out;
  }
  const n = node as Node;
  if (n.type === "ImportDeclaration" || n.type === "ExportAllDeclaration") return out;
  if (n.type === "Literal" && typeof n.value === "string") out.push({ text: n.value, start: n.start ?? 0 });
  else if (n.type === "TemplateElement") out.push({ text: String((n.value as { cooked?: string }).cooked ?? ""), start: n.start ?? 0 });
  for (const [key, value] of Object.entries(n)) if (key !== "loc" && key !== "leadingComments" && key !== "trailingComments") stringsIn(value, out);
  return out;
}

/** Every hard-coded UI string in one Svelte component. */
export function findInSvelte(file: string, source: string): Finding[] {
  const ast = parse(source, { modern: true });
  const findings: Finding[] = [];
  const report = (start: number, text: string): void => void findings.push({ file, line: lineAt(source, start), text: text.trim().slice(0, 80) });
  const checkExpression = (expression: unknown, prose: (s: string) => boolean): void => {
    for (const s of stringsIn(expression)) if (prose(s.text)) report(s.start, s.text);
  };

  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Node;
    switch (n.type) {
      case "Text":
        if (hasWords(String(n.data))) report(n.start ?? 0, String(n.data));
        return;
      case "Comment":
        return;
      case "ExpressionTag":
        checkExpression(n.expression, isMarkupProse);
        return;
      case "Attribute": {
        const name = String(n.name);
        if (CODE_ATTRIBUTES.has(name) || name.startsWith("on") || name.startsWith("data-")) return;
        const parts = Array.isArray(n.value) ? n.value : n.value === true ? [] : [n.value];
        for (const part of parts as Node[]) {
          if (part.type === "Text" && PROSE_ATTRIBUTES.has(name) && hasWords(String(part.data))) report(part.start ?? 0, `${name}="${String(part.data)}"`);
          else if (part.type === "ExpressionTag") checkExpression(part.expression, isMarkupProse);
        }
        return;
      }
      case "OnDirective":
      case "BindDirective":
      case "ClassDirective":
      case "StyleDirective":
      case "UseDirective":
      case "TransitionDirective":
      case "AnimateDirective":
        return;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === "loc" || key === "metadata") continue;
      // Block expressions ({#each [...]}, {#if ...}) are markup too: a label list there is UI text.
      if (key === "expression" && n.type && /Block$/.test(n.type)) checkExpression(value, isMarkupProse);
      else visit(value);
    }
  };
  visit(ast.fragment);
  for (const script of [ast.instance, ast.module]) if (script) checkExpression((script as { content: unknown }).content, isProse);
  return findings.sort((a, b) => a.line - b.line);
}

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? svelteFiles(path) : entry.name.endsWith(".svelte") ? [path] : [];
  });
}

/** String literals in a TypeScript module that read as sentences (the tour's steps must be keys). */
function findInModule(file: string, source: string): Finding[] {
  const findings: Finding[] = [];
  // Comments are documentation, not UI: drop them, keeping offsets (and so line numbers) intact.
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, " "));
  for (const m of code.matchAll(/"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
    const text = m[1] ?? m[2] ?? "";
    if (isProse(text)) findings.push({ file, line: lineAt(code, m.index), text: text.slice(0, 80) });
  }
  return findings;
}

const show = (f: Finding): string => `${f.file}:${f.line}: ${JSON.stringify(f.text)}`;

describe("no hard-coded UI text", () => {
  const files = svelteFiles(appDir).map((path) => relative(root, path).replaceAll("\\", "/"));
  const findings = new Map(files.map((file) => [file, findInSvelte(file, readFileSync(join(root, file), "utf8"))]));

  it("finds none in the app's components (outside the files listed as not yet converted)", () => {
    const found = [...findings].filter(([file]) => !notYetConverted(file)).flatMap(([, f]) => f);
    expect(found.map(show), 'UI text must come from the catalogue: t("area.key") with an entry in src/app/i18n/messages/').toEqual([]);
  });

  it("finds none in the tour's steps", () => {
    const file = "src/app/components/tour.ts";
    expect(findInModule(file, readFileSync(join(root, file), "utf8")).map(show)).toEqual([]);
  });

  it("lists only files that exist and still need converting (the list only shrinks)", () => {
    for (const entry of NOT_YET_CONVERTED) {
      expect(existsSync(join(root, entry)), `${entry} does not exist: remove it from NOT_YET_CONVERTED`).toBe(true);
      const left = [...findings].filter(([file]) => notYetConverted(file) === entry).flatMap(([, f]) => f);
      expect(left.length, `${entry} has no hard-coded text left: remove it from NOT_YET_CONVERTED`).toBeGreaterThan(0);
    }
  });

  it("catches text nodes, prose attributes and labels in expressions, and lets glyphs, keys and code through", () => {
    const source = [
      `<script lang="ts">`,
      `  import { t } from "../i18n/i18n.svelte";`,
      `  const note = "Could not load it";`,
      `  const key = e.key === "ArrowRight" ? "tour.next" : "(prefers-color-scheme: dark)";`,
      `</script>`,
      `<button title="Run it" aria-keyshortcuts="Escape Meta+." onclick={() => go("Some words here")}>▶ Run</button>`,
      `<span aria-label={t("toolbar.run")} title={ok ? "Done" : t("tour.next")}>✕ · {n}px</span>`,
      `<p>{last ? "Next" : "tour.done"}</p><span class="logo">∂</span>webgrad<b>运行</b>`,
      `{#each [["auto", "Auto (WebGPU)"]] as [v, l] (v)}<i>{l}</i>{/each}`,
      `<!-- Comments are not shown -->`,
    ].join("\n");
    expect(findInSvelte("x.svelte", source).map((f) => `${f.line}: ${f.text}`)).toEqual([
      "3: Could not load it",
      '6: title="Run it"',
      "6: ▶ Run",
      "7: Done",
      "8: Next",
      "8: 运行",
      "9: Auto (WebGPU)",
    ]);
    expect(findInModule("m.ts", `/** A "doc comment" stays */\nconst s = { title: "Write a program", text: "tour.editorText" };`).map((f) => f.line)).toEqual([
      2,
    ]);
  });
});
