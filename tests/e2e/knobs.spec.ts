/**
 * Knobs: a program's `slider()` and `choice()` become controls above the editor, and moving one
 * runs the program again with the new value (no code edited).
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, runButton, runCode, runStatus, stopIfRunning } from "./helpers";

const knobsBar = (page: Page) => page.getByRole("region", { name: "Knobs" });

async function openExample(page: Page, title: RegExp): Promise<void> {
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("menuitem", { name: title }).click();
}

test("the pipeline example's microbatches slider stops the run and runs it again with the value keyed in", async ({ page }) => {
  test.setTimeout(150_000);
  await openExample(page, /^Pipeline bubbles/);
  await runButton(page).click();
  // The knob is declared before the program's work: the bar shows it while the run goes on.
  const slider = knobsBar(page).getByRole("slider", { name: "microbatches" });
  await expect(slider).toHaveAttribute("aria-valuetext", "8", { timeout: 60_000 });
  await expect(knobsBar(page).locator("output")).toHaveText("8");

  // Keyboard: one step right is 12 microbatches; the run in progress stops and the program runs again.
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await expect(slider).toHaveAttribute("aria-valuetext", "12");
  await expect(consoleLog(page)).toContainText("gpipe, 12 microbatches: bubble", { timeout: 120_000 });
  await expect(consoleLog(page)).not.toContainText("8 microbatches");
  await expect(slider).toBeFocused(); // the control stays while the program runs again
  await stopIfRunning(page); // the rest of the run is not what this test is about
});

test("the gradient-descent example's learning-rate slider is dragged, kept per example and reset", async ({ page }) => {
  test.setTimeout(120_000);
  await openExample(page, /^Gradient descent by hand/);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 60_000 });
  await expect(consoleLog(page)).toContainText("learning rate 0.1");
  const slider = knobsBar(page).getByRole("slider", { name: "learning rate (logarithmic scale)" });
  await expect(slider).toHaveAttribute("aria-valuetext", "0.1");

  // Mouse: drag the handle past the left end (0.001), and the program runs again with it.
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 8 + (box.width - 16) * (24 / 36), y); // the handle: 0.1 is position 24 of 0…36
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 4 });
  await page.mouse.move(box.x - 20, y, { steps: 4 });
  await page.mouse.up();
  await expect(slider).toHaveAttribute("aria-valuetext", "0.001");
  await expect(consoleLog(page)).toContainText("learning rate 0.001", { timeout: 30_000 });
  await expect(runStatus(page)).toContainText("Finished", { timeout: 30_000 });
  // The Run button uses the knob's value too.
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 30_000 });
  await expect(consoleLog(page)).toContainText("learning rate 0.001");

  // Another example has its own knobs; coming back finds 0.001 again.
  await openExample(page, /^Pipeline bubbles/);
  await expect(knobsBar(page).getByRole("slider", { name: /learning rate/ })).toHaveCount(0);
  await openExample(page, /^Gradient descent by hand/);
  await expect(slider).toHaveAttribute("aria-valuetext", "0.001");

  // Reset: back to the code's 0.1, and run.
  await knobsBar(page).getByRole("button", { name: "Reset" }).click();
  await expect(slider).toHaveAttribute("aria-valuetext", "0.1");
  await expect(consoleLog(page)).toContainText("learning rate 0.1", { timeout: 30_000 });
  await expect(knobsBar(page).getByRole("button", { name: "Reset" })).toHaveCount(0);
  // The reset's run ends before the next test takes the page.
  await expect(runStatus(page)).toContainText("Finished", { timeout: 30_000 });
});

test("a choice() is a menu, a log slider says so, and renaming a knob in the code drops it", async ({ page }) => {
  const program = (name: string) =>
    [
      'import { choice, slider } from "webgrad";',
      `const lr = slider("${name}", 0.001, 1, 0.1, { log: true });`,
      'const algo = choice("algorithm", ["ring", "tree"], "ring");',
      "console.log(`lr=${lr} algo=${algo}`);",
    ].join("\n");
  await runCode(page, program("learning rate"));
  await expect(consoleLog(page)).toContainText("lr=0.1 algo=ring");
  const bar = knobsBar(page);
  await expect(bar.getByRole("slider", { name: "learning rate (logarithmic scale)" })).toHaveAttribute("aria-valuetext", "0.1");

  await bar.getByRole("combobox", { name: "algorithm" }).selectOption("tree");
  await expect(consoleLog(page)).toContainText("lr=0.1 algo=tree", { timeout: 30_000 });

  const lr = bar.getByRole("slider", { name: /learning rate/ });
  await lr.focus();
  await page.keyboard.press("ArrowLeft"); // 12 positions a decade: 0.1 → 0.083
  await expect(consoleLog(page)).toContainText("lr=0.083 algo=tree", { timeout: 30_000 });

  // The code renames the slider: after its run only the new name is there, at the code's value.
  await runCode(page, program("step size"));
  await expect(consoleLog(page)).toContainText("lr=0.1 algo=tree");
  await expect(bar.getByRole("slider")).toHaveCount(1);
  await expect(bar.getByRole("slider", { name: /step size/ })).toHaveAttribute("aria-valuetext", "0.1");

  // Code without knobs: the bar goes.
  await runCode(page, 'console.log("no knobs");');
  await expect(bar).toHaveCount(0);
});
