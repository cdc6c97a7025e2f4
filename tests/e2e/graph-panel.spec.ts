/**
 * The Graph panel on the course's graph examples: no reactive loops (Svelte's
 * effect_update_depth_exceeded) while it draws control flow or steps through the passes; what it
 * says when a Graph-mode run traced nothing; named traces and regions inside control flow; big
 * graphs collapsed by module scope (expand on click or Enter); no serious accessibility
 * violations (axe-core) in light and dark; and screenshots at desktop and phone sizes.
 */
import { expect, test } from "./shared-page";
import type { Page } from "@playwright/test";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { runButton, runCode, runStatus, setColorScheme } from "./helpers";

const require = createRequire(import.meta.url);
// The app's CSP blocks inline scripts, so addScriptTag cannot inject axe: evaluate its source instead.
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const EXAMPLES = {
  passes: "Optimization passes one at a time",
  control: "Control flow in graphs",
  transformer: "A tiny Transformer writes like Lewis Carroll",
} as const;

/** Console errors and uncaught page errors seen while `fn` runs. */
async function collectErrors(page: Page, fn: () => Promise<void>): Promise<string[]> {
  const errors: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error") errors.push(m.text());
  };
  const onPageError = (e: Error) => errors.push(e.message);
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  try {
    await fn();
    // Effects flush on the next frames: give a loop time to show itself.
    await page.waitForTimeout(300);
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
  }
  return errors;
}

async function quickRuns(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("menuitemcheckbox", { name: /Quick runs/ }).check();
  await page.keyboard.press("Escape");
}

/** Loads an example from the menu, runs it in `mode` and opens the Graph panel's drawing. */
async function runExample(page: Page, title: string, mode: "Eager" | "Graph" = "Graph"): Promise<void> {
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("menuitem", { name: new RegExp(`^${title}`) }).click();
  await page.getByRole("button", { name: mode, exact: true }).click();
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 120_000 });
  await page.getByRole("tab", { name: /Graph/ }).first().click();
  await page.getByRole("tab", { name: "Drawing" }).click();
}

const stageSelect = (page: Page) => page.getByRole("combobox", { name: "Pipeline stage" });
const drawing = (page: Page) => page.getByRole("application", { name: /^Graph of/ });

/** axe-core's violations inside the Graph panel, counted by impact. */
async function axeCounts(page: Page): Promise<{ counts: Record<string, number>; summary: string[] }> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; any: { data?: unknown }[] }[] }[] }> };
      }
    ).axe;
    const { violations } = await axe.run({ include: [".graph-panel"] });
    const counts: Record<string, number> = {};
    const summary: string[] = [];
    for (const v of violations) {
      counts[v.impact] = (counts[v.impact] ?? 0) + v.nodes.length;
      summary.push(`${v.impact} ${v.id}: ${v.nodes.length} (${v.nodes[0]?.target.join(" ")}) ${JSON.stringify(v.nodes[0]?.any[0]?.data ?? "")}`);
    }
    return { counts, summary };
  });
}

test.beforeEach(async ({ page }) => quickRuns(page));

test("graph: control flow (example 23) draws with no effect_update_depth_exceeded, on run and on clicks", async ({ page }) => {
  test.setTimeout(150_000);
  const errors = await collectErrors(page, async () => {
    await runExample(page, EXAMPLES.control);
    await expect(drawing(page)).toBeVisible();
    // Each traced function, and a click on a node of each (the details pane resizes the canvas).
    const fns = page.getByRole("navigation", { name: "Traced functions" }).getByRole("button");
    const count = await fns.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (let k = 0; k < count; k++) {
      await fns.nth(k).click();
      await expect(drawing(page)).toBeVisible();
      await drawing(page).locator("g.box").first().click();
    }
  });
  expect(errors.filter((e) => /effect_update_depth_exceeded/.test(e))).toEqual([]);
  expect(errors).toEqual([]);
});

test("graph: example 22 stage 5 → IR text → Drawing shows no effect_update_depth_exceeded", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = await collectErrors(page, async () => {
    await runExample(page, EXAMPLES.passes);
    await stageSelect(page).selectOption("5");
    await page.getByRole("tab", { name: "IR text" }).click();
    await page.getByRole("tab", { name: "Drawing" }).click();
    await expect(drawing(page)).toBeVisible();
    await drawing(page).locator("g.box").first().click();
  });
  expect(errors).toEqual([]);
});

test("graph: a node that reads one value twice, and a run-time check of an in-place write, draw with no error", async ({ page }) => {
  const errors = await collectErrors(page, async () => {
    await page.getByRole("button", { name: "Graph", exact: true }).click();
    await runCode(
      page,
      `import { tensor, cond, jit, grad, type Tensor } from "webgrad";
const twice = jit((x: Tensor) => cond(x.sum().gt(0), (a: Tensor, b: Tensor) => a.add(b), (a: Tensor, b: Tensor) => a.sub(b), x, x), { name: "twice" });
console.log(await twice(tensor([1, 2])).tolist());
const c = tensor([-1, -2, -3]);
const f = (x: Tensor) => {
  const v = cond(c.sum().gt(0), (t: Tensor) => t.cos().add(x), (t: Tensor) => t.square(), c);
  v.add_(1);
  return v.sum().add(x.sum());
};
try { console.log(await jit(grad(f), { name: "checked" })(tensor([0.5, -1, 2])).tolist()); } catch (e) { console.log(String(e)); }`,
    );
    await page.getByRole("tab", { name: /Graph/ }).first().click();
    await page.getByRole("tab", { name: "Drawing" }).click();
    const fns = page.getByRole("navigation", { name: "Traced functions" }).getByRole("button");
    await fns.filter({ hasText: "twice" }).click();
    await expect(drawing(page).locator("g.box").first()).toBeVisible({ timeout: 30_000 });
    await fns.filter({ hasText: "checked" }).click();
    // The compiled graph (the last stage) keeps the check though nothing reads it.
    await stageSelect(page).selectOption({ index: (await stageSelect(page).locator("option").count()) - 1 });
    const check = drawing(page).getByRole("button", { name: "output check0 (check)" });
    await expect(check).toBeVisible({ timeout: 30_000 });
    await check.click();
    await expect(page.locator(".graph-panel")).toContainText("a check when the graph runs");
  });
  expect(errors).toEqual([]);
});

test("graph: a Graph-mode run without jit says nothing was traced", async ({ page }) => {
  await page.getByRole("button", { name: "Graph", exact: true }).click();
  await runCode(page, 'import { tensor } from "webgrad";\nconsole.log(await tensor([1, 2]).sum().item());');
  await page.getByRole("tab", { name: /Graph/ }).first().click();
  await expect(page.locator(".graph-panel")).toContainText("Nothing was traced");
  await expect(page.locator(".graph-panel")).toContainText("jit");
});

test("graph: functions and regions traced inside control flow are named, not 'fn'", async ({ page }) => {
  test.setTimeout(120_000);
  await runExample(page, EXAMPLES.control);
  const names = await page.getByRole("navigation", { name: "Traced functions" }).locator(".fname").allTextContents();
  expect(names).not.toContain("fn");
  expect(names).toContain("grad(rnn)");
  expect(names.some((n) => /while/.test(n))).toBe(true);
  // the while loop's regions are titled by what they are
  await page.getByRole("navigation", { name: "Traced functions" }).getByRole("button", { name: /while/ }).click();
  await expect(drawing(page).locator(".cluster-title").first()).toBeVisible();
  const titles = await drawing(page).locator(".cluster-title").allTextContents();
  expect(titles.join("|")).toMatch(/while node \d+: cond/);
  expect(titles.join("|")).toMatch(/while node \d+: body/);
});

test("graph: a large graph (example 64) starts collapsed by module scope and expands on click and Enter", async ({ page }) => {
  test.setTimeout(200_000);
  await runExample(page, EXAMPLES.transformer);
  await page
    .getByRole("navigation", { name: "Traced functions" })
    .getByRole("button", { name: /^train step/ })
    .click();
  const groups = drawing(page).getByRole("button", { name: /^group / });
  await expect(groups.first()).toBeVisible();
  const before = await drawing(page).locator("g.box").count();
  expect(before).toBeLessThan(120);
  const label = (await groups.first().getAttribute("aria-label"))!;
  expect(label).toMatch(/\d+ nodes/);
  // a click expands a group into its members (more boxes), Enter on its header collapses it again
  await groups.first().click();
  await expect.poll(() => drawing(page).locator("g.box").count()).toBeGreaterThan(before);
  const collapse = drawing(page)
    .getByRole("button", { name: /^Collapse group/ })
    .first();
  await collapse.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => drawing(page).locator("g.box").count()).toBe(before);
  // Enter on a collapsed group opens it too
  await groups.first().focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => drawing(page).locator("g.box").count()).toBeGreaterThan(before);
});

test("graph: axe-core finds no critical or serious violations in the Graph panel (light and dark)", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, EXAMPLES.control);
  await drawing(page).locator("g.box").first().click();
  const found: { where: string; critical: number; serious: number; summary: string }[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    for (const view of ["Drawing", "IR text", "Stats", "WGSL", "Diff"]) {
      await page.getByRole("tab", { name: view }).click();
      if (view === "Diff") await stageSelect(page).selectOption("5");
      const { counts, summary } = await axeCounts(page);
      console.log(`axe ${scheme} ${view}: ${JSON.stringify(counts)}\n  ${summary.join("\n  ")}`);
      found.push({ where: `${scheme} ${view}`, critical: counts.critical ?? 0, serious: counts.serious ?? 0, summary: summary.join("; ") });
    }
    await page.getByRole("tab", { name: "Drawing" }).click();
  }
  expect(found.filter((f) => f.critical + f.serious > 0)).toEqual([]);
});

test("graph: screenshots of examples 22, 23 and 64 at 1280×800 and 390×844, light and dark", async ({ page }) => {
  test.setTimeout(300_000);
  for (const [id, title] of [
    ["22", EXAMPLES.passes],
    ["23", EXAMPLES.control],
    ["64", EXAMPLES.transformer],
  ] as const) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await runExample(page, title);
    if (id === "64")
      await page
        .getByRole("navigation", { name: "Traced functions" })
        .getByRole("button", { name: /^train step/ })
        .click();
    if (id === "23")
      await page
        .getByRole("navigation", { name: "Traced functions" })
        .getByRole("button", { name: /grad\(rnn\)/ })
        .click();
    for (const [w, h] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.getByRole("tab", { name: /Graph/ }).first().click();
      for (const scheme of ["light", "dark"] as const) {
        await setColorScheme(page, scheme);
        await page.waitForTimeout(300);
        await page.screenshot({ path: `test-results/screenshots/graph-${id}-${w}x${h}-${scheme}.png` });
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});
