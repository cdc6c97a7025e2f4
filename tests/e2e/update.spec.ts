import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitForEditor } from "./helpers";

test.use({ serviceWorkers: "allow" });

/** Serves a copy of the build, so the test can "deploy" a new version by changing its sw.js. */
const root = fileURLToPath(new URL("../..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 4317) + 2;
let dir = "";
let server: ChildProcess | undefined;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "webgrad-deploy-"));
  cpSync(join(root, "dist/app"), dir, { recursive: true });
  server = spawn("npx", ["vite", "preview", "--outDir", dir, "--port", String(port), "--strictPort"], { cwd: root, stdio: "ignore", detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://localhost:${port}/`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("preview server for the update test did not start");
});

test.afterAll(() => {
  if (server?.pid) process.kill(-server.pid);
  rmSync(dir, { recursive: true, force: true });
});

test("a newly deployed build shows an 'update available' prompt that reloads into it", async ({ page }) => {
  test.setTimeout(120_000);
  const url = `http://localhost:${port}/`;
  await page.goto(url);
  await waitForEditor(page);
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.reload();
  await waitForEditor(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // Deploy: any change to sw.js is a new service worker (its precache manifest would differ too).
  appendFileSync(join(dir, "sw.js"), "\n// next build\n");
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const notice = page.getByRole("status").filter({ hasText: "A new version of webgrad is available" });
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await Promise.all([page.waitForEvent("load"), notice.getByRole("button", { name: "Reload to update" }).click()]);
  await waitForEditor(page);
  await expect(page.getByText("A new version of webgrad is available")).toHaveCount(0);
});
