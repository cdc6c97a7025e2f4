/**
 * The course taken in order (docs/COURSE.md): lesson 43 costs a plan with `dist.plan`, which opens
 * the Cluster panel's Planner view; the next lessons that simulate (50–55) must show their own run,
 * so a run that simulates without costing a plan brings the Simulation view back. Selectors are
 * language-agnostic (test ids, aria-pressed).
 */
import { expect, test } from "./shared-page";
import { runCode } from "./helpers";

const PLAN = `import { dist } from "webgrad";
dist.plan("gpt3-175b", dist.dgxA100(128), { tp: 8, pp: 16, dp: 8, microbatch: 1, globalBatch: 1536 });`;
const SIMULATE = `import { dist, randn } from "webgrad";
const c = dist.cluster({ devicesPerNode: 4 });
dist.allReduce(c.devices.map((d, i) => randn([256], { device: d, seed: i })));
console.log("reduced");`;

test("a plan opens the Planner view, and the next run that only simulates shows the Simulation view again", async ({ page }) => {
  test.setTimeout(120_000);
  await runCode(page, PLAN);
  await page.locator("#tab-cluster").click();
  await expect(page.getByTestId("cluster-view-planner")).toHaveAttribute("aria-pressed", "true", { timeout: 60_000 });
  await runCode(page, SIMULATE);
  await expect(page.getByTestId("cluster-view-simulation")).toHaveAttribute("aria-pressed", "true");
  // and a plan again opens the Planner
  await runCode(page, PLAN);
  await expect(page.getByTestId("cluster-view-planner")).toHaveAttribute("aria-pressed", "true", { timeout: 60_000 });
});
