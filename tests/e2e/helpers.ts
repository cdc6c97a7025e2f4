import { expect, type Locator, type Page } from "@playwright/test";

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

/**
 * Switches the emulated colour scheme and waits two frames: the page's CSS follows at once, but
 * its `matchMedia` listeners (Monaco's theme, the canvases' palettes, WGSL highlighting) run at
 * the next rendering step, and a check made before then sees the new background under the old
 * theme's colours.
 */
export async function setColorScheme(page: Page, colorScheme: "light" | "dark"): Promise<void> {
  await page.emulateMedia({ colorScheme });
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}

/** The localStorage key that marks the first-run tour as seen (src/app/state/ui.svelte.ts). */
export const TOUR_KEY = "webgrad.tour.v1";

/** The localStorage key of Settings → "Check types while editing" (src/app/state/ui.svelte.ts). */
export const TYPECHECK_KEY = "webgrad.typecheck.v1";

/** How {@link openApp} opens the app. */
export interface OpenOptions {
  /** Leave a first visit as it is: the tour shows. */
  tour?: boolean;
  /**
   * The editor's TypeScript checking on, as a first visit has it. Off unless asked: Monaco's
   * TypeScript worker costs about 4 CPU-seconds per page load (and a check per loaded example)
   * that no test needs unless it is about squiggles, hover docs or completion; those ask for it.
   */
  typeCheck?: boolean;
}

/**
 * Opens the app and waits until the editor is editable. The first-run tour is marked as seen
 * first (tests that are not about it must not have its card over the page); `{ tour: true }`
 * leaves a first visit as it is. Type checking is off unless `{ typeCheck: true }` (see
 * {@link OpenOptions}); a choice the test makes in Settings survives its reloads.
 */
export async function openApp(page: Page, path = "./", options: OpenOptions = {}): Promise<void> {
  if (!options.tour) await page.addInitScript((key) => localStorage.setItem(key, "seen"), TOUR_KEY);
  if (!options.typeCheck)
    await page.addInitScript((key) => {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, "off");
    }, TYPECHECK_KEY);
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
 * Stops the run in progress, if there is one. The run may end between the check and the click
 * (Stop is disabled again): then there is nothing left to stop, and the click's failure is not one.
 */
export async function stopIfRunning(page: Page): Promise<void> {
  if (!(await stopButton(page).isEnabled())) return;
  try {
    await stopButton(page).click({ timeout: 5_000 });
  } catch (error) {
    if (await stopButton(page).isEnabled()) throw error;
  }
}

/**
 * Runs `code` with the Run button and waits for the run to finish (`timeout`: for whole examples,
 * which take tens of seconds on a busy 2-core machine; a snippet gets the usual expect timeout).
 */
export async function runCode(page: Page, code: string, timeout?: number): Promise<void> {
  await setCode(page, code);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText(/Finished|Failed/, { timeout });
}

/**
 * Pixels a select has beyond its chosen option's text (its arrow and padding): under about 16 the
 * text is cut off.
 */
export async function selectTextRoom(select: Locator): Promise<number> {
  return select.evaluate((s: HTMLSelectElement) => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.font = getComputedStyle(s).font;
    return s.clientWidth - ctx.measureText(s.selectedOptions[0].text).width;
  });
}
