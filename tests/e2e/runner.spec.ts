import { expect, test } from "./shared-page";
import { consoleLog, getCode, runButton, runCode, runStatus, setCode, stopButton, waitForEditor } from "./helpers";

// The squiggles come from the editor's TypeScript service (off by default in e2e: see openApp).
test.use({ typeCheck: true });

test("Run prints console output and shows the duration", async ({ page }) => {
  await runCode(page, 'console.log("hello", 1 + 1, { a: [1, 2] });\nconsole.warn("careful");');
  await expect(consoleLog(page)).toContainText("hello 2 { a: [ 1, 2 ] }");
  await expect(consoleLog(page).locator(".line.warn")).toContainText("careful");
  await expect(runStatus(page)).toHaveText(/Finished in \d+(\.\d+)? (ms|s)/);
});

test("top-level await works and output keeps its order", async ({ page }) => {
  await runCode(
    page,
    [
      "console.log('first');",
      "await new Promise((r) => setTimeout(r, 50));",
      "// an object printing itself asynchronously, as tensors do (GPU readback)",
      "const slow = { [Symbol.for('webgrad.inspect')]: async () => { await new Promise((r) => setTimeout(r, 80)); return 'tensor([1, 2])'; } };",
      "console.log(slow);",
      "console.log('last');",
    ].join("\n"),
  );
  const text = await consoleLog(page).innerText();
  expect(text.indexOf("first")).toBeLessThan(text.indexOf("tensor([1, 2])"));
  expect(text.indexOf("tensor([1, 2])")).toBeLessThan(text.indexOf("last"));
});

test("a thrown error names its line, and clicking the frame jumps there", async ({ page }) => {
  const code = ["const a: number = 1;", "", "function boom(): never {", '  throw new Error("kaboom");', "}", "boom();"].join("\n");
  await setCode(page, code);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Failed");
  const error = consoleLog(page).locator(".line.error").first();
  await expect(error).toContainText("Error: kaboom (line 4)");
  await expect(error.getByRole("button", { name: /main\.ts:6/ })).toBeVisible();
  await error.getByRole("button", { name: /boom \(main\.ts:4/ }).click();
  expect(await page.evaluate(() => window.__webgradApp.editor!.cursor().line)).toBe(4);
});

test("a syntax error is reported with its line and nothing runs", async ({ page }) => {
  await setCode(page, 'console.log("should not print");\nconst = 5;\n');
  await runButton(page).click();
  await expect(consoleLog(page).locator(".line.error").first()).toContainText("SyntaxError");
  await expect(consoleLog(page).locator(".line.error").first()).toContainText("(line 2)");
  await expect(consoleLog(page)).not.toContainText("should not print");
});

test("type errors are squiggles but do not block running", async ({ page }) => {
  await setCode(page, 'import { plot } from "webgrad";\nconst n: number = "not a number";\nconsole.log("ran", typeof plot);\n');
  await expect(page.locator(".monaco-editor .squiggly-error").first()).toBeAttached({ timeout: 20_000 });
  await runButton(page).click();
  await expect(consoleLog(page)).toContainText("ran function");
  // Settings → "Check types while editing" off: from the next load no squiggles, Run still works; on again: they return.
  const typeCheck = page.getByRole("menuitemcheckbox", { name: /^Check types while editing/ });
  await page.getByRole("button", { name: "Settings" }).click();
  await typeCheck.uncheck();
  await page.keyboard.press("Escape");
  await page.reload();
  await waitForEditor(page);
  await runCode(page, 'const n: number = "still not a number";\nconsole.log("ran unchecked");\n');
  await expect(consoleLog(page)).toContainText("ran unchecked");
  // Past the checker's 500 ms pause after an edit: nothing checked the new code.
  await page.waitForTimeout(1500);
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(0);
  await page.getByRole("button", { name: "Settings" }).click();
  await typeCheck.check();
  await page.keyboard.press("Escape");
  await page.reload();
  await waitForEditor(page);
  await expect(page.locator(".monaco-editor .squiggly-error").first()).toBeAttached({ timeout: 30_000 });
});

test("editor hints: a tensor read printed without await, and a module called like a function", async ({ page }) => {
  await setCode(page, 'import { tensor, nn } from "webgrad";\nconst loss = tensor(1);\nconsole.log(loss.item());\nconst m = new nn.Linear(2, 2);\nm(loss);');
  await expect(page.getByTestId("editor").locator(".squiggly-warning")).toHaveCount(1);
  // The "not callable" hint builds on TypeScript's own marker.
  await expect(page.getByTestId("editor").locator(".squiggly-info")).toHaveCount(1, { timeout: 30_000 });
});

test("Stop ends while (true) {} quickly, the UI stays responsive, and the next run works", { tag: "@alone" }, async ({ page }) => {
  await setCode(page, 'console.log("spinning");\nwhile (true) {}\n');
  await runButton(page).click();
  await expect(consoleLog(page)).toContainText("spinning");
  await expect(stopButton(page)).toBeEnabled();
  // The page is responsive while the worker spins: the panel tabs still switch.
  await page.getByRole("tab", { name: /Plots/ }).click();
  await expect(page.getByRole("tab", { name: /Plots/ })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("tab", { name: /Console/ }).click();
  const latency = await page.evaluate(async () => {
    const status = document.querySelector('[data-testid="run-status"]')!;
    const t0 = performance.now();
    (document.querySelector("button.stop") as HTMLButtonElement).click();
    while (!status.textContent?.includes("Stopped")) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  });
  expect(latency).toBeLessThan(250);
  await expect(consoleLog(page)).toContainText("Stopped.");
  await runCode(page, 'console.log("fresh run");');
  await expect(consoleLog(page)).toContainText("fresh run");
  await expect(consoleLog(page)).not.toContainText("spinning");
});

test("each run starts in a fresh worker", async ({ page }) => {
  await runCode(page, "(globalThis as any).leftover = 42; console.log('set');");
  await runCode(page, "console.log('leftover is', (globalThis as any).leftover);");
  await expect(consoleLog(page)).toContainText("leftover is undefined");
});

test("keyboard: Ctrl+Enter runs from the editor and from elsewhere; Escape stops", async ({ page }) => {
  await setCode(page, 'console.log("via keyboard");');
  await page.locator(".monaco-editor textarea").focus();
  await page.keyboard.press("Control+Enter");
  await expect(consoleLog(page)).toContainText("via keyboard");
  expect(await getCode(page)).toBe('console.log("via keyboard");'); // no newline inserted

  await setCode(page, 'console.log("loop");\nwhile (true) {}');
  await page.getByRole("tab", { name: /Console/ }).focus();
  await page.keyboard.press("Control+Enter");
  await expect(runStatus(page)).toHaveText("Running…");
  await page.keyboard.press("Escape");
  await expect(runStatus(page)).toContainText("Stopped");
  await expect(runButton(page)).toHaveAttribute("title", /Ctrl\+Enter/);
  await expect(stopButton(page)).toHaveAttribute("title", /Escape/);
});

test("reload keeps the code", async ({ page }) => {
  await setCode(page, "// kept across reloads\nconsole.log(1);\n");
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await page.reload();
  await expect.poll(() => page.evaluate(() => window.__webgradApp.editor?.getCode())).toBe("// kept across reloads\nconsole.log(1);\n");
});

test("the status bar names the backend", async ({ page }) => {
  await expect(page.getByTestId("backend-status")).toHaveText(/Backend: (?!starting)/);
});

test("tensors from the library print readably in the console", async ({ page }) => {
  await runCode(page, 'import { tensor } from "webgrad";\nconst t = tensor([[1, 2], [3, 4]]);\nconsole.log("t =", t);\nconsole.log("after");');
  const text = await consoleLog(page).innerText();
  expect(text).toMatch(/t = tensor\(/);
  expect(text).not.toContain("[object Object]");
  expect(text.indexOf("t = tensor(")).toBeLessThan(text.indexOf("after"));
});

test("a program flooding the console stays stoppable and the page responsive", { tag: "@alone" }, async ({ page }) => {
  await setCode(page, "let i = 0;\nwhile (true) console.log(i++);\n");
  await runButton(page).click();
  await expect(consoleLog(page)).toContainText("lines dropped");
  await page.getByRole("tab", { name: /Plots/ }).click();
  await expect(page.getByRole("tab", { name: /Plots/ })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("tab", { name: /Console/ }).click();
  const { latency, longestFrame } = await page.evaluate(async () => {
    // How long frames take while the flood is being shown, then Stop → "Stopped".
    let last = performance.now();
    let longestFrame = 0;
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      longestFrame = Math.max(longestFrame, now - last);
      last = now;
    }
    const status = document.querySelector('[data-testid="run-status"]')!;
    const t0 = performance.now();
    (document.querySelector("button.stop") as HTMLButtonElement).click();
    while (!status.textContent?.includes("Stopped")) await new Promise((r) => requestAnimationFrame(r));
    return { latency: performance.now() - t0, longestFrame };
  });
  console.log(`flood: stop ${latency.toFixed(0)} ms, longest frame ${longestFrame.toFixed(0)} ms`);
  expect(latency).toBeLessThan(250);
  // Typically 50–200 ms on 2 idle cores; the bound only says "never frozen", since other work
  // on a shared machine stretches frames. Stop latency above is the hard requirement.
  expect(longestFrame).toBeLessThan(1000);
  await runCode(page, 'console.log("after the flood");');
  await expect(consoleLog(page)).toContainText("after the flood");
});

test("the Eager/Graph toggle sets the library's mode for the run", async ({ page }) => {
  const code = 'import { getMode } from "webgrad";\nconsole.log("mode:", getMode());';
  await page.getByRole("button", { name: "Graph" }).click();
  await runCode(page, code);
  await expect(consoleLog(page)).toContainText("mode: graph");
  await page.getByRole("button", { name: "Eager" }).click();
  await runCode(page, code);
  await expect(consoleLog(page)).toContainText("mode: eager");
  await expect(page.getByRole("button", { name: "Eager" })).toHaveAttribute("aria-pressed", "true");
});
