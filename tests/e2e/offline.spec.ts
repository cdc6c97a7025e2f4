import { expect, test } from "@playwright/test";
import { consoleLog, openApp, runCode, waitForEditor } from "./helpers";

test.use({ serviceWorkers: "allow" });

test("after the first visit the app loads and runs code with the network off", async ({ page, context }) => {
  test.setTimeout(120_000);
  await openApp(page);
  // The service worker registers after load and precaches everything (Monaco and workers included).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await waitForEditor(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await waitForEditor(page);
  await runCode(page, 'import { plot } from "webgrad";\nplot("offline", 0, 1);\nconsole.log("offline run ok");');
  await expect(consoleLog(page)).toContainText("offline run ok");
  // The TypeScript worker came from the cache too: a type error still squiggles.
  await page.evaluate(() => window.__webgradApp.editor!.setCode('const n: number = "x";\n'));
  await expect(page.locator(".monaco-editor .squiggly-error").first()).toBeAttached({ timeout: 20_000 });
  await context.setOffline(false);
});
