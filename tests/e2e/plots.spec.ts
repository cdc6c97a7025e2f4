import { expect, test } from "./shared-page";
import { runCode } from "./helpers";

test("the Plots panel draws named series live, 10 000 points without slowing down", { tag: "@alone" }, async ({ page }) => {
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

/** Counts pixels of a canvas that are not fully transparent, and how many distinct colours they have. */
async function ink(canvas: import("@playwright/test").Locator): Promise<{ inked: number; colours: number }> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! === 0) continue;
      inked++;
      colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    }
    return { inked, colours: colours.size };
  });
}

test("image() and scatter() draw pictures that update by name, with accessible descriptions", async ({ page }) => {
  await runCode(
    page,
    [
      'import { decisionGrid, image, scatter, tensor, randn } from "webgrad";',
      "// a grid of 12 small images with captions, redrawn 20 times (only the newest is kept)",
      "for (let k = 0; k < 20; k++) {",
      "  const imgs = tensor(Array.from({ length: 12 * 64 }, (_, i) => Math.sin(i / 7 + k)), { shape: [12, 8, 8] });",
      '  await image("digits", imgs, { captions: Array.from({ length: 12 }, (_, i) => String(i)), correct: Array.from({ length: 12 }, (_, i) => i % 3 !== 0) });',
      "}",
      'await image("heat", randn([16, 24]), { colormap: "viridis" });',
      "const pts = [[-0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [0.5, -0.5]];",
      "const grid = decisionGrid([-1, 1], [-1, 1], 16);",
      "const xy = await grid.points.data();",
      "const probs = Array.from({ length: 256 }, (_, i) => { const p = xy[2 * i]! * xy[2 * i + 1]! > 0 ? 0.9 : 0.1; return [p, 1 - p]; });",
      'await scatter("xor", pts, [0, 0, 1, 1], { background: { grid, probs } });',
      'console.log("drawn");',
    ].join("\n"),
  );
  await page.getByRole("tab", { name: /Plots/ }).click();
  const digits = page.getByRole("img", { name: /^Image grid digits: 12 images of 8 by 8 pixels/ });
  await expect(digits).toHaveAttribute("aria-label", /Captions: 0 \(wrong\), 1 \(correct\)/);
  await expect(digits).toHaveAttribute("aria-label", /8 correct, 4 wrong/);
  const heat = page.getByRole("img", { name: /^Image heat: 16 by 24 pixels, viridis colour map/ });
  const xor = page.getByRole("img", { name: /^Scatter plot xor: 4 points in 2 classes \(class 0: 2, class 1: 2\).*decision boundary/ });
  await expect(heat).toBeVisible();
  await expect(xor).toBeVisible();
  // One figure per name, however often it was redrawn.
  await expect(page.getByRole("figure").filter({ hasText: "digits" })).toHaveCount(1);
  await expect.poll(async () => (await ink(digits.locator("canvas"))).inked).toBeGreaterThan(12 * 64);
  const d = await ink(digits.locator("canvas"));
  expect(d.colours).toBeGreaterThan(10); // grey levels, not a flat fill
  const h = await ink(heat.locator("canvas"));
  expect(h.colours).toBeGreaterThan(50);
  const s = await ink(xor.locator("canvas"));
  expect(s.inked).toBeGreaterThan(10_000); // the background fills the plot area
  expect(s.colours).toBeGreaterThan(20);
  await expect(page.getByRole("figure").filter({ hasText: "xor" }).getByRole("listitem")).toHaveText(["class 0", "class 1"]);
});
