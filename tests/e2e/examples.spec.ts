/**
 * Every gallery example, loaded from the Examples menu, runs in the browser (WebGPU where the
 * browser has it) in Eager and in Graph mode and prints the same results in both (issue 7). Runs
 * are quick (Settings → "Quick runs" caps every `steps(n)` loop), which keeps the suite fast.
 */
import { expect, test } from "./shared-page";
import type { Page } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { consoleLog, runButton, runStatus } from "./helpers";
import { outputDifference } from "../shared/same-output";

const dir = fileURLToPath(new URL("../../src/examples/", import.meta.url));
const examples = readdirSync(dir)
  .filter((f) => /^[^.]+\.ts$/.test(f)) // NN-name.ts: not the .lesson.ts / .exercises.ts beside it
  .sort()
  .map((f) => ({ id: f.replace(/\.ts$/, ""), title: /^\/\/\s*title:\s*(.*)$/m.exec(readFileSync(dir + f, "utf8"))![1]!.trim() }));

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
  // One loaded app for all of them (./shared-page): each test loads its example from the menu.
  test.beforeEach(async ({ page }) => {
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("menuitemcheckbox", { name: /Quick runs/ }).check();
    await page.keyboard.press("Escape");
  });

  for (const { id, title } of examples) {
    test(id, async ({ page }) => {
      test.setTimeout(200_000);
      await page.getByRole("button", { name: "Examples" }).click();
      await page.getByRole("menuitem", { name: new RegExp(`^${escapeRegExp(title)}`) }).click();
      const eager = await runIn(page, "Eager");
      const graph = await runIn(page, "Graph");
      expect(eager.length, "it prints something").toBeGreaterThan(0);
      expect(outputDifference(eager, graph), "Eager vs Graph").toBeUndefined();
    });
  }
});
