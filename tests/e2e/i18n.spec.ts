import { expect, test } from "@playwright/test";
import { getCode, openApp, setCode, waitForEditor } from "./helpers";

/** Waits for the editor in Chinese (helpers' waitForEditor looks for the English Run button). */
async function waitForEditorZh(page: import("@playwright/test").Page): Promise<void> {
  await expect(page.locator(".monaco-editor textarea")).toBeAttached({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: "运行", exact: true })).toBeEnabled();
}

test("Settings → Language switches every label at once, sets <html lang>, and the choice survives a reload", async ({ page }) => {
  await openApp(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("menuitemradio", { name: "简体中文" }).click();
  await expect(page.getByRole("button", { name: "运行", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "分享" })).toBeVisible();
  await expect(page.getByRole("tab", { name: /控制台/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "设置" })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("就绪");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  await expect(page.getByRole("menuitemradio", { name: "简体中文" })).toHaveAttribute("aria-checked", "true");

  await page.reload();
  await waitForEditorZh(page);
  await expect(page.getByRole("button", { name: "示例", exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");

  // And back: English is one click away, named in English whatever the current language.
  await page.getByRole("button", { name: "设置" }).click();
  await page.getByRole("menuitemradio", { name: "English" }).click();
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
  await page.reload();
  await waitForEditor(page);
});

test.describe("a browser that prefers Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("starts in Chinese: toolbar, panels, tour and a run's status", async ({ page }) => {
    await openApp(page, "./", { tour: true }).catch(() => {}); // openApp waits for the English Run button
    await waitForEditorZh(page);
    await expect(page.getByRole("dialog", { name: "编写程序" })).toBeVisible();
    await page.getByRole("button", { name: "跳过导览" }).click();
    await expect(page.getByRole("button", { name: "即时执行" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("tab", { name: /图表/ })).toBeVisible();
    await setCode(page, 'console.log("你好");\n');
    await page.getByRole("button", { name: "运行", exact: true }).click();
    await expect(page.getByTestId("run-status")).toContainText("已完成");
    await expect(page.getByTestId("console")).toContainText("你好");
  });
});

test("a share link made in Chinese opens in Chinese, without changing the visitor's saved language", async ({ browser }) => {
  test.setTimeout(120_000); // three page loads on a shared machine
  const authorContext = await browser.newContext({ locale: "zh-CN" });
  await authorContext.grantPermissions(["clipboard-read", "clipboard-write"]);
  const author = await authorContext.newPage();
  await author.addInitScript(() => localStorage.setItem("webgrad.tour.v1", "seen"));
  await author.goto("./");
  await waitForEditorZh(author);
  const shared = 'console.log("分享");\n';
  await setCode(author, shared);
  await author.getByRole("button", { name: "分享" }).click();
  await expect(author.getByRole("status").filter({ hasText: "链接已复制" })).toBeVisible();
  const url = author.url();
  await authorContext.close();

  const visitor = await browser.newContext(); // en-US
  const page = await visitor.newPage();
  await openApp(page);
  await page.goto(url);
  await waitForEditorZh(page);
  expect(await getCode(page)).toBe(shared);
  await expect(page.getByRole("status").filter({ hasText: "尚未运行" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  // The link's language is for this visit: the visitor's own (browser) language comes back on reload.
  await page.reload();
  await waitForEditor(page);
  await visitor.close();
});
