import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, runCode, setColorScheme } from "./helpers";
import { axeViolations, violationLines } from "./axe";

const GPU_PROGRAM = [
  'import { initWebGPU, randn, manualSeed } from "webgrad";',
  "const gpu = await initWebGPU();",
  'console.log("webgpu", gpu.ok);',
  "manualSeed(0);",
  "const a = randn([32, 32]);",
  "const y = a.matmul(a).relu().sum();",
  'console.log("sum", await y.item());',
].join("\n");

test("the Kernels panel lists dispatches and totals per kernel, and shows a kernel's WGSL", async ({ page }) => {
  test.setTimeout(120_000);
  await runCode(page, GPU_PROGRAM);
  await expect(consoleLog(page)).toContainText("sum");
  const webgpu = (await consoleLog(page).textContent())?.includes("webgpu true");
  // A skipped test leaves the run green: skip only when the user left the GPU steps out.
  const gpuLeftOut = (process.env.WEBGRAD_SKIP ?? "").split(",").includes("gpu");
  test.skip(!webgpu && gpuLeftOut, "no WebGPU adapter in this browser (WEBGRAD_SKIP=gpu)");
  expect(webgpu, "no WebGPU adapter in this browser (WEBGRAD_SKIP=gpu npm test leaves it out)").toBe(true);
  await page.getByRole("tab", { name: /Kernels/ }).click();
  await expect(page.getByTestId("kernels-summary")).toHaveText(/[1-9]\d* dispatches · [1-9]\d* kernels/);
  await expect(page.getByTestId("kernels-timing")).toHaveText(/CPU-side timings|GPU timestamps/);
  const totals = page.getByRole("table", { name: "Totals per kernel" });
  const matmul = totals.getByRole("button", { name: /Show the WGSL of .*matmul/i }).first();
  await expect(matmul).toBeVisible();
  await matmul.click();
  await expect(page.getByTestId("wgsl-source")).toContainText("@compute");
  // every dispatch, in a list
  await page.getByRole("tab", { name: "Dispatches" }).click();
  await expect(
    page
      .getByRole("table", { name: "Dispatches" })
      .getByRole("row")
      .filter({ hasText: /matmul/i })
      .first(),
  ).toBeVisible();
  await page.getByRole("tab", { name: "Memory" }).click();
  await expect(page.getByRole("img", { name: /GPU memory/ })).toBeVisible();
  await page.getByRole("tab", { name: "Per kernel" }).click();
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    await page.screenshot({ path: `test-results/screenshots/kernels-${scheme}.png` });
  }
});

test("on the CPU backend the Kernels panel says so and how to use WebGPU", async ({ page }) => {
  await runCode(
    page,
    ['import { tensor, setDefaultBackend } from "webgrad";', 'setDefaultBackend("cpu");', 'console.log("x", await tensor([1, 2]).add(1).tolist());'].join("\n"),
  );
  await expect(consoleLog(page)).toContainText("x");
  await page.getByRole("tab", { name: /Kernels/ }).click();
  await expect(page.getByRole("region", { name: "Kernels" })).toContainText("No GPU kernels ran");
  await expect(page.getByRole("region", { name: "Kernels" })).toContainText("initWebGPU()");
});

/** axe-core's critical and serious violations inside `section.kernels-panel`, as "rule: target" lines. */
const axeSerious = async (page: Page): Promise<string[]> => violationLines(await axeViolations(page, "section.kernels-panel"));

test("kernels: the WGSL opens at its entry point with helpers folded, never squeezes the tables, and memory reads after one submit", async ({ page }) => {
  test.setTimeout(180_000);
  await runCode(page, GPU_PROGRAM);
  await expect(consoleLog(page)).toContainText("sum");
  const webgpu = (await consoleLog(page).textContent())?.includes("webgpu true");
  const gpuLeftOut = (process.env.WEBGRAD_SKIP ?? "").split(",").includes("gpu");
  test.skip(!webgpu && gpuLeftOut, "no WebGPU adapter in this browser (WEBGRAD_SKIP=gpu)");
  expect(webgpu, "no WebGPU adapter in this browser (WEBGRAD_SKIP=gpu npm test leaves it out)").toBe(true);
  await page.getByRole("tab", { name: /Kernels/ }).click();
  await page.getByRole("tab", { name: "Per kernel" }).click();
  await page
    .getByRole("table", { name: "Totals per kernel" })
    .getByRole("button", { name: /Show the WGSL of .*matmul/i })
    .first()
    .click();

  // The first line in view is the entry point's; the helpers above it are folded to their signature.
  const code = page.getByTestId("wgsl-source");
  const entry = page.getByTestId("wgsl-entry");
  await expect(entry).toContainText("@compute");
  await expect
    .poll(async () => {
      const [c, e] = [(await code.boundingBox())!, (await entry.boundingBox())!];
      return Math.abs(e.y - c.y);
    })
    .toBeLessThan(2);
  expect((await entry.innerText()).trimStart()).toMatch(/^@compute/);
  const helpers = page.getByTestId("wgsl-helper");
  expect(await helpers.count()).toBeGreaterThan(0);
  for (const h of await helpers.all()) expect(await h.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);

  const main = page.locator(".kernels-panel .main");
  const pane = page.getByTestId("wgsl-pane");
  // The tables keep every column (no horizontal scroll): the WGSL sits beside them when the panel is
  // wide (760 px and more), below them when it is narrower (the panel at 1280×800 is about 560 px).
  const panelWidth = (await page.locator(".kernels-panel").boundingBox())!.width;
  expect(await main.evaluate((m) => m.scrollWidth - m.clientWidth)).toBeLessThanOrEqual(1);
  const [mb, pb] = [(await main.boundingBox())!, (await pane.boundingBox())!];
  if (panelWidth > 760) expect(pb.x).toBeGreaterThanOrEqual(mb.x + mb.width - 1);
  else expect(pb.y).toBeGreaterThanOrEqual(mb.y + mb.height - 1);
  expect(pb.width).toBeGreaterThan(250);
  expect(pb.height).toBeGreaterThan(120);
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    expect(await axeSerious(page), `axe ${scheme} (WGSL)`).toEqual([]);
    await page.screenshot({ path: `test-results/screenshots/kernels-wgsl-desktop-${scheme}.png` });
  }
  await setColorScheme(page, "light");

  // 390 px: the WGSL below the tables, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await expect.poll(async () => (await pane.boundingBox())!.y).toBeGreaterThanOrEqual((await main.boundingBox())!.y + (await main.boundingBox())!.height - 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await main.evaluate((m) => m.scrollWidth - m.clientWidth)).toBeLessThanOrEqual(1);
    for (const scheme of ["light", "dark"] as const) {
      await setColorScheme(page, scheme);
      await page.screenshot({ path: `test-results/screenshots/kernels-wgsl-phone-${scheme}.png` });
    }
    await setColorScheme(page, "light");
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  // A helper unfolds on click.
  await helpers.first().locator("summary").click();
  expect(await helpers.first().evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);

  // Memory after this run's submits (one, for this program): figures in words, and a marked point on the chart.
  await page.getByRole("button", { name: "Close the WGSL" }).click();
  await page.getByRole("tab", { name: "Memory" }).click();
  await expect(page.getByTestId("kernels-mem-live")).toHaveText(/^[1-9][\d.]* (B|KiB|MiB)$/);
  const inked = () =>
    page
      .getByTestId("kernels-memory-chart")
      .locator("canvas")
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        // uPlot sizes the canvas on its first frame: polled earlier, it is 0 wide.
        if (c.width === 0 || c.height === 0) return 0;
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        // The series colours (#2b7bff blue, #e8590c orange): a point or a line of them.
        for (let i = 0; i < d.length; i += 4) if ((d[i + 2] > 200 && d[i] < 80) || (d[i] > 200 && d[i + 2] < 40 && d[i + 1] < 120)) n++;
        return n;
      });
  await expect.poll(inked).toBeGreaterThan(20);
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    expect(await axeSerious(page), `axe ${scheme} (memory)`).toEqual([]);
    await page.screenshot({ path: `test-results/screenshots/kernels-memory-desktop-${scheme}.png` });
  }
  await page.getByRole("tab", { name: "Dispatches" }).click();
  expect(await axeSerious(page), "axe (dispatches)").toEqual([]);
});
