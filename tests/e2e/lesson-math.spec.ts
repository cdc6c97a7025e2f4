/**
 * The lesson pane beside the editor: its text with KaTeX formulas rendered from the app's own
 * files (no network: every request that leaves localhost is aborted, then the browser goes
 * offline), in English and in Chinese; a formula's "line N" link moves the editor there; the pane
 * folds and widens from the keyboard; an unedited example's comments follow the language.
 */
import { expect, test, type Page } from "@playwright/test";
import { getCode, openApp } from "./helpers";
import { test as sharedPageTest } from "./shared-page";

declare global {
  interface Window {
    __webgradSetLocale: (locale: "en" | "zh") => void;
  }
}

const lesson = (page: Page) => page.getByTestId("lesson");

/** Aborts every request that would leave the app's own origin, and records what was asked for. */
async function cutTheNetwork(page: Page): Promise<string[]> {
  const outside: string[] = [];
  await page.route(
    (url) => url.hostname !== "localhost" && url.protocol !== "data:" && url.protocol !== "blob:",
    (route) => {
      outside.push(route.request().url());
      return route.abort();
    },
  );
  return outside;
}

async function loadExample(page: Page, title: string): Promise<void> {
  await page.getByRole("button", { name: /^(Examples|示例)/ }).click();
  await page.getByRole("menuitem", { name: title }).click();
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText(title);
}

for (const lang of [
  { locale: "en-US", title: "Gradient descent by hand", lineLink: /^Show line \d+ in the editor$/, comment: "// let the chart draw live" },
  { locale: "zh-CN", title: "手写梯度下降", lineLink: /^在编辑器中显示第 \d+ 行$/, comment: "// 让图表实时刷新" },
]) {
  test.describe(`the lesson pane in ${lang.locale}`, () => {
    test.use({ locale: lang.locale });

    test("renders its formulas with KaTeX offline, and a formula's line link moves the editor there", async ({ page, context }) => {
      test.setTimeout(120_000);
      const outside = await cutTheNetwork(page);
      const fonts: string[] = [];
      page.on("requestfinished", (r) => /\.(woff2?|ttf)(\?|$)/.test(r.url()) && fonts.push(r.url()));
      await openApp(page);
      // The first visit opens on the first example; its lesson has math too.
      await expect(lesson(page).locator(".katex").first()).toBeVisible();
      await context.setOffline(true);

      await loadExample(page, lang.title);
      const text = lesson(page).getByTestId("lesson-text");
      await expect(text.locator(".katex-display").first()).toBeVisible();
      expect(await text.locator(".katex").count()).toBeGreaterThan(4);
      // The TeX source is not left showing: every formula rendered (a KaTeX error would show in red).
      await expect(text.locator("code.tex-source")).toHaveCount(0);
      await expect(text.locator(".katex-error")).toHaveCount(0);
      // Comments follow the language; the code is the same.
      expect(await getCode(page)).toContain(lang.comment);
      expect(await getCode(page)).toContain("w -= lr * grad;");
      // KaTeX's fonts came from the app itself.
      expect(await page.evaluate(() => document.fonts.check("16px KaTeX_Main"))).toBe(true);
      expect(fonts.every((u) => u.startsWith("http://localhost"))).toBe(true);
      expect(outside).toEqual([]);

      // "line N" beside the update rule w ← w − η dL/dw.
      const links = lesson(page).getByRole("button", { name: lang.lineLink });
      // One link per formula the code computes (five in this lesson); the update rule's names its line.
      await expect(links).toHaveCount(5);
      const code = (await getCode(page)).split("\n");
      const lineOf = async (i: number) => Number(/\d+/.exec((await links.nth(i).getAttribute("aria-label"))!)![0]);
      const targets = await Promise.all([0, 1, 2, 3, 4].map(lineOf));
      const update = targets.findIndex((n) => code[n - 1]?.includes("w -= lr * grad;"));
      expect(update, `the update rule's link (links go to lines ${targets.join(", ")})`).toBeGreaterThanOrEqual(0);
      const n = targets[update];
      await links.nth(update).click();
      await expect.poll(() => page.evaluate(() => window.__webgradApp.editor!.cursor().line)).toBe(n);
      await context.setOffline(false);
    });
  });
}

// The English-browser tests share one loaded app (./shared-page); the language tests above open their own.
sharedPageTest("the lesson folds and widens from the keyboard, and an unedited example's comments follow the language", async ({ page }) => {
  sharedPageTest.setTimeout(120_000);
  await loadExample(page, "Dynamic to static: tracing, its limits, and source conversion");
  const scroll = lesson(page).getByTestId("lesson-text");
  const before = (await scroll.boundingBox())!.height;

  const widen = lesson(page).getByRole("button", { name: "Widen the lesson" });
  await widen.focus();
  await page.keyboard.press("Enter");
  const narrow = lesson(page).getByRole("button", { name: "Make the lesson narrower" });
  await expect(narrow).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => (await scroll.boundingBox())!.height).toBeGreaterThan(before);
  await narrow.press("Enter");
  await expect(widen).toHaveAttribute("aria-pressed", "false");

  const fold = lesson(page).getByRole("button", { name: "Hide the lesson" });
  await fold.focus();
  await page.keyboard.press("Enter");
  await expect(scroll).toBeHidden();
  await lesson(page).getByRole("button", { name: "Show the lesson" }).press("Space");
  await expect(scroll).toBeVisible();

  // Switching language swaps the comments of the unedited example, and the lesson with it.
  expect(await getCode(page)).toContain("// unrolled: n is known while tracing");
  await page.evaluate(() => window.__webgradSetLocale("zh"));
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText("动静统一：追踪、它的局限与源码转换");
  await expect.poll(() => getCode(page)).toContain("// 展开：追踪时 n 已知");
  // Once the learner edits it, the code is theirs: switching back leaves it as it is.
  await page.evaluate(() => window.__webgradApp.editor!.setCode(window.__webgradApp.editor!.getCode() + "\nconsole.log('mine');\n"));
  await page.evaluate(() => window.__webgradSetLocale("en"));
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText("Dynamic to static: tracing, its limits, and source conversion");
  expect(await getCode(page)).toContain("// 展开：追踪时 n 已知");
  expect(await getCode(page)).toContain("console.log('mine');");
});

// One page for the four layouts: the viewport and the language change in place (the browser's
// language at load is the i18n spec's concern), so each layout costs a resize, not a page load.
sharedPageTest("a lesson with math fits at 1280×800 and 390×844, in English and in Chinese", async ({ page }) => {
  sharedPageTest.setTimeout(180_000);
  for (const shot of [
    { name: "desktop", viewport: { width: 1280, height: 800 } },
    { name: "phone", viewport: { width: 390, height: 844 } },
  ]) {
    for (const lang of [
      { key: "en" as const, title: "Forward mode from scratch: dual numbers" },
      { key: "zh" as const, title: "从零实现前向模式：对偶数" },
    ]) {
      const where = `${shot.name}, ${lang.key}`;
      await page.setViewportSize(shot.viewport);
      await page.evaluate((l) => window.__webgradSetLocale(l), lang.key);
      await loadExample(page, lang.title);
      await expect(lesson(page).locator(".katex-display").first()).toBeVisible();
      const narrow = lesson(page).getByRole("button", { name: /^(Make the lesson narrower|收窄课程区域)$/ });
      if (await narrow.isVisible()) await narrow.click(); // the previous layout left it widened
      expect(await page.evaluate(() => document.documentElement.scrollWidth), where).toBeLessThanOrEqual(shot.viewport.width);
      expect((await page.getByTestId("editor").boundingBox())!.height, where).toBeGreaterThan(150);
      // The CJK font's slices load as their characters first appear: a picture taken before that shows empty boxes.
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: `test-results/screenshots/lesson-math-${lang.key}-${shot.name}.png` });
      const wide = lesson(page).getByRole("button", { name: /^(Widen the lesson|加宽课程区域)$/ });
      await wide.click();
      // Widened, the lesson takes more room but leaves the editor some lines.
      expect((await page.getByTestId("editor").boundingBox())!.height, where).toBeGreaterThan(80);
      await lesson(page)
        .getByTestId("lesson-text")
        .evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: `test-results/screenshots/lesson-math-${lang.key}-${shot.name}-wide.png` });
    }
  }
});
