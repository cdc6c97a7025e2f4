/**
 * One loaded app per spec file, instead of one per test. A fresh page costs a context, the app's
 * load (with Monaco's TypeScript worker, where a file asks for type checking) and a first run's WebGPU start: seconds
 * on a busy 2-core machine, against well under a second for a Run on a page that already ran one. Spec files whose
 * tests only need "the app, idle, in its usual layout" import `test` from here instead of from
 * `@playwright/test`: their `page` is the file's shared page, opened and warmed up by its first
 * test and brought back to that state before each of the others by {@link resetApp}.
 *
 * What a reset does not undo: a panel's own view (the Graph panel's Drawing/Stats tab, the Tape
 * panel's list/graph switch…) stays as the last test left it, so a test on a shared page picks
 * the view it needs.
 *
 * Isolation that is kept: each spec file gets its own context (its own storage: settings or code
 * a file saves do not reach the next file), and a failed test ends its worker, so the tests after
 * it start on a newly opened app. Files whose tests need a first visit, several pages, their own
 * viewport or settings, or the service worker keep Playwright's own `page` (a new one per test).
 */
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { openApp, runButton, runStatus, setCode, setColorScheme, stopIfRunning, waitForEditor } from "./helpers";

interface SharedApp {
  file?: string;
  context?: BrowserContext;
  page?: Page;
}

/**
 * Puts a loaded app back to its state after {@link openApp}: the project's viewport, no run in
 * progress, no menu open, Eager mode, the Console panel showing, the light colour scheme. What a test leaves in the
 * editor or the console does not matter: each test sets its own code, and Run clears the panels.
 */
export async function resetApp(page: Page, viewport?: { width: number; height: number } | null): Promise<void> {
  // A test may have resized the page (a phone-sized check) or reloaded it.
  if (viewport) {
    const now = page.viewportSize();
    if (now?.width !== viewport.width || now?.height !== viewport.height) await page.setViewportSize(viewport);
  }
  await waitForEditor(page);
  await stopIfRunning(page);
  await expect(runButton(page)).toBeEnabled();
  await page.keyboard.press("Escape"); // closes an open menu or dialog
  await setColorScheme(page, "light");
  await page.getByRole("button", { name: "Eager", exact: true }).click();
  await page.getByRole("tab", { name: /Console/ }).click();
  await expect(page.getByRole("tab", { name: /Console/ })).toHaveAttribute("aria-selected", "true");
}

/**
 * Runs a one-line program with room to spare, once per page load: the first Run of a page loads
 * the type stripper and starts the first runner worker (beside the TypeScript worker's start, where
 * type checking is on), which no test is about; after it, Runs take their usual time and the tests' own timeouts
 * measure what they mean to. A page that a test reloaded is warmed up again.
 */
async function warmUp(page: Page): Promise<void> {
  if (await page.evaluate(() => (window as { e2eWarm?: boolean }).e2eWarm === true)) return;
  await setCode(page, 'console.log("warm");');
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });
  await page.evaluate(() => ((window as { e2eWarm?: boolean }).e2eWarm = true));
}

/** `test` whose `page` is the spec file's shared, loaded app (see the module comment). */
export const test = base.extend<{ sharedPage: Page; typeCheck: boolean }, { sharedApp: SharedApp }>({
  /** `test.use({ typeCheck: true })`: the file's app opens with the editor's type checking on (see openApp). */
  typeCheck: [false, { option: true }],
  sharedApp: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const shared: SharedApp = {};
      await use(shared);
      await shared.context?.close();
    },
    { scope: "worker" },
  ],
  // Opening (or resetting) and warming up the app has a timeout of its own: it is not the test's
  // work, and on a busy machine it would eat into the test's timeout.
  sharedPage: [
    async ({ browser, sharedApp, typeCheck }, use, testInfo) => {
      if (sharedApp.file !== testInfo.file || !sharedApp.page) {
        await sharedApp.context?.close();
        // The project's `use` options, as Playwright's own `context` fixture would apply them.
        const { baseURL, viewport, serviceWorkers } = testInfo.project.use;
        sharedApp.context = await browser.newContext({ baseURL, viewport, serviceWorkers });
        sharedApp.page = await sharedApp.context.newPage();
        sharedApp.file = testInfo.file;
        await openApp(sharedApp.page, "./", { typeCheck });
      } else {
        await resetApp(sharedApp.page, testInfo.project.use.viewport);
      }
      await warmUp(sharedApp.page);
      await use(sharedApp.page);
    },
    { timeout: 180_000 },
  ],
  page: async ({ sharedPage }, use) => use(sharedPage),
});

export { expect };
