/**
 * The distributed-algorithms and parallelism lessons as the learner sees them: lesson 52's automatic
 * strategy search (the candidate layouts, the search's choice, the choice run on real tensors, and
 * the tokens knob flipping Megatron's column → row to data parallelism), and lesson 43's survey of
 * the large models counted by the planner. Screenshots in English and in Chinese.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, runCode, runStatus } from "./helpers";

const example = (name: string) => readFileSync(fileURLToPath(new URL(`../../src/examples/${name}.ts`, import.meta.url)), "utf8");

/** Switch the UI language from the Settings menu (its button is named in the current language). */
async function setLanguage(page: Page, from: "en" | "zh", to: "English" | "简体中文"): Promise<void> {
  await page.getByRole("button", { name: from === "en" ? "Settings" : "设置" }).click();
  await page.getByRole("menuitemradio", { name: to }).click();
  await page.keyboard.press("Escape");
}

test("the strategy search lists the candidate layouts, picks column → row, runs it on real tensors, and picks data → data for many tokens", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await runCode(page, example("52-operator-sharding"), 90_000);
  const log = consoleLog(page);
  await expect(log).toContainText("4096 tokens: 16 candidate layouts, cheapest first");
  await expect(log).toContainText("fc1 column     → fc2 row        2.643 ms + 0.270 ms = 2.913 ms");
  await expect(log).toContainText("chosen: fc1 column → fc2 row, 2.913 ms per step");
  await expect(log).toContainText("ran it: input → fc1 allGather along d (dim 0); fc1 → fc2 nothing; fc2 → loss reduceScatter along d (dim 0)");
  await page.screenshot({ path: "test-results/parallel-lessons-search-en.png" });

  // The trade-off: with 65 536 tokens the activations outgrow the weights and data parallelism wins.
  await page.getByTestId("knobs").getByLabel("tokens per step").selectOption("65536");
  await expect(log).toContainText("chosen: fc1 data → fc2 data", { timeout: 90_000 });
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });

  await setLanguage(page, "en", "简体中文");
  await expect(page.getByText("策略搜索").first()).toBeVisible();
  await page.screenshot({ path: "test-results/parallel-lessons-search-zh.png" });
  await setLanguage(page, "zh", "English");
});

test("the SOTA survey counts each model's parameters against the published count and its training FLOPs", async ({ page }) => {
  test.setTimeout(120_000);
  await runCode(page, example("43-sota-models"), 90_000);
  const log = consoleLog(page);
  await expect(log).toContainText(/palm-540b\s+118\s+18432\s+48\(1\)\s+dense/);
  await expect(log).toContainText(/deepseek-v3\s+61\s+7168\s+128\(128\)\s+8 of 256/);
  await expect(log).toContainText(/palm-540b\s+540\.4B\s+540\.4B\s+0\.0%\s+540\.4B\s+10%\s+89%\s+1%/);
  await expect(log).toContainText(/deepseek-v3\s+671\.0B\s+671\.0B\s+0\.0%\s+37\.6B\s+2%\s+98%\s+0%/);
  await expect(log).toContainText("llama3-405b  15.6T tokens × 6 × 405.9B = 3.80e+25 → 543 days");
  await expect(log).toContainText('dist.plan("deepseek-v3"): dist.plan: model "deepseek-v3" has layers that are not all alike');
  await page.screenshot({ path: "test-results/parallel-lessons-survey-en.png" });
  await setLanguage(page, "en", "简体中文");
  await expect(page.getByText("逐一清点").first()).toBeVisible();
  await page.screenshot({ path: "test-results/parallel-lessons-survey-zh.png" });
  await setLanguage(page, "zh", "English");
});
