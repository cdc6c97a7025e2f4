import { expect, test, type Page } from "@playwright/test";
import { openApp, waitForEditor } from "./helpers";

/** Help → API reference opens the TypeDoc site in a new tab; returns that tab. */
async function openReference(page: Page): Promise<Page> {
  await page.getByRole("button", { name: "Help" }).click();
  const [tab] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("menuitem", { name: "API reference" }).click()]);
  await tab.waitForLoadState();
  return tab;
}

/** The reference shows jit's page, with its TSDoc. */
async function expectJitPage(ref: Page): Promise<void> {
  await expect(ref).toHaveTitle(/webgrad API reference/);
  await ref.getByRole("link", { name: "jit", exact: true }).first().click();
  await expect(ref).toHaveURL(/functions\/jit\.html$/);
  await expect(ref.getByRole("heading", { level: 1 })).toContainText("jit");
  await expect(ref.locator("body")).toContainText("in graph mode the first call traces it into a graph");
}

test("Help → API reference opens the reference generated from the library's TSDoc", async ({ page }) => {
  await openApp(page);
  const ref = await openReference(page);
  await expect(ref).toHaveURL(/reference\/index\.html$/);
  await expectJitPage(ref);
  // Namespaces are there too (nn, optim, dist …).
  await ref.goBack();
  await expect(ref.getByRole("link", { name: "nn", exact: true }).first()).toBeVisible();
});

test.describe("offline", () => {
  test.use({ serviceWorkers: "allow" });

  test("the reference is precached: it opens with the network off", async ({ page, context }) => {
    test.setTimeout(120_000);
    await openApp(page);
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    await page.reload();
    await waitForEditor(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    const ref = await openReference(page);
    await expectJitPage(ref);
    await context.setOffline(false);
  });
});
