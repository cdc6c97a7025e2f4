/**
 * An exercise end to end: open it from the lesson, Check the untouched starter (it fails, saying
 * what was expected), put the solution in, Check again (it passes), and the progress shows in the
 * pane and in the Examples menu; in English and in Chinese. Screenshots of the pane go to the
 * test's output folder.
 */
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getCode, openApp, setCode } from "./helpers";
import dualExercises from "../../src/examples/13-dual-numbers.exercises";
import type { ImplementExercise } from "../../src/app/lessons/exercise";

const example = readFileSync(fileURLToPath(new URL("../../src/examples/13-dual-numbers.ts", import.meta.url)), "utf8");
const exercise = dualExercises.find((e): e is ImplementExercise => e.kind === "implement" && e.id === "dual-multiply")!;
const key = "13-dual-numbers/dual-multiply";

// A check runs a program in a fresh worker: allow for a busy machine.
test.describe.configure({ timeout: 240_000 });
const RUN_TIMEOUT = 90_000;

const labels = {
  en: {
    exercises: "Exercises",
    open: "Open in editor",
    check: "Check",
    hint: /Show a hint/,
    progress: `1/${dualExercises.length} solved`,
    failed: /checks failed/,
    passed: /checks passed/,
  },
  zh: {
    exercises: "练习",
    open: "在编辑器中打开",
    check: "检查",
    hint: /显示提示/,
    progress: `已完成 1/${dualExercises.length}`,
    failed: /未通过/,
    passed: /全部.*通过/,
  },
} as const;

async function failThenPass(page: Page, info: TestInfo, lang: "en" | "zh"): Promise<void> {
  const l = labels[lang];
  await setCode(page, example);
  const pane = page.getByTestId("exercises");
  await pane.getByRole("button", { name: l.exercises }).click();
  const card = pane.locator(`[data-exercise="${key}"]`);
  await card.getByRole("button", { name: l.open }).click();
  await expect.poll(() => getCode(page)).toContain(`// exercise: ${key}`);
  expect(await getCode(page)).toContain(exercise.starter.split("\n")[0]!);

  // The untouched starter fails, with what was expected and what came.
  await card.getByRole("button", { name: l.check, exact: true }).click();
  const results = card.getByTestId("check-results");
  await expect(results.getByTestId("check-failed")).toHaveText(l.failed, { timeout: RUN_TIMEOUT });
  await expect(results.locator("li.fail").first()).toContainText(lang === "en" ? "expected" : "期望");
  await card.getByRole("button", { name: l.hint }).click();
  await page.screenshot({ path: info.outputPath(`exercise-failing-${lang}.png`) });

  // The solution passes and counts as solved.
  await setCode(page, `// exercise: ${key}\n${exercise.solution}`);
  await card.getByRole("button", { name: l.check, exact: true }).click();
  await expect(results.getByTestId("check-passed")).toHaveText(l.passed, { timeout: RUN_TIMEOUT });
  await expect(results.locator("li.fail")).toHaveCount(0);
  await expect(pane.getByTestId("exercise-progress")).toHaveText(l.progress);
  await page.screenshot({ path: info.outputPath(`exercise-passing-${lang}.png`) });

  // The Examples menu shows the part's progress.
  await page.getByRole("button", { name: /^(Examples|示例)$/ }).click();
  await expect(page.getByTestId("part-progress").filter({ hasText: /^1\/\d+$/ })).toHaveCount(1);
  await page.keyboard.press("Escape");
}

test("an exercise fails on its starter and passes on its solution; progress is saved", async ({ page }, info) => {
  await openApp(page);
  await failThenPass(page, info, "en");
  // Progress and the attempt survive a reload.
  await page.reload();
  await expect(page.locator(".monaco-editor textarea")).toBeAttached({ timeout: RUN_TIMEOUT });
  await expect(page.getByTestId("exercise-progress")).toHaveText(`1/${dualExercises.length} solved`);
});

test("in Chinese", async ({ page }, info) => {
  await page.addInitScript(() => localStorage.setItem("webgrad:locale", "zh"));
  await openApp(page);
  await failThenPass(page, info, "zh");
});
