import { expect, type Page } from "@playwright/test";

/** The app handle main.ts exposes for tests (see src/app/main.ts). */
interface TestHandle {
  editor?: { setCode(code: string): void; getCode(): string; cursor(): { line: number; column: number } };
  status: string;
}

declare global {
  interface Window {
    __webgradApp: TestHandle;
  }
}

/** The localStorage key that marks the first-run tour as seen (src/app/state/ui.svelte.ts). */
export const TOUR_KEY = "webgrad.tour.v1";

/**
 * Opens the app and waits until the editor is editable. The first-run tour is marked as seen
 * first (tests that are not about it must not have its card over the page); `{ tour: true }`
 * leaves a first visit as it is.
 */
export async function openApp(page: Page, path = "./", options: { tour?: boolean } = {}): Promise<void> {
  if (!options.tour) await page.addInitScript((key) => localStorage.setItem(key, "seen"), TOUR_KEY);
  await page.goto(path);
  await waitForEditor(page);
}

export async function waitForEditor(page: Page): Promise<void> {
  await expect(page.locator(".monaco-editor textarea")).toBeAttached({ timeout: 30_000 });
  await expect(runButton(page)).toBeEnabled();
}

/** Replaces the editor's code (typing into Monaco would auto-close brackets). */
export async function setCode(page: Page, code: string): Promise<void> {
  await page.evaluate((c) => window.__webgradApp.editor!.setCode(c), code);
}

export async function getCode(page: Page): Promise<string> {
  return page.evaluate(() => window.__webgradApp.editor!.getCode());
}

export const consoleLog = (page: Page) => page.getByTestId("console");
export const runStatus = (page: Page) => page.getByTestId("run-status");
/** The Run button, in either UI language (specs also open the app in zh-CN). */
export const runButton = (page: Page) => page.getByRole("button", { name: /^(Run|运行)$/ });
export const stopButton = (page: Page) => page.getByRole("button", { name: "Stop", exact: true });

/**
 * Runs `code` with the Run button and waits for the run to finish (`timeout`: for whole examples,
 * which take tens of seconds on a busy 2-core machine; a snippet gets the usual expect timeout).
 */
export async function runCode(page: Page, code: string, timeout?: number): Promise<void> {
  await setCode(page, code);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText(/Finished|Failed/, { timeout });
}
