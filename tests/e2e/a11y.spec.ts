/**
 * Accessibility over the whole app, on one page visited view by view (a fresh page per view would
 * cost 10–20 s each): axe-core finds no critical or serious violation on first load, with the
 * Examples menu open, with each panel showing what a run put in it (Console, Plots, Tape, Graph,
 * Kernels, Cluster), in dark mode, and at phone size (390×844); and the keyboard paths: the page's
 * h1, the Examples filter ranking title matches first, focus back in the editor after choosing an
 * example, Escape-then-Tab out of the editor (with its hint), the lesson text and the plots as Tab
 * stops, the PyTorch cheat sheet in Help.
 *
 * Faults inside the Cluster and Kernels panels are counted and printed like the others; they fail
 * the test too (those panels are not exempt), so a new fault there is seen at once.
 */
import { expect, test, type Page } from "@playwright/test";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { consoleLog, openApp, runButton, runStatus, setCode, setColorScheme } from "./helpers";

const require = createRequire(import.meta.url);
// The app's CSP blocks inline scripts, so addScriptTag cannot inject axe: evaluate its source instead.
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = fileURLToPath(new URL("../../test-results/a11y/", import.meta.url));

/**
 * One program that fills every panel: Console, Plots (a curve), Tape (a backward pass), Graph (a
 * jit-traced function), Kernels (its GPU dispatches, with WebGPU) and Cluster (a ring all-reduce
 * on a small simulated cluster).
 */
const FILL_PANELS = [
  'import { initWebGPU, tensor, randn, manualSeed, jit, plot, dist, type Tensor } from "webgrad";',
  "const gpu = await initWebGPU();",
  'console.log("webgpu", gpu.ok);',
  "manualSeed(0);",
  "const W = tensor([[0.5, -0.2], [0.1, 0.3]], { requiresGrad: true });",
  "const x = tensor([[1, 2]]);",
  "const loss = x.matmul(W).tanh().sum();",
  "loss.backward();",
  'console.log("loss", await loss.item(), W.grad);',
  "const f = jit((a: Tensor) => a.mul(a).add(a).relu().sum());",
  'console.log("jit", await f(randn([4, 4])).item());',
  'for (let i = 0; i < 20; i++) plot("curve", i, Math.sin(i / 3));',
  'const c = dist.cluster({ nodes: 2, devicesPerNode: 2, intra: "NVLink", inter: "InfiniBand" });',
  "const shards = c.devices.map((d, i) => randn([1024], { device: d, seed: i }));",
  'console.log("allReduce", dist.allReduce(shards, { algorithm: "ring", chunks: 2 }).time);',
].join("\n");
/** Screenshots of each view, for a person to look at: `A11Y_SHOTS=1`. */
const SHOOT = process.env.A11Y_SHOTS === "1";
const shot = async (page: Page, name: string): Promise<void> => {
  if (SHOOT) await page.screenshot({ path: `${SHOTS}${name}.png` });
};

interface Finding {
  view: string;
  impact: string;
  rule: string;
  nodes: number;
  target: string;
  help: string;
}

/**
 * axe-core's critical and serious violations, one line each: over the whole page, or only inside
 * `within` (a panel: the rest of the page was checked already and did not change).
 */
async function axe(page: Page, view: string, within?: string): Promise<Finding[]> {
  const started = Date.now();
  // The pointer off the controls: a hover colour is not the view being checked.
  await page.mouse.move(1, page.viewportSize()!.height - 1);
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (selector) => {
    type Result = { violations: { id: string; impact: string; help: string; nodes: { target: string[]; any: { data?: unknown }[] }[] }[] };
    const run = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe.run;
    const { violations } = await run(selector ? { include: [[selector]] } : document, { resultTypes: ["violations"] });
    return violations.map((v) => ({
      impact: v.impact,
      rule: v.id,
      nodes: v.nodes.length,
      target: `${v.nodes[0]?.target.join(" ") ?? ""} ${JSON.stringify(v.nodes[0]?.any[0]?.data ?? "")}`,
      help: v.help,
    }));
  }, within);
  const serious = found.filter((f) => f.impact === "critical" || f.impact === "serious").map((f) => ({ view, ...f }));
  const counts = serious.length === 0 ? "0 critical, 0 serious" : serious.map((f) => `${f.impact} ${f.rule} ×${f.nodes} (${f.target})`).join("; ");
  console.log(`axe ${view}${within ? ` (${within})` : ""}: ${counts} [${Date.now() - started} ms]`);
  return serious;
}

async function run(page: Page, code: string): Promise<void> {
  const started = Date.now();
  await setCode(page, code);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });
  console.log(`run: ${Date.now() - started} ms`);
}

const tab = (page: Page, name: RegExp) => page.getByRole("tab", { name }).first();

/** Is the keyboard focus inside the editor? */
const focusInEditor = (page: Page) => page.evaluate(() => !!document.activeElement?.closest("[data-testid=editor]"));

test("a11y: no critical or serious axe violation in any view; keyboard paths through the app", async ({ page }) => {
  test.setTimeout(150_000);
  const findings: Finding[] = [];
  await openApp(page);

  // First load: the page has its h1.
  await expect(page.locator("h1")).toHaveCount(1);
  findings.push(...(await axe(page, "first load")));

  // The editor's hint markers (an unawaited read, a module called like a function) are checked in
  // runner.spec.ts, on a page with TypeScript's checking on.

  // Examples menu: "ring" ranks the ring example first; Enter opens it and the keyboard is in its code.
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("searchbox").fill("ring");
  await expect(page.getByRole("menuitem").first()).toHaveAccessibleName(/^Ring vs tree/);
  findings.push(...(await axe(page, "examples menu", ".popup")));
  await page.getByRole("searchbox").press("Enter");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect.poll(() => focusInEditor(page)).toBe(true);
  await expect(page.getByTestId("editor-keys-hint")).toBeVisible();

  // Escape then Tab leaves the editor (Tab alone indents); Shift+Tab goes back before it.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  expect(await focusInEditor(page)).toBe(false);
  await page.getByTestId("editor").locator("textarea").focus();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Tab");
  expect(await focusInEditor(page)).toBe(false);

  // The lesson text is a Tab stop (it scrolls), with a name.
  const lessonText = page.getByTestId("lesson-text");
  await expect(lessonText).toHaveAttribute("tabindex", "0");
  await lessonText.focus();
  await expect(lessonText).toBeFocused();

  // A run that fills the panels (in Graph mode, so the Graph panel has the jit's graph); each panel
  // is checked with its content, in light and in dark.
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await run(page, FILL_PANELS);
  await expect(consoleLog(page)).toContainText("allReduce");
  const webgpu = (await consoleLog(page).textContent())?.includes("webgpu true");
  if (!webgpu) console.log("axe Kernels: no WebGPU adapter here, the panel shows its empty state");
  const panels: [string, RegExp][] = [
    ["Console", /Console/],
    ["Plots", /Plots/],
    ["Tape", /Tape/],
    ["Graph", /Graph/],
    ["Kernels", /Kernels/],
    ["Cluster", /Cluster/],
  ];
  const panelsWithContent = async (scheme: "light" | "dark"): Promise<void> => {
    for (const [name, label] of panels) {
      await tab(page, label).click();
      findings.push(...(await axe(page, `${scheme} ${name}`, `#panel-${name.toLowerCase()}`)));
      await shot(page, `${scheme}-${name.toLowerCase()}`);
    }
  };
  await panelsWithContent("light");
  // Each plot is reachable by Tab.
  await tab(page, /Plots/).click();
  const figure = page.locator("figure.figure-card").first();
  await figure.focus();
  await expect(figure).toBeFocused();
  await setColorScheme(page, "dark");
  findings.push(...(await axe(page, "dark, whole page")));
  await panelsWithContent("dark");
  await page.getByRole("button", { name: "Examples" }).click();
  findings.push(...(await axe(page, "dark examples menu", ".popup")));
  await page.keyboard.press("Escape");

  await setColorScheme(page, "light");

  // Help → PyTorch → webgrad: a dialog, closed by Escape, focus back on Help.
  await page.getByRole("button", { name: "Help" }).click();
  await page.getByRole("menuitem", { name: "PyTorch → webgrad" }).click();
  const sheet = page.getByRole("dialog", { name: "PyTorch → webgrad" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole("row", { name: /^model\(x\) model\.forward\(x\)/ })).toBeVisible();
  findings.push(...(await axe(page, "cheat sheet", "[data-testid=cheatsheet]")));
  await shot(page, `light-cheatsheet`);
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  await expect(page.getByRole("button", { name: "Help" })).toBeFocused();

  // Phone size: the whole page (the layout changes), in dark (the harder case for contrast), with
  // a lesson showing (its formulas are wider than a phone) and the Tape panel's table from the run.
  await page.setViewportSize({ width: 390, height: 844 });
  await setColorScheme(page, "dark");
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("searchbox").fill("ring");
  await page.getByRole("searchbox").press("Enter");
  await expect(page.getByTestId("lesson-text")).toBeVisible();
  await tab(page, /Tape/).click();
  findings.push(...(await axe(page, "phone dark, lesson and Tape")));
  await shot(page, "phone-dark-tape");
  if (SHOOT) {
    await setColorScheme(page, "light");
    await tab(page, /Console/).click();
    await shot(page, "phone-console");
  }

  expect(findings.map((f) => `${f.view}: ${f.impact} ${f.rule} ×${f.nodes} (${f.target}) ${f.help}`)).toEqual([]);
});
