/**
 * The bundled CJK web font (scripts/vite/cjk-font.ts): in Chinese, on a machine with no CJK system
 * fonts (this test machine's Chromium has none, so without it every character is an empty box),
 * the UI, a lesson's text and formulas and the editor's translated comments render real glyphs,
 * offline too (from the slices the service worker precached).
 */
import { expect, test, type Page } from "@playwright/test";
import { runButton } from "./helpers";

test.use({ locale: "zh-CN", serviceWorkers: "allow" });

/** The rendered width of an element's text (a Range, so padding and borders do not count). */
const textWidth = (page: Page, selector: string): Promise<number> =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().width;
    });

test("Chinese text renders in the bundled Noto Sans SC offline, not as empty boxes: UI, lesson, formula, editor", async ({ page, context }, info) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.setItem("webgrad.tour.v1", "seen"));
  const open = async (): Promise<void> => {
    await expect(page.locator(".monaco-editor textarea")).toBeAttached({ timeout: 30_000 });
    await expect(runButton(page)).toBeEnabled();
  };
  await page.goto("./");
  await open();
  // The first visit installs the service worker (precache); everything below runs offline.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await page.reload();
  await open();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByTestId("run-status")).toHaveText("就绪");
  await page.evaluate(() => document.fonts.ready);

  // The face for these characters is loaded (check() is false while a matching face is unloaded).
  const fonts = await page.evaluate(async () => {
    await document.fonts.load('16px "Noto Sans SC"', "梯度反向传播");
    return {
      check: document.fonts.check('16px "Noto Sans SC"', "梯度"),
      loaded: [...document.fonts].filter((f) => f.family.replace(/['"]/g, "") === "Noto Sans SC" && f.status === "loaded").length,
    };
  });
  expect(fonts.check).toBe(true);
  expect(fonts.loaded).toBeGreaterThan(0);

  // Real CJK glyphs are one em wide each; the boxes a font without them draws are not.
  const widths = await page.evaluate(() => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.font = '16px "Noto Sans SC"';
    const glyphs = ctx.measureText("梯度反向传播").width;
    ctx.font = '16px "a font that is not there", monospace';
    const fallback = ctx.measureText("梯度反向传播").width;
    return { glyphs, fallback };
  });
  expect(widths.glyphs).toBeCloseTo(6 * 16, 0);

  // A Chinese label in the UI: "就绪" is two glyphs of its font size.
  const status = page.getByTestId("run-status");
  const fontSize = await status.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const statusWidth = await textWidth(page, "[data-testid=run-status]");
  expect(statusWidth).toBeGreaterThan(2 * fontSize - 1.5);
  expect(statusWidth).toBeLessThan(2 * fontSize + 1.5);

  // A lesson with Chinese in its prose, its formulas (\text{对每个 …}) and its code comments.
  await page.getByRole("button", { name: /^示例/ }).click();
  await page.getByRole("menuitem", { name: /^自动微分的实现/ }).click();
  const lesson = page.getByTestId("lesson");
  await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(/^自动微分的实现/);
  await expect(lesson.locator(".katex .cjk_fallback").first()).toBeVisible();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("对");
  await page.evaluate(() => document.fonts.ready);
  // Each CJK character in a formula is one em of its own font size wide.
  const katexChar = await lesson
    .locator(".katex .cjk_fallback")
    .first()
    .evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return { width: range.getBoundingClientRect().width / [...(el.textContent ?? "")].length, em: parseFloat(getComputedStyle(el).fontSize) };
    });
  expect(katexChar.width).toBeCloseTo(katexChar.em, 0);
  await page.screenshot({ path: info.outputPath("cjk-lesson-zh.png") });
  const formula = lesson.locator(".katex-display", { has: page.locator(".cjk_fallback") }).first();
  await formula.scrollIntoViewIfNeeded();
  await formula.screenshot({ path: info.outputPath("cjk-formula-zh.png") });
  // What this visit fetched of the font: a few slices, never the Latin ones (system fonts have those).
  const slices = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((e) => e as PerformanceResourceTiming)
      .filter((e) => /noto-sans-sc-.*\.woff2$/.test(e.name))
      .map((e) => ({ name: e.name.replace(/.*\//, ""), bytes: e.encodedBodySize })),
  );
  expect(slices.filter((s) => /-(latin|latin-ext|cyrillic|vietnamese)-/.test(s.name))).toEqual([]);
  console.log(
    `CJK slices fetched: ${slices.length}, ${slices.reduce((n, s) => n + s.bytes, 0)} bytes: ${slices.map((s) => s.name.replace(/-400-normal.*/, "")).join(" ")}`,
  );
  console.log(`CJK widths: canvas Noto ${widths.glyphs}px, canvas fallback ${widths.fallback}px, 就绪 ${statusWidth}px at ${fontSize}px`);
});
