import { expect, test } from "./shared-page";
import { consoleLog, runCode, runStatus } from "./helpers";

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
  const graph = page.getByRole("img", { name: /Tape graph: 6 recorded ops/ });
  await expect(graph.getByRole("button", { name: /^w \[3,2\]/ })).toBeVisible();
  await expect(graph.getByRole("button", { name: /^tanh/ })).toBeVisible();
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
