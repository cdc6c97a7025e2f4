import { expect, test } from "./shared-page";
import { consoleLog, runCode } from "./helpers";

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
    await page.emulateMedia({ colorScheme: scheme });
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
