import type { Page } from "@playwright/test";
import { getCode, waitForEditor } from "./helpers";
import { expect, test } from "./shared-page";

// The tests share one loaded app (./shared-page): each opens the example it needs.

const openExamples = (page: Page) => page.getByRole("button", { name: "Examples" }).click();
const lesson = (page: Page) => page.getByRole("region", { name: "Lesson", exact: true });
const FORWARD_REVERSE = "Forward vs reverse mode: the evaluation trace, and who pays for n";

test("the Examples menu groups the course by part, filters as you type and works from the keyboard", async ({ page }) => {
  await openExamples(page);
  const menu = page.getByRole("menu", { name: "Examples" });
  // Headings per part, in course order.
  const groups = menu.getByRole("group");
  await expect(groups.first()).toHaveAccessibleName(/Basics/);
  expect(await groups.count()).toBeGreaterThanOrEqual(3);
  await expect(
    menu
      .getByRole("group", { name: /Automatic differentiation/ })
      .getByRole("menuitem")
      .first(),
  ).toBeVisible();
  // The filter has the focus; typing narrows the list.
  const filter = page.getByRole("searchbox", { name: "Filter examples" });
  await expect(filter).toBeFocused();
  await page.keyboard.type("dual numbers");
  await expect(menu.getByRole("menuitem")).toHaveCount(1);
  await expect(menu.getByRole("menuitem")).toHaveAccessibleName("Forward mode from scratch: dual numbers");
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);

  // Arrow keys move through the items, Enter loads one.
  await openExamples(page);
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem").first()).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem").nth(1)).toBeFocused();
  // An item is named by its title (its lesson is its description).
  const title = (await menu.getByRole("menuitem").nth(1).locator(".title").textContent())!;
  await page.keyboard.press("Enter");
  await expect(menu).toHaveCount(0);
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText(title);

  // Typing while an item has focus goes to the filter; Enter in the filter loads the first match.
  await openExamples(page);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.type("pipeline");
  await expect(filter).toHaveValue("pipeline");
  await expect(filter).toBeFocused();
  const first = (await menu.getByRole("menuitem").first().locator(".title").textContent())!;
  await page.keyboard.press("Enter");
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText(first);
});

test("a loaded example shows its lesson above the editor, folds, steps through the course and survives a reload", async ({ page }) => {
  test.setTimeout(120_000);
  await openExamples(page);
  await page.getByRole("menuitem", { name: FORWARD_REVERSE }).click();
  await expect(lesson(page)).toBeVisible();
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText(FORWARD_REVERSE);
  await expect(lesson(page)).toContainText("Automatic differentiation");
  await expect(lesson(page)).toContainText("Look at:");
  // The panel that matters opened (the Tape panel, with the evaluation trace).
  await expect(page.getByRole("tab", { name: /Tape/ })).toHaveAttribute("aria-selected", "true");
  // Not much of the editor is taken: the editor keeps at least 60 % of the column, the lesson (with its exercises) scrolls in the rest.
  const strip = (await lesson(page).boundingBox())!;
  const editor = (await page.getByTestId("editor").boundingBox())!;
  expect(editor.height).toBeGreaterThan(strip.height * 1.5);

  await page.getByRole("button", { name: /^Next example: / }).click();
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText(/^Implementing AD: elemental library, operator overloading, source transformation/);
  expect(await getCode(page)).toContain("const lossFn = (W: Tensor, x: Tensor) =>");
  await page.getByRole("button", { name: /^Previous example: / }).click();
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText(FORWARD_REVERSE);

  const fold = page.getByRole("button", { name: "Hide the lesson" });
  await expect(fold).toHaveAttribute("aria-expanded", "true");
  await fold.click();
  await expect(lesson(page).getByText("Look at:")).toBeHidden();
  await expect(page.getByRole("button", { name: "Show the lesson" })).toHaveAttribute("aria-expanded", "false");
  await page.screenshot({ path: "test-results/screenshots/lesson-collapsed.png" });
  await page.getByRole("button", { name: "Show the lesson" }).click();

  // After a reload the code is still the example: the lesson is still there.
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await page.reload();
  await waitForEditor(page);
  await expect(lesson(page).getByRole("heading", { level: 2 })).toHaveText(FORWARD_REVERSE);
  // Code of one's own: no lesson.
  await page.evaluate(() => window.__webgradApp.editor!.setCode('console.log("mine");\n'));
  expect(await getCode(page)).toBe('console.log("mine");\n');
  await expect(lesson(page)).toHaveCount(0);
});

for (const shot of [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
]) {
  test(`menu and lesson layout: ${shot.name}`, async ({ page }) => {
    await page.setViewportSize(shot.viewport);
    await openExamples(page);
    const popup = page.getByRole("menu", { name: "Examples" });
    await expect(popup).toBeVisible();
    const box = (await popup.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(shot.viewport.width);
    await page.screenshot({ path: `test-results/screenshots/examples-menu-${shot.name}.png` });
    await page.getByRole("menuitem", { name: "What a graph is: values, ops and edges" }).click();
    await expect(lesson(page)).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(shot.viewport.width);
    for (const name of [/^Previous example/, /^Next example/, "Hide the lesson"]) await expect(page.getByRole("button", { name })).toBeInViewport();
    expect((await page.getByTestId("editor").boundingBox())!.height).toBeGreaterThan(150);
    await page.screenshot({ path: `test-results/screenshots/lesson-${shot.name}.png` });
  });
}
