import { expect, test } from "@playwright/test";
import { consoleLog, getCode, openApp, runStatus, setCode, waitForEditor } from "./helpers";

test("a share link opens the code in a fresh page without running it, keeping the user's own code", async ({ browser }) => {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const author = await context.newPage();
  await openApp(author);
  const shared = 'console.log("from the link");\n';
  await setCode(author, shared);
  await author.getByRole("button", { name: "Graph" }).click();
  await author.getByRole("button", { name: "Share" }).click();
  await expect(author.getByRole("status").filter({ hasText: "Link copied" })).toBeVisible();
  const url = author.url();
  expect(url).toContain("#code=1.");
  expect(await author.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await context.close();

  // Someone else, with work of their own.
  const other = await browser.newContext();
  const page = await other.newPage();
  await openApp(page);
  await setCode(page, "// my own work\n");
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await page.close();
  const page2 = await other.newPage();
  await page2.goto(url);
  await waitForEditor(page2);
  expect(await getCode(page2)).toBe(shared);
  await expect(page2.getByRole("button", { name: "Graph" })).toHaveAttribute("aria-pressed", "true");
  await expect(page2.getByRole("status").filter({ hasText: "It has not run" })).toBeVisible();
  await page2.waitForTimeout(500);
  await expect(consoleLog(page2)).not.toContainText("from the link");
  await expect(runStatus(page2)).toHaveText("Ready");
  await page2.getByRole("button", { name: "Restore my code" }).click();
  expect(await getCode(page2)).toBe("// my own work\n");
  await other.close();
});

test("a garbage, truncated, unknown-version or oversized share link gives a clear message and the app keeps working", async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await setCode(page, "// mine\nconsole.log('still works');\n");
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  // Each bad link opens in a fresh load of the page, one after the other (the saved work stays).
  for (const [name, hash] of [
    ["garbage", "#code=1.%%%not-base64%%%"],
    ["truncated", "#code=1.q1bKS8xJTVGyUkrOzyvOT0lVSM5PSS1KTVGyUkrOzyvOT0lVSM5PSS1KTVGy"],
    ["unknown version", "#code=9.abc"],
    ["oversized", "#code=1." + "A".repeat(120_000)],
  ] as const) {
    await page.goto("about:blank");
    await page.goto("./" + hash);
    await waitForEditor(page);
    const alert = page.getByRole("region", { name: "Messages" }).getByRole("alert");
    await expect(alert, name).toContainText(/share link/i);
    await expect(alert, name).toContainText("Your own code is unchanged");
    expect(await getCode(page), name).toBe("// mine\nconsole.log('still works');\n");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(consoleLog(page), name).toContainText("still works");
  }
});

test("a hostile share link (code that would loop forever) is loaded but never run", async ({ page }) => {
  await openApp(page);
  await setCode(page, 'while (true) {}\nconsole.log("pwned");\n');
  const hash = await page.evaluate(async () => {
    document.querySelector<HTMLButtonElement>("button[title^='Share']")!.click();
    await new Promise((r) => setTimeout(r, 300));
    return location.hash;
  });
  await setCode(page, "// safe\n");
  await page.goto("about:blank");
  await page.goto("./" + hash);
  await waitForEditor(page);
  expect(await getCode(page)).toContain("while (true)");
  await expect(runStatus(page)).toHaveText("Ready");
  // The page is not hung: it reacts at once.
  await page.getByRole("tab", { name: /Plots/ }).click();
  await expect(page.getByRole("tab", { name: /Plots/ })).toHaveAttribute("aria-selected", "true");
});
