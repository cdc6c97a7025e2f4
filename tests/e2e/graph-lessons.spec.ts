/**
 * The computation-graph lessons 04 and 06 as the learner sees them: example 25's Schedule view in
 * the Graph panel (the live memory and peak of the topological and the memory-aware order, the
 * order step by step, the streams, the memory plan as buffer lifetimes), and example 26's guard
 * and retrace demo (which calls retrace and why, the trace count, each trace's guards in the
 * Graph panel, the count following the batch-size knob). Screenshots in English and Chinese.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, runButton, runStatus } from "./helpers";

/** Loads an example by its (English) menu title, switches to Graph mode and runs it to the end. */
async function runExample(page: Page, title: RegExp): Promise<void> {
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("menuitem", { name: title }).click();
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 120_000 });
}

/** The Graph panel's tab, and a view inside it, in either UI language. */
async function openGraphView(page: Page, view: RegExp): Promise<void> {
  await page
    .getByRole("tab", { name: /^(Graph|计算图)/ })
    .first()
    .click();
  await page.getByRole("tab", { name: view }).click();
}

async function setLanguage(page: Page, from: "Settings" | "设置", to: "简体中文" | "English"): Promise<void> {
  await page.getByRole("button", { name: from }).click();
  await page.getByRole("menuitemradio", { name: to }).click();
  await page.keyboard.press("Escape");
}

test("example 25: the Schedule view shows both orders' peaks, the order step by step, the streams and the memory plan", async ({ page }) => {
  test.setTimeout(240_000);
  await runExample(page, /^Executing a graph/);
  await expect(consoleLog(page)).toContainText("closed form: Kahn 6656 B, memory-aware 5120 B");
  await openGraphView(page, /^(Schedule|调度)$/);
  const view = page.getByTestId("schedule-view");
  await expect(view).toBeVisible();
  // The peaks the unit tests pin: 4·(k·NH + ND) and 4·(2·NH + (k−1)·ND) for k = 3 branches.
  await expect(view.getByTestId("schedule-peak-topological")).toHaveAttribute("data-bytes", "6656");
  await expect(view.getByTestId("schedule-peak-memory-aware")).toHaveAttribute("data-bytes", "5120");
  // The memory-aware order is shown first: 10 kernels, the second step a branch's first matmul, the third its second.
  const steps = view.getByTestId("schedule-step");
  await expect(steps).toHaveCount(10);
  await expect(steps.nth(2)).toContainText("matmul");
  await expect(view.getByTestId("schedule-dispatch")).toContainText("18");
  // Kahn's order: the three branches' first matmuls (fused with relu) come first.
  await view.locator("button[data-order=topological]").click();
  await expect(view.locator("button[data-order=topological]")).toHaveAttribute("aria-pressed", "true");
  for (const k of [0, 1, 2]) await expect(steps.nth(k)).toContainText("fused");
  // Three streams in the lanes; the memory plan has a row per buffer and a bar per value.
  await expect(view.getByTestId("schedule-streams").locator("g rect")).toHaveCount(10);
  await expect(view.getByTestId("schedule-plan").locator("g rect")).toHaveCount(10);
  await view.locator("button[data-order=memory-aware]").click();
  await page.screenshot({ path: "test-results/graph-schedule-en.png" });
  await setLanguage(page, "Settings", "简体中文");
  await expect(page.getByRole("tab", { name: "调度" })).toBeVisible();
  await page.screenshot({ path: "test-results/graph-schedule-zh.png" });
  await setLanguage(page, "设置", "English");
});

test("example 26: a failed guard retraces, the count follows the batch-size knob, and each trace's guards are in the Graph panel", async ({ page }) => {
  test.setTimeout(240_000);
  await runExample(page, /^Where graph compilers are heading/);
  const log = consoleLog(page);
  await expect(log).toContainText("same shape and value: cache hit");
  await expect(log).toContainText("another temperature: retrace (arg1: 1 → 0.5)");
  await expect(log).toContainText("another batch size: retrace (arg0: float32[2, 4] → float32[3, 4])");
  await expect(log).toContainText("the first signature again: cache hit");
  await expect(log).toContainText("exact shapes: 5 traces (4 retraces) for 16 requests");
  // The Graph panel lists one entry per trace; a retraced one says why, and its guards are listed.
  await openGraphView(page, /^(Drawing|图形)$/);
  const score = page.getByRole("navigation").getByRole("button", { name: /^score/ });
  await expect(score).toHaveCount(4);
  await score.nth(2).click();
  const guards = page.getByTestId("graph-guards");
  await guards.locator("summary").click();
  await expect(guards).toContainText("arg0: float32[3, 4]");
  await expect(guards.locator("summary")).toContainText(/trace 3 |第 3 次/);
  await page.screenshot({ path: "test-results/graph-retrace-en.png" });
  // The knob: 8 distinct batch sizes are 8 traces; the run starts again by itself.
  await page.getByRole("tab", { name: /^(Console|控制台)/ }).click();
  const slider = page.getByTestId("knobs").getByRole("slider", { name: "distinct batch sizes" });
  await slider.focus();
  await page.keyboard.press("End"); // one key press: the largest value, 8 (a series of presses races the rerun it starts)
  await expect(slider).toHaveAttribute("aria-valuetext", "8");
  await expect(log).toContainText("exact shapes: 8 traces (7 retraces) for 16 requests", { timeout: 120_000 });
  await expect(runStatus(page)).toContainText("Finished", { timeout: 120_000 });
  await setLanguage(page, "Settings", "简体中文");
  await openGraphView(page, /^(Drawing|图形)$/);
  await page.screenshot({ path: "test-results/graph-retrace-zh.png" });
  await setLanguage(page, "设置", "English");
});

test("example 23: the TF1 dataflow form of the while loop is drawn in the Graph panel (Enter, Merge, LoopCond, Switch, NextIteration, Exit)", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await runExample(page, /^Control flow in graphs/);
  await expect(consoleLog(page)).toContainText("dataflow [64,128] = regions [64,128]; 6 iterations");
  await openGraphView(page, /^(Drawing|图形)$/);
  await page
    .getByRole("navigation")
    .getByRole("button", { name: /^doubling \(TF1 dataflow\)/ })
    .click();
  const drawing = page.getByRole("application", { name: /doubling \(TF1 dataflow\)/ });
  await expect(drawing).toBeVisible();
  for (const op of ["Enter while0", "Merge", "LoopCond", "Switch", "NextIteration", "Exit while0"]) await expect(drawing).toContainText(op);
  await page.screenshot({ path: "test-results/graph-dataflow-en.png" });
});
