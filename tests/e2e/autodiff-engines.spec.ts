/**
 * AutoDiff 05 and 06 as the learner sees them: the engines the learner builds (example 14's
 * micrograd-style Value, example 13's dual numbers) drawn in the Tape panel through `showTape`,
 * each box with the engine's own value, and stepped: example 14's backward one node at a time (the
 * gradients ḡ the engine computed arrive at each box), example 13's forward sweep (tangents v̇).
 * Selectors are language-agnostic (test ids, box keys); screenshots in English and in Chinese.
 */
import type { Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "./shared-page";
import { runCode } from "./helpers";
import valueLesson from "../../src/examples/14-build-a-pytorch.lesson";
import dualLesson from "../../src/examples/13-dual-numbers.lesson";

const source = (id: string) => readFileSync(fileURLToPath(new URL(`../../src/examples/${id}.ts`, import.meta.url)), "utf8");
/** A whole example's run: tens of seconds on a busy 2-core machine. */
const RUN_TIMEOUT = 90_000;

const tapeTab = (page: Page) => page.getByRole("tab", { name: /Tape|梯度带/ });
const tapeSection = (page: Page) => page.locator("section.tape");
/** The graph's box for a leaf named `name` (its label starts with the name) or an op. */
const box = (page: Page, label: RegExp) =>
  tapeSection(page)
    .locator("g.box")
    .filter({ has: page.locator("text.label", { hasText: label }) });
const deriv = (page: Page, label: RegExp) => box(page, label).locator("text.sub");

async function openExample(page: Page, title: string): Promise<void> {
  await page.getByRole("button", { name: /^(Examples|示例)/ }).click();
  await page.getByRole("menuitem", { name: title }).click();
  await expect(page.getByTestId("lesson").getByRole("heading", { level: 2 })).toHaveText(title);
}

test("example 14's hand-made Value engine is drawn in the Tape panel and its backward steps through the engine's own gradients", async ({ page }) => {
  test.setTimeout(180_000);
  await openExample(page, valueLesson.title.en);
  await runCode(page, source("14-build-a-pytorch"), RUN_TIMEOUT);
  await tapeTab(page).click();
  const tape = tapeSection(page);
  // The run's default tape is the learner's engine, opened as a graph.
  await expect(tape.getByTestId("tape-engine")).toHaveText("Value engine");
  await expect(tape.locator("g.box.op")).toHaveCount(5); // *, *, +, +, tanh
  await expect(tape.locator("g.box.leaf")).toHaveCount(5); // x1, w1, x2, w2, b
  await expect(box(page, /^x1 = 2$/)).toHaveCount(1);
  await expect(box(page, /^w1 = -3$/)).toHaveCount(1);
  await expect(box(page, /^tanh = 0\.707$/)).toHaveCount(1);
  // A finished run shows every gradient: the neuron's, as by hand (1 − o² = 0.5).
  await expect(tape.getByTestId("tape-step-pos")).toContainText("5/5");
  await expect(deriv(page, /^w1 /)).toHaveText(/ḡ 1$/);
  await expect(deriv(page, /^x1 /)).toHaveText(/ḡ -1\.5$/);

  // Back to before backward: values only, every gradient unknown.
  await tape.getByTestId("tape-step-start").click();
  await expect(tape.getByTestId("tape-step-pos")).toContainText("0/5");
  await expect(deriv(page, /^tanh /)).toHaveText(/ḡ \?$/);
  await expect(deriv(page, /^b /)).toHaveText(/ḡ \?$/);
  // Step 1: the seed ḡ = 1 arrives at tanh; nothing has reached the weights yet.
  await tape.getByTestId("tape-step-next").click();
  await expect(deriv(page, /^tanh /)).toHaveText(/ḡ 1$/);
  await expect(box(page, /^tanh /)).toHaveClass(/current/);
  await expect(deriv(page, /^b /)).toHaveText(/ḡ \?$/);
  // Step 2: tanh's step sent (1 − o²)·1 = 0.5 to the last +, which passes it on to b.
  await tape.getByTestId("tape-step-next").click();
  await expect(tape.locator("g.box.op.current text.sub")).toHaveText(/ḡ 0\.5$/);
  await expect(deriv(page, /^b /)).toHaveText(/ḡ 0\.5$/);
  await expect(deriv(page, /^w1 /)).toHaveText(/ḡ \?$/);
  // The stepped node's detail: what arrived, and what its step sent to each input.
  await expect(tape.getByTestId("tape-grad-in")).toHaveText("0.500");
  await expect(tape.getByTestId("tape-grad-out")).toHaveText(["#3 += 0.5", "b += 0.5"]);
  await page.screenshot({ path: "test-results/autodiff-engines-value-en.png" });

  // The list view says the same, with what each step sent to its inputs.
  await tape.getByRole("button", { name: /^(Tape as a list|以列表显示梯度带)$/ }).click();
  const current = tape.locator(".row.current");
  await expect(current.getByTestId("engine-deriv")).toHaveText("ḡ 0.5");
  await expect(current).toContainText("b += 0.5");
  await tape.getByRole("button", { name: /^(Tape as a graph|以图显示梯度带)$/ }).click();

  // The same view in Chinese.
  await page.getByRole("button", { name: /^(Settings|设置)$/ }).click();
  await page.getByRole("menuitemradio", { name: "简体中文" }).click();
  await page.keyboard.press("Escape");
  await expect(tape.getByTestId("tape-step-pos")).toHaveText("反向传播 2/5");
  await expect(page.getByTestId("lesson").getByRole("heading", { level: 2 })).toHaveText(valueLesson.title.zh);
  await page.screenshot({ path: "test-results/autodiff-engines-value-zh.png" });
  await page.getByRole("button", { name: /^(Settings|设置)$/ }).click();
  await page.getByRole("menuitemradio", { name: "English" }).click();
  await page.keyboard.press("Escape");
});

test("example 13's dual numbers are drawn with their tangents and step through the forward sweep", async ({ page }) => {
  test.setTimeout(180_000);
  await openExample(page, dualLesson.title.en);
  await runCode(page, source("13-dual-numbers"), RUN_TIMEOUT);
  await tapeTab(page).click();
  const tape = tapeSection(page);
  await expect(tape.getByTestId("tape-engine")).toHaveText("Dual numbers");
  await expect(tape.locator("g.box.op")).toHaveCount(5); // sin, *, *, exp, +
  // The input carries its seed ẋ = 1 before any step; the ops' tangents fill in, in forward order.
  await tape.getByTestId("tape-step-start").click();
  await expect(tape.getByTestId("tape-step-pos")).toHaveText(/forward 0\/5|前向扫描 0\/5/);
  await expect(deriv(page, /^x = 1$/)).toHaveText(/v̇ 1$/);
  await expect(deriv(page, /^sin /)).toHaveText(/v̇ \?$/);
  await tape.getByTestId("tape-step-next").click();
  await expect(deriv(page, /^sin /)).toHaveText(new RegExp(`v̇ ${Number(Math.cos(1).toPrecision(3))}$`));
  await expect(deriv(page, /^exp /)).toHaveText(/v̇ \?$/);
  await tape.getByTestId("tape-step-next").click();
  await tape.getByTestId("tape-step-next").click();
  await tape.getByTestId("tape-step-next").click();
  await tape.getByTestId("tape-step-next").click();
  // The last box is f(1) with f′(1) = cos 1 + sin 1 + 0.5·e^0.5.
  await expect(box(page, /^\+ = /)).toHaveClass(/current/);
  await expect(deriv(page, /^\+ = /)).toHaveText(new RegExp(`v̇ ${Number((Math.cos(1) + Math.sin(1) + 0.5 * Math.exp(0.5)).toPrecision(3))}$`));
  await page.screenshot({ path: "test-results/autodiff-engines-dual-en.png" });
});
