/**
 * AutoDiff 03 and 04 as the learner sees them, on one page: the Tape panel's Trace view shows the
 * evaluation trace of f(x₁, x₂) = ln x₁ + x₁x₂ − sin x₂ at (2, 5) row by row (forward tangents,
 * reverse adjoints) and fills it in one step at a time; the Console shows the derivative code the
 * source transformer wrote. Screenshots in English and in Chinese.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, runCode, setColorScheme } from "./helpers";
import { axeViolations, violationLines } from "./axe";

/** axe-core's critical and serious violations inside `section.tape`, as "rule: target" lines. */
const tapeAxe = async (page: Page): Promise<string[]> => violationLines(await axeViolations(page, "section.tape"));

const PROGRAM = [
  'import { evaluationTrace, sourceGrad, type Tensor } from "webgrad";',
  "const f = (x1: Tensor, x2: Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());",
  'await evaluationTrace(f, [2, 5], { mode: "forward", name: "f" });',
  'await evaluationTrace(f, [2, 5], { mode: "reverse", name: "f" });',
  "const { source, fn } = sourceGrad((x1: number, x2: number) => Math.log(x1) + x1 * x2 - Math.sin(x2));",
  "console.log(source);",
  'console.log("grad", fn(2, 5).gradient.map((d) => d.toFixed(4)).join(", "));',
].join("\n");

test("the trace table shows every row with its tangent or adjoint, steps one cell at a time, and the generated derivative code is in the Console", async ({
  page,
}) => {
  await runCode(page, PROGRAM);
  // AutoDiff 04: the source transformer's code, forward sweep then adjoints, and its numbers
  const log = consoleLog(page);
  await expect(log).toContainText("function grad_f(x1, x2) {");
  await expect(log).toContainText("const v2 = x1 * x2;");
  await expect(log).toContainText("x2_bar += v4_bar * Math.cos(x2);");
  await expect(log).toContainText("x1_bar += v1_bar / x1;");
  await expect(log).toContainText("grad 5.5000, 1.7163");

  // AutoDiff 03: the Tape panel opens on the Trace view (the run made traces)
  await page.getByRole("tab", { name: /Tape/ }).click();
  await expect(page.getByRole("button", { name: "Evaluation trace as a table" })).toHaveAttribute("aria-pressed", "true");
  const forward = page.getByRole("table", { name: "Evaluation trace: f, forward mode" });
  const row = (name: string) => forward.locator(`tr[data-row="${name}"]`);
  await expect(forward.locator("tbody tr")).toHaveCount(7);
  await expect(row("v₋₁")).toHaveText(/v₋₁\s*= x₁\s*2\.0000\s*v̇₋₁\s*= ẋ₁\s*1\.0000/);
  await expect(row("v₂")).toHaveText(/v₂\s*= v₋₁ · v₀\s*10\.0000\s*v̇₂\s*= v̇₋₁ · v₀ \+ v̇₀ · v₋₁\s*5\.0000/);
  await expect(row("v₄")).toHaveText(/sin v₀\s*-0\.9589.*v̇₀ · cos v₀\s*0\.0000/);
  await expect(row("v₅")).toHaveText(/v₃ − v₄\s*11\.6521.*v̇₃ − v̇₄\s*5\.5000/);
  await expect(page.getByTestId("trace-result")).toHaveText("ẏ = ∇f · ẋ = 5.5000");

  // step control: from the inputs only, one row per step, with what the step computes
  await page.getByRole("button", { name: "Trace: start (only the inputs)" }).click();
  await expect(page.getByTestId("trace-pos")).toHaveText("step 0/5");
  await expect(row("v₁")).toContainText("?");
  await expect(page.getByTestId("trace-result")).toHaveCount(0);
  await page.getByRole("button", { name: "Next trace step" }).click();
  await expect(page.getByTestId("trace-now")).toHaveText("forward: v₁ and its tangent");
  await expect(row("v₁")).toHaveText(/ln v₋₁\s*0\.6931.*0\.5000/);
  await expect(row("v₁")).toHaveClass(/current/);
  await expect(row("v₂")).toContainText("?");

  // the reverse trace: the forward sweep's values first, then the adjoints from the output up
  await page.getByRole("combobox", { name: "Evaluation trace of this run" }).selectOption({ label: "f · reverse mode" });
  const reverse = page.getByRole("table", { name: "Evaluation trace: f, reverse mode" });
  const rrow = (name: string) => reverse.locator(`tr[data-row="${name}"]`);
  await expect(rrow("v₋₁")).toHaveText(/v̄₋₁\s*= v̄₁ \/ v₋₁ \+ v̄₂ · v₀\s*5\.5000/);
  await expect(rrow("v₀")).toHaveText(/v̄₀\s*= v̄₂ · v₋₁ \+ v̄₄ · cos v₀\s*1\.7163/);
  await expect(rrow("v₄")).toHaveText(/v̄₄\s*= −v̄₅\s*-1\.0000/);
  await expect(page.getByTestId("trace-result")).toHaveText("∇f = (5.5000, 1.7163)");
  await page.screenshot({ path: "test-results/autodiff-trace-en.png" });
  await page.getByRole("slider", { name: "Trace step" }).fill("5");
  await expect(page.getByTestId("trace-pos")).toHaveText("step 5/12");
  await expect(rrow("v₅")).toHaveText(/11\.6521\s*v̄₅\s*\?/);
  await page.locator("div.trace").press("ArrowRight");
  await expect(page.getByTestId("trace-now")).toHaveText("reverse sweep: the adjoint of v̄₅");
  await expect(rrow("v₅")).toHaveText(/v̄₅\s*= 1\s*1\.0000/);
  await expect(rrow("v₄")).toHaveText(/v̄₄\s*\?/);
  // mid-way (a current row, hidden cells), light and dark: no critical or serious axe violations
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    expect(await tapeAxe(page), scheme).toEqual([]);
  }
  await setColorScheme(page, "light");

  // the same view in Chinese
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("menuitemradio", { name: "简体中文" }).click();
  await expect(page.getByRole("table", { name: "求值轨迹：f，反向模式" })).toBeVisible();
  await expect(page.getByTestId("trace-now")).toHaveText("反向扫描：v̄₅ 的伴随值");
  await page.keyboard.press("Escape"); // close the Settings menu
  await expect(page.getByRole("menuitemradio", { name: "English" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/autodiff-trace-zh.png" });
  await page.getByRole("button", { name: "设置" }).click();
  await page.getByRole("menuitemradio", { name: "English" }).click();
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeVisible();
});
