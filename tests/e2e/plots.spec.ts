import { expect, test } from "@playwright/test";
import { openApp, runCode } from "./helpers";

test("the Plots panel draws named series live, 10 000 points without slowing down", async ({ page }) => {
  await openApp(page);
  await runCode(
    page,
    [
      'import { plot } from "webgrad";',
      "for (let i = 0; i < 10_000; i++) {",
      '  plot("loss", i, Math.exp(-i / 2000) + 0.05 * Math.sin(i / 30), { series: "train" });',
      '  if (i % 10 === 0) plot("loss", i, Math.exp(-i / 2000) + 0.1, { series: "test" });',
      "}",
      'plot("accuracy", 0, 0.1);',
      'plot("accuracy", 1, 0.8);',
      'console.log("plotted");',
    ].join("\n"),
  );
  await page.getByRole("tab", { name: /Plots/ }).click();
  const loss = page.getByRole("figure").filter({ hasText: "loss" });
  await expect(loss).toContainText("11000 points");
  await expect(page.getByRole("figure").filter({ hasText: "accuracy" })).toContainText("2 points");
  await expect(loss.locator(".u-legend")).toContainText("train");
  await expect(loss.locator(".u-legend")).toContainText("test");
  // The canvas really has a line on it.
  const inked = await loss.locator("canvas").evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
  expect(inked).toBeGreaterThan(1000);
  // Drawing 10 000 points must stay cheap: time a redraw.
  const redrawMs = await page.evaluate(async () => {
    const t0 = performance.now();
    window.dispatchEvent(new Event("resize"));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  });
  expect(redrawMs).toBeLessThan(500);
});
