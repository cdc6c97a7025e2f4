/**
 * Every gallery example, loaded from the Examples menu, runs in the browser (WebGPU where the
 * browser has it) in Eager and in Graph mode and prints the same results in both (issue 7), under
 * the built app's Content-Security-Policy with no violation. Runs are quick (Settings → "Quick
 * runs" caps every `steps(n)` loop), which keeps the suite fast.
 *
 * The mode only changes what `jit` functions do, and the library never calls `jit` itself
 * (tests/unit/app/examples-run.test.ts checks that such an example traces no graph in Graph mode):
 * an example whose source never mentions `jit` runs the same program in both modes, so it runs
 * once here, in Graph mode.
 */
import { expect, test } from "./shared-page";
import type { ConsoleMessage, Page } from "@playwright/test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { consoleLog, runButton, runStatus } from "./helpers";
import { outputDifference } from "../shared/same-output";
import { usesJit } from "../shared/uses-jit";

const dir = fileURLToPath(new URL("../../src/examples/", import.meta.url));
/** An example's English title: from its lesson file (`title: { en: "…"`), or the old `// title:` header. */
function titleOf(id: string): string {
  const lesson = `${dir}${id}.lesson.ts`;
  if (existsSync(lesson)) return JSON.parse(/title:\s*\{\s*en:\s*("(?:[^"\\]|\\.)*")/.exec(readFileSync(lesson, "utf8"))![1]!) as string;
  return /^\/\/\s*title:\s*(.*)$/m.exec(readFileSync(`${dir}${id}.ts`, "utf8"))![1]!.trim();
}
const examples = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".lesson.ts") && !f.endsWith(".exercises.ts"))
  .sort()
  .map((f) => f.replace(/\.ts$/, ""))
  .map((id) => ({ id, title: titleOf(id), bothModes: usesJit(readFileSync(`${dir}${id}.ts`, "utf8")) }));

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function consoleLines(page: Page): Promise<string[]> {
  return consoleLog(page).locator(".line pre").allTextContents();
}

async function runIn(page: Page, mode: "Eager" | "Graph"): Promise<string[]> {
  await page.getByRole("button", { name: mode, exact: true }).click();
  await runButton(page).click();
  await expect(runStatus(page)).toContainText(/Finished|Failed/, { timeout: 90_000 });
  const errors = await consoleLog(page).locator(".line.error pre").allTextContents();
  expect(errors, `${mode}: no errors`).toEqual([]);
  await expect(runStatus(page)).toContainText("Finished");
  return consoleLines(page);
}

test.describe("every example runs in Eager and in Graph mode with the same output", () => {
  // One loaded app per worker (./shared-page): each test loads its example from the menu. The
  // examples spread over the workers, so the longest spec does not end the run on its own.
  test.describe.configure({ mode: "parallel" });
  const violations: string[] = [];
  const onConsole = (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  };
  test.beforeEach(async ({ page }) => {
    violations.length = 0;
    page.on("console", onConsole);
    // The page was loaded before this test: listen from now on (the listener stays for the page's life).
    await page.evaluate(() => {
      const w = window as { e2eCspListener?: boolean };
      if (w.e2eCspListener) return;
      w.e2eCspListener = true;
      document.addEventListener("securitypolicyviolation", (e) => console.error(`Refused to (CSP) ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("menuitemcheckbox", { name: /Quick runs/ }).check();
    await page.keyboard.press("Escape");
  });
  test.afterEach(({ page }) => void page.off("console", onConsole));

  for (const { id, title, bothModes } of examples) {
    test(id, async ({ page }) => {
      test.setTimeout(200_000);
      await page.getByRole("button", { name: "Examples" }).click();
      await page.getByRole("menuitem", { name: new RegExp(`^${escapeRegExp(title)}`) }).click();
      const graph = await runIn(page, "Graph");
      expect(graph.length, "it prints something").toBeGreaterThan(0);
      if (bothModes) expect(outputDifference(await runIn(page, "Eager"), graph), "Eager vs Graph").toBeUndefined();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    });
  }
});
