import { expect, test, type Page } from "@playwright/test";
import { openApp, setCode, TOUR_KEY, waitForEditor } from "./helpers";

const tour = (page: Page) => page.getByRole("dialog", { name: /.+/ }).filter({ has: page.getByText(/^Tour · /) });
const stepText = (page: Page) => tour(page).getByText(/^Tour · \d+ of \d+$/);

test("the first visit shows the tour; Enter, arrows and buttons step through it; finished means gone for good", async ({ page }) => {
  await openApp(page, "./", { tour: true });
  await expect(tour(page)).toBeVisible();
  await expect(tour(page)).toHaveAccessibleName("Write a program");
  await expect(stepText(page)).toHaveText("Tour · 1 of 6");
  // It has the focus: keys work at once.
  await page.keyboard.press("Enter");
  await expect(tour(page)).toHaveAccessibleName("Run it");
  // It points at the Run button: the card sits next to it.
  const run = (await page.getByRole("button", { name: "Run", exact: true }).boundingBox())!;
  const card = (await tour(page).boundingBox())!;
  expect(Math.abs(card.y - (run.y + run.height))).toBeLessThan(40);
  await page.keyboard.press("ArrowRight");
  await expect(tour(page)).toHaveAccessibleName("Eager or Graph");
  await page.keyboard.press("ArrowLeft");
  await expect(tour(page)).toHaveAccessibleName("Run it");
  await tour(page).getByRole("button", { name: "Next" }).click();
  await tour(page).getByRole("button", { name: "Next" }).click();
  await expect(tour(page)).toHaveAccessibleName("Watch the framework work");
  await tour(page).getByRole("button", { name: "Next" }).click();
  await expect(tour(page)).toHaveAccessibleName("Follow the course");
  await tour(page).getByRole("button", { name: "Next" }).click();
  await expect(stepText(page)).toHaveText("Tour · 6 of 6");
  await tour(page).getByRole("button", { name: "Done" }).click();
  await expect(tour(page)).toHaveCount(0);
  expect(await page.evaluate((k) => localStorage.getItem(k), TOUR_KEY)).toBe("seen");

  await page.reload();
  await waitForEditor(page);
  await page.waitForTimeout(300);
  await expect(tour(page)).toHaveCount(0);
});

test("Escape dismisses the tour for good; Help → Take the tour brings it back", async ({ page }) => {
  await openApp(page, "./", { tour: true });
  await expect(tour(page)).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(tour(page)).toHaveCount(0);
  await page.reload();
  await waitForEditor(page);
  await page.waitForTimeout(300);
  await expect(tour(page)).toHaveCount(0);

  await page.getByRole("button", { name: "Help" }).click();
  await page.getByRole("menuitem", { name: "Take the tour" }).click();
  await expect(tour(page)).toHaveAccessibleName("Write a program");
  await tour(page).getByRole("button", { name: "Close the tour" }).click();
  await expect(tour(page)).toHaveCount(0);
});

test("the tour does not block the app: Run works while it shows", async ({ page }) => {
  await openApp(page, "./", { tour: true });
  await expect(tour(page)).toBeVisible();
  await setCode(page, 'console.log("under the tour");\n');
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("console")).toContainText("under the tour");
});

test("opening a share link on a first visit shows no tour; the next plain visit does", async ({ browser }) => {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const author = await context.newPage();
  await openApp(author);
  await setCode(author, 'console.log("shared");\n');
  await author.getByRole("button", { name: "Share" }).click();
  await expect(author.getByRole("status").filter({ hasText: "Link copied" })).toBeVisible();
  const url = author.url();
  await context.close();

  const fresh = await browser.newContext();
  const page = await fresh.newPage();
  await page.goto(url);
  await waitForEditor(page);
  await expect(page.getByRole("status").filter({ hasText: "It has not run" })).toBeVisible();
  await page.waitForTimeout(300);
  await expect(tour(page)).toHaveCount(0);
  await page.goto(url.replace(/#.*$/, ""));
  await waitForEditor(page);
  await expect(tour(page)).toBeVisible();
  await fresh.close();
});

for (const viewport of [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
]) {
  test(`every tour step fits the screen (${viewport.name})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openApp(page, "./", { tour: true });
    for (let i = 1; i <= 6; i++) {
      await expect(stepText(page)).toHaveText(`Tour · ${i} of 6`);
      await page.waitForTimeout(200); // the ring's transition
      const box = (await tour(page).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      await page.screenshot({ path: `test-results/screenshots/tour-${viewport.name}-${i}.png` });
      await page.keyboard.press("Enter");
    }
    await expect(tour(page)).toHaveCount(0);
  });
}
