import { expect, test } from "./shared-page";
import { runCode, setColorScheme } from "./helpers";

// Completion and hover docs come from the editor's TypeScript service (off by default in e2e: see openApp).
test.use({ typeCheck: true });

/**
 * Screenshots to look at (test-results/screenshots) plus layout checks at each size, on the
 * spec's one loaded app (./shared-page): sizes and colour schemes change in place.
 */
const shots = [
  { name: "desktop-light", viewport: { width: 1280, height: 800 }, colorScheme: "light" as const },
  { name: "desktop-dark", viewport: { width: 1280, height: 800 }, colorScheme: "dark" as const },
  { name: "phone", viewport: { width: 390, height: 844 }, colorScheme: "light" as const },
];

test("layout at each size and colour scheme: the toolbar in view, no sideways scroll, room for editor and panels", async ({ page }) => {
  test.setTimeout(120_000);
  for (const shot of shots) {
    await page.setViewportSize(shot.viewport);
    await setColorScheme(page, shot.colorScheme);
    await page.getByRole("tab", { name: /Console/ }).click();
    await runCode(
      page,
      'import { plot } from "webgrad";\nfor (let i = 0; i < 50; i++) plot("loss", i, 1 / (i + 1));\nconsole.log("hello");\nthrow new Error("an error, for the screenshot");',
    );
    for (const name of ["Run", "Stop", "Eager", "Graph", "Examples", "Share"]) {
      await expect(page.getByRole("button", { name, exact: name !== "Examples" }), `${name} (${shot.name})`).toBeInViewport();
    }
    await expect(page.getByTestId("backend-status")).toBeVisible();
    // No sideways scrolling at any size.
    expect(await page.evaluate(() => document.documentElement.scrollWidth), shot.name).toBeLessThanOrEqual(shot.viewport.width);
    // The editor and the panels both get real space.
    const editor = await page.getByTestId("editor").boundingBox();
    const console = await page.getByTestId("console").boundingBox();
    expect(editor!.height, shot.name).toBeGreaterThan(200);
    expect(console!.height, shot.name).toBeGreaterThan(150);
    await page.screenshot({ path: `test-results/screenshots/${shot.name}.png` });
    await page.getByRole("tab", { name: /Plots/ }).click();
    await expect(page.locator("canvas").first()).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/${shot.name}-plots.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 }); // the next test on this page expects the usual size
});

test("the split can be dragged and moved with the keyboard", async ({ page }) => {
  const separator = page.getByRole("separator", { name: "Resize editor and panels" });
  const before = Number(await separator.getAttribute("aria-valuenow"));
  const box = (await separator.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(400, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const dragged = Number(await separator.getAttribute("aria-valuenow"));
  expect(dragged).toBeLessThan(before - 10);
  await separator.focus();
  await page.keyboard.press("ArrowRight");
  expect(Number(await separator.getAttribute("aria-valuenow"))).toBeGreaterThan(dragged);
});

test("the editor knows the webgrad API: completion and hover docs", async ({ page }) => {
  await page.evaluate(() => window.__webgradApp.editor!.setCode('import { pl } from "webgrad";\n'));
  await page.evaluate(() => (window.__webgradApp.editor as unknown as { reveal(l: number, c: number): void }).reveal(1, 12));
  await page.keyboard.press("Control+Space");
  await expect(page.locator(".suggest-widget")).toContainText("plot", { timeout: 20_000 });
  await page.keyboard.press("Escape");

  await page.evaluate(() => window.__webgradApp.editor!.setCode('import { plot } from "webgrad";\nplot\n'));
  const plotToken = page.locator(".view-line").nth(1).getByText("plot");
  await plotToken.hover();
  await expect(page.locator(".monaco-hover").filter({ hasText: "plot" }).first()).toContainText("Add a point to a live line chart", { timeout: 20_000 });
});
