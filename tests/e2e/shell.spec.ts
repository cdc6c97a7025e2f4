/**
 * The app shell: the editor's room in every way in, share links against newer work, the phone
 * layout, stack traces, and the keyboard (heading, leaving the editor, the Examples menu).
 * Tests about the viewport, first visits and reloads use their own page; the stack trace and
 * keyboard tests share one loaded app (./shared-page).
 */
import { expect, test, type Page } from "@playwright/test";
import { test as sharedPageTest } from "./shared-page";
import { consoleLog, getCode, openApp, runButton, runStatus, setCode, TOUR_KEY, waitForEditor } from "./helpers";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const OWN_CODE = '// my own program\nconsole.log("mine");\n';

/** The editor's height as a fraction of its column (the lesson, if any, shares the column). */
async function editorShare(page: Page): Promise<number> {
  await expect(page.locator(".monaco-editor")).toBeVisible();
  return page.evaluate(() => {
    const column = document.querySelector("[data-testid=editor-column]")!.getBoundingClientRect();
    const editor = document.querySelector("[data-testid=editor]")!.getBoundingClientRect();
    return editor.height / column.height;
  });
}

async function expectRoomyEditor(page: Page, path: string): Promise<void> {
  // Monaco lays out on resize (automaticLayout): give it a frame, then read the sizes.
  await page.waitForTimeout(200);
  const share = await editorShare(page);
  expect(share, `editor share of its column (${path})`).toBeGreaterThanOrEqual(0.6);
  // Monaco itself fills its box (it was one 20 px line when the box collapsed).
  const monacoHeight = await page.locator(".monaco-editor").evaluate((el) => el.getBoundingClientRect().height);
  const column = await page.getByTestId("editor-column").evaluate((el) => el.getBoundingClientRect().height);
  expect(monacoHeight / column, `Monaco's share (${path})`).toBeGreaterThanOrEqual(0.6);
}

/** Waits until the autosave holds `code` (so a reload finds it). */
async function expectSaved(page: Page, code: string): Promise<void> {
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("webgrad.workspace.v1") ?? "{}").code)).toBe(code);
}

/** The URL the Share button puts in the address bar for the editor's current code. */
async function shareLink(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Share" }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#code=1\./);
  return page.url();
}

for (const [size, viewport] of [
  ["1280×800", DESKTOP],
  ["390×844", PHONE],
] as const) {
  test(`the editor keeps at least 60 % of its column in every way in (${size})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ viewport });
    await context.addInitScript((key) => localStorage.setItem(key, "seen"), TOUR_KEY);
    const page = await context.newPage();

    await openApp(page);
    await expect(page.getByTestId("lesson")).toBeVisible(); // a first visit starts on the first example
    await expectRoomyEditor(page, "fresh");

    await setCode(page, OWN_CODE);
    await expect(page.getByTestId("lesson")).toHaveCount(0);
    await expectSaved(page, OWN_CODE);
    await page.reload();
    await waitForEditor(page);
    expect(await getCode(page)).toBe(OWN_CODE);
    await expectRoomyEditor(page, "reload of own code");

    const link = await shareLink(page);
    await page.goto("about:blank");
    await page.goto(link);
    await waitForEditor(page);
    await expect(page.getByRole("status").filter({ hasText: "It has not run" })).toBeVisible();
    await expectRoomyEditor(page, "share link of own code");

    await page.getByRole("button", { name: "Examples" }).click();
    await page.getByRole("menuitem", { name: "Cluster topologies" }).click();
    await expect(page.getByTestId("lesson")).toBeVisible();
    await expectRoomyEditor(page, "example");

    // The learner folds the lesson away: the editor takes the room it leaves.
    await page.getByRole("button", { name: "Hide the lesson" }).click();
    await expectRoomyEditor(page, "example with its lesson folded");
    await page.getByRole("button", { name: "Show the lesson" }).click();

    // However tall the lesson above the editor gets, the editor stays the flexible part.
    await page.getByRole("button", { name: "Examples" }).click();
    await page.getByRole("menuitem", { name: "Cluster topologies" }).click();
    await page.locator(".lesson-host").evaluate((host) => {
      const tall = document.createElement("div");
      tall.style.height = "3000px";
      host.append(tall);
    });
    await expectRoomyEditor(page, "a very tall lesson");
    await context.close();
  });
}

test("after Share, editing and reloading brings back the latest work, not the shared code", async ({ page }) => {
  await openApp(page);
  await setCode(page, 'console.log("shared version");\n');
  await shareLink(page);
  await setCode(page, 'console.log("newer work");\n');
  // The link no longer describes the work: it left the address bar.
  await expect.poll(() => page.evaluate(() => location.hash)).toBe("");
  await expectSaved(page, 'console.log("newer work");\n');
  await page.reload();
  await waitForEditor(page);
  expect(await getCode(page)).toBe('console.log("newer work");\n');
  await expect(page.getByRole("button", { name: "Restore my code" })).toHaveCount(0);

  // Opening a link still works, and a reload after editing its code shows the edit.
  await setCode(page, 'console.log("to share");\n');
  const link = await shareLink(page);
  await setCode(page, "// something else\n");
  await page.goto("about:blank");
  await page.goto(link);
  await waitForEditor(page);
  expect(await getCode(page)).toBe('console.log("to share");\n');
  await setCode(page, 'console.log("to share, edited");\n');
  await expectSaved(page, 'console.log("to share, edited");\n');
  await page.reload();
  await waitForEditor(page);
  expect(await getCode(page)).toBe('console.log("to share, edited");\n');
});

test("a first visit that opens a share link is not told that previous code was kept", async ({ browser }) => {
  const author = await browser.newContext();
  const authorPage = await author.newPage();
  await openApp(authorPage);
  await setCode(authorPage, 'console.log("from a friend");\n');
  const link = await shareLink(authorPage);
  await author.close();

  const visitor = await browser.newContext(); // empty storage: a first visit
  const page = await visitor.newPage();
  await page.goto(link);
  await waitForEditor(page);
  expect(await getCode(page)).toBe('console.log("from a friend");\n');
  const notice = page.getByRole("status").filter({ hasText: "It has not run" });
  await expect(notice).toBeVisible();
  await expect(notice).not.toContainText("previous code");
  await expect(page.getByRole("button", { name: "Restore my code" })).toHaveCount(0);
  await visitor.close();
});

test.describe("on a 390×844 phone", () => {
  test.use({ viewport: PHONE });

  test("no run widens the page, the active tab is in view, and the Loaded notice is short and dismissable", async ({ page }) => {
    test.setTimeout(240_000);
    await openApp(page);
    const pageWidth = () => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
    const tabInView = (name: RegExp) =>
      page.getByRole("tab", { name }).evaluate((tab) => {
        const t = tab.getBoundingClientRect();
        const strip = tab.parentElement!.getBoundingClientRect();
        return t.left >= strip.left - 1 && t.right <= strip.right + 1;
      });

    for (const [title, tab] of [
      ["Cluster topologies", /Cluster/],
      ["What a graph is: values, ops and edges", /Graph/],
      ["Forward vs reverse mode: the evaluation trace, and who pays for n", /Tape/],
      ["Gradient descent by hand", /Plots/],
      ["Ring vs tree allReduce", /Cluster/],
    ] as const) {
      await page.getByRole("button", { name: "Examples" }).click();
      await page.getByRole("menuitem", { name: title }).click();
      await expect(page.getByRole("tab", { name: tab })).toHaveAttribute("aria-selected", "true");
      expect(await tabInView(tab), `${tab} tab in view after loading “${title}”`).toBe(true);

      const notice = page.getByRole("status").filter({ hasText: "Loaded" });
      await expect(notice).toBeVisible();
      // Two lines at most next to its buttons (it took 3–4 lines, pushing the editor down).
      const height = await notice.evaluate((el) => el.getBoundingClientRect().height);
      expect(height, `Loaded notice height for “${title}”`).toBeLessThanOrEqual(48);

      await runButton(page).click();
      await expect(runStatus(page)).toContainText(/Finished|Failed/, { timeout: 90_000 });
      await expect(runStatus(page)).toContainText("Finished");
      await page.waitForTimeout(300); // a frame for the panels to draw what arrived
      expect(await pageWidth(), `page width after running “${title}”`).toBeLessThanOrEqual(PHONE.width);
      // Every panel's view after this run fits too.
      for (const other of [/Console/, /Plots/, /Tape/, /Graph/, /Kernels/, /Cluster/]) {
        await page.getByRole("tab", { name: other }).click();
        expect(await tabInView(other), `${other} tab in view once chosen`).toBe(true);
        expect(await pageWidth(), `page width on ${other} after “${title}”`).toBeLessThanOrEqual(PHONE.width);
      }
    }

    const notice = page.getByRole("status").filter({ hasText: "Loaded" });
    await notice.getByRole("button", { name: "Dismiss message" }).click();
    await expect(notice).toHaveCount(0);
  });
});

/** A stack frame outside the user's main.ts: "at fn (url:line:column)". */
const INTERNAL_FRAME = /at [^()\n]*\((?!main\.ts)[^()\n]+:\d+:\d+\)/;

sharedPageTest("a stack trace shows the user's frames only, the library's on request", async ({ page }) => {
  sharedPageTest.setTimeout(240_000);
  const code = [
    'import { tensor } from "webgrad";',
    "function multiply() {",
    "  return tensor([[1, 2, 3]]).matmul(tensor([[1, 2]]));",
    "}",
    "try {",
    "  multiply();",
    "} catch (error) {",
    '  console.log("caught:", error);',
    "}",
    "multiply();",
  ].join("\n");
  await setCode(page, code);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Failed", { timeout: 180_000 });
  const uncaught = consoleLog(page).locator(".line.error").last();
  await expect(uncaught.getByRole("button", { name: /multiply \(main\.ts:3/ })).toBeVisible();
  await expect(uncaught.getByRole("button", { name: /main\.ts:10/ })).toBeVisible();
  // The library's frames (in worker-*.js, or in the worker's blob: URL in an isolated build) are hidden.
  await expect(consoleLog(page)).not.toContainText(INTERNAL_FRAME);
  // The caught error printed as a value lists the user's frames in its text, no bundle frames.
  await expect(consoleLog(page)).toContainText(/caught: \w*Error: [^\n]*\n\s+at multiply \(main\.ts:3:\d+\)/);

  const more = uncaught.getByRole("button", { name: /more frames/ });
  await expect(more).toHaveAttribute("aria-expanded", "false");
  await more.click();
  await expect(uncaught).toContainText(INTERNAL_FRAME);
  await expect(uncaught.getByRole("button", { name: /multiply \(main\.ts:3/ })).toBeVisible();
  await uncaught.getByRole("button", { name: /Hide webgrad internals/ }).click();
  await expect(uncaught).not.toContainText(INTERNAL_FRAME);
});

sharedPageTest.describe("keyboard", () => {
  sharedPageTest("the page has one h1", async ({ page }) => {
    await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("webgrad");
  });

  sharedPageTest("Escape then Tab leaves the editor (Shift+Tab backwards), Ctrl+M too, as the editor's hint says", async ({ page }) => {
    await setCode(page, "const a = 1;\n");
    const textarea = page.locator(".monaco-editor textarea");
    const inEditor = () => page.evaluate(() => !!document.activeElement?.closest(".monaco-editor"));
    await page.locator(".monaco-editor .view-lines").click();
    expect(await inEditor()).toBe(true);
    const hint = page.getByTestId("editor-keys-hint");
    await expect(hint).toBeVisible();
    await expect(hint).toContainText("Esc then Tab");
    await expect(textarea).toHaveAttribute("aria-describedby", "editor-keys-hint");

    // Tab alone indents (it is a code editor).
    await page.keyboard.press("End");
    await page.keyboard.press("Tab");
    expect(await inEditor()).toBe(true);
    expect(await getCode(page)).not.toBe("const a = 1;\n");
    await setCode(page, "const a = 1;\n");

    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await inEditor()).toBe(false);
    await expect(hint).toBeHidden();
    expect(await getCode(page)).toBe("const a = 1;\n");
    // Forward: the focus is on something after the editor on the page.
    expect(
      await page.evaluate(
        () => !!(document.querySelector(".monaco-editor")!.compareDocumentPosition(document.activeElement!) & Node.DOCUMENT_POSITION_FOLLOWING),
      ),
    ).toBe(true);

    await page.locator(".monaco-editor .view-lines").click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    expect(await inEditor()).toBe(false);
    expect(
      await page.evaluate(
        () => !!(document.querySelector(".monaco-editor")!.compareDocumentPosition(document.activeElement!) & Node.DOCUMENT_POSITION_PRECEDING),
      ),
    ).toBe(true);
    expect(await getCode(page)).toBe("const a = 1;\n");

    // Monaco's Ctrl+M: Tab moves the focus until pressed again.
    await page.locator(".monaco-editor .view-lines").click();
    await page.keyboard.press("Control+m");
    await page.keyboard.press("Tab");
    expect(await inEditor()).toBe(false);
    expect(await getCode(page)).toBe("const a = 1;\n");
  });

  sharedPageTest("choosing an example returns the focus to the editor, by mouse or by Enter in the filter", async ({ page }) => {
    await page.getByRole("button", { name: "Examples" }).click();
    await page.getByRole("menuitem", { name: "Gradient descent by hand" }).click();
    // Monaco's input element (a textarea or an EditContext element) is inside .monaco-editor.
    const inEditor = () => page.evaluate(() => !!document.activeElement?.closest(".monaco-editor"));
    await expect.poll(inEditor).toBe(true);
    await expect(page.getByTestId("lesson").getByRole("heading", { level: 2 })).toHaveText("Gradient descent by hand");
    expect(await getCode(page)).toContain("const xs = Array.from({ length: 32 }");

    await page.getByRole("button", { name: "Examples" }).click();
    await expect(page.getByRole("searchbox", { name: "Filter examples" })).toBeFocused();
    await page.keyboard.type("ring");
    await page.keyboard.press("Enter");
    await expect.poll(inEditor).toBe(true);
    await expect(page.getByTestId("lesson").getByRole("heading", { level: 2 })).toHaveText(/^Ring vs tree allReduce/);
    expect(await getCode(page)).toContain("const shards = c.devices.map(");
  });

  sharedPageTest("the Examples filter ranks title matches first", async ({ page }) => {
    await page.getByRole("button", { name: "Examples" }).click();
    await page.getByRole("searchbox", { name: "Filter examples" }).fill("ring");
    const items = page.getByRole("menuitem");
    await expect(items.first()).toHaveAccessibleName("Ring vs tree allReduce");
    // Lessons that only mention a ring are still listed, after it.
    expect(await items.count()).toBeGreaterThan(1);
  });
});
