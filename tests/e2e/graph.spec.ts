import { expect, test } from "./shared-page";
import type { Page } from "@playwright/test";
import { consoleLog, runButton, runCode, runStatus, setColorScheme } from "./helpers";

const JIT_PROGRAM = [
  'import { jit, randn, manualSeed, type Tensor } from "webgrad";',
  "manualSeed(0);",
  "const w = randn([4, 3]);",
  "const step = jit((x: Tensor) => {",
  "  const h = x.matmul(w);",
  "  const y = h.mul(2).add(1).relu();",
  "  return y.exp().sum();",
  '}, { name: "tiny" });',
  'console.log("out", await step(randn([2, 4])).item());',
].join("\n");

const summary = (page: Page) => page.getByTestId("graph-summary");
const stageSelect = (page: Page) => page.getByRole("combobox", { name: "Pipeline stage" });

async function lastStage(page: Page): Promise<void> {
  const count = await stageSelect(page).locator("option").count();
  await stageSelect(page).selectOption(String(count - 1));
}

test("the Graph panel lists the traced function, draws each stage, links nodes to lines, shows IR and stats, and switches passes off", async ({ page }) => {
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await runCode(page, JIT_PROGRAM);
  await expect(consoleLog(page)).toContainText("out");
  await page.getByRole("tab", { name: /Graph/ }).first().click();

  // the function list
  const functions = page.getByRole("navigation", { name: "Traced functions" });
  await expect(functions).toContainText("tiny");

  // traced vs after every pass: the node count changes (fusion merges the elementwise chain)
  await expect(summary(page)).toHaveText(/^\d+ nodes/);
  const traced = await summary(page).textContent();
  await lastStage(page);
  await expect(summary(page)).not.toHaveText(traced!);
  const fusedKernels = Number(/(\d+) kernels/.exec((await summary(page).textContent())!)![1]);

  // clicking a node moves the editor's cursor to its line and shows its details
  await stageSelect(page).selectOption("0");
  const drawing = page.getByRole("application", { name: /Graph of tiny/ });
  await drawing.getByRole("button", { name: /^matmul/ }).click();
  expect(await page.evaluate(() => window.__webgradApp.editor!.cursor().line)).toBe(5);
  await expect(page.getByRole("complementary", { name: "Selected graph node" })).toContainText("matmul");

  // before / after a pass, and its diff
  await lastStage(page);
  await page.getByRole("tab", { name: "Diff" }).click();
  await expect(page.getByLabel("Diff of the pass")).toBeVisible();

  // the IR text names the ops
  await stageSelect(page).selectOption("0");
  await page.getByRole("tab", { name: "IR text" }).click();
  const ir = page.getByTestId("graph-ir");
  for (const op of ["matmul", "mul", "add", "relu", "exp", "sum"]) await expect(ir).toContainText(op);

  // switching fusion off applies on the next run: more kernels at the end of the pipeline
  await page.getByRole("tab", { name: "Stats" }).click();
  await page.getByRole("checkbox", { name: "Pass fusion on (next run)" }).uncheck();
  await page.getByRole("button", { name: "Run again to apply" }).click();
  await expect(runStatus(page)).toContainText(/Finished/);
  await page.getByRole("tab", { name: "Drawing" }).click();
  await lastStage(page);
  await expect(stageSelect(page)).toContainText("(off)");
  const unfusedKernels = Number(/(\d+) kernels/.exec((await summary(page).textContent())!)![1]);
  expect(unfusedKernels).toBeGreaterThan(fusedKernels);
  // and back on
  await page.getByRole("tab", { name: "Stats" }).click();
  await page.getByRole("checkbox", { name: "Pass fusion on (next run)" }).check();
  await runButton(page).click();
  await expect(runStatus(page)).toContainText(/Finished/);
});

test("screenshots of the Graph panel (light and dark)", async ({ page }) => {
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await runCode(page, JIT_PROGRAM);
  await page.getByRole("tab", { name: /Graph/ }).first().click();
  // The panel keeps its view across runs, and the page is shared with the file's other tests.
  await page.getByRole("tab", { name: "Drawing" }).click();
  await stageSelect(page).selectOption("5");
  // the group's box holds its members' boxes: click its frame (top-left), not a member
  await page
    .getByRole("application", { name: /Graph of tiny/ })
    .getByRole("button", { name: /^fused/ })
    .click({ position: { x: 6, y: 6 } });
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    await page.screenshot({ path: `test-results/screenshots/graph-${scheme}.png` });
  }
});

test("the graph examples open the Graph panel and run in both modes", async ({ page }) => {
  test.setTimeout(120_000);
  for (const [title, fn] of [
    ["What a graph is", "layer"],
    ["The graph and autodiff", "lossAndGrad"],
    ["Optimization passes one at a time", "passes"],
  ] as const) {
    await page.getByRole("button", { name: "Examples" }).click();
    await page.getByRole("menuitem", { name: new RegExp(title) }).click();
    await expect(page.getByRole("tab", { name: /Graph/ }).first()).toHaveAttribute("aria-selected", "true");
    for (const mode of ["Eager", "Graph"]) {
      await page.getByRole("button", { name: mode, exact: true }).click();
      await runButton(page).click();
      await expect(runStatus(page)).toContainText("Finished");
      // the examples call setMode("graph") themselves, so both modes trace
      await expect(page.getByRole("navigation", { name: "Traced functions" })).toContainText(fn);
    }
  }
  // the generated backward nodes are drawn (dashed, with ∂)
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("menuitem", { name: /The graph and autodiff/ }).click();
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished");
  await expect(
    page
      .getByRole("application", { name: /Graph of lossAndGrad/ })
      .getByRole("button", { name: /^backward / })
      .first(),
  ).toBeVisible();
});

test("a 2 000-node graph is laid out off the main thread and only its visible part is drawn", { tag: "@alone" }, async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await runCode(
    page,
    [
      'import { jit, randn, type Tensor } from "webgrad";',
      "const f = jit((x: Tensor) => {",
      "  let y = x;",
      "  for (let i = 0; i < 1000; i++) y = y.mul(1.001).add(0.5);",
      "  return y.sum();",
      '}, { name: "long" });',
      'console.log("v", await f(randn([8])).item());',
    ].join("\n"),
  );
  await page.getByRole("tab", { name: /Graph/ }).first().click();
  await expect(summary(page)).toHaveText(/^200\d nodes/);
  const drawing = page.getByRole("application", { name: /Graph of long/ });
  await expect(drawing.getByRole("button").first()).toBeVisible();
  const drawn = await drawing.locator("g.box").count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(400);
  // panning stays responsive: 20 pan steps, each drawn in its own frame
  const msPerStep = await drawing.evaluate(async (el) => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    await frame();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      el.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
      await frame();
    }
    return (performance.now() - t0) / 20;
  });
  console.log(`2 000-node graph: ${msPerStep.toFixed(1)} ms per pan step`);
  expect(msPerStep).toBeLessThan(150);
  await expect(drawing.locator("g.box").first()).toBeVisible();
});

test("control-flow regions open as nested boxes, and a fused node shows its kernel's WGSL", async ({ page }) => {
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await runCode(
    page,
    [
      'import { jit, cond, scan, randn, manualSeed, type Tensor } from "webgrad";',
      "manualSeed(0);",
      "const w = randn([3, 3]);",
      "const f = jit((x: Tensor, xs: Tensor) => {",
      "  const y = cond(x.sum().gt(0), () => x.mul(2).add(1), () => x.neg());",
      "  const [h] = scan((c: Tensor, xi: Tensor) => [c.matmul(w).add(xi).tanh(), null], y, xs);",
      "  return h.mul(3).add(1).exp().sum();",
      '}, { name: "flow" });',
      'console.log("out", await f(randn([3]), randn([4, 3])).item());',
    ].join("\n"),
  );
  await expect(consoleLog(page)).toContainText("out");
  await page.getByRole("tab", { name: /Graph/ }).first().click();
  const drawing = page.getByRole("application", { name: /Graph of flow/ });
  // small graphs open every region: cond's then / else and scan's body, each with a yield
  await expect(drawing.getByRole("button", { name: /cond node \d+: then \(frame\)/ })).toBeAttached();
  await expect(drawing.getByRole("button", { name: /cond node \d+: else \(frame\)/ })).toBeAttached();
  await expect(drawing.getByRole("button", { name: /scan node \d+: body \(frame\)/ })).toBeAttached();
  await expect(drawing.getByRole("button", { name: /^output yield/ })).toHaveCount(3);
  await expect(drawing.getByRole("button", { name: /^end cond/ })).toHaveCount(1);
  // closed: one box per control-flow node
  await page.getByRole("button", { name: "Close", exact: true }).click();
  await expect(drawing.getByRole("button", { name: /^output yield/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Open regions" }).click();
  await expect(drawing.getByRole("button", { name: /^output yield/ })).toHaveCount(3);

  // after fusion: a fused group is boxed; selecting it shows the WGSL codegen writes for it
  await lastStage(page);
  // (the frame's middle is covered by the boxes inside it: click it as the panel's handler sees it)
  await drawing.getByRole("button", { name: /^fused: mul\+add\+exp/ }).dispatchEvent("click");
  const details = page.getByRole("complementary", { name: "Selected graph node" });
  await expect(details.getByTestId("wgsl-source")).toContainText("fn op0(");
  await details.getByRole("button", { name: "Open in the WGSL view" }).click();
  await expect(page.getByRole("list", { name: "Fused kernels at this stage" })).toContainText("mul+add+exp");
  await expect(page.getByTestId("wgsl-source").first()).toContainText("fn op2(");
});

test("a truthiness test of a traced tensor fails at the user's line", async ({ page }) => {
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await runCode(
    page,
    [
      'import { jit, randn, type Tensor } from "webgrad";',
      "const f = jit((x: Tensor) => {",
      "  const y = x.exp();",
      "  if (y) return y.neg();",
      "  return y;",
      "});",
      "f(randn([3]));",
    ].join("\n"),
  );
  await expect(consoleLog(page)).toContainText("`if (y)` at line 4 tests y, a tensor traced by jit, for truthiness");
  await expect(consoleLog(page)).toContainText("cond(pred, then, else)");
});
