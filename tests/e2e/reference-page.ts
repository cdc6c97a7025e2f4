/** The API reference tab (Help → API reference), shared by reference.spec.ts and offline.spec.ts. */
import { expect, type Page } from "@playwright/test";

/** Help → API reference opens the TypeDoc site in a new tab; returns that tab. */
export async function openReference(page: Page): Promise<Page> {
  await page.getByRole("button", { name: "Help" }).click();
  const [tab] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("menuitem", { name: "API reference" }).click()]);
  await tab.waitForLoadState();
  return tab;
}

/** The reference shows jit's page, with its TSDoc. */
export async function expectJitPage(ref: Page): Promise<void> {
  await expect(ref).toHaveTitle(/webgrad API reference/);
  await ref.getByRole("link", { name: "jit", exact: true }).first().click();
  await expect(ref).toHaveURL(/functions\/jit\.html$/);
  await expect(ref.getByRole("heading", { level: 1 })).toContainText("jit");
  await expect(ref.locator("body")).toContainText("in graph mode the first call traces it into a graph");
}
