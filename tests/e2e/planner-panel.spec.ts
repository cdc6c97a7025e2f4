/**
 * The Cluster panel's Planner view (issue 17, points 7 and 9): dragging a knob re-costs the plan in
 * the planner worker and changes the figures and bars; an invalid plan shows the rule it breaks;
 * a program's `dist.plan` call opens the view with its knobs; the search ranks plans and one can be
 * taken; "copy as code" puts a program in the editor that prints the same figures; the Megatron-LM
 * arguments and the Perfetto trace are exported; axe finds no critical or serious violation; the
 * view speaks Chinese and fits a phone. Screenshots at 1280×800 and 390×844, English and Chinese,
 * go to test-results/screenshots. The English tests share one loaded app (./shared-page).
 */
import { test as freshPageTest, type Page } from "@playwright/test";
import { consoleLog, getCode, openApp, runButton, runStatus, selectTextRoom, setCode } from "./helpers";
import { expect, test } from "./shared-page";
import { axeViolations, violationLines } from "./axe";

test.describe.configure({ timeout: 300_000 });

async function runCode(page: Page, code: string): Promise<void> {
  await setCode(page, code);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText(/Finished|Failed|已完成|失败/, { timeout: 180_000 });
}

async function openPlanner(page: Page, tab: RegExp = /Cluster/, view: RegExp = /^Planner$/): Promise<void> {
  await page.getByRole("tab", { name: tab }).click();
  await page.getByRole("button", { name: view }).click();
  await expect(page.getByTestId("figure-planner-step")).toBeVisible({ timeout: 60_000 });
}

const figure = (page: Page, id: string) => page.getByTestId(`figure-planner-${id}`);
const stepSeconds = async (page: Page) => Number(await page.getByTestId("planner-step-bar").getAttribute("data-step"));
const memoryBytes = async (page: Page) => Number(await page.getByTestId("planner-memory-bar").getAttribute("data-total"));
const axeSerious = async (page: Page): Promise<string[]> => violationLines(await axeViolations(page, "section.cluster"));

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

/** The model and cluster selects are at least as wide as their chosen option's text (plus the arrow). */
async function expectWholeSelectText(page: Page): Promise<void> {
  for (const id of ["planner-model", "planner-cluster"]) expect(await selectTextRoom(page.getByTestId(id)), id).toBeGreaterThan(16);
}

/** Drags a range input's thumb from its current value to the fraction `to` of its track with the mouse. */
async function drag(page: Page, testid: string, to: number): Promise<void> {
  const slider = page.getByTestId(testid);
  const box = (await slider.boundingBox())!;
  const [value, max] = await slider.evaluate((el: HTMLInputElement) => [Number(el.value), Number(el.max)]);
  const x0 = box.x + 8 + ((box.width - 16) * value) / max;
  await page.mouse.move(x0, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(x0 + ((box.x + 8 + (box.width - 16) * to - x0) * i) / 5, box.y + box.height / 2);
  await page.mouse.up();
}

test("planner: knobs re-cost live, an invalid plan says why, copy as code runs, the plan exports", async ({ page }) => {
  await openPlanner(page);
  // Megatron-LM's 1T row on 3072 A100s, costed in the planner worker.
  await expect(page.getByTestId("planner-model")).toHaveValue("megatron-1t");
  await expect(page.getByTestId("planner-dp")).toContainText("6");
  await expect(page.getByTestId("planner-timeline-too-big")).toBeVisible();
  const step0 = await stepSeconds(page),
    mem0 = await memoryBytes(page);
  expect(step0).toBeGreaterThan(0);
  // Re-cost time at the largest preset: step the microbatch slider back and forth (the first cost warms the worker up).
  const times: string[] = [(await figure(page, "recost").textContent()) ?? ""];
  await page.getByTestId("planner-microbatch").focus();
  for (let i = 0; i < 6; i++) {
    const before = await memoryBytes(page);
    await page.keyboard.press(i % 2 === 0 ? "ArrowRight" : "ArrowLeft");
    await expect.poll(() => memoryBytes(page)).not.toBe(before);
    times.push((await figure(page, "recost").textContent()) ?? "");
  }
  console.log(`re-costs of megatron-1t on 3072 A100s in the planner worker (first is cold): ${times.join(", ")}`);
  await shoot(page, "planner-en-desktop");

  // Drag the pipeline slider with the mouse: fewer stages, more memory per device, another step time.
  await drag(page, "planner-pp", 0.55);
  await expect.poll(() => memoryBytes(page)).not.toBe(mem0);
  const pp = Number(await page.getByTestId("planner-pp").getAttribute("aria-valuetext"));
  expect(pp).toBeLessThan(64);
  await expect(page.getByTestId("planner-dp")).toContainText(String(3072 / (8 * pp)));
  expect(await stepSeconds(page)).not.toBe(step0);
  const recosts: string[] = [];
  // The keyboard moves a slider one value at a time: TP 8 → 4 changes the figures again.
  const mem1 = await memoryBytes(page);
  await page.getByTestId("planner-tp").focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("planner-tp")).toHaveAttribute("aria-valuetext", "4");
  await expect.poll(() => memoryBytes(page)).not.toBe(mem1);
  recosts.push((await figure(page, "recost").textContent()) ?? "");

  // An invalid plan: 160 heads cannot be split 64 ways. The view says so instead of going blank.
  await page.getByTestId("planner-pp").focus();
  await page.keyboard.press("Home");
  await page.getByTestId("planner-tp").focus();
  await page.keyboard.press("End");
  await expect(page.getByTestId("planner-invalid")).toContainText("160 heads cannot be split over tp = 64");
  await expect(page.getByTestId("planner-step-bar")).toHaveCount(0);
  await shoot(page, "planner-en-invalid");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft"); // TP 8
  await page.getByTestId("planner-pp").focus();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft"); // PP 64: DP 6 again
  await expect(page.getByTestId("planner-dp")).toContainText("6");
  await expect(page.getByTestId("planner-invalid")).toHaveCount(0);
  expect(violationLines(await axeViolations(page, "section.cluster"))).toEqual([]);

  // Copy as code: the editor gets a dist.plan program; run, it prints the step the view shows.
  const shownStep = await stepSeconds(page);
  await page.getByTestId("planner-copy-code").click();
  expect(await getCode(page)).toContain("dist.plan(");
  await runButton(page).click();
  await expect(runStatus(page)).toContainText(/Finished/, { timeout: 180_000 });
  await expect(consoleLog(page)).toContainText(`step ${shownStep.toFixed(3)} s = compute`);
  await expect(consoleLog(page)).toContainText("tokens/s, MFU");

  // Hand-off: Megatron-LM's arguments with the planner's figures beside them; the step as a Perfetto trace.
  await page.getByRole("tab", { name: /Cluster/ }).click();
  await expect(page.getByTestId("planner-megatron").locator("pre")).toContainText("--tensor-model-parallel-size 8");
  await expect(page.getByTestId("planner-megatron").locator("pre")).toContainText("# webgrad planner: megatron-1t");
  await expect(page.getByTestId("planner-deepspeed").locator("pre")).toContainText('"train_batch_size"');
  const download = page.waitForEvent("download");
  await page.getByTestId("planner-trace").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^webgrad-plan-megatron-1t-.*\.trace\.json$/);
  const trace = JSON.parse(await (await import("node:fs/promises")).readFile((await file.path())!, "utf8"));
  expect(trace.traceEvents.length).toBeGreaterThan(1000);
  console.log(`re-cost after a keyboard step (1T, 3072 devices): ${recosts.join(", ")}`);
});

test("planner: a program's dist.plan call opens the view with its knobs; search ranks plans and one can be used", async ({ page }) => {
  await runCode(
    page,
    `import { dist } from "webgrad";
const r = dist.plan("gpt3-175b", dist.dgxA100(128), { tp: 8, pp: 16, dp: 8, microbatch: 1, globalBatch: 1536, zero: 1, recompute: "selective", sequenceParallel: true, interleave: 2 });
console.log("step", r.time.step.toFixed(3));`,
  );
  await page.getByRole("tab", { name: /Cluster/ }).click();
  await expect(page.getByTestId("planner-from-code")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("planner-model")).toHaveValue("gpt3-175b");
  await expect(page.getByTestId("planner-devices")).toHaveAttribute("aria-valuetext", "1024");
  await expect(page.getByTestId("planner-pp")).toHaveAttribute("aria-valuetext", "16");
  await expect(page.getByTestId("planner-interleave")).toHaveAttribute("aria-valuetext", "2");
  await expect(page.getByTestId("planner-recompute")).toHaveValue("selective");
  const printed = /step (\d+\.\d+)/.exec((await consoleLog(page).textContent()) ?? "")![1];
  await expect.poll(async () => (await stepSeconds(page)).toFixed(3)).toBe(printed);
  // 16 stages × 192 microbatches × 2 chunks: too many intervals to redraw per re-cost; a global batch of 256 (32 microbatches) is drawn.
  await expect(page.getByTestId("planner-timeline-too-big")).toBeVisible();
  await page.getByTestId("planner-global-batch").fill("256");
  await page.getByTestId("planner-global-batch").press("Enter");
  await expect(page.getByTestId("figure-planner-microbatches")).toHaveText("32");
  await expect(page.getByTestId("timeline-canvas")).toBeVisible();
  await shoot(page, "planner-en-timeline");

  await page.getByTestId("planner-search").click();
  const results = page.getByTestId("planner-search-results");
  await expect(results.locator("tbody tr").first()).toBeVisible({ timeout: 120_000 });
  await shoot(page, "planner-en-search");
  await results.getByTestId("planner-use").first().click();
  const best = (await results.locator("tbody tr").first().locator("td").nth(1).textContent()) ?? "";
  const tp = /TP (\d+)/.exec(best)![1];
  await expect(page.getByTestId("planner-tp")).toHaveAttribute("aria-valuetext", tp);
  expect(await axeSerious(page)).toEqual([]);
});

// Its own page: the shared one opens in English.
freshPageTest.describe("in Chinese", () => {
  freshPageTest.use({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
  freshPageTest("planner: the view speaks Chinese, on a desktop and on a phone, with no serious axe violation", async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem("webgrad:locale", "zh"));
    await openApp(page);
    await openPlanner(page, /集群/, /^规划器$/);
    await expect(page.getByText("张量并行（TP）").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "复制为代码" })).toBeVisible();
    expect(await axeSerious(page)).toEqual([]);
    await expectWholeSelectText(page);
    await shoot(page, "planner-zh-desktop");
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByTestId("planner")).toBeVisible();
    const overflow = await page.getByTestId("planner").evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await expectWholeSelectText(page);
    await shoot(page, "planner-zh-phone");
    expect(await axeSerious(page)).toEqual([]);
  });
});

test("planner: fits a phone in English", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openPlanner(page);
  const overflow = await page.getByTestId("planner").evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await expectWholeSelectText(page);
  await shoot(page, "planner-en-phone");
  expect(await axeSerious(page)).toEqual([]);
});
