import { expect, test } from "@playwright/test";
import { consoleLog, openApp, runCode } from "./helpers";

test.beforeEach(async ({ page }) => openApp(page));

const PROGRAM = [
  'import { tensor, getDefaultBackend } from "webgrad";',
  'console.log("on", getDefaultBackend().name, await tensor([1, 2]).mul(3).tolist());',
].join("\n");

test("Auto runs on WebGPU where the browser has it; Settings → CPU switches the next run", async ({ page }) => {
  await runCode(page, PROGRAM);
  // Headless Chromium here has a SwiftShader WebGPU adapter.
  await expect(consoleLog(page)).toContainText("on webgpu [ 3, 6 ]");
  await expect(page.getByTestId("backend-status")).toContainText(/webgpu|WebGPU/);

  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("menuitemradio", { name: "CPU" }).click();
  await runCode(page, PROGRAM);
  await expect(consoleLog(page)).toContainText("on cpu [ 3, 6 ]");
  await expect(page.getByTestId("backend-status")).toContainText("CPU");
});

test("a simulated cluster computes on the host and the status bar says why", async ({ page }) => {
  await runCode(
    page,
    ['import { dist, tensor } from "webgrad";', "const c = dist.cluster({ devicesPerNode: 4 });", 'console.log("on", tensor([1]).device);'].join("\n"),
  );
  await expect(consoleLog(page)).toContainText("on cpu");
  await expect(page.getByTestId("backend-status")).toContainText("simulated cluster computes on the host");
});
