/**
 * Basics 01 and 03 as the learner sees them: the framework-layers drawing above lesson 01 opens
 * the panel of each layer it is clicked on, and after a run each layer carries that panel's count;
 * the history timeline above lesson 04 selects an era, and "Run this era" loads that era's snippet
 * (the lesson stays beside it), runs it, and shows what the era shows. Screenshots in English and
 * in Chinese.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, getCode, runButton, runStatus } from "./helpers";

/** Loads an example through the Examples menu: the filter puts the example whose title holds every word first, and Enter opens it. */
async function loadExample(page: Page, filter: string): Promise<void> {
  await page.getByRole("button", { name: /^(Examples|示例)$/ }).click();
  await page.getByRole("searchbox", { name: /^(Filter examples|筛选示例)$/ }).fill(filter);
  await expect(
    page
      .getByRole("menu", { name: /^(Examples|示例)$/ })
      .getByRole("menuitem")
      .first(),
  ).toHaveAccessibleName(new RegExp(filter));
  await page.keyboard.press("Enter");
}

const tab = (page: Page, panel: string) => page.locator(`#tab-${panel}`);

/** Widens the lesson and scrolls its text to the top (the figure), for a screenshot; the mouse leaves the figure. */
async function showFigure(page: Page, widen: RegExp): Promise<void> {
  const button = page.getByRole("button", { name: widen });
  if ((await button.getAttribute("aria-pressed")) !== "true") await button.click();
  await page.getByTestId("lesson-text").evaluate((el) => (el.scrollTop = 0));
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready.then(() => undefined)); // the CJK font's slices load as characters appear
}

test("the layers drawing opens each layer's panel, and shows the run's output per layer", async ({ page }) => {
  test.setTimeout(180_000); // a whole example runs (WebGPU on SwiftShader)
  await loadExample(page, "What a framework is: its layers");
  const figure = page.getByTestId("framework-layers");
  await expect(figure).toBeVisible();
  const layers = figure.locator("g[data-layer]");
  await expect(layers).toHaveCount(6);
  const expected: Record<string, string> = { frontend: "console", ops: "graph", autodiff: "tape", graph: "graph", backend: "kernels", runtime: "cluster" };
  for (const [layer, panel] of Object.entries(expected)) {
    const g = figure.locator(`g[data-layer="${layer}"]`);
    await expect(g).toHaveAttribute("data-panel", panel);
    await g.click();
    await expect(tab(page, panel)).toHaveAttribute("aria-selected", "true");
  }
  // from the keyboard too
  await figure.locator('g[data-layer="autodiff"]').focus();
  await page.keyboard.press("Enter");
  await expect(tab(page, "tape")).toHaveAttribute("aria-selected", "true");

  // after Run, the layers that produced something carry their panel's count
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });
  await expect(consoleLog(page)).toContainText("runtime: allReduce over 2 devices");
  await expect(figure.locator('g[data-layer="autodiff"] .panel')).toHaveText(/· \d+/);
  await expect(figure.locator('g[data-layer="graph"] .panel')).toHaveText(/· \d+/);
  await expect(figure.locator('g[data-layer="runtime"] .panel')).toHaveText(/· 2$/);
  await showFigure(page, /^(Widen the lesson|Make the lesson narrower)$/);
  await page.screenshot({ path: "test-results/basics-layers-en.png" });
  await page.getByRole("button", { name: "Make the lesson narrower" }).click();
});

test("the history timeline runs an era's snippet beside its lesson", async ({ page }) => {
  test.setTimeout(240_000); // three snippets run, one of them in Chinese
  await loadExample(page, "Four eras of frameworks");
  const timeline = page.getByTestId("framework-timeline");
  await expect(timeline).toBeVisible();
  await expect(timeline.locator("g[data-era]")).toHaveCount(4);
  const detail = page.getByTestId("era-detail");
  await expect(detail).toHaveAttribute("data-era", "library");

  // eager: define-by-run prints as it goes, and the Tape panel holds the recorded ops
  await timeline.locator('g[data-era="eager"]').click();
  await expect(detail).toHaveAttribute("data-era", "eager");
  await expect(timeline.locator('g[data-era="eager"]')).toHaveAttribute("aria-pressed", "true");
  await page.getByTestId("run-era").click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });
  expect((await getCode(page)).split("\n")[0]).toBe("// snippet: 04-framework-history/eager");
  await expect(consoleLog(page)).toContainText("pred[0..2] =");
  await expect(consoleLog(page)).toContainText("(from the tape)");
  await expect(consoleLog(page)).not.toContainText("── 1.");
  await expect(tab(page, "tape")).toHaveAttribute("aria-selected", "true");
  await expect(page.locator("#tab-tape")).toContainText(/\d/);
  // the lesson and its timeline stay beside the snippet
  await expect(timeline).toBeVisible();

  // the dataflow graph: built (and printed) first, then fed
  await timeline.locator('g[data-era="dataflow"]').click();
  await page.getByTestId("run-era").click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });
  const log = consoleLog(page);
  await expect(log).toContainText("graph train_op(");
  await expect(log).toContainText("graphs built: 1");
  await expect(tab(page, "graph")).toHaveAttribute("aria-selected", "true");
  await showFigure(page, /^(Widen the lesson|Make the lesson narrower)$/);
  await page.screenshot({ path: "test-results/basics-timeline-en.png" });

  // the same in Chinese: the timeline's words, and the snippet's comments
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("menuitemradio", { name: "简体中文" }).click();
  await page.keyboard.press("Escape");
  await timeline.locator('g[data-era="compiler"]').click();
  await expect(detail).toContainText("编译器");
  await page.getByTestId("run-era").click();
  await expect(runStatus(page)).toContainText("已完成", { timeout: 90_000 });
  await expect(log).toContainText("traces: 2");
  expect(await getCode(page)).toContain("// 4. 编译器时代");
  await showFigure(page, /^(加宽课程区域|收窄课程区域)$/);
  await page.screenshot({ path: "test-results/basics-timeline-zh.png" });
  await loadExample(page, "什么是 AI 框架：框架的分层");
  await expect(page.getByTestId("framework-layers")).toContainText("自动微分");
  await showFigure(page, /^(加宽课程区域|收窄课程区域)$/);
  await page.screenshot({ path: "test-results/basics-layers-zh.png" });
  await page.getByRole("button", { name: "收窄课程区域" }).click();
  await page.getByRole("button", { name: "设置" }).click();
  await page.getByRole("menuitemradio", { name: "English" }).click();
  await page.keyboard.press("Escape");
});
