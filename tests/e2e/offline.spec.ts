/**
 * The installed app (the service worker): after a first visit it loads and runs with the network
 * off, type-checks with a cached TypeScript worker and opens the cached API reference; a newly
 * deployed build then shows an "update available" prompt that reloads into it. One service-worker
 * install (it precaches the whole app, about 15 MB) serves every check, against a private copy of
 * the build so the test can "deploy" a new version by changing its sw.js.
 */
import { expect, test } from "@playwright/test";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../../scripts/test/static-server.mjs";
import { consoleLog, openApp, runCode, waitForEditor } from "./helpers";
import { expectJitPage, openReference } from "./reference-page";

test.use({ serviceWorkers: "allow" });

const root = fileURLToPath(new URL("../..", import.meta.url));
const dist = process.env.E2E_DIST ?? join(root, "dist/app");
const port = Number(process.env.E2E_PORT ?? 4317) + 2;
let dir = "";
let server: Server | undefined;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "webgrad-deploy-"));
  cpSync(dist, dir, { recursive: true });
  server = await serveStatic(dir, port);
});

test.afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

test("after the first visit the app runs offline with its type checker and API reference; a new deploy prompts an update that reloads into it", async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await openApp(page, `http://localhost:${port}/`, { typeCheck: true });
  // The service worker registers after load and precaches everything (Monaco and workers included).
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
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
  await ref.close();
  await context.setOffline(false);

  // Deploy: any change to sw.js is a new service worker (its precache manifest would differ too).
  appendFileSync(join(dir, "sw.js"), "\n// next build\n");
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const notice = page.getByRole("status").filter({ hasText: "A new version of webgrad is available" });
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await Promise.all([page.waitForEvent("load"), notice.getByRole("button", { name: "Reload to update" }).click()]);
  await waitForEditor(page);
  await expect(page.getByText("A new version of webgrad is available")).toHaveCount(0);
});
