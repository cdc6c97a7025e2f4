import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, runCode, runStatus, setColorScheme } from "./helpers";

const TAPE_PROGRAM = [
  'import { randn, tensor, manualSeed } from "webgrad";',
  "manualSeed(0);",
  'const w = randn([3, 2], { requiresGrad: true, name: "w" });',
  'const b = tensor([0.1, -0.2], { requiresGrad: true, name: "b" });',
  "const x = randn([4, 3]);",
  "const h = x.matmul(w).add(b).tanh();",
  "const loss = h.square().mean();",
  "loss.backward();",
  'console.log("done");',
].join("\n");

test("the Tape panel shows the recorded ops, links them to editor lines both ways, and steps through backward", async ({ page }) => {
  await runCode(page, TAPE_PROGRAM);
  await expect(consoleLog(page)).toContainText("done");
  await page.getByRole("tab", { name: /Tape/ }).click();
  await expect(page.getByTestId("tape-summary")).toHaveText(/6 ops · 2 leaves/);
  const rows = page.getByRole("table", { name: "Tape nodes" }).getByRole("row");
  // node → line: clicking the tanh row moves the editor to line 6
  await rows.filter({ hasText: "tanh" }).click();
  expect(await page.evaluate(() => window.__webgradApp.editor!.cursor().line)).toBe(6);
  await expect(page.getByRole("complementary", { name: "Selected tape node" })).toContainText("tanh");
  // line → nodes: ops created on the cursor's line are marked
  await expect(rows.filter({ hasText: "matmul" })).toHaveClass(/online/);
  await expect(rows.filter({ hasText: "square" })).not.toHaveClass(/online/);
  // backward stepper: all 6 steps done; stepping back un-does the last
  await expect(page.getByText("backward 6/6")).toBeVisible();
  await page.getByRole("button", { name: "Previous backward step" }).click();
  await expect(page.getByText("backward 5/6")).toBeVisible();
  await expect(rows.filter({ hasText: "matmul" })).not.toHaveClass(/done/);
  await expect(rows.filter({ hasText: "div" })).toHaveClass(/done/);
  // each step shows the gradient's norm (read back from the GPU after the pass when on WebGPU)
  await expect(page.getByRole("complementary", { name: "Selected tape node" })).toContainText(/‖g‖ = \d/);
  // the graph view draws every op and both leaves
  await page.getByRole("button", { name: "Tape as a graph" }).click();
  const graph = page.getByRole("group", { name: /Tape graph: 6 recorded ops/ });
  await expect(graph.getByRole("button", { name: /^w \[3,2\]/ })).toBeVisible();
  await expect(graph.getByRole("button", { name: /^tanh/ })).toBeVisible();
});

test("a WebGPU training loop's last tape shows its gradient norms, measured when the program ends", async ({ page }) => {
  // The library measures a loop's first pass and one in 32 (NORMS_EVERY); the runner has it
  // measure the last one when the program ends, so the tape shown by default is the 40th.
  await runCode(
    page,
    [
      'import { manualSeed, nn, optim, randn, tensor } from "webgrad";',
      "manualSeed(0);",
      "const model = nn.sequential(nn.linear(4, 8), nn.tanh(), nn.linear(8, 2));",
      "const opt = optim.sgd(model.parameters(), { lr: 0.1 });",
      'const x = randn([16, 4]), y = tensor(Array.from({ length: 16 }, (_, i) => i % 2), { dtype: "int32" });',
      "for (let i = 0; i < 40; i++) { opt.zeroGrad(); nn.crossEntropy(model.forward(x), y).backward(); opt.step(); }",
      'console.log("trained");',
    ].join("\n"),
  );
  await expect(consoleLog(page)).toContainText("trained");
  await expect(runStatus(page)).toContainText("Finished");
  await page.getByRole("tab", { name: /Tape/ }).click();
  await page.getByRole("button", { name: "Tape as a list" }).click();
  await expect(page.getByTestId("tape-pick")).toHaveValue("40");
  await page.getByRole("table", { name: "Tape nodes" }).getByRole("row").filter({ hasText: "tanh" }).click();
  await expect(page.getByRole("complementary", { name: "Selected tape node" })).toContainText(/‖g‖ = \d/);
});

test("a library error names the op, the shapes and the user's line", async ({ page }) => {
  await runCode(page, ['import { ones } from "webgrad";', "const a = ones([2, 3]);", "const b = ones([4, 5]);", "a.matmul(b);"].join("\n"));
  await expect(runStatus(page)).toContainText("Failed");
  const error = consoleLog(page).locator(".line.error").first();
  await expect(error).toContainText("matmul");
  await expect(error).toContainText("[2, 3]");
  await expect(error).toContainText("[4, 5]");
  await expect(error).toContainText("(line 4)");
});

test("a 10 000-node tape stays a virtualized list", async ({ page }) => {
  await runCode(
    page,
    [
      'import { tensor } from "webgrad";',
      "let y = tensor([1, 2, 3], { requiresGrad: true });",
      "for (let i = 0; i < 5000; i++) y = y.mul(1.0001).add(0.001);",
      'console.log("built");',
    ].join("\n"),
  );
  await expect(consoleLog(page)).toContainText("built");
  await page.getByRole("tab", { name: /Tape/ }).click();
  // The panel keeps its view across runs, and the page is shared with the file's other tests.
  await page.getByRole("button", { name: "Tape as a list" }).click();
  await expect(page.getByTestId("tape-summary")).toHaveText(/10000 ops/);
  const table = page.getByRole("table", { name: "Tape nodes" });
  expect(await table.getByRole("row").count()).toBeLessThan(120);
  // scrolled to the end, the last node is rendered
  await table.locator(".scroller").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table.getByRole("row").filter({ hasText: /^10000/ })).toBeVisible();
});

/** Example 12 ("Implementing AD"), as the examples menu would load it. */
const EXAMPLE_12 = readFileSync(fileURLToPath(new URL("../../src/examples/12-implementation-methods.ts", import.meta.url)), "utf8");

/** axe-core's critical and serious violations inside the Tape panel, as "rule: target" lines. */
async function tapeAxe(page: Page): Promise<{ critical: string[]; serious: string[] }> {
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => "axe" in window)))
    await page.evaluate(readFileSync(fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url)), "utf8"));
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe;
    const { violations } = await axe.run({ include: [["section.tape"]] });
    const of = (impact: string) => violations.filter((v) => v.impact === impact).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
    return { critical: of("critical"), serious: of("serious") };
  });
}

test("the Tape panel has no critical or serious axe violations with example 12 shown, light and dark, list and graph", async ({ page }) => {
  await runCode(page, EXAMPLE_12);
  await expect(runStatus(page)).toContainText("Finished");
  await page.getByRole("tab", { name: /Tape/ }).click();
  await page.getByRole("button", { name: "Tape as a list" }).click();
  const rows = page.getByRole("table", { name: "Tape nodes" }).getByRole("row");
  await rows.filter({ hasText: "tanh" }).first().click();
  await expect(page.getByRole("complementary", { name: "Selected tape node" })).toBeVisible();
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    for (const view of ["list", "graph"] as const) {
      await page.getByRole("button", { name: `Tape as a ${view}` }).click();
      const found = await tapeAxe(page);
      console.log(`axe ${scheme} ${view}: ${found.critical.length} critical, ${found.serious.length} serious`);
      expect(found, `${scheme} ${view}`).toEqual({ critical: [], serious: [] });
    }
  }
});

test("a run's tapes are listed and the learner picks one by keyboard; example 12 opens on a tape with measured gradients, not its last (jit-traced) one", async ({
  page,
}) => {
  await runCode(page, EXAMPLE_12);
  await page.getByRole("tab", { name: /Tape/ }).click();
  await page.getByRole("button", { name: "Tape as a list" }).click();
  const pick = page.getByRole("combobox", { name: "Tape of this run" });
  const options = pick.getByRole("option");
  expect(await options.count()).toBeGreaterThanOrEqual(2);
  await expect(options.first()).toHaveText(/^tape 1 · \d+ ops · backward ✓$/);
  // the default is not the last tape (the jit trace of `lower()`, whose backward measured nothing) but the last one with numbers to step through
  const lastIndex = await options.last().getAttribute("value");
  await expect(pick).not.toHaveValue(lastIndex!);
  await page.getByRole("table", { name: "Tape nodes" }).getByRole("row").filter({ hasText: "tanh" }).first().click();
  await expect(page.getByRole("complementary", { name: "Selected tape node" })).toContainText(/‖g‖ = \d/);
  // keyboard: the last tape, then back
  await pick.focus();
  await pick.press("End");
  await expect(pick).toHaveValue(lastIndex!);
  await expect(page.getByRole("complementary", { name: "Selected tape node" })).toHaveCount(0);
  await pick.press("Home");
  await expect(pick).toHaveValue("1");
});

test("example 12: leaves carry the user's variable names, each backward step shows its rule and gradient values, and the ∂ column is clear of the detail", async ({
  page,
}) => {
  await runCode(page, EXAMPLE_12);
  await page.getByRole("tab", { name: /Tape/ }).click();
  await page.getByRole("button", { name: "Tape as a list" }).click();
  // tape 1 is part 1's eager tape, whose leaf is `const W = tensor(wInit, { requiresGrad: true })`: shown as W, not t<id>
  await page.getByRole("combobox", { name: "Tape of this run" }).selectOption("1");
  const table = page.getByRole("table", { name: "Tape nodes" });
  await expect(table.getByRole("row").filter({ hasText: "matmul" }).first()).toContainText(/\bW\b/);
  await table.getByRole("row").filter({ hasText: "tanh" }).first().click();
  const detail = page.getByRole("complementary", { name: "Selected tape node" });
  await expect(detail.getByTestId("tape-rule")).toHaveText("∂x = ḡ · (1 − y²)");
  // on WebGPU (this Chromium's SwiftShader adapter) values cannot be read at once: the shape stands for them
  await expect(detail.getByTestId("tape-grad-in")).toHaveText("[2, 2]");
  // on the CPU a 2×2 gradient is small: its values are shown, row by row (the line keeps the example's numbering)
  await runCode(page, 'import { setDefaultBackend } from "webgrad"; setDefaultBackend("cpu"); ' + EXAMPLE_12);
  await page.getByRole("combobox", { name: "Tape of this run" }).selectOption("1");
  await table.getByRole("row").filter({ hasText: "tanh" }).first().click();
  await expect(detail.getByTestId("tape-rule")).toHaveText("∂x = ḡ · (1 − y²)");
  await expect(detail.getByTestId("tape-grad-in")).toHaveText(/^\[\[-?\d\.\d+(e-?\d+)?, -?\d/);
  await expect(detail.getByTestId("tape-grad-out")).toHaveText(/^\[\[-?\d\.\d+/);
  for (const size of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    const head = await table.getByRole("columnheader", { name: /∂ → inputs/ }).boundingBox();
    const pane = await detail.boundingBox();
    expect(head && pane).toBeTruthy();
    // the ∂ header is either left of the detail or above it (a narrow panel stacks them)
    const clear = head!.x + head!.width <= pane!.x + 1 || head!.y + head!.height <= pane!.y + 1;
    expect(clear, `${size.width}×${size.height}: ∂ header ${JSON.stringify(head)} vs detail ${JSON.stringify(pane)}`).toBe(true);
    await page.screenshot({ path: `test-results/tape-example12-${size.width}x${size.height}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});
