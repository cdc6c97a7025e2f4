import { expect, test } from "@playwright/test";
import { consoleLog, openApp, runCode, waitForEditor } from "./helpers";
import { expectJitPage, openReference } from "./reference-page";

test.use({ serviceWorkers: "allow" });

// One service-worker install (it precaches the whole app, about 15 MB) serves every offline check.
test("after the first visit the app loads and runs code with the network off, and the API reference opens", async ({ page, context }) => {
  test.setTimeout(120_000);
  await openApp(page, "./", { typeCheck: true });
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
  // The API reference is precached too.
  const ref = await openReference(page);
  await expectJitPage(ref);
  await context.setOffline(false);
});
