/**
 * The Cluster panel teaches what it plays (issue 14, point 5): the collective's path is traced on
 * the topology and each step's hops are drawn as it plays; the timeline's playhead follows the
 * player; ZeRO's bars show parameters, gradients, optimizer state and activations; the selects
 * show their whole text; every device row is reachable, with a cue while more lies below; nothing
 * overflows a phone; axe finds no critical or serious violation in light and dark; and the panel
 * speaks Chinese (issue 15). Screenshots at 1280×800 and 390×844, light and dark, go to
 * test-results/screenshots. The English tests share one loaded app (./shared-page).
 */
import { test as freshPageTest, type Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { consoleLog, openApp, runButton, runStatus, selectTextRoom, setCode, setColorScheme } from "./helpers";
import { axeViolations, violationLines } from "./axe";

const example = (name: string) => readFileSync(fileURLToPath(new URL(`../../src/examples/${name}.ts`, import.meta.url)), "utf8");
// A busy shared machine runs an example slower than the default minute allows.
test.describe.configure({ timeout: 300_000 });

/** Runs `code` and waits for the end, in either language; the first Run of a page starts Monaco's TypeScript worker, slow on a busy machine. */
async function runCode(page: Page, code: string): Promise<void> {
  await setCode(page, code);
  await runButton(page).click();
  await expect(runStatus(page)).toContainText(/Finished|Failed|已完成|失败/, { timeout: 180_000 });
}

async function openCluster(page: Page, name: RegExp = /Cluster/): Promise<void> {
  await page.getByRole("tab", { name }).click();
  await expect(page.getByTestId("topology")).toBeVisible();
}

/** The current step's hops as "d0>d1 chunks" strings, sorted. */
const hops = (page: Page) =>
  page
    .getByTestId("step-hop")
    .evaluateAll((ls) => ls.map((l) => `${l.getAttribute("data-hop")} ${l.getAttribute("data-chunks")}`).sort())
    .then((h) => h.join(" | "));
const playheadX = async (page: Page) => Number((await page.getByTestId("timeline-canvas").getAttribute("data-playhead-x")) ?? NaN);

/** axe-core's critical and serious violations inside `section.cluster`, as "rule: target" lines. */
const axeSerious = async (page: Page): Promise<string[]> => violationLines(await axeViolations(page, "section.cluster"));

async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `test-results/screenshots/${name}-${scheme}.png` });
  }
  await setColorScheme(page, "light");
}

test("cluster: the collective's path and each step's hops are drawn on the topology in step with the player, and the timeline's playhead follows it", async ({
  page,
}) => {
  await runCode(page, example("32-ring-vs-tree"));
  await expect(consoleLog(page)).toContainText("tree: time");
  await openCluster(page);
  const topology = page.getByTestId("topology");
  const step = page.getByTestId("collective-step");

  // Tree (the newest): its edges are traced; step 1's hops are arrows, their devices lit.
  await expect(step).toHaveText(/^step 1\//);
  expect(await topology.locator("line.link.onpath").count()).toBeGreaterThan(0);
  await expect(page.getByTestId("step-hop").first()).toBeAttached();
  expect(await topology.locator('[data-testid="topology-device"][data-busy="true"]').count()).toBeGreaterThan(0);
  const treeSteps: string[] = [await hops(page)];
  const xs: number[] = [await playheadX(page)];
  expect(xs[0]).toBeGreaterThan(0);
  for (let k = 2; k <= 4; k++) {
    await page.getByRole("button", { name: "Next step" }).click();
    await expect(step).toHaveText(new RegExp(`^step ${k}/`));
    treeSteps.push(await hops(page));
    // Forward in the schedule is never back in time (a pipelined tree's steps may start together).
    await expect.poll(() => playheadX(page)).toBeGreaterThanOrEqual(xs.at(-1)!);
    xs.push(await playheadX(page));
  }
  expect(xs.at(-1)!).toBeGreaterThan(xs[0]);
  // Reducing up the tree, level by level: the hops differ from step to step.
  expect(new Set(treeSteps).size).toBeGreaterThan(1);
  // The step's sends in words, for those who do not read arrows.
  await expect(page.getByTestId("collective-step-sends")).toContainText(/This step: d\d→d\d c\d/);

  // Playing moves the playhead and the hops with it.
  const before = { x: await playheadX(page), hops: await hops(page) };
  await page.getByRole("button", { name: "Play" }).click();
  await expect.poll(() => playheadX(page), { timeout: 10_000 }).toBeGreaterThan(before.x + 20);
  await expect.poll(() => hops(page)).not.toBe(before.hops);
  await page.getByRole("button", { name: "Pause" }).click();

  // Ring: every step uses the same links, the ring itself (each device to its neighbour, through the switch between nodes).
  const pick = page.getByLabel("Collective on the topology");
  await pick.selectOption((await pick.locator("option", { hasText: "ring" }).getAttribute("value"))!);
  await expect(page.getByRole("heading", { name: "allReduce · ring" })).toBeVisible();
  await expect(step).toHaveText(/^step 1\//);
  const links = (s: string) =>
    s
      .split(" | ")
      .map((h) => h.split(" ")[0])
      .join();
  const ring1 = links(await hops(page));
  expect(ring1).toContain("d0>d1");
  await page.getByRole("button", { name: "Next step" }).click();
  await expect(step).toHaveText(/^step 2\//);
  expect(links(await hops(page))).toBe(ring1);
  // The timeline shows the ring now: its playhead too.
  await expect.poll(() => playheadX(page)).toBeGreaterThan(0);

  for (const scheme of ["light", "dark"] as const) {
    await setColorScheme(page, scheme);
    expect(await axeSerious(page), `axe ${scheme}`).toEqual([]);
  }
  await shoot(page, "cluster-player-desktop");
});

test("cluster: ZeRO's bars show parameters, gradients, optimizer state and activations, each non-zero, no untyped buffers", async ({ page }) => {
  await runCode(page, example("40-zero-memory"));
  await expect(consoleLog(page)).toContainText("ZeRO-3 d0");
  await openCluster(page);
  await expect(page.getByRole("heading", { name: "memory · zero3" })).toBeVisible();
  const rows = page.getByTestId("memory-row");
  await expect(rows).toHaveCount(4);
  for (const row of await rows.all()) {
    const segments = await row
      .locator(".seg")
      .evaluateAll((ss) => ss.map((s) => [s.getAttribute("data-category"), (s as HTMLElement).getBoundingClientRect().width] as const));
    expect(segments.map(([c]) => c)).toEqual(["parameters", "gradients", "optimizer", "activations"]);
    for (const [c, w] of segments) expect(w, c!).toBeGreaterThan(0);
  }
  await expect(page.getByRole("img", { name: /^d0: parameters/ })).not.toHaveAttribute("aria-label", /buffers/);
  await expect(page.locator(".memory .legend")).not.toContainText("buffers");
  await shoot(page, "cluster-zero-desktop");
});

for (const size of [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
]) {
  test(`cluster at ${size.width}×${size.height}: selects show their whole text, every device row is reachable, nothing overflows`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await runCode(page, example("54-hybrid-3d"));
    await expect(consoleLog(page)).toContainText("match single-device training");
    await openCluster(page);
    const panel = page.getByRole("region", { name: "Cluster" });

    // A select is at least as wide as its chosen option's text (plus its arrow): nothing cut off.
    for (const label of ["Collective on the topology", "Timeline source"]) expect(await selectTextRoom(page.getByLabel(label)), label).toBeGreaterThan(16);

    // Every device's memory row can be scrolled to; while d7 is below the fold, a cue says so.
    const rows = page.getByTestId("memory-row");
    await expect(rows).toHaveCount(8);
    const last = rows.last();
    if (!(await last.isVisible()) || !(await isInViewport(page, last))) await expect(page.getByTestId("cluster-more")).toBeVisible();
    for (const row of await rows.all()) {
      await row.scrollIntoViewIfNeeded();
      await expect(row).toBeInViewport();
    }
    // At the bottom of the panel (below the timeline's canvas: its legend) the cue goes.
    await page.getByTestId("timeline-canvas").scrollIntoViewIfNeeded();
    await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(page.getByTestId("cluster-more")).toBeHidden();

    // No horizontal scroll: not the page, not the panel.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    expect(await panel.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);

    await panel.evaluate((el) => el.scrollTo(0, 0));
    await shoot(page, `cluster-54-${size.name}`);
    for (const scheme of ["light", "dark"] as const) {
      await setColorScheme(page, scheme);
      expect(await axeSerious(page), `axe ${scheme}`).toEqual([]);
    }
  });
}

async function isInViewport(page: Page, locator: ReturnType<Page["locator"]>): Promise<boolean> {
  const box = await locator.boundingBox();
  const vp = page.viewportSize()!;
  return !!box && box.y >= 0 && box.y + box.height <= vp.height;
}

// Its own page: the shared one opens in English.
freshPageTest.describe("in Chinese", () => {
  freshPageTest.use({ locale: "zh-CN" });
  freshPageTest("cluster: the player, the figures and the memory bars speak Chinese", async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem("webgrad:locale", "zh"));
    await openApp(page);
    await runCode(page, example("40-zero-memory"));
    await expect(consoleLog(page)).toContainText("ZeRO-3 d0");
    await openCluster(page, /集群/);
    await expect(page.getByRole("heading", { name: "显存 · zero3" })).toBeVisible();
    await expect(page.getByRole("group", { name: "集合通信播放器" })).toBeVisible();
    await expect(page.getByRole("button", { name: "下一步" })).toBeVisible();
    await expect(page.getByTestId("collective-step")).toHaveText(/^第 1\/\d+ 步/);
    await expect(page.getByRole("img", { name: /^d0：参数 .*，梯度 .*，优化器状态 .*，激活值 / })).toBeVisible();
    await shoot(page, "cluster-zh-desktop");
  });
});
